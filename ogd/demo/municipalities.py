"""The real BFS municipality register, copied into the demo sources as `gemeinden.txt`.

Unlike the other demo sources this one is not invented: it is the Federal Statistical
Office's historicised register of Swiss municipalities (state 1 January 2023),
reduced to the cantons LU, OW, NW and ZG, kept in the repository under
`REGISTER_COPY`. It is copied byte for byte (Latin-1, tab-separated, no header, CRLF);
the seed plays no part. Licence: free use with source attribution ("Quelle: BFS").
"""

import shutil
from pathlib import Path

REGISTER_COPY = Path(
    "tests/data/real/bfs-municipality-history/20230101_GDEHist_GDE_LU_OW_NW_ZG.txt"
)
"""The register's place in the repository, relative to the repository root."""

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
"""The repository root: `ogd/demo/municipalities.py` is two folders below it."""


def register_source(root: Path = REPOSITORY_ROOT) -> Path:
    """Where the register copy should be (it may not exist in every checkout).

    Args:
        root: the repository root.

    Returns:
        The path of the BFS file.
    """
    return root / REGISTER_COPY


def has_register(root: Path = REPOSITORY_ROOT) -> bool:
    """Whether the register copy is present under `root`."""
    return register_source(root).is_file()


def copy_register(path: Path, seed: int = 0, root: Path = REPOSITORY_ROOT) -> Path:
    """Copy the BFS register to `path` unchanged.

    Args:
        path: the file to write (overwritten if it exists).
        seed: ignored; real data are not drawn (the parameter keeps the writers alike).
        root: the repository root holding `REGISTER_COPY`.

    Returns:
        `path`.

    Raises:
        FileNotFoundError: the register copy is not in the repository.
    """
    shutil.copyfile(register_source(root), path)
    return path
