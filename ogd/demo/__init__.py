"""Synthetic demo sources: the register extracts the demo pipelines read.

`generate_demo_sources` writes an invented population register (CSV) and staff
register (Excel) into a folder. No value describes a real person; the same seed gives
the same files, and the counts in `ogd.demo.facts` hold exactly.
"""

import os
from collections.abc import Callable
from pathlib import Path

from ogd.demo.facts import DEFAULT_SEED
from ogd.demo.population import write_population_register
from ogd.demo.staff import write_staff_register

__all__ = ["SOURCE_FILES", "generate_demo_sources"]

SOURCE_FILES = ("einwohnerregister.csv", "personalregister.xlsx")
"""The files `generate_demo_sources` writes, in order."""

_Writer = Callable[[Path, int], Path]


def _write_atomically(writer: _Writer, target: Path, seed: int) -> Path:
    """Let `writer` fill a temporary file next to `target`, then rename it."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        writer(partial, seed)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def generate_demo_sources(target_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every demo source extract into target_dir (created if missing).

    Each file is written under a temporary name in the same folder and renamed when
    complete, so a half-written file never exists under its final name.

    Args:
        target_dir: the folder to write into.
        seed: the generator seed; the same seed gives identical files.

    Returns:
        The paths written, in the order of `SOURCE_FILES`.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    writers: tuple[_Writer, ...] = (write_population_register, write_staff_register)
    return [
        _write_atomically(writer, target_dir / name, seed)
        for writer, name in zip(writers, SOURCE_FILES, strict=True)
    ]
