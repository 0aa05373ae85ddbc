"""Shared by the readers: records and cell values -> Arrow columns, and option parsing.

Typed sources (Excel, SQL, JSON) hand over Python values; a column's Arrow type comes
from the kinds of its non-null values (int64, float64, bool, date32, timestamp, time,
decimal, string), and a column of mixed kinds becomes text. `Columns` keeps the type a
column got in its first batch with values, so the batches of one extract agree.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa

from ogd.errors import SourceInvalid

if TYPE_CHECKING:
    from ogd.extract import SourceRequest

T = TypeVar("T")

_TYPES: dict[frozenset[str], pa.DataType] = {
    frozenset({"bool"}): pa.bool_(),
    frozenset({"int"}): pa.int64(),
    frozenset({"float"}): pa.float64(),
    frozenset({"int", "float"}): pa.float64(),
    frozenset({"str"}): pa.string(),
    frozenset({"json"}): pa.string(),
    frozenset({"date"}): pa.date32(),
    frozenset({"time"}): pa.time64("us"),
    frozenset({"bytes"}): pa.binary(),
    frozenset({"duration"}): pa.duration("us"),
}


def _kind(value: Any) -> str:
    # bool before int and datetime before date: each is a subclass of the other.
    for kind, types in (
        ("bool", bool),
        ("int", int),
        ("float", float),
        ("str", str),
        ("datetime", dt.datetime),
        ("date", dt.date),
        ("time", dt.time),
        ("decimal", decimal.Decimal),
        ("bytes", (bytes, bytearray, memoryview)),
        ("duration", dt.timedelta),
        ("json", (dict, list, tuple)),
    ):
        if isinstance(value, types):
            return kind
    return "other"


def as_text(value: Any) -> str | None:
    """One value as text: JSON for objects and lists, ISO 8601 for dates and times."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def _text_array(values: Sequence[Any]) -> pa.Array:
    return pa.array([as_text(v) for v in values], pa.string())


def _timestamps(values: Sequence[Any]) -> tuple[list[Any], pa.DataType] | None:
    zones = {v.tzinfo is not None for v in values if isinstance(v, dt.datetime)}
    if zones == {True, False}:
        return None
    aware = zones == {True}
    out: list[Any] = []
    for v in values:
        if isinstance(v, dt.datetime):
            out.append(v.astimezone(dt.UTC) if aware else v)
        elif isinstance(v, dt.date):  # a date beside datetimes is midnight
            out.append(dt.datetime.combine(v, dt.time(0), dt.UTC if aware else None))
        else:
            out.append(v)
    return out, pa.timestamp("us", tz="UTC" if aware else None)


def _decimal_type(values: Sequence[Any]) -> pa.DataType | None:
    """decimal128(38, s) with the largest scale s of the values (None: not finite)."""
    exponents = [v.as_tuple().exponent for v in values if v is not None]
    if not all(isinstance(e, int) for e in exponents):
        return None
    return pa.decimal128(38, min(38, max([0] + [-int(e) for e in exponents])))


def to_array(values: Sequence[Any]) -> pa.Array:
    """Python values -> one Arrow array, typed by the kinds of its non-null values.

    Args:
        values: the cells of one column (None is null).

    Returns:
        A typed array; text when the kinds are mixed or do not fit the type.
    """
    kinds = frozenset(_kind(v) for v in values if v is not None)
    if not kinds:
        return pa.nulls(len(values))
    data: Sequence[Any] = values
    arrow_type: pa.DataType | None = _TYPES.get(kinds)
    if kinds <= {"date", "datetime"} and "datetime" in kinds:
        stamped = _timestamps(values)
        if stamped is None:
            return _text_array(values)
        data, arrow_type = stamped
    elif kinds == {"decimal"}:
        arrow_type = _decimal_type(values)
    if arrow_type is None or kinds == {"json"}:
        return _text_array(values)
    try:
        return pa.array(data, arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return _text_array(values)


def _is_widening(source: pa.DataType, target: pa.DataType) -> bool:
    numeric = pa.types.is_integer, pa.types.is_floating, pa.types.is_decimal
    if any(f(source) for f in numeric) and any(f(target) for f in numeric):
        return True
    return bool(pa.types.is_date(source) and pa.types.is_timestamp(target))


class Columns:
    """Builds record batches whose column types stay the same from batch to batch.

    The first batch fixes the type of every column (text for a column without any value
    in it). Later values are cast where that loses nothing (int -> float, date ->
    timestamp) and turned to text for a text column; a later batch whose values fit
    neither keeps that column as text, and the column is listed in `mixed`.
    """

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.types: dict[str, pa.DataType] = {}
        self.mixed: list[str] = []

    def batch(self, columns: Sequence[Sequence[Any]]) -> pa.RecordBatch:
        """One batch from column-wise Python values (one list per label)."""
        arrays = [self._fit(n, to_array(c)) for n, c in zip(self.labels, columns, strict=True)]
        return pa.RecordBatch.from_arrays(arrays, names=self.labels)

    def from_records(self, records: Sequence[Mapping[str, Any]]) -> pa.RecordBatch:
        """One batch from flat records; keys that are not labels are left out."""
        return self.batch([[r.get(name) for r in records] for name in self.labels])

    def _fit(self, name: str, array: pa.Array) -> pa.Array:
        fixed = self.types.get(name)
        if fixed is None:
            fixed = pa.string() if pa.types.is_null(array.type) else array.type
            self.types[name] = fixed
        if array.type == fixed:
            return array
        if pa.types.is_null(array.type):
            return pa.nulls(len(array), fixed)
        if pa.types.is_string(fixed):
            return _text_array(array.to_pylist())
        if _is_widening(array.type, fixed):
            try:
                return array.cast(fixed, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
        if name not in self.mixed:
            self.mixed.append(name)
        return _text_array(array.to_pylist())


def flatten(record: Mapping[str, Any], nested: bool = True, prefix: str = "") -> dict[str, Any]:
    """One JSON object as a flat record.

    Args:
        record: the object.
        nested: True: nested objects become `a.b` keys; False: they stay one JSON text.
        prefix: the key path of `record` itself (for the recursion).

    Returns:
        key -> value, with lists (and, unless nested, objects) as JSON text.
    """
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and nested and value:
            flat.update(flatten(value, nested, f"{name}."))
        elif isinstance(value, Mapping | list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, uuid.UUID):
            flat[name] = str(value)
        else:
            flat[name] = value
    return flat


def add_keys(labels: dict[str, None], records: Iterable[Mapping[str, Any]]) -> None:
    """Add the keys of flat records to an ordered label set (a dict), first seen first."""
    for record in records:
        for key in record:
            if key not in labels:
                labels[key] = None


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most `size` items, in order."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_labels(
    labels: Sequence[str],
    where: str,
    hint: str = "give every column a unique name in the file, or set `column_names`",
) -> None:
    """Refuse a header with empty or duplicate labels, naming their column positions.

    Raises:
        SourceInvalid: a label is empty or occurs more than once.
    """
    empty = [str(i) for i, label in enumerate(labels, 1) if not label]
    seen: dict[str, list[int]] = {}
    for i, label in enumerate(labels, 1):
        if label:
            seen.setdefault(label, []).append(i)
    twice = [f"`{k}` at columns {', '.join(map(str, v))}" for k, v in seen.items() if len(v) > 1]
    problems = ([f"empty label at column(s) {', '.join(empty)}"] if empty else []) + (
        [f"duplicate label {t}" for t in twice]
    )
    if problems:
        raise SourceInvalid(
            "the header is not usable: " + "; ".join(problems),
            where=where,
            hint=hint,
        )


class Options:
    """The options of a source request, read with type checks.

    Every problem is a `SourceInvalid` whose `where` is the request's place plus the key.
    """

    def __init__(self, values: Mapping[str, Any], where: str) -> None:
        self.values = values
        self.where = where

    @classmethod
    def of(cls, request: SourceRequest) -> Options:
        """The options of a request."""
        return cls(request.options, request.where)

    def nested(self, key: str) -> Options:
        """The options of a mapping option (e.g. `paging`)."""
        return Options(self.mapping(key), f"{self.where}.{key}")

    def error(self, key: str, message: str, hint: str = "") -> SourceInvalid:
        """A `SourceInvalid` about one option."""
        return SourceInvalid(message, where=f"{self.where}.{key}", hint=hint)

    def text(self, key: str, default: str | None = None) -> str | None:
        """A string option (numbers are taken as their text)."""
        value = self.values.get(key, default)
        if value is None or isinstance(value, str | int | float):
            return None if value is None else str(value)
        raise self.error(key, f"must be a text, not {type(value).__name__}")

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        """A whole number option of at least `minimum`."""
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(key, f"must be a whole number ≥ {minimum}, not `{value}`")
        return value

    def number(self, key: str, default: float, positive: bool = False) -> float:
        """A number option of at least 0 (above 0 if positive): seconds, factors."""
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.error(key, f"must be a number ≥ 0, not `{value}`")
        if positive and value == 0:
            raise self.error(key, "must be more than 0")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        """A true/false option."""
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not `{value}`")
        return value

    def names(self, key: str, strip: bool = True) -> list[str] | None:
        """A list-of-strings option, or None when it is not given."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of texts")
        return [v.strip() for v in value] if strip else list(value)

    def mapping(self, key: str) -> dict[str, Any]:
        """A mapping option (empty when not given)."""
        value = self.values.get(key) or {}
        if not isinstance(value, Mapping):
            raise self.error(key, "must be a mapping of names to values")
        return {str(k): v for k, v in value.items()}
