"""Load Table Schemas, check that they are valid, and map their types to Arrow.

This is the I/O module of the validate stage: it reads `schemas/<slug>.schema.json`
(or YAML) itself, because frictionless refuses absolute paths as "not safe". It also
owns the pure mapping from Table Schema types to Arrow: `arrow_schema` for the types,
and `cell_reader` / `convert` to read cells as those types with pyarrow.compute,
vectorised, following frictionless's readers (`frictionless/fields/*.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from frictionless import FrictionlessException

from ogd.errors import SchemaError

_HINT = "fix the Table Schema (see https://specs.frictionlessdata.io/table-schema/)"

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "time": pa.time64("us"),
    "year": pa.int32(),
}


def load_schema(path: Path) -> frictionless.Schema:
    """Read a Table Schema file and check it with frictionless.

    Args:
        path: a `.json`, `.yaml` or `.yml` file holding one Table Schema descriptor.

    Returns:
        The frictionless schema.

    Raises:
        SchemaError: the file cannot be read or parsed, or frictionless rejects the
            descriptor (unknown field type, unsupported constraint, bad primary key …);
            `message` is the parser's or frictionless's own text, `where` the file.
    """
    descriptor = _read_descriptor(path)
    problems = _metadata_problems(descriptor)
    if problems:
        raise SchemaError("; ".join(problems), where=str(path), hint=_HINT)
    try:
        return frictionless.Schema.from_descriptor(descriptor)
    except FrictionlessException as error:
        raise SchemaError(_frictionless_text(error), where=str(path), hint=_HINT) from error


def arrow_schema(schema: frictionless.Schema) -> pa.Schema:
    """Map a Table Schema to the Arrow schema of validated batches.

    Types without an Arrow counterpart (yearmonth, duration, geopoint, geojson, object,
    array, list, any) are kept as strings.

    Args:
        schema: the Table Schema.

    Returns:
        One nullable Arrow field per schema field, in schema order.
    """
    return pa.schema([pa.field(field.name, arrow_type(field.type)) for field in schema.fields])


def arrow_type(field_type: str) -> pa.DataType:
    """Return the Arrow type for one Table Schema field type (string when unknown)."""
    return _ARROW_TYPES.get(field_type, pa.string())


def _read_descriptor(path: Path) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(
            f"cannot read schema file: {error}",
            where=str(path),
            hint="check that the file exists and is UTF-8 text",
        ) from error
    try:
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            descriptor = yaml.safe_load(text)
        else:
            descriptor = json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise SchemaError(
            f"not a valid {_syntax(path)} document: {error}",
            where=str(path),
            hint=f"fix the {_syntax(path)} syntax",
        ) from error
    if not isinstance(descriptor, dict):
        raise SchemaError(
            "a Table Schema must be an object with a `fields` list",
            where=str(path),
            hint=_HINT,
        )
    return descriptor


def _syntax(path: Path) -> str:
    return "YAML" if Path(path).suffix.lower() in (".yaml", ".yml") else "JSON"


def _metadata_problems(descriptor: dict[str, Any]) -> list[str]:
    """Return frictionless's metadata errors for a descriptor (empty when valid)."""
    try:
        return [error.message for error in frictionless.Schema.metadata_validate(descriptor)]
    except FrictionlessException as error:
        return [_frictionless_text(error)]


def _frictionless_text(error: FrictionlessException) -> str:
    reasons = [reason.message for reason in error.reasons]
    return "; ".join(reasons) if reasons else error.error.message


# Cell readers: text -> typed Arrow values, vectorised; null where a cell is unreadable.

Reader = Callable[[pa.Array], pa.Array]

_NOT_BARE = r"((^[^-\d]*)|(\D*$))"
_INTEGER = r"^[+-]?\d+$"
_NUMBER = r"^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)$"
_YEAR = r"^\s*\+?\d+\s*$"
_YEARMONTH = r"^\s*\+?\d+\s*-\s*\+?0*([1-9]|1[0-2])\s*$"
_ZONE = r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
_CLOCK = r"\d{2}:\d{2}:\d{2}(?:[.,]\d+)?"
_ISO_DATETIME = rf"^(?P<date>\d{{4}}-\d{{2}}-\d{{2}})[T ](?P<time>{_CLOCK}){_ZONE}$"
_ISO_TIME = rf"^(?P<time>{_CLOCK}){_ZONE}$"
_CLOCK_PARTS = r"^(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})(?:[.,](?P<f>\d+))?$"
_OFFSET_PARTS = r"^(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})?$"
_INT64_MAX = "9223372036854775807"
_STRING_FORMATS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$",
    "uuid": r"(?i)^(urn:uuid:)?\{?[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}\}?$",
    "binary": r"^[A-Za-z0-9+/\s]*=?=?\s*$",
}
# frictionless reads "any" with dateutil; these are the forms we accept instead.
_ANY_DATE = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%d %B %Y")
_ANY_DATETIME = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M")
_ANY_TIME = ("%H:%M:%S", "%H:%M", "%I:%M %p")


def cell_reader(field: frictionless.Field) -> Reader:
    """Return the vectorised reader of a field's text cells.

    The reader maps a string array (missing values already null) to an array of
    `arrow_type(field.type)`; a cell that cannot be read as the field's type is null.

    Args:
        field: the schema field (type, format and type options such as groupChar).

    Returns:
        The reader.
    """
    factory = _READERS.get(field.type)
    return factory(field) if factory else _read_string(field)


def default_reader(field_type: str) -> Reader | None:
    """Return the reader of a type in its default format (for constraint values)."""
    if field_type not in ("date", "datetime", "time"):
        return None
    return _READERS[field_type](
        frictionless.Field.from_descriptor({"name": "v", "type": field_type})
    )


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
    elif field_type == "number" and _is_numeric(kind):
        values = _cast_or_null(column, target)
    elif field_type == "boolean" and pa.types.is_boolean(kind):
        values = column
    elif field_type == "date":
        values = _to_date(column)
    elif field_type == "datetime" and pa.types.is_timestamp(kind):
        values = column.cast(target, safe=False)  # nanoseconds are cut to micro
    elif field_type == "time" and pa.types.is_time(kind):
        values = column.cast(target, safe=False)
    elif field_type == "string":
        values = column.cast(target) if pa.types.is_integer(kind) else None
    elif field_type not in _ARROW_TYPES:
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
    if pa.types.is_timestamp(kind):
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


def _matching(text: pa.Array, regex: str, *, ignore_case: bool = False) -> pa.Array:
    return _where(pc.match_substring_regex(text, regex, ignore_case=ignore_case), text)


def _read_string(field: frictionless.Field) -> Reader:
    regex = _STRING_FORMATS.get(field.format) if field.type == "string" else None
    if field.type == "yearmonth":  # validated like frictionless, kept as text
        regex = _YEARMONTH
    if regex is None:
        return lambda text: text
    return lambda text: _matching(text, regex)


def _number_text(text: pa.Array, *, bare: bool, group: str) -> pa.Array:
    text = pc.utf8_trim_whitespace(text)
    if not bare:
        text = pc.replace_substring_regex(text, _NOT_BARE, "")
    if group:
        text = pc.replace_substring(text, group, "")
    return text


def _read_integer(field: frictionless.Field) -> Reader:
    # groupChar on integer is Table Schema v2 (frictionless 5 ignores it there).
    options = field.to_descriptor()
    group = str(options.get("groupChar", ""))
    bare = bool(options.get("bareNumber", True))

    def read(text: pa.Array) -> pa.Array:
        text = _matching(_number_text(text, bare=bare, group=group), _INTEGER)
        text = pc.utf8_ltrim(text, characters="+")
        try:
            return text.cast(pa.int64())
        except pa.ArrowInvalid:  # more digits than int64 holds: a type error
            digits = pc.utf8_ltrim(text, characters="+-0")
            length = pc.utf8_length(digits)
            fits = pc.or_(
                pc.less(length, 19),
                pc.and_(pc.equal(length, 19), pc.less_equal(digits, _INT64_MAX)),
            )
            return _where(fits, text).cast(pa.int64())

    return read


def _read_number(field: frictionless.Field) -> Reader:
    options = field.to_descriptor()
    group = str(options.get("groupChar", ""))
    decimal = str(options.get("decimalChar", "."))
    bare = bool(options.get("bareNumber", True))

    def read(text: pa.Array) -> pa.Array:
        text = _number_text(text, bare=bare, group=group)
        if decimal != ".":
            text = _where(pc.invert(pc.match_substring(text, ".")), text)
            text = pc.replace_substring(text, decimal, ".")
        return _matching(text, _NUMBER, ignore_case=True).cast(pa.float64())

    return read


def _read_boolean(field: frictionless.Field) -> Reader:
    options = field.to_descriptor()
    trues = pa.array(options.get("trueValues", ["true", "True", "TRUE", "1"]), pa.string())
    falses = pa.array(options.get("falseValues", ["false", "False", "FALSE", "0"]), pa.string())
    true, false, null = pa.scalar(True), pa.scalar(False), pa.scalar(None, pa.bool_())

    def read(text: pa.Array) -> pa.Array:
        false_or_null = pc.if_else(pc.is_in(text, value_set=falses), false, null)
        return pc.if_else(pc.is_in(text, value_set=trues), true, false_or_null)

    return read


def _read_date(field: frictionless.Field) -> Reader:
    formats = _formats(field.format, "%Y-%m-%d", _ANY_DATE)
    return lambda text: _strptime(text, formats).cast(pa.date32())


def _read_datetime(field: frictionless.Field) -> Reader:
    if field.format == "default":
        return _iso_datetime
    formats = _formats(field.format, "", _ANY_DATETIME)

    def read(text: pa.Array) -> pa.Array:
        values = _strptime(text, formats).cast(pa.timestamp("us"))
        return pc.coalesce(_iso_datetime(text), values) if field.format == "any" else values

    return read


def _read_time(field: frictionless.Field) -> Reader:
    if field.format == "default":
        return _iso_time
    formats = _formats(field.format, "", _ANY_TIME)

    def read(text: pa.Array) -> pa.Array:
        values = _strptime(text, formats).cast(pa.timestamp("us")).cast(pa.time64("us"))
        return pc.coalesce(_iso_time(text), values) if field.format == "any" else values

    return read


def _read_year(field: frictionless.Field) -> Reader:
    def read(text: pa.Array) -> pa.Array:
        text = _where(pc.equal(pc.utf8_length(text), 4), text)
        text = pc.utf8_ltrim(pc.utf8_trim_whitespace(_matching(text, _YEAR)), characters="+")
        return text.cast(pa.int32())

    return read


def _formats(field_format: str, default: str, any_formats: tuple[str, ...]) -> tuple[str, ...]:
    if field_format == "default":
        return (default,)
    if field_format == "any":
        return any_formats
    return (field_format,)


def _strptime(text: pa.Array, formats: tuple[str, ...]) -> pa.Array:
    """Parse with the first format that reads a cell exactly (else null)."""
    values = _strptime_exact(text, formats[0])
    for fmt in formats[1:]:
        values = pc.coalesce(values, _strptime_exact(text, fmt))
    return values


def _strptime_exact(text: pa.Array, fmt: str) -> pa.Array:
    # Arrow's strptime rolls 31.02. over to 03.03. (and 10:59:60 to 11:00:00) where
    # Python's refuses. A rolled-over value lands on day 1-3 (or second 0-1): only those
    # are formatted again and compared with the text, leading zeros aside.
    values = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    if not any(char.isspace() for char in fmt):  # Arrow skips blanks, Python does not
        values = _where(pc.invert(pc.match_substring_regex(text, r"\s")), values)
    suspect = pc.or_(pc.less_equal(pc.day(values), 3), pc.less(pc.year(values), 1000))
    if "%S" in fmt or "%T" in fmt:
        suspect = pc.or_(suspect, pc.less_equal(pc.second(values), 1))
    suspect = pc.fill_null(suspect, False)
    if not pc.any(suspect).as_py():
        return values
    subset = values.filter(suspect)
    again = pc.strftime(subset, format=fmt)
    same = pc.equal(_unpadded(again), _unpadded(text.filter(suspect)))
    return pc.replace_with_mask(values, suspect, _where(same, subset))


def _unpadded(text: pa.Array) -> pa.Array:
    return pc.utf8_lower(pc.replace_substring_regex(text, r"(^|\D)0(\d)", r"\1\2"))


def _iso_datetime(text: pa.Array) -> pa.Array:
    day, clock, zone = pc.extract_regex(text, _ISO_DATETIME).flatten()
    days = _strptime_exact(day, "%Y-%m-%d").cast(pa.int64())
    micros = pc.add(pc.multiply(days, 1_000_000), _micros(clock))
    return pc.subtract(micros, _offset(zone)).cast(pa.timestamp("us"))


def _iso_time(text: pa.Array) -> pa.Array:
    clock, _zone = pc.extract_regex(text, _ISO_TIME).flatten()
    return _micros(clock).cast(pa.time64("us"))


def _micros(clock: pa.Array) -> pa.Array:
    """Microseconds since midnight for "hh:mm:ss[.ffffff]" (null when out of range)."""
    hours, minutes, seconds, fraction = pc.extract_regex(clock, _CLOCK_PARTS).flatten()
    hours, minutes, seconds = (part.cast(pa.int64()) for part in (hours, minutes, seconds))
    fraction = pc.utf8_rpad(pc.utf8_slice_codeunits(fraction, 0, 6), 6, "0").cast(pa.int64())
    total = pc.add(pc.multiply(pc.add(pc.multiply(hours, 60), minutes), 60), seconds)
    valid = pc.and_(pc.and_(pc.less(hours, 24), pc.less(minutes, 60)), pc.less(seconds, 60))
    return _where(valid, pc.add(pc.multiply(total, 1_000_000), fraction))


def _offset(zone: pa.Array) -> pa.Array:
    """Microseconds east of UTC for "Z", "+hh:mm", "+hhmm" or "+hh" (0 when absent)."""
    sign, hours, minutes = pc.extract_regex(zone, _OFFSET_PARTS).flatten()
    minutes = pc.utf8_rpad(minutes, 2, "0").cast(pa.int64())
    total = pc.add(pc.multiply(hours.cast(pa.int64()), 60), minutes)
    signed = pc.if_else(pc.equal(sign, "-"), pc.negate(total), total)
    return pc.fill_null(pc.multiply(signed, 60_000_000), 0)


_READERS: dict[str, Callable[[frictionless.Field], Reader]] = {
    "integer": _read_integer,
    "number": _read_number,
    "boolean": _read_boolean,
    "date": _read_date,
    "datetime": _read_datetime,
    "time": _read_time,
    "year": _read_year,
}
