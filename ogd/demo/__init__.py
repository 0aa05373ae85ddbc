"""Demo sources: the extracts the demo pipelines read, synthetic except one.

`generate_demo_sources` writes into a folder every source of `SOURCE_FILES`: invented
registers and exports (population, staff, population movements, building permits, a
recorded parking API, waste tours, online-service usage, the digital strategy's
portfolio, air quality, road works) and a copy of the real BFS municipality register.
No synthetic value describes a real person; the same seed gives the same files, and
the counts in `ogd.demo.facts` hold exactly.
"""

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ogd.demo.airquality import write_measurements
from ogd.demo.eservices import write_usage
from ogd.demo.facts import DEFAULT_SEED
from ogd.demo.movements import write_movements
from ogd.demo.municipalities import copy_register, has_register, register_source
from ogd.demo.parking import write_parking_pages
from ogd.demo.permits import write_permits
from ogd.demo.population import write_population_register
from ogd.demo.roadworks import write_roadworks
from ogd.demo.staff import write_staff_register
from ogd.demo.strategy import write_strategy
from ogd.demo.waste import write_waste_tours

__all__ = ["BFS_SOURCE_FILE", "SOURCE_FILES", "generate_demo_sources"]

log = logging.getLogger(__name__)

_Writer = Callable[[Path, int], Path]

_WRITERS: tuple[tuple[str, _Writer], ...] = (
    ("einwohnerregister.csv", write_population_register),
    ("personalregister.xlsx", write_staff_register),
    ("einwohnerbewegungen.csv", write_movements),
    ("baugesuche.sqlite", write_permits),
    ("parkleitsystem", write_parking_pages),
    ("abfallmengen.csv", write_waste_tours),
    ("online-dienste.csv", write_usage),
    ("digitalstrategie.xlsx", write_strategy),
    ("luftqualitaet.parquet", write_measurements),
    ("baustellen.json", write_roadworks),
    ("gemeinden.txt", copy_register),
)

SOURCE_FILES = tuple(name for name, _ in _WRITERS)
"""The sources `generate_demo_sources` writes, in order. `parkleitsystem` is a folder
(`seite-1.json` …); `gemeinden.txt` is real data, written only where the repository
holds the BFS register (see `ogd.demo.municipalities`)."""

BFS_SOURCE_FILE = "gemeinden.txt"
"""The one source copied from real data rather than drawn."""


def _remove(path: Path) -> None:
    """Remove a file or a folder tree, if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _write_atomically(writer: _Writer, target: Path, seed: int) -> Path:
    """Let `writer` fill a temporary file (or folder) next to `target`, then rename it.

    A folder cannot replace a non-empty folder in one rename, so an existing one is
    first renamed aside and removed after the new one is in place.
    """
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    previous = target.with_name(f".{target.name}.{os.getpid()}.old")
    try:
        writer(partial, seed)
        if partial.is_dir() and target.is_dir():
            os.replace(target, previous)
        os.replace(partial, target)
    finally:
        _remove(partial)
        _remove(previous)
    return target


def generate_demo_sources(target_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every demo source into target_dir (created if missing).

    Each source is written under a temporary name in the same folder and renamed when
    complete, so a half-written file never exists under its final name. The BFS
    register is skipped (with a warning in the log) when the repository lacks it.

    Args:
        target_dir: the folder to write into.
        seed: the generator seed; the same seed gives identical files.

    Returns:
        The paths written, in the order of `SOURCE_FILES`.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, writer in _WRITERS:
        if name == BFS_SOURCE_FILE and not has_register():
            log.warning("BFS register not found at %s: %s not written", register_source(), name)
            continue
        written.append(_write_atomically(writer, target_dir / name, seed))
    return written
