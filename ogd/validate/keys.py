"""Keys of rows: `unique` values, primary keys and foreign keys, equal where Python's are.

frictionless compares keys as Python values: 1 (integer) equals 1.0 (number) and True,
NaN equals nothing, a datetime with a time zone never equals one without. These
functions turn typed Arrow columns into keys with the same equality: `cell_keys` for
one column, `joined_keys` for several. `KeyIndex` (in `ogd.validate.keyindex`) remembers
them across batches; `Lookup` holds the keys of a foreign key's reference table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate.cells import Cells, notes_mask
from ogd.validate.keyindex import KeyIndex

__all__ = ["KeyIndex", "Lookup", "cell_keys", "joined_keys", "normal_keys"]

_MISSING_PART = pa.scalar("~", pa.string())  # a null component; tags are letters


def cell_keys(cells: Cells) -> pa.Array:
    """The keys of a column read: `normal_keys`, with two exceptions.

    A datetime or time with a time zone never equals one without. Numbers are keyed by
    text: the shortest float64 spelling, but a value float64 cannot hold apart (more
    than 15 significant digits, or an exponent beyond its range) by its exact decimal,
    as frictionless compares Decimals.
    """
    keys = normal_keys(cells.values)
    if pa.types.is_floating(keys.type):
        return _number_keys(keys, cells.wide)
    if not cells.aware:
        return keys
    doubled = pc.multiply(keys, 2)
    aware = notes_mask(len(keys), cells.aware, [True] * len(cells.aware))
    return pc.if_else(aware, pc.add(doubled, 1), doubled)


def _number_keys(keys: pa.Array, wide: tuple[tuple[int, str], ...]) -> pa.Array:
    text = keys.cast(pa.string())
    if not wide:
        return text
    positions = [position for position, _ in wide]
    exact = pa.array([f"D{digits}" for _, digits in wide], pa.string())
    return pc.replace_with_mask(text, notes_mask(len(keys), positions, [True] * len(wide)), exact)


def normal_keys(values: pa.Array) -> pa.Array:
    """Typed values as sortable keys: equal for values Python finds equal.

    Integers, booleans, dates and times become int64, floats float64 (-0.0 as 0.0, NaN
    as no key: NaN equals nothing in Python either), text stays text.
    """
    kind = values.type
    if pa.types.is_floating(kind):
        values = pc.add(values.cast(pa.float64()), 0.0)
        return pc.if_else(pc.is_nan(values), pa.scalar(None, pa.float64()), values)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        return values.cast(pa.int64())
    if pa.types.is_date(kind):
        return values.cast(pa.int32()).cast(pa.int64())
    if pa.types.is_temporal(kind):
        return values.cast(pa.int64())
    return values


def joined_keys(columns: Sequence[pa.Array]) -> pa.Array:
    """One text key per row for several typed columns (a composite or foreign key).

    Each part is tagged with its kind and length, so keys are equal exactly when every
    part is: 1 (integer) equals 1.0 (number) as in Python, "1" (string) does not.

    Args:
        columns: the typed values of each key field.

    Returns:
        A string array; null where every part is null, or where a part is NaN (a key
        that equals nothing, as in Python).
    """
    parts = [_part(values) for values in columns]
    joined = pc.binary_join_element_wise(*parts, "")
    void = pc.or_(all_null(columns), has_nan(columns))
    return pc.if_else(void, pa.scalar(None, pa.string()), joined)


def has_nan(columns: Sequence[pa.Array]) -> pa.Array:
    """Where some column holds NaN (False elsewhere)."""
    result = pa.array([False] * len(columns[0]), pa.bool_())
    for values in columns:
        if pa.types.is_floating(values.type):
            result = pc.or_(result, pc.fill_null(pc.is_nan(values), False))
    return result


def all_null(columns: Sequence[pa.Array]) -> pa.Array:
    """Where every column is null."""
    result = pc.is_null(columns[0])
    for values in columns[1:]:
        result = pc.and_(result, pc.is_null(values))
    return result


def _part(values: pa.Array) -> pa.Array:
    text = _text(values)
    length = pc.utf8_length(text).cast(pa.string())
    part = pc.binary_join_element_wise(pa.scalar(_tag(values.type)), length, ":", text, "")
    return pc.if_else(pc.is_valid(text), part, _MISSING_PART)


def _tag(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
        return "n"  # Python: True == 1 == 1.0
    if pa.types.is_date(kind):
        return "d"
    if pa.types.is_timestamp(kind):
        return "t"
    if pa.types.is_time(kind):
        return "h"
    return "s"


def _text(values: pa.Array) -> pa.Array:
    kind = values.type
    if pa.types.is_floating(kind):
        values = normal_keys(values)
        whole = pc.and_(pc.equal(pc.floor(values), values), pc.less(pc.abs(values), 2.0**53))
        as_int = pc.if_else(whole, values, pa.scalar(None, kind)).cast(pa.int64())
        return pc.coalesce(as_int.cast(pa.string()), values.cast(pa.string()))
    return normal_keys(values).cast(pa.string())


class Lookup:
    """The keys of a reference table, for foreign-key membership tests."""

    def __init__(self, keys: pa.Array) -> None:
        """Keep the distinct non-null keys (text keys from `joined_keys`)."""
        self._keys = frozenset(pc.unique(keys.filter(pc.is_valid(keys))).to_pylist())

    def contains(self, keys: pa.Array) -> pa.Array:
        """True where a key is in the reference table (null where the key is null)."""
        found = [None if key is None else key in self._keys for key in keys.to_pylist()]
        return pa.array(found, pa.bool_())
