"""Read cells as their Table Schema type: a vectorised fast path, frictionless as the rule.

`FieldReader` reads one column: missing values become null, the fast path (pyarrow
compute over the whole column) reads the common spellings of the type, and every other
cell goes to frictionless's own cell reader (`Field.create_cell_reader`), one by one,
with its notes (type error, failed constraints). So what counts as a valid cell, and
its value, is frictionless's definition (`frictionless/fields/*.py`); the fast path only
accepts cells frictionless reads to the same value. Valid data is read in bulk; the
Python loop only sees the unusual and the invalid cells.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import frictionless
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate import numeric, temporal

Reader = Callable[[pa.Array], pa.Array]
Notes = dict[str, str]

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "time": pa.time64("us"),
    "year": pa.int32(),
}

_NOT_BARE = r"^[^-0-9]*|[^0-9]*$"
_YEAR = r"^[0-9]{4}$"
_YEARMONTH = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$"
_INT64 = (-(2**63), 2**63 - 1)
_FLOAT_DIGITS = 15  # decimals of up to 15 significant digits stay apart in float64


def arrow_type(field_type: str) -> pa.DataType:
    """Return the Arrow type for one Table Schema field type (string when unknown)."""
    return ARROW_TYPES.get(field_type, pa.string())


def option(field: frictionless.Field, name: str) -> Any:
    """A type option of a field (`group_char`, `true_values`, `delimiter` …)."""
    return getattr(field, name)


def missing_values(field: frictionless.Field) -> list[str]:
    """The field's missing values: its own, else its schema's (as frictionless reads them)."""
    if field.has_defined("missing_values") or field.schema is None:
        return list(field.missing_values)
    return list(field.schema.missing_values)


@dataclass(frozen=True)
class Cells:
    """One column read as a field's type.

    Attributes:
        values: the values as `arrow_type(field.type)`; null where a cell is missing or
            cannot be read.
        present: True where the cell holds a value (not null, not a missing value).
        slow: positions of the cells frictionless's reader read, in order.
        notes: frictionless's notes for those cells (`type`, or failed constraints by
            name), aligned with `slow`; empty when the cell is valid.
        aware: positions of datetimes and times with a time zone (their values are
            in UTC); Python never finds them equal to one without.
        unchecked: positions among `slow` whose constraints frictionless could not
            check (it raised, e.g. comparing a date with a bound it cannot read, or a
            time zone with none): the vectorised checks judge them.
        wide: (position, exact decimal) of numbers float64 cannot hold apart from
            others (more than 15 significant digits, or an exponent out of its range).
    """

    values: pa.Array
    present: pa.Array
    slow: tuple[int, ...]
    notes: tuple[Notes, ...]
    aware: tuple[int, ...] = ()
    unchecked: tuple[int, ...] = ()
    wide: tuple[tuple[int, str], ...] = ()


class FieldReader:
    """Reads the cells of one schema field (compiled once, used for every batch)."""

    def __init__(self, field: frictionless.Field) -> None:
        """Compile the reader of `field` (type, format and options such as groupChar)."""
        self.field = field
        self.target = arrow_type(field.type)
        self.missing = pa.array(missing_values(field), pa.string())
        self._prepare = _preparer(field)
        self._fast = _FAST.get(field.type, _no_fast)(field)
        self._reference = field.create_cell_reader()
        self._value = field.create_value_reader()

    def read(self, column: pa.Array | pa.ChunkedArray) -> Cells:
        """Read a column of text (CSV) or typed values (Excel, SQL, Parquet).

        Returns:
            The typed values, which cells are present, and frictionless's notes for the
            cells the fast path left to it.
        """
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if _is_text(column.type):
            return self._read_text(column.cast(pa.string()))
        if pa.types.is_null(column.type):
            nulls = pa.nulls(len(column), self.target)
            return Cells(nulls, pa.array([False] * len(column)), (), ())
        return self._read_typed(column)

    def values_of(self, text: pa.Array) -> pa.Array:
        """Only the typed values of a text column (null where missing or unreadable)."""
        return self.read(text).values

    def _read_text(self, text: pa.Array) -> Cells:
        present = _present(text, self.missing)
        given = text  # usually every cell is given: no copy
        if present.true_count != len(text):
            given = pc.if_else(present, text, pa.scalar(None, pa.string()))
        given = self._prepare(given)
        values = self._fast(given) if self._fast is not None else pa.nulls(len(text), self.target)
        pending = pc.and_(present, pc.is_null(values))
        return self._finish(values, present, pending, given)

    def _read_typed(self, column: pa.Array) -> Cells:
        present = pc.is_valid(column)
        if set(self.missing.to_pylist()) - {""}:  # frictionless compares str(cell)
            texts = [None if v is None else str(v) for v in column.to_pylist()]
            absent = pc.is_in(pa.array(texts, pa.string()), value_set=self.missing)
            present = pc.and_(present, pc.invert(pc.fill_null(absent, False)))
        values = convert(self.field.type, column, self.target)
        values = pc.if_else(present, values, pa.scalar(None, self.target))
        pending = pc.and_(present, pc.is_null(values))
        return self._finish(values, present, pending, column)

    def _finish(
        self, values: pa.Array, present: pa.Array, pending: pa.Array, source: pa.Array
    ) -> Cells:
        if not pending.true_count:
            return Cells(values, present, (), ())
        slow = tuple(pc.indices_nonzero(pending).to_pylist())
        read = [self._read_slow(cell) for cell in source.filter(pending).to_pylist()]
        replacement = pa.array([cell.value for cell in read], self.target)
        values = pc.replace_with_mask(values, pending, replacement)
        notes = tuple(cell.notes for cell in read)
        aware = tuple(at for at, cell in zip(slow, read, strict=True) if cell.aware)
        unchecked = tuple(at for at, cell in zip(slow, read, strict=True) if cell.unchecked)
        wide = tuple((at, cell.wide) for at, cell in zip(slow, read, strict=True) if cell.wide)
        return Cells(values, present, slow, notes, aware, unchecked, wide)

    def _read_slow(self, cell: Any) -> _Slow:
        """frictionless's reading of one cell: its Arrow value and notes."""
        try:
            value, found = self._reference(cell)
        except (TypeError, ValueError, ArithmeticError):  # its constraint check failed
            value = self._value(cell)
            type_note = {"type": f'type is "{self.field.type}/{self.field.format}"'}
            return _Slow(None, type_note) if value is None else self._slow(value, cell, {}, True)
        notes = dict(found or {})
        if "type" in notes:
            return _Slow(None, notes)
        return self._slow(value, cell, notes, False)

    def _slow(self, value: Any, cell: Any, notes: Notes, unchecked: bool) -> _Slow:
        converted = to_arrow_value(self.field, value, cell)
        if value is not None and converted is None:  # an integer beyond int64
            return _Slow(None, {"type": f'type is "{self.field.type}/{self.field.format}"'})
        return _Slow(converted, notes, _is_aware(value), unchecked, _wide(value))


@dataclass(frozen=True)
class _Slow:
    """One cell as frictionless read it."""

    value: Any
    notes: Notes
    aware: bool = False
    unchecked: bool = False
    wide: str = ""


def _wide(value: Any) -> str:
    """The exact decimal of a number float64 cannot hold apart from others, else ""."""
    if not isinstance(value, Decimal) or not value.is_finite() or value.is_zero():
        return ""
    sign, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits)).rstrip("0")  # without a context: no overflow
    exponent = int(exponent) + len(digits) - len(text)
    if len(text) <= _FLOAT_DIGITS and abs(exponent + len(text) - 1) <= 300:
        return ""
    return f"{'-' if sign else ''}{text}e{exponent}"


def cell_reader(field: frictionless.Field) -> Reader:
    """Return the reader of a field's text cells (for steps that type text columns).

    The reader maps a string array (missing values already null) to an array of
    `arrow_type(field.type)`; a cell that cannot be read as the field's type is null.

    Args:
        field: the schema field (type, format and type options such as groupChar).

    Returns:
        The reader.
    """
    return FieldReader(field).values_of


def default_reader(field_type: str) -> Reader | None:
    """Return the reader of a type in its default format (for constraint values)."""
    if field_type not in ("date", "datetime", "time"):
        return None
    return cell_reader(frictionless.Field.from_descriptor({"name": "v", "type": field_type}))


def to_arrow_value(field: frictionless.Field, value: Any, cell: Any) -> Any:
    """Convert a value frictionless read from `cell` to what the field's Arrow type holds.

    Types without an Arrow counterpart keep the cell's text (yearmonth its canonical
    YYYY-MM); integers beyond int64 give None.
    """
    if value is None:
        return None
    kind = field.type
    if kind == "integer":
        return value if _INT64[0] <= value <= _INT64[1] else None
    if kind == "number":
        return float(value)
    if kind == "datetime" and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if kind == "time" and value.tzinfo is not None:
        moment = dt.datetime.combine(dt.date(2000, 1, 1), value)
        return (moment - (value.utcoffset() or dt.timedelta())).time()
    if kind == "yearmonth":
        return f"{value.year:04d}-{value.month:02d}"
    if kind in ARROW_TYPES:
        return value if kind != "string" or isinstance(value, str) else str(value)
    return cell if isinstance(cell, str) else _as_text(value)


def _is_aware(value: Any) -> bool:
    return isinstance(value, dt.datetime | dt.time) and value.utcoffset() is not None


def _as_text(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def convert(field_type: str, column: pa.Array, target: pa.DataType) -> pa.Array:
    """Convert an already typed column (Excel, SQL, Parquet) to a field's Arrow type.

    Args:
        field_type: the Table Schema type.
        column: a non-string Arrow array.
        target: `arrow_type(field_type)`.

    Returns:
        The values as `target`; null where a value is of the wrong kind, as in
        frictionless (a float that is not whole for integer, a timestamp with a time
        of day for date, anything but a boolean for boolean …).
    """
    kind = column.type
    values: pa.Array | None = None
    if field_type in ("integer", "year"):
        values = _whole(column)
        if field_type == "year" and values is not None:
            in_range = pc.and_(pc.greater_equal(values, 0), pc.less_equal(values, 9999))
            values = _where(in_range, values).cast(target)
    elif field_type == "number" and _is_numeric(kind) and not pa.types.is_boolean(kind):
        values = _cast_or_null(column, target)
    elif field_type == "boolean" and pa.types.is_boolean(kind):
        values = column
    elif field_type == "date":
        values = _to_date(column)
    elif field_type == "datetime" and pa.types.is_timestamp(kind) and kind.tz is None:
        values = column.cast(target, safe=False)  # nanoseconds are cut to micro
    elif field_type == "time" and pa.types.is_time(kind):
        values = column.cast(target, safe=False)
    elif field_type == "string" and pa.types.is_integer(kind):
        values = column.cast(target)  # codes such as PLZ that Excel stores as numbers
    elif field_type == "any":
        values = _cast_or_null(column, target)
    return values if values is not None else pa.nulls(len(column), target)


def _whole(column: pa.Array) -> pa.Array | None:
    """Whole numbers as int64 (null where not whole or beyond int64), else None."""
    kind = column.type
    if kind == pa.uint64():
        column = _where(pc.less_equal(column, pa.scalar(2**63 - 1, kind)), column)
    if pa.types.is_integer(kind):
        return column.cast(pa.int64())
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        floats = column.cast(pa.float64())
        whole = pc.equal(pc.floor(floats), floats)
        return _where(pc.and_(whole, pc.less(pc.abs(floats), 2.0**63)), floats).cast(pa.int64())
    return None


def _to_date(column: pa.Array) -> pa.Array | None:
    kind = column.type
    if pa.types.is_date(kind):
        return column.cast(pa.date32())
    if pa.types.is_timestamp(kind) and kind.tz is None:
        midnight = pc.equal(pc.floor_temporal(column, unit="day"), column)
        return _where(midnight, column).cast(pa.date32())
    return None


def _is_numeric(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
    )


def _cast_or_null(column: pa.Array, target: pa.DataType) -> pa.Array | None:
    try:
        return column.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _where(mask: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(mask, values, pa.scalar(None, values.type))


def _is_text(kind: pa.DataType) -> bool:
    return str(kind) in ("string", "large_string", "string_view")


def _present(text: pa.Array, missing: pa.Array) -> pa.Array:
    if len(missing) == 0:
        return pc.is_valid(text)
    if len(missing) == 1:
        absent = pc.equal(text, missing[0])
    else:
        absent = pc.is_in(text, value_set=missing)  # False, not null, for a null cell
    return pc.and_(pc.is_valid(text), pc.fill_null(pc.invert(absent), False))


def _matching(text: pa.Array, regex: str) -> pa.Array:
    return _where(pc.match_substring_regex(text, regex), text)


# Preparation: integer groupChar is Table Schema v2 (frictionless 5 ignores it).


def _preparer(field: frictionless.Field) -> Reader:
    group = str(field.to_descriptor().get("groupChar") or "")
    if field.type == "integer" and group:
        return lambda text: pc.replace_substring(text, group, "")
    return lambda text: text


# Fast paths: text (missing values null) -> values; null where the cell is left to
# frictionless.


def _no_fast(field: frictionless.Field) -> Reader | None:
    return None


def _fast_string(field: frictionless.Field) -> Reader | None:
    if field.format in ("email", "uri", "uuid", "binary", "wkt"):
        return None
    return lambda text: text


def _fast_integer(field: frictionless.Field) -> Reader | None:
    first = numeric.CastFirst()
    return lambda text: numeric.read_integers(text, first)


def _fast_number(field: frictionless.Field) -> Reader | None:
    options = field.list_defined()
    bare = "bare_number" not in options or bool(option(field, "bare_number"))
    group = str(option(field, "group_char")) if "group_char" in options else ""
    decimal = str(option(field, "decimal_char")) if "decimal_char" in options else "."
    first = numeric.CastFirst()

    def read(text: pa.Array) -> pa.Array:
        if not bare:  # frictionless strips with a Unicode \d: only ASCII cells here
            text = _where(pc.string_is_ascii(text), text)
            text = pc.replace_substring_regex(text, _NOT_BARE, "")
        if group:
            text = pc.replace_substring(text, group, "")
        if decimal != ".":
            text = _where(pc.invert(pc.match_substring(text, ".")), text)
            text = pc.replace_substring(text, decimal, ".")
        return numeric.read_decimals(text, first)

    return read


def _fast_boolean(field: frictionless.Field) -> Reader | None:
    trues = pa.array(option(field, "true_values"), pa.string())
    falses = pa.array(option(field, "false_values"), pa.string())
    true, false, null = pa.scalar(True), pa.scalar(False), pa.scalar(None, pa.bool_())

    def read(text: pa.Array) -> pa.Array:  # a value in both lists is false, as there
        true_or_null = pc.if_else(pc.is_in(text, value_set=trues), true, null)
        return pc.if_else(pc.is_in(text, value_set=falses), false, true_or_null)

    return read


def _fast_date(field: frictionless.Field) -> Reader | None:
    fmt = field.format
    return temporal.date_reader("%Y-%m-%d" if fmt in ("default", "any") else fmt)


def _fast_datetime(field: frictionless.Field) -> Reader | None:
    if field.format in ("default", "any"):
        return temporal.datetime_reader("", iso=True)
    return temporal.datetime_reader(field.format)


def _fast_time(field: frictionless.Field) -> Reader | None:
    if field.format in ("default", "any"):
        return temporal.time_reader("", iso=True)
    return temporal.time_reader(field.format)


def _fast_year(field: frictionless.Field) -> Reader | None:
    return lambda text: _matching(text, _YEAR).cast(pa.int32())


def _fast_yearmonth(field: frictionless.Field) -> Reader | None:
    return lambda text: _matching(text, _YEARMONTH)


def _fast_list(field: frictionless.Field) -> Reader | None:
    return (lambda text: text) if option(field, "item_type") == "string" else None


def _fast_any(field: frictionless.Field) -> Reader | None:
    return lambda text: text


_FAST: dict[str, Callable[[frictionless.Field], Reader | None]] = {
    "string": _fast_string,
    "integer": _fast_integer,
    "number": _fast_number,
    "boolean": _fast_boolean,
    "date": _fast_date,
    "datetime": _fast_datetime,
    "time": _fast_time,
    "year": _fast_year,
    "yearmonth": _fast_yearmonth,
    "list": _fast_list,
    "any": _fast_any,
}


def notes_mask(length: int, slow: Sequence[int], hits: Sequence[bool]) -> pa.Array:
    """A boolean mask of `length` rows, True at the slow positions whose hit is True."""
    mask = np.zeros(length, bool)
    mask[np.asarray(slow, np.int64)] = np.asarray(hits, bool)
    return pa.array(mask, pa.bool_())
