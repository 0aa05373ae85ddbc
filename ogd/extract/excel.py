"""Excel (.xlsx) reader: one sheet or range, header rows, values kept as Excel typed them.

The workbook is opened read-only (rows stream from the file) with cached formula values.
A datetime at midnight is a date; trailing empty rows are dropped.
"""

from __future__ import annotations

import datetime as dt
import weakref
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from ogd.errors import SourceInvalid
from ogd.extract.checksum import file_sha256
from ogd.extract.records import Columns, Options, as_text, check_labels, chunks

if TYPE_CHECKING:
    from pathlib import Path

    from ogd.extract import Extract, SourceRequest

Row = Sequence[Any]


@dataclass(frozen=True)
class _Area:
    top: int  # 1-based row of the header (or of the first data row without header)
    left: int  # 1-based column
    bottom: int | None
    right: int | None


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceInvalid(
            f"not a readable .xlsx workbook ({type(exc).__name__})",
            where=path.name,
            hint="save the file as an Excel workbook (.xlsx)",
        ) from None


def _sheet(book: Any, options: Options) -> Any:
    name = options.text("sheet")
    if name is None:
        return book.worksheets[0]
    if name not in book.sheetnames:
        book.close()
        raise options.error(
            "sheet", f"no sheet named `{name}`", f"sheets: {', '.join(book.sheetnames)}"
        )
    return book[name]


def _area(options: Options) -> _Area:
    cells = options.text("range")
    if cells is None:
        return _Area(options.integer("header_row", 1, minimum=1), 1, None, None)
    try:
        left, top, right, bottom = range_boundaries(cells.upper())
    except (ValueError, TypeError):
        raise options.error("range", f"`{cells}` is not a cell range", "e.g. B3:H200") from None
    return _Area(top or 1, left or 1, bottom, right)


def _filled(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Spread merged header cells to the right (read-only mode leaves them None)."""
    above: list[bool] = []
    for r, row in enumerate(rows):
        spread = [False] * len(row)
        for c in range(1, len(row)):
            if row[c] is None and row[c - 1] is not None and (r == 0 or above[c]):
                row[c], spread[c] = row[c - 1], True
        above = spread
    return rows


def _header(head: list[Row]) -> list[str]:
    texts = [[None if v is None else (as_text(v) or "").strip() for v in row] for row in head]
    width = max((i + 1 for row in texts for i, v in enumerate(row) if v), default=0)
    rows = [row[:width] + [None] * (width - len(row[:width])) for row in texts]
    if len(rows) > 1:
        rows = _filled(rows)
    return [" ".join(row[i] or "" for row in rows if row[i]) for i in range(width)]


def _labels(options: Options, head: list[Row], where: str) -> list[str]:
    names = options.names("column_names")
    labels = _header(head) if head else []
    if not head and names is None:
        raise options.error("column_names", "is required when `header_rows` is 0")
    if head and not labels:
        raise SourceInvalid(
            "the header row is empty", where=where, hint="set `header_row` or `range`"
        )
    if names is not None and head and len(names) != len(labels):
        raise options.error(
            "column_names", f"names {len(names)} columns, the header has {len(labels)}"
        )
    labels = labels if names is None else names
    check_labels(labels, where if names is None else f"{options.where}.column_names")
    return labels


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        return value.date()
    return value


def _trimmed(rows: Iterator[Row], width: int, area: _Area, first: int, where: str) -> Iterator[Row]:
    """Rows cut to the header width; blank rows only when a filled row follows."""
    blank = 0
    for number, row in enumerate(rows, first):
        extra = next((i for i in range(width, len(row)) if row[i] not in (None, "")), None)
        if extra is not None:
            cell = f"{get_column_letter(area.left + extra)}{number}"
            raise SourceInvalid(
                f"cell {cell} holds a value but its column has no header label",
                where=f"{where} {cell}",
                hint="give the column a label, or narrow `range`",
            )
        cells = [_cell(v) for v in row[:width]] + [None] * (width - len(row))
        if all(v is None for v in cells):
            blank += 1
            continue
        yield from ([None] * width for _ in range(blank))
        blank = 0
        yield cells


def read_excel(request: SourceRequest) -> Extract:
    """Read one sheet (or one range of it) of an .xlsx workbook as lazy batches.

    Args:
        request: options `path` and optionally `sheet` (default the first), `range`
            (e.g. `B3:H200`), `header_row` (1-based, default 1; ignored with `range`),
            `header_rows` (default 1; 0 with `column_names`), `column_names`.

    Returns:
        The extract, columns typed from the cells (int64, float64, bool, date32,
        timestamp, string; mixed columns as string).

    Raises:
        SourceInvalid: not a workbook, unknown sheet, bad range, unusable header; while
            reading, a value in a column without a header label.
    """
    from ogd.extract import Extract, source_file

    path, options = source_file(request), Options.of(request)
    book = _open(path)
    sheet = _sheet(book, options)
    where = f"{path.name} sheet {sheet.title}"
    area = _area(options)
    header_rows = options.integer("header_rows", 1, minimum=0)
    rows = sheet.iter_rows(
        min_row=area.top,
        max_row=area.bottom,
        min_col=area.left,
        max_col=area.right,
        values_only=True,
    )
    try:
        head = [row for _, row in zip(range(header_rows), rows, strict=False)]
        labels = _labels(options, head, where)
    except SourceInvalid:
        book.close()
        raise
    first = area.top + header_rows
    columns = Columns(labels)
    body = _trimmed(rows, len(labels), area, first, where)
    batches = (
        columns.batch(list(zip(*chunk, strict=True))) for chunk in chunks(body, request.batch_rows)
    )
    stream = _closing(batches, book)
    weakref.finalize(stream, book.close)  # also when the batches are never read
    return Extract(
        labels=labels,
        batches=stream,
        first_row_number=first,
        name=path.name,
        fingerprint=file_sha256(path),
        details={"sheet": sheet.title, "mixed_columns": columns.mixed},
    )


def _closing(batches: Iterator[pa.RecordBatch], book: Any) -> Iterator[pa.RecordBatch]:
    try:
        yield from batches
    finally:
        book.close()
