"""Source readers: `READERS` maps a source kind to its reader and the option keys it takes.

Every reader takes a `SourceRequest` and returns an `Extract`: the header labels and a
lazy iterator of Arrow record batches, so a run reads in bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ogd.errors import SourceInvalid

BATCH_ROWS = 65_536


@dataclass(frozen=True)
class SourceRequest:
    """What a reader is asked for.

    Attributes:
        options: the `source` keys of the pipeline (without `kind` and `schema`), with
            every `{"$env": NAME}` already replaced by its value.
        sources_dir: the folder relative paths are read from.
        where: how to name the source section in errors (file, line, key path).
        batch_rows: the number of rows a batch should hold at most.
    """

    options: Mapping[str, Any]
    sources_dir: Path
    where: str
    batch_rows: int = BATCH_ROWS


@dataclass(frozen=True)
class Extract:
    """What a reader yields.

    Attributes:
        labels: the column names, in order.
        batches: record batches of the rows, read lazily.
        first_row_number: row number of the first data row as frictionless counts them
            (the header is row 1), so validation errors point at the right line.
        name: how stewards know the source (a file name or a URL without secrets).
        fingerprint: sha256 of the source file(s) when it can be known before reading;
            None for databases and APIs (the runner then hashes the data it reads).
    """

    labels: list[str]
    batches: Iterator[pa.RecordBatch]
    first_row_number: int
    name: str
    fingerprint: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


Reader = Callable[[SourceRequest], Extract]


@dataclass(frozen=True)
class ReaderDef:
    """A source kind: its reader and the option keys it accepts."""

    read: Reader
    required: frozenset[str]
    optional: frozenset[str] = frozenset()


def source_file(request: SourceRequest, key: str = "path") -> Path:
    """Resolve a relative file option inside the sources folder.

    Raises:
        SourceInvalid: the path is absolute, leaves the folder, or the file is missing.
    """
    raw = str(request.options.get(key, ""))
    folder = request.sources_dir.resolve()
    path = (folder / raw).resolve()
    if not raw or Path(raw).is_absolute() or not path.is_relative_to(folder):
        raise SourceInvalid(
            f"`{raw}` is not a path inside the sources folder",
            where=f"{request.where}.{key}",
            hint="give a relative path without `..`",
        )
    if not path.is_file():
        raise SourceInvalid(
            f"source file `{raw}` not found in {folder}",
            where=f"{request.where}.{key}",
            hint="run `ogd demo` to generate the demo sources, or put the extract there",
        )
    return path


def _registry() -> dict[str, ReaderDef]:
    from ogd.extract.csv import read_csv
    from ogd.extract.excel import read_excel
    from ogd.extract.json_api import read_json_api
    from ogd.extract.jsonfile import read_json
    from ogd.extract.parquet import read_parquet
    from ogd.extract.sql import read_sql

    json_shape = {"record_path", "record_key", "flatten"}
    csv_options = {"encoding", "delimiter", "quote_char", "header", "header_rows", "skip_rows"}
    excel_options = {"sheet", "range", "header_row", "header_rows", "column_names"}
    api_options = {"params", "headers", "paging", "timeout", "retries", "backoff"}
    readers = {
        "csv": ReaderDef(
            read_csv,
            frozenset({"path"}),
            frozenset(csv_options | {"column_names", "missing_values"}),
        ),
        "excel": ReaderDef(read_excel, frozenset({"path"}), frozenset(excel_options)),
        "sql": ReaderDef(
            read_sql, frozenset({"query"}), frozenset({"url", "path", "password", "params"})
        ),
        "json_api": ReaderDef(
            read_json_api, frozenset({"url"}), frozenset(api_options | json_shape)
        ),
        "json": ReaderDef(read_json, frozenset({"path"}), frozenset(json_shape | {"lines"})),
        "parquet": ReaderDef(read_parquet, frozenset({"path"}), frozenset({"columns"})),
    }
    return readers


READERS: dict[str, ReaderDef] = _registry()
