"""CSV reader yielding Arrow record batches of text columns (bounded memory).

The header is read with Python's csv module (so skipped and header rows may hold quoted
line breaks); the data is parsed by pyarrow from the byte where the header ends, in
blocks, and cut into batches of at most `batch_rows` rows. Every value stays text:
typing happens later, by the Table Schema of the source.
"""

from __future__ import annotations

import codecs
import csv as pycsv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.csv as pacsv

from ogd.errors import SourceInvalid
from ogd.extract.checksum import file_sha256
from ogd.extract.records import Options, check_labels

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest

BLOCK_SIZE = 1 << 20  # parsed in 1 MB blocks, joined into batches of batch_rows rows
SAMPLE_BYTES = 1 << 20
SNIFF_LINES = 50
DELIMITERS = ",;\t|"
_NOT_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class _Dialect:
    encoding: str  # a Python codec name
    delimiter: str
    quote: str  # "" when quoting is off

    def reader(self, lines: Any) -> Any:
        if self.quote:
            return pycsv.reader(lines, delimiter=self.delimiter, quotechar=self.quote)
        return pycsv.reader(lines, delimiter=self.delimiter, quoting=pycsv.QUOTE_NONE)


def _detect_encoding(sample: bytes, complete: bool) -> str:
    """utf-8-sig with a BOM, utf-8 if the sample decodes, else cp1252 or latin-1."""
    if sample.startswith(_BOM):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return "latin-1" if _NOT_CP1252 & set(sample) else "cp1252"


def _encoding(options: Options, sample: bytes, complete: bool) -> str:
    wanted = options.text("encoding", "auto") or "auto"
    if wanted.lower() == "auto":
        return _detect_encoding(sample, complete)
    try:
        name = codecs.lookup(wanted).name
    except LookupError:
        raise options.error(
            "encoding", f"unknown encoding `{wanted}`", "e.g. utf-8, cp1252, latin-1, auto"
        ) from None
    if name.startswith(("utf-16", "utf-32")):
        raise options.error("encoding", f"`{wanted}` is not supported", "convert the file to UTF-8")
    return "utf-8-sig" if name == "utf-8" and sample.startswith(_BOM) else name


def _count_delimiter(lines: list[str]) -> str:
    """The candidate found most often, the same number of times, on most lines."""
    best, best_score = ",", 0
    for candidate in DELIMITERS:
        counts = [line.count(candidate) for line in lines if line.strip()]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * 1000 + mode
        if mode and score > best_score:
            best, best_score = candidate, score
    return best


def _delimiter(options: Options, text: str, skip: int) -> str:
    wanted = options.text("delimiter", "auto")
    if wanted and wanted.lower() == "tab":
        return "\t"
    if wanted and wanted.lower() != "auto":
        if len(wanted) != 1:
            raise options.error("delimiter", f"`{wanted}` is not one character", "e.g. `;` or auto")
        return wanted
    lines = text.splitlines()[skip : skip + SNIFF_LINES]
    try:
        return pycsv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except pycsv.Error:
        return _count_delimiter(lines)


def _lines(handle: IO[bytes], encoding: str, consumed: list[int]) -> Iterator[str]:
    """Decoded lines of a binary file, counting the bytes handed out in consumed[0]."""
    decode = codecs.getdecoder(encoding)
    for line in handle:
        consumed[0] += len(line)
        yield decode(line)[0]


def _head(path: Path, dialect: _Dialect, count: int) -> tuple[list[list[str]], int]:
    """The first `count` rows and the byte offset where the next row starts."""
    encoding = "utf-8" if dialect.encoding == "utf-8-sig" else dialect.encoding
    with path.open("rb") as handle:
        start = len(_BOM) if dialect.encoding == "utf-8-sig" else 0
        handle.seek(start)
        consumed = [start]
        reader = dialect.reader(_lines(handle, encoding, consumed))
        try:
            rows = [row for _, row in zip(range(count), reader, strict=False)]
        except UnicodeDecodeError as exc:
            raise SourceInvalid(
                f"the first rows are not {dialect.encoding} text (byte {exc.start} of a line)",
                where=path.name,
                hint="set `encoding` to the file's encoding, or to auto",
            ) from None
        except pycsv.Error as exc:
            raise SourceInvalid(f"cannot read the header: {exc}", where=path.name) from None
    return rows, consumed[0]


def _join_header(rows: list[list[str]]) -> list[str]:
    width = max((len(r) for r in rows), default=0)
    cells = [[r[i].strip() if i < len(r) else "" for r in rows] for i in range(width)]
    return [" ".join(c for c in column if c) for column in cells]


def _labels(options: Options, rows: list[list[str]], header: bool, where: str) -> list[str]:
    names = options.names("column_names")
    if not header and names is None:
        raise options.error(
            "column_names", "is required when `header` is false", "list the column names"
        )
    labels = _join_header(rows) if header else []
    if header and not labels:
        raise SourceInvalid("the file is empty: no header row", where=where)
    if names is not None:
        if header and len(names) != len(labels):
            raise options.error(
                "column_names",
                f"names {len(names)} columns, the header has {len(labels)}",
                "give one name per column",
            )
        labels = names
    check_labels(labels, f"{where} header" if names is None else f"{options.where}.column_names")
    return labels


def _bad_row(
    path: Path, dialect: _Dialect, offset: int, width: int, first: int
) -> tuple[int, int] | None:
    """(row number, cells) of the first data row whose width differs from the header."""
    with path.open("rb") as raw:
        raw.seek(offset)
        text = io.TextIOWrapper(raw, encoding=dialect.encoding, errors="replace", newline="")
        try:
            for number, row in enumerate(dialect.reader(text), first):
                if row and len(row) != width:
                    return number, len(row)
        except pycsv.Error:  # e.g. a field over the csv module's size limit
            return None
    return None


@dataclass(frozen=True)
class _Plan:
    path: Path
    dialect: _Dialect
    offset: int
    labels: list[str]
    first: int
    missing: list[str]
    batch_rows: int


def _arrow_options(plan: _Plan, bad: list[Any]) -> tuple[Any, Any, Any]:
    names = [f"c{i}" for i in range(len(plan.labels))]
    encoding = plan.dialect.encoding
    read = pacsv.ReadOptions(
        encoding="utf8" if encoding.startswith("utf-8") else encoding,
        column_names=names,
        block_size=BLOCK_SIZE,
    )

    def on_invalid(row: Any) -> str:
        bad.append(row)
        return "error"

    parse = pacsv.ParseOptions(
        delimiter=plan.dialect.delimiter,
        quote_char=plan.dialect.quote or False,
        newlines_in_values=True,
        invalid_row_handler=on_invalid,
    )
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        null_values=plan.missing,
        strings_can_be_null=bool(plan.missing),
        quoted_strings_can_be_null=bool(plan.missing),
    )
    return read, parse, convert


def _parse_error(plan: _Plan, exc: Exception, bad: list[Any], done: int) -> SourceInvalid:
    name, width = plan.path.name, len(plan.labels)
    if bad:
        found = _bad_row(plan.path, plan.dialect, plan.offset, width, plan.first)
        if found:
            number, cells = found
            return SourceInvalid(
                f"row {number} has {cells} cells, the header has {width}",
                where=f"{name} row {number}",
                hint="quote values that contain the delimiter, or fix the row",
            )
    if "UTF8" in str(exc) or isinstance(exc, UnicodeDecodeError):
        return SourceInvalid(
            f"the text after row {plan.first + done - 1} is not {plan.dialect.encoding}",
            where=name,
            hint="set `encoding` to the file's encoding (or auto)",
        )
    text = str(exc).split(":")[0]  # the rest may quote cell values
    return SourceInvalid(
        f"cannot parse the file after row {plan.first + done - 1}: {text}", where=name
    )


def _rebatch(blocks: Iterable[pa.RecordBatch], rows: int) -> Iterator[pa.RecordBatch]:
    """The blocks joined and cut into batches of `rows` rows (the last one shorter)."""
    pending: list[pa.RecordBatch] = []
    for block in blocks:
        pending.append(block)
        while sum(b.num_rows for b in pending) >= rows:
            joined = _join(pending)
            yield joined.slice(0, rows)
            pending = [joined.slice(rows)]
    if sum(b.num_rows for b in pending):
        yield _join(pending)


def _join(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)


def _batches(plan: _Plan) -> Iterator[pa.RecordBatch]:
    """Batches of `plan.batch_rows` rows, parsed in small blocks.

    Small blocks parse fastest (less memory to fault in); the validator and the steps
    work best on big batches (less overhead per batch), so blocks are joined."""
    bad: list[Any] = []
    done = 0
    with plan.path.open("rb") as handle:
        handle.seek(plan.offset)
        try:
            blocks = pacsv.open_csv(handle, *_arrow_options(plan, bad))
            for batch in _rebatch(blocks, plan.batch_rows):
                done += batch.num_rows
                yield batch.rename_columns(plan.labels)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise _parse_error(plan, exc, bad, done) from None


def read_csv(request: SourceRequest) -> Extract:
    """Read a delimited text file as lazy batches of string columns.

    Args:
        request: options `path` and optionally `encoding` (auto), `delimiter` (auto),
            `quote_char` ('"'), `header` (true), `header_rows` (1), `skip_rows` (0),
            `column_names`, `missing_values`.

    Returns:
        The extract; `details` names the encoding and delimiter used.

    Raises:
        SourceInvalid: a bad option, an unreadable or unusable header; while reading
            the batches, a row with another number of cells than the header.
    """
    from ogd.extract import Extract, source_file

    path, options = source_file(request), Options.of(request)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        complete = not handle.read(1)
    encoding = _encoding(options, sample, complete)
    skip = options.integer("skip_rows", 0)
    delimiter = _delimiter(options, sample.decode(encoding, errors="replace"), skip)
    quote = options.text("quote_char", '"') or ""
    if len(quote) > 1:
        raise options.error("quote_char", f"`{quote}` is not one character")
    header = options.flag("header", True)
    header_rows = options.integer("header_rows", 1, minimum=1) if header else 0
    dialect = _Dialect(encoding, delimiter, quote)
    rows, offset = _head(path, dialect, skip + header_rows)
    labels = _labels(options, rows[skip:], header, path.name)
    first = skip + header_rows + 1
    missing = options.names("missing_values", strip=False) or []
    plan = _Plan(path, dialect, offset, labels, first, missing, request.batch_rows)
    return Extract(
        labels=labels,
        batches=_batches(plan),
        first_row_number=first,
        name=path.name,
        fingerprint=file_sha256(path),
        details={"encoding": encoding, "delimiter": delimiter},
    )
