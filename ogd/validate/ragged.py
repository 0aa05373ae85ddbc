"""**I/O** Read a CSV file record by record, keeping what the fast reader cannot: ragged
rows, blank lines and an unusable header.

The project's CSV reader (`ogd.extract.csv`) parses with pyarrow, which skips blank
lines and refuses a row with another number of cells than the header. frictionless
reports those as blank-row, missing-cell and extra-cell errors, so `validate_file` reads
such files again here, with Python's csv module as frictionless does: every record is
one row, and each batch carries the number of cells of each row.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ogd.errors import SourceInvalid

BATCH_ROWS = 65_536


@dataclass(frozen=True)
class Dialect:
    """How the file is written (as the CSV reader detected it)."""

    encoding: str
    delimiter: str
    quote: str = '"'


@dataclass(frozen=True)
class RaggedBatch:
    """Rows of a file: cells as text (null where a row has no such cell) and counts."""

    batch: pa.RecordBatch
    counts: pa.Array


def read_ragged(
    path: Path, dialect: Dialect, batch_rows: int = BATCH_ROWS
) -> tuple[list[str], Iterator[RaggedBatch]]:
    """Read the header and lazily the rows of a delimited text file.

    Args:
        path: the file.
        dialect: its encoding, delimiter and quote character.
        batch_rows: rows per batch.

    Returns:
        The labels (stripped, as frictionless reads them) and the batches; a batch
        has one column per label plus one per extra cell of its widest row.

    Raises:
        SourceInvalid: the file is not text in the encoding, or not parseable as CSV.
    """
    records = _records(path, dialect)
    labels = [cell.strip() for cell in next(records, [])]
    return labels, _batches(records, labels, batch_rows)


def _records(path: Path, dialect: Dialect) -> Iterator[list[str]]:
    encoding = "utf-8-sig" if dialect.encoding.lower() in ("utf-8", "utf8") else dialect.encoding
    row = 0
    with path.open(encoding=encoding, newline="") as handle:
        if dialect.quote:
            reader = csv.reader(handle, delimiter=dialect.delimiter, quotechar=dialect.quote)
        else:
            reader = csv.reader(handle, delimiter=dialect.delimiter, quoting=csv.QUOTE_NONE)
        try:
            for record in reader:
                row += 1
                yield record
        except UnicodeDecodeError:
            line, byte = _bad_line(path, encoding)
            raise SourceInvalid(
                f"line {line} is not {dialect.encoding} text (byte 0x{byte:02x})",
                where=f"{path.name} line {line}",
                hint="save the file as UTF-8, or set `encoding` to the file's encoding",
            ) from None
        except csv.Error as error:
            raise SourceInvalid(
                f"row {row + 1} cannot be read as CSV: {error}",
                where=f"{path.name} row {row + 1}",
                hint="check the quoting of that row; a cell may be far too long",
            ) from None


def _bad_line(path: Path, encoding: str) -> tuple[int, int]:
    """The first line that does not decode, and its first bad byte (1-based line)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError as error:
                return number, line[error.start]
    return 0, 0


def _batches(
    records: Iterator[list[str]], labels: list[str], batch_rows: int
) -> Iterator[RaggedBatch]:
    chunk: list[list[str]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == batch_rows:
            yield _batch(chunk, labels)
            chunk = []
    if chunk:
        yield _batch(chunk, labels)


def _batch(chunk: list[list[str]], labels: list[str]) -> RaggedBatch:
    width = max(len(labels), max(len(record) for record in chunk))
    columns = [
        pa.array([r[i] if i < len(r) else None for r in chunk], pa.string()) for i in range(width)
    ]
    names = labels + [""] * (width - len(labels))
    counts = pa.array([len(record) for record in chunk], pa.int32())
    return RaggedBatch(pa.RecordBatch.from_arrays(columns, names=names), counts)
