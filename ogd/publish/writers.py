"""Writers of published files (CSV UTF-8, Parquet, datapackage.json, reports) with checksums."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


@dataclass(frozen=True)
class WrittenFile:
    """A file written to the staging folder."""

    path: Path
    size: int
    sha256: str


def _describe(path: Path) -> WrittenFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return WrittenFile(path, path.stat().st_size, digest.hexdigest())


def write_csv(table: pa.Table, path: Path) -> WrittenFile:
    """Write a table as UTF-8 CSV with a header row; nulls are empty cells."""
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    pacsv.write_csv(table, path, options)
    return _describe(path)


def write_parquet(table: pa.Table, path: Path) -> WrittenFile:
    """Write a table as Parquet (zstd)."""
    pq.write_table(table, path, compression="zstd")
    return _describe(path)


def write_json(data: Any, path: Path) -> WrittenFile:
    """Write a JSON document (UTF-8, indented)."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return _describe(path)
