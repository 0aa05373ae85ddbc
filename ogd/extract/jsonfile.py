"""JSON file reader: one JSON document (at most 200 MB) or NDJSON streamed line by line.

Records are the objects at `record_path` (a dotted path), or the values of an object of
objects with their keys in the `record_key` column. Nested objects become `a.b` columns
and lists JSON text. `pick` and `records_at` are shared with the JSON API reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ogd.errors import SourceInvalid
from ogd.extract.checksum import file_sha256
from ogd.extract.records import Columns, Options, add_keys, chunks, flatten

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest

MAX_DOCUMENT_BYTES = 200 << 20
_MISSING = object()


def pick(document: Any, path: str | None) -> Any:
    """The value at a dotted path (`data.parkings`; digits index lists); missing: _MISSING."""
    value = document
    for part in (path or "").split(".") if path else []:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _keyed(value: Any, record_key: str, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, Mapping):
        raise SourceInvalid(
            f"the records are a {type(value).__name__}, not an object of objects",
            where=where,
            hint="leave out `record_key` for a list of records",
        )
    records = []
    for key, item in value.items():
        if not isinstance(item, Mapping):
            raise SourceInvalid(f"the value of `{key}` is not an object", where=where)
        if record_key in item:
            raise SourceInvalid(
                f"record `{key}` already has a field `{record_key}`",
                where=where,
                hint="choose another `record_key`",
            )
        records.append({record_key: key, **item})
    return records


def records_at(
    document: Any,
    record_path: str | None,
    record_key: str | None,
    where: str,
    missing_ok: bool = False,
) -> list[dict[str, Any]]:
    """The records of a parsed JSON document.

    Args:
        document: the parsed JSON.
        record_path: dotted path to the records (None: the document itself).
        record_key: when the records are an object of objects, the column for their keys.
        where: how to name the document in errors.
        missing_ok: a missing record_path (or null) means no records.

    Raises:
        SourceInvalid: the path is missing, or the value there is not a list of objects
            (or, with record_key, an object of objects).
    """
    value = pick(document, record_path)
    if value is _MISSING or value is None:
        if missing_ok or value is None:
            return []
        raise SourceInvalid(
            f"no value at `{record_path}`", where=where, hint="check `record_path` against the data"
        )
    if record_key:
        return _keyed(value, record_key, where)
    if isinstance(value, Mapping):
        raise SourceInvalid(
            "the records are an object, not a list",
            where=where,
            hint="set `record_key` to read an object of objects, or point `record_path` at a list",
        )
    if not isinstance(value, list):
        raise SourceInvalid(f"the records are a {type(value).__name__}, not a list", where=where)
    bad = next((i for i, v in enumerate(value, 1) if not isinstance(v, Mapping)), None)
    if bad is not None:
        raise SourceInvalid(f"record {bad} is not an object", where=where)
    return value


@dataclass(frozen=True)
class _Shape:
    record_path: str | None
    record_key: str | None
    nested: bool

    def records(self, document: Any, where: str) -> list[dict[str, Any]]:
        found = records_at(document, self.record_path, self.record_key, where)
        return [flatten(r, self.nested) for r in found]


def _shape(options: Options) -> _Shape:
    return _Shape(
        options.text("record_path"), options.text("record_key"), options.flag("flatten", True)
    )


def _bad_json(exc: json.JSONDecodeError, where: str) -> SourceInvalid:
    return SourceInvalid(
        f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
        where=where,
        hint="fix the file, or set `lines: true` for newline-delimited JSON",
    )


def _document(path: Path, shape: _Shape) -> list[dict[str, Any]]:
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise SourceInvalid(
            f"the file has {size / (1 << 20):.0f} MB; one JSON document may have 200 MB",
            where=path.name,
            hint="write the records as newline-delimited JSON and set `lines: true`",
        )
    try:
        with path.open(encoding="utf-8-sig") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as exc:
        raise _bad_json(exc, path.name) from None
    except UnicodeDecodeError as exc:
        raise SourceInvalid(f"not UTF-8 text (byte {exc.start})", where=path.name) from None
    return shape.records(document, path.name)


def _lines(path: Path, shape: _Shape) -> Iterator[dict[str, Any]]:
    """Flat records of a newline-delimited JSON file, one line at a time."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            where = f"{path.name} line {number}"
            if not line.strip():
                continue
            try:
                document = json.loads(line)
            except json.JSONDecodeError as exc:
                raise _bad_json(exc, where) from None
            except UnicodeDecodeError:
                raise SourceInvalid("not UTF-8 text", where=where) from None
            if isinstance(document, Mapping) and not shape.record_path and not shape.record_key:
                yield flatten(document, shape.nested)
            else:
                yield from shape.records(document, where)


def _batches(records: Any, columns: Columns, size: int) -> Iterator[pa.RecordBatch]:
    for chunk in chunks(records, size):
        yield columns.from_records(chunk)


def read_json(request: SourceRequest) -> Extract:
    """Read records from a JSON file as lazy batches.

    Args:
        request: options `path` and optionally `record_path`, `record_key`, `lines`
            (false: one document; true: NDJSON) and `flatten` (true).

    Returns:
        The extract; its labels are the keys of all records, first seen first.

    Raises:
        SourceInvalid: not JSON, a document over 200 MB, or no records where the options
            point.
    """
    from ogd.extract import Extract, source_file

    path, options = source_file(request), Options.of(request)
    shape = _shape(options)
    labels: dict[str, None] = {}
    records: Any
    if options.flag("lines", False):
        add_keys(labels, _lines(path, shape))  # a first pass for the labels, in bounded memory
        records = _lines(path, shape)
    else:
        records = _document(path, shape)
        add_keys(labels, records)
    columns = Columns(list(labels))
    return Extract(
        labels=list(labels),
        batches=_batches(records, columns, request.batch_rows),
        first_row_number=2,
        name=path.name,
        fingerprint=file_sha256(path),
        details={"mixed_columns": columns.mixed},
    )
