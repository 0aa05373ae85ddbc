"""Writers of published files (CSV UTF-8, Parquet, JSON, datapackage.json) with checksums.

Table writers are incremental: open with the schema, write chunk after chunk, close to
get the file's size and sha256, so a large table never sits in memory whole.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


@dataclass(frozen=True)
class WrittenFile:
    """A file written to the staging folder."""

    path: Path
    size: int
    sha256: str
    sha1: str = ""  # DCAT-AP 2.1.1 accepts SHA-1 checksums only


def describe(path: Path) -> WrittenFile:
    """Size, sha256 and sha1 of a written file."""
    digest, legacy = hashlib.sha256(), hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            legacy.update(chunk)
    return WrittenFile(path, path.stat().st_size, digest.hexdigest(), legacy.hexdigest())


class TableWriter(Protocol):
    """An incremental writer of one table."""

    def write(self, table: pa.Table) -> None: ...

    def close(self) -> WrittenFile: ...


def _iso_timestamps(table: pa.Table) -> pa.Table:
    """Timestamps as `YYYY-MM-DDTHH:MM:SS` text (pyarrow would write a space and micros)."""
    for index, column in enumerate(table.columns):
        if pa.types.is_timestamp(column.type):
            seconds = pc.cast(column, pa.timestamp("s", column.type.tz), safe=False)
            text = pc.strftime(seconds, format="%Y-%m-%dT%H:%M:%S")
            table = table.set_column(index, table.field(index).name, text)
    return table


class CsvWriter:
    """UTF-8 CSV with a header row; nulls are empty cells; timestamps in ISO 8601."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
        text_schema = _iso_timestamps(schema.empty_table()).schema
        self._writer = pacsv.CSVWriter(str(path), text_schema, write_options=options)

    def write(self, table: pa.Table) -> None:
        """Append rows."""
        self._writer.write_table(_iso_timestamps(table))

    def close(self) -> WrittenFile:
        """Finish the file."""
        self._writer.close()
        return describe(self.path)


class ParquetWriter:
    """Parquet with zstd compression."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self._writer = pq.ParquetWriter(str(path), schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        """Append rows (a row group per chunk)."""
        if table.num_rows:
            self._writer.write_table(table)

    def close(self) -> WrittenFile:
        """Finish the file."""
        self._writer.close()
        return describe(self.path)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


class JsonWriter:
    """A JSON array of row objects (UTF-8)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self._handle: IO[str] = path.open("w", encoding="utf-8")
        self._handle.write("[")
        self._first = True

    def write(self, table: pa.Table) -> None:
        """Append rows."""
        for row in table.to_pylist():
            self._handle.write("\n" if self._first else ",\n")
            self._handle.write(json.dumps(row, ensure_ascii=False, default=_json_value))
            self._first = False

    def close(self) -> WrittenFile:
        """Finish the file."""
        self._handle.write("\n]\n")
        self._handle.close()
        return describe(self.path)


WRITERS: dict[str, tuple[str, str, type[CsvWriter] | type[ParquetWriter] | type[JsonWriter]]] = {
    "csv": ("CSV", "text/csv", CsvWriter),
    "parquet": ("Parquet", "application/vnd.apache.parquet", ParquetWriter),
    "json": ("JSON", "application/json", JsonWriter),
}


def write_json(data: Any, path: Path) -> WrittenFile:
    """Write a JSON document (UTF-8, indented)."""
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, default=_json_value), encoding="utf-8"
    )
    return describe(path)
