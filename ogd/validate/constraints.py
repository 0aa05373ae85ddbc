"""Field constraints as vectorised checks over typed Arrow values.

Which constraints a type takes, and in which order frictionless checks them, is the
field class's `supported_constraints`; constraint values (bounds, enum items) are read
with frictionless's own value reader, so "01.01.1900" means what the field's format
says. A check only judges the cells the fast path read: frictionless's reader already
judged the others (see `ogd.validate.cells`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.compute as pc

from ogd.errors import SchemaError
from ogd.validate.cells import arrow_type, default_reader, option, to_arrow_value
from ogd.validate.patterns import Pattern

_KEEP = {
    "minimum": pc.greater_equal,
    "maximum": pc.less_equal,
    "exclusiveMinimum": pc.greater,
    "exclusiveMaximum": pc.less,
}


@dataclass(frozen=True)
class Check:
    """One constraint of a field.

    Attributes:
        name: the constraint ("minimum", "pattern" …).
        value: its value as the schema writes it (frictionless's note quotes it).
        order: its place among the field's constraints (frictionless's check order).
        violated: typed values -> True where the constraint fails (null: no verdict).
    """

    name: str
    value: Any
    order: int
    violated: Callable[[pa.Array], pa.Array]


def compile_checks(field: frictionless.Field) -> tuple[Check, ...]:
    """Compile the constraints of `field` that frictionless applies to its type.

    Raises:
        SchemaError: a pattern Python cannot compile, or a bound or enum item that is
            not a value of the field's type.
    """
    checks = []
    for order, name in enumerate(type(field).supported_constraints):
        value = field.constraints.get(name)
        if value is None or name == "required":
            continue
        check = _check(field, name, value)
        if check is not None:
            checks.append(Check(name, value, order, check))
    return tuple(checks)


def _check(
    field: frictionless.Field, name: str, value: Any
) -> Callable[[pa.Array], pa.Array] | None:
    where = f"field {field.name!r}, constraint {name!r}"
    if name in ("minLength", "maxLength"):
        return _length_check(field, name, value)
    if name == "pattern":
        return _pattern_check(value, where)
    if name == "enum":
        return _enum_check(field, value)
    bound = pa.scalar(_bound(field, value, where), arrow_type(field.type))
    keep = _KEEP[name]
    return lambda values: pc.invert(keep(values, bound))


def _length_check(
    field: frictionless.Field, name: str, limit: int
) -> Callable[[pa.Array], pa.Array] | None:
    compare = pc.less if name == "minLength" else pc.greater
    if field.type == "string":
        return lambda values: compare(pc.utf8_length(values), limit)
    if field.type == "list" and option(field, "item_type") == "string":
        delimiter = str(option(field, "delimiter"))
        return lambda values: compare(pc.add(pc.count_substring(values, delimiter), 1), limit)
    return None  # object, array, other lists: frictionless's reader judges every cell


def _pattern_check(pattern: str, where: str) -> Callable[[pa.Array], pa.Array]:
    try:
        compiled = Pattern(pattern)
    except re.error as error:
        raise SchemaError(
            f"pattern {pattern!r} is not a valid regular expression: {error}",
            where=where,
            hint="write the pattern in Python's regular expression syntax",
        ) from error
    return compiled.mismatches


def _enum_check(
    field: frictionless.Field, items: list[Any]
) -> Callable[[pa.Array], pa.Array] | None:
    target = arrow_type(field.type)
    if field.type not in (
        "string",
        "integer",
        "number",
        "boolean",
        "date",
        "datetime",
        "time",
        "year",
        "yearmonth",
        "any",
    ):
        return None
    read = field.create_value_reader()
    allowed = []
    for item in items:
        value = read(item)
        if value is None or _is_aware(value):
            continue  # equals no cell the fast path reads
        allowed.append(to_arrow_value(field, value, item))
    value_set = pa.array(allowed, target)
    return lambda values: pc.invert(pc.is_in(values, value_set=value_set))


def _is_aware(value: Any) -> bool:
    return isinstance(value, dt.datetime | dt.time) and value.tzinfo is not None


def _bound(field: frictionless.Field, value: Any, where: str) -> Any:
    """Read a bound as frictionless does; a date in ISO form is also taken."""
    read = field.create_value_reader()(value)
    if read is None and isinstance(value, str):
        fallback = default_reader(field.type)
        if fallback is not None:
            parsed = fallback(pa.array([value], pa.string()))[0]
            if parsed.is_valid:
                return parsed.as_py()
    if read is None:
        raise SchemaError(
            f"{value!r} is not a valid {field.type} value",
            where=where,
            hint=f"write the value as the field's type ({field.type}/{field.format})",
        )
    return to_arrow_value(field, read, value)
