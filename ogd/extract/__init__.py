"""Source readers: `READERS` maps a source kind to its reader and the options it takes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ogd.extract.csv import read_csv
from ogd.extract.excel import read_excel


@dataclass(frozen=True)
class Extract:
    """What a reader yields: the header labels and record batches of the rows.

    `first_row_number` is the row number of the first data row as frictionless counts
    rows (the header is row 1), so validation errors point at the right line.
    """

    labels: list[str]
    batches: Iterator[pa.RecordBatch]
    first_row_number: int


Reader = Callable[[Path, Mapping[str, Any], str], Extract]


@dataclass(frozen=True)
class ReaderDef:
    """A source kind: its reader and the option keys it accepts."""

    read: Reader
    options: frozenset[str]


READERS: dict[str, ReaderDef] = {
    "csv": ReaderDef(read_csv, frozenset({"encoding", "delimiter", "quote_char", "skip_rows"})),
    "excel": ReaderDef(read_excel, frozenset({"sheet", "header_row"})),
}
