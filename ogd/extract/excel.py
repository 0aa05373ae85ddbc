"""Excel (.xlsx) reader: one sheet, header row, values kept as Excel typed them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ogd.errors import SourceInvalid
from ogd.extract.checksum import file_sha256

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest

BATCH_ROWS = 10_000


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _column(values: list[Any]) -> pa.Array:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {dt.date} or kinds <= {int} or kinds <= {float, int} or kinds <= {bool}:
        try:
            return pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    return pa.array([None if v is None else str(v) for v in values], pa.string())


def read_excel(request: SourceRequest) -> Extract:
    """Read one sheet of a workbook as record batches.

    Args:
        path: the .xlsx file.
        options: sheet (name; default the first), header_row (1-based; default 1).
        where: how to name the file in errors.

    Raises:
        SourceInvalid: not a workbook, unknown sheet, empty header.
    """
    from ogd.extract import Extract, source_file

    path, options = source_file(request), request.options
    where = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise SourceInvalid(f"not a readable .xlsx workbook: {exc}", where=where) from None
    sheet_name = options.get("sheet")
    if sheet_name is not None and sheet_name not in book.sheetnames:
        raise SourceInvalid(
            f"no sheet named `{sheet_name}`",
            where=where,
            hint=f"sheets are: {', '.join(book.sheetnames)}",
        )
    sheet = book[sheet_name] if sheet_name else book.worksheets[0]
    header_row = int(options.get("header_row", 1))
    rows = sheet.iter_rows(min_row=header_row, values_only=True)
    header = next(rows, None)
    if not header:
        raise SourceInvalid("the sheet has no header row", where=f"{where} sheet {sheet.title}")
    labels = [str(h).strip() if h is not None else "" for h in header]

    def batches() -> Iterator[pa.RecordBatch]:
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == BATCH_ROWS:
                yield _batch(chunk, labels)
                chunk = []
        if chunk:
            yield _batch(chunk, labels)
        book.close()

    return Extract(
        labels=labels,
        batches=batches(),
        first_row_number=header_row + 1,
        name=path.name,
        fingerprint=file_sha256(path),
    )


def _batch(rows: list[tuple[Any, ...]], labels: list[str]) -> pa.RecordBatch:
    width = len(labels)
    columns = [[_cell(r[i]) if i < len(r) else None for r in rows] for i in range(width)]
    return pa.RecordBatch.from_arrays([_column(c) for c in columns], names=labels)
