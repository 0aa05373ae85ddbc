"""CSV reader yielding Arrow record batches of text columns (bounded memory)."""

from __future__ import annotations

import codecs
import csv as pycsv
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.csv as pacsv

from ogd.errors import SourceInvalid
from ogd.extract.checksum import file_sha256

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest

BLOCK_SIZE = 4 << 20


def _header(
    path: Path, encoding: str, delimiter: str, quote: str, skip: int, where: str
) -> list[str]:
    try:
        with path.open(encoding=encoding, newline="") as handle:
            for _ in range(skip):
                handle.readline()
            row = next(pycsv.reader(handle, delimiter=delimiter, quotechar=quote), None)
    except UnicodeDecodeError as exc:
        raise SourceInvalid(
            f"the header is not {encoding} text (byte {exc.start})",
            where=where,
            hint="set `source.encoding` to the file's encoding",
        ) from None
    if not row:
        raise SourceInvalid("the file is empty: no header row", where=where)
    return [label.strip() for label in row]


def read_csv(request: SourceRequest) -> Extract:
    """Read a delimited text file as batches of string columns.

    Args:
        path: the file.
        options: encoding (utf-8), delimiter (","), quote_char ('"'), skip_rows (0).
        where: how to name the file in errors.

    Raises:
        SourceInvalid: unknown encoding, unreadable header.
    """
    from ogd.extract import Extract, source_file

    path, options = source_file(request), request.options
    where = path.name
    encoding = str(options.get("encoding", "utf-8"))
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:
        raise SourceInvalid(f"unknown encoding `{encoding}`", where=where) from None
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    delimiter = str(options.get("delimiter", ","))
    quote = str(options.get("quote_char", '"'))
    skip = int(options.get("skip_rows", 0))
    labels = _header(path, encoding, delimiter, quote, skip, where)
    read = pacsv.ReadOptions(
        encoding="utf8" if encoding == "utf-8-sig" else encoding,
        skip_rows=skip + 1,
        column_names=[f"c{i}" for i in range(len(labels))],
        block_size=BLOCK_SIZE,
    )
    parse = pacsv.ParseOptions(delimiter=delimiter, quote_char=quote, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(
        column_types={f"c{i}": pa.string() for i in range(len(labels))},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )

    def batches() -> Any:
        try:
            reader = pacsv.open_csv(path, read, parse, convert)
            for batch in reader:
                yield batch.rename_columns(labels)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise SourceInvalid(f"cannot parse the file: {exc}", where=where) from None

    return Extract(
        labels=labels,
        batches=batches(),
        first_row_number=skip + 2,
        name=path.name,
        fingerprint=file_sha256(path),
    )
