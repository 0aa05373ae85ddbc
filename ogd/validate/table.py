"""Check Arrow record batches against a Table Schema; apply the policy (fail, or drop).

Cells are read and checked with pyarrow.compute, a column at a time, never with a Python
loop per row; only the (at most `max_errors`) recorded errors are built one by one.
The semantics follow frictionless-py: missing values become null, a cell that cannot be
read is a type-error (and is not checked further), each failed constraint is a
constraint-error, a row whose cells are all empty is one blank-row error, and
`unique` / `primaryKey` flag every repeat of a value seen in an earlier row, across
batches. Nothing here raises per row; a schema this module cannot apply raises
`SchemaError` when the validator is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial, reduce
from typing import Any, Literal

import frictionless
import pyarrow as pa
import pyarrow.compute as pc

from ogd.errors import SchemaError
from ogd.validate import report as entries
from ogd.validate.report import Report, ValidationErrorEntry
from ogd.validate.schemas import (
    arrow_schema,
    arrow_type,
    cell_reader,
    convert,
    default_reader,
)

Policy = Literal["fail", "drop"]

# Group of an error inside its row, so entries sort as frictionless emits them.
_BLANK, _CELL, _UNIQUE, _PRIMARY = range(4)
_CONSTRAINT_ORDER = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "enum",
)
_LENGTH_TYPES = ("string",)
_NO_ROW = pa.scalar(None, pa.int64())
_BOUND_TYPES = ("integer", "number", "date", "datetime", "time", "year")
_KEEP = {
    "minimum": pc.greater_equal,
    "maximum": pc.less_equal,
    "exclusiveMinimum": pc.greater,
    "exclusiveMaximum": pc.less,
}


@dataclass(frozen=True)
class _Check:
    """One field constraint: `violated` maps typed values to a mask (null: fine)."""

    name: str
    value: Any
    violated: Callable[[pa.Array], pa.Array]


@dataclass(frozen=True)
class _Rule:
    """A schema field compiled once: how to read its cells and what to check."""

    name: str
    number: int
    type: str
    format: str
    target: pa.DataType
    missing: pa.Array
    read: Callable[[pa.Array], pa.Array]
    checks: tuple[_Check, ...]
    required: bool
    unique: bool


@dataclass(frozen=True)
class _Column:
    """A column read: typed values, which cells were given, the cells as received."""

    values: pa.Array
    present: pa.Array
    source: pa.Array


@dataclass(frozen=True)
class _Hit:
    """Rows of a batch with one kind of error, and how to describe one of them."""

    mask: pa.Array
    order: tuple[int, int, int]
    build: Callable[[int, int], ValidationErrorEntry]


class TableValidator:
    """Validate the batches of one table against a Table Schema and collect a report.

    Call `check_labels` with the header (or let the first `validate` call do it), then
    `validate` for each batch in order, then `finish` for the report.
    """

    def __init__(
        self,
        schema: frictionless.Schema,
        *,
        source: str,
        policy: Policy = "fail",
        max_errors: int = 1000,
    ) -> None:
        """Compile the schema.

        Args:
            schema: the Table Schema to check against.
            source: the name stewards know the table by (shown in the report).
            policy: "fail" keeps every row (bad cells null); "drop" leaves out rows
                with any error. Either way every error is recorded.
            max_errors: the most error entries to keep; all are counted.

        Raises:
            SchemaError: a constraint cannot be applied (a pattern RE2 cannot compile,
                a minimum or enum value that is not of the field's type).
            ValueError: an unknown policy.
        """
        if policy not in ("fail", "drop"):
            raise ValueError(f"policy must be 'fail' or 'drop', not {policy!r}")
        self._source = source
        self._policy = policy
        self._max_errors = max_errors
        self._arrow = arrow_schema(schema)
        self._rules = tuple(
            _compile(schema, field, number) for number, field in enumerate(schema.fields, start=1)
        )
        self._key = tuple(schema.primary_key)
        self._repeats = {r.name: _Repeats() for r in self._rules if r.unique}
        self._key_repeats = _Repeats()
        self._errors: list[ValidationErrorEntry] = []
        self._error_count = 0
        self._rows = 0
        self._labels_checked = False
        self._blocked = False

    def check_labels(self, labels: Sequence[str]) -> None:
        """Compare the header with the schema's field names (matched by name).

        A schema field without a column is a missing-label error and blocks the table:
        later `validate` calls return empty batches. A column the schema does not
        know is an extra-label error; the column is ignored. Call it once, before
        the first batch.

        Args:
            labels: the column names, in file order.
        """
        self._labels_checked = True
        found = []
        for rule in self._rules:
            if rule.name not in labels:
                found.append(entries.missing_label_error(name=rule.name, number=rule.number))
                self._blocked = True
        names = {rule.name for rule in self._rules}
        for number, label in enumerate(labels, start=1):
            if label not in names:
                found.append(entries.extra_label_error(label=label, number=number))
        self._error_count += len(found)
        self._errors.extend(found[: max(self._max_errors - len(self._errors), 0)])

    def validate(self, batch: pa.RecordBatch, first_row_number: int) -> pa.RecordBatch:
        """Read and check one batch.

        Args:
            batch: columns as text (CSV) or already typed (Excel, SQL, Parquet).
            first_row_number: the row number of the batch's first row (2 for the first
                batch of a file with one header row).

        Returns:
            The batch with exactly the schema's fields, in schema order, as
            `arrow_schema(schema)`; invalid cells are null, and under the "drop"
            policy rows with an error are left out. Empty when labels are missing.
        """
        if not self._labels_checked:
            self.check_labels(batch.schema.names)
        self._rows += batch.num_rows
        if self._blocked:
            return pa.RecordBatch.from_pylist([], schema=self._arrow)
        names = batch.schema.names
        columns = [_read(r, batch.column(names.index(r.name))) for r in self._rules]
        hits = self._cell_hits(columns) + self._key_hits(columns, first_row_number)
        self._record(hits, first_row_number)
        values = [column.values for column in columns]
        result = pa.RecordBatch.from_arrays(values, schema=self._arrow)
        if self._policy == "drop" and hits:
            result = result.filter(pc.invert(reduce(pc.or_, [h.mask for h in hits])))
        return result

    def finish(self) -> Report:
        """Return the report for all batches validated so far."""
        return Report(
            source=self._source,
            valid=self._error_count == 0,
            rows=self._rows,
            errors=tuple(self._errors),
            error_count=self._error_count,
            truncated=self._error_count > len(self._errors),
        )

    def _cell_hits(self, columns: list[_Column]) -> list[_Hit]:
        pairs = zip(self._rules, columns, strict=True)
        hits = [hit for rule, col in pairs for hit in _hits(rule, col)]
        if not columns:
            return hits
        blank = reduce(pc.and_, [pc.invert(col.present) for col in columns])
        if not _count(blank):
            return hits
        keep = pc.invert(blank)
        hits = [_Hit(pc.and_(h.mask, keep), h.order, h.build) for h in hits]
        return [_Hit(blank, (_BLANK, 0, 0), _blank_entry), *hits]

    def _key_hits(self, columns: list[_Column], first: int) -> list[_Hit]:
        hits = []
        for rule, col in zip(self._rules, columns, strict=True):
            if rule.unique:
                previous = self._repeats[rule.name].previous_rows(col.values, first)
                build = partial(_unique_entry, rule, col.source, previous)
                hits.append(_Hit(pc.is_valid(previous), (_UNIQUE, rule.number, 0), build))
        if self._key:
            hits.extend(self._primary_key_hits(columns, first))
        return hits

    def _primary_key_hits(self, columns: list[_Column], first: int) -> list[_Hit]:
        by_name = {r.name: c.values for r, c in zip(self._rules, columns, strict=True)}
        values = [by_name[name] for name in self._key]
        empty = reduce(pc.and_, [pc.is_null(value) for value in values])
        key = values[0] if len(values) == 1 else _joined(values)
        key = pc.if_else(empty, pa.scalar(None, key.type), key)
        previous = self._key_repeats.previous_rows(key, first)
        build = partial(_key_entry, self._key, key)
        return [
            _Hit(empty, (_PRIMARY, 0, 0), partial(build, None)),
            _Hit(pc.is_valid(previous), (_PRIMARY, 0, 1), partial(build, previous)),
        ]

    def _record(self, hits: list[_Hit], first: int) -> None:
        room = max(self._max_errors - len(self._errors), 0)
        found: list[tuple[tuple[int, ...], ValidationErrorEntry]] = []
        for hit in hits:
            count = _count(hit.mask)
            self._error_count += count
            if count and room:
                for index in pc.indices_nonzero(hit.mask)[:room].to_pylist():
                    row = first + index
                    found.append(((row, *hit.order), hit.build(index, row)))
        found.sort(key=lambda pair: pair[0])
        self._errors.extend(entry for _, entry in found[:room])


class _Repeats:
    """Remembers values already seen (with the last row of each) across batches.

    frictionless flags every repeat of a unique value or key and names the most recent
    earlier row with the same value; this does the same a batch at a time, with one
    sort per batch and a hash lookup against the values of earlier batches.
    """

    def __init__(self) -> None:
        self._keys: pa.Array | None = None
        self._rows: pa.Array | None = None

    def previous_rows(self, keys: pa.Array, first: int) -> pa.Array:
        """Per row, the latest earlier row number with the same value, or null."""
        if len(keys) == 0:
            return pa.array([], pa.int64())
        order = pc.sort_indices(keys)  # stable: equal values stay in row order
        ordered = keys.take(order)
        rows = pc.add(order.cast(pa.int64()), first)
        same = pc.fill_null(pc.equal(ordered[1:], ordered[:-1]), False)
        previous = pc.if_else(_pad(same, False), _pad(rows[:-1], None), _NO_ROW)
        if self._keys is not None and self._rows is not None:
            earlier = self._rows.take(pc.index_in(ordered, value_set=self._keys))
            previous = pc.coalesce(previous, earlier)
        last = pc.and_(_pad(pc.invert(same), True, at_end=True), pc.is_valid(ordered))
        self._remember(ordered.filter(last), rows.filter(last))
        return previous.take(pc.sort_indices(order))

    def _remember(self, keys: pa.Array, rows: pa.Array) -> None:
        if self._keys is not None and self._rows is not None:
            kept = pc.invert(pc.is_in(self._keys, value_set=keys))
            keys = pa.concat_arrays([self._keys.filter(kept), keys])
            rows = pa.concat_arrays([self._rows.filter(kept), rows])
        self._keys, self._rows = keys, rows


def _compile(schema: frictionless.Schema, field: frictionless.Field, number: int) -> _Rule:
    own = field.has_defined("missing_values")
    missing = field.missing_values if own else schema.missing_values
    rule = _Rule(
        name=field.name,
        number=number,
        type=field.type,
        format=field.format,
        target=arrow_type(field.type),
        missing=pa.array(missing, pa.string()),
        read=cell_reader(field),
        checks=(),
        required=bool(field.constraints.get("required")),
        unique=bool(field.constraints.get("unique")),
    )
    constraints = field.constraints
    checks = [
        _check(rule, name, constraints[name])
        for name in _CONSTRAINT_ORDER
        if constraints.get(name) is not None
    ]
    return replace(rule, checks=tuple(check for check in checks if check))


def _check(rule: _Rule, name: str, value: Any) -> _Check | None:
    """Compile one constraint; None where frictionless does not apply it to the type."""
    where = f"field {rule.name!r}, constraint {name!r}"
    if name in ("minLength", "maxLength"):
        if rule.type not in _LENGTH_TYPES:
            return None
        compare = pc.less if name == "minLength" else pc.greater
        return _Check(name, value, lambda v: compare(pc.utf8_length(v), value))
    if name == "pattern":
        if rule.target != pa.string():
            return None
        return _Check(name, value, _pattern_check(value, where))
    if name == "enum":
        allowed = pa.array([_constant(rule, item, where) for item in value], rule.target)
        return _Check(name, value, lambda v: pc.invert(pc.is_in(v, value_set=allowed)))
    if rule.type not in _BOUND_TYPES:
        return None
    bound = pa.scalar(_constant(rule, value, where), rule.target)
    keep = _KEEP[name]
    return _Check(name, value, lambda v: pc.invert(keep(v, bound)))


def _pattern_check(pattern: str, where: str) -> Callable[[pa.Array], pa.Array]:
    # frictionless uses re.match("^{pattern}$"): anchored at the start as a whole.
    regex = f"^(?:^{pattern}$)"
    try:
        pc.match_substring_regex(pa.array([""]), regex)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise SchemaError(
            f"pattern {pattern!r} cannot be compiled: {error}",
            where=where,
            hint="use RE2 syntax (no look-arounds or back-references)",
        ) from error
    return lambda v: pc.invert(pc.match_substring_regex(v, regex))


def _constant(rule: _Rule, value: Any, where: str) -> Any:
    """Read a constraint value (minimum, enum item) as the field's type."""
    source = pa.array([value], pa.string() if isinstance(value, str) else None)
    column = _read(rule, source)
    if column.values[0].is_valid:
        return column.values[0].as_py()
    fallback = default_reader(rule.type)
    if isinstance(value, str) and fallback is not None:
        parsed = fallback(source)
        if parsed[0].is_valid:
            return parsed[0].as_py()
    raise SchemaError(
        f"{value!r} is not a valid {rule.type} value",
        where=where,
        hint=f"write the value as the field's type ({rule.type}/{rule.format})",
    )


def _read(rule: _Rule, column: pa.Array) -> _Column:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    source = column
    if _is_text(column.type):
        column = column.cast(pa.string())
    if pa.types.is_string(column.type):
        column = _blank_out(column, column, rule.missing)
        return _Column(rule.read(column), pc.is_valid(column), source)
    if pa.types.is_null(column.type):
        nulls = pa.nulls(len(column), rule.target)
        return _Column(nulls, pc.is_valid(nulls), source)
    if rule.missing.to_pylist() != [""]:  # e.g. "-99" in a numeric Excel column
        column = _blank_out(column, _as_text(column), rule.missing)
    values = convert(rule.type, column, rule.target)
    return _Column(values, pc.is_valid(column), source)


def _is_text(kind: pa.DataType) -> bool:
    kind = kind.value_type if pa.types.is_dictionary(kind) else kind
    return str(kind) in ("string", "large_string", "string_view")


def _blank_out(column: pa.Array, text: pa.Array, missing: pa.Array) -> pa.Array:
    is_missing = pc.is_in(text, value_set=missing)
    return pc.if_else(is_missing, pa.scalar(None, column.type), column)


def _as_text(column: pa.Array) -> pa.Array:
    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.nulls(len(column), pa.string())


def _hits(rule: _Rule, col: _Column) -> list[_Hit]:
    cell = partial(_cell_entry, entries.constraint_error, rule, col.source)
    type_error = pc.and_(col.present, pc.is_null(col.values))
    build = partial(
        _cell_entry,
        entries.type_error,
        rule,
        col.source,
        field_type=rule.type,
        field_format=rule.format,
    )
    hits = [_Hit(type_error, (_CELL, rule.number, 0), build)]
    if rule.required:
        build = partial(cell, constraint="required", value=True)
        hits.append(_Hit(pc.invert(col.present), (_CELL, rule.number, 1), build))
    for position, check in enumerate(rule.checks, start=2):
        mask = pc.fill_null(check.violated(col.values), False)
        build = partial(cell, constraint=check.name, value=check.value)
        hits.append(_Hit(mask, (_CELL, rule.number, position), build))
    return hits


def _count(mask: pa.Array) -> int:
    return int(pc.sum(mask).as_py() or 0)


def _pad(array: pa.Array, value: Any, *, at_end: bool = False) -> pa.Array:
    extra = pa.array([value], array.type)
    return pa.concat_arrays([array, extra] if at_end else [extra, array])


def _joined(values: list[pa.Array]) -> pa.Array:
    """One text key per row for a composite primary key (nulls distinct from text)."""
    parts = [_as_text(value) for value in values]
    return pc.binary_join_element_wise(
        *parts, "\x1f", null_handling="replace", null_replacement="\x00"
    )


def _text(source: pa.Array, index: int) -> str:
    value = source[index].as_py()
    return "" if value is None else str(value)


def _cell_entry(
    make: Callable[..., ValidationErrorEntry],
    rule: _Rule,
    source: pa.Array,
    index: int,
    row: int,
    **details: Any,
) -> ValidationErrorEntry:
    cell = _text(source, index)
    return make(cell=cell, row=row, name=rule.name, number=rule.number, **details)


def _unique_entry(
    rule: _Rule, source: pa.Array, previous: pa.Array, index: int, row: int
) -> ValidationErrorEntry:
    earlier = previous[index].as_py()
    return _cell_entry(entries.unique_error, rule, source, index, row, previous=earlier)


def _key_entry(
    names: tuple[str, ...],
    key: pa.Array,
    previous: pa.Array | None,
    index: int,
    row: int,
) -> ValidationErrorEntry:
    earlier = None if previous is None else previous[index].as_py()
    text = None
    if earlier is not None:
        text = _text(key, index).replace("\x1f", ", ").replace("\x00", "")
    return entries.primary_key_error(key=text, row=row, names=names, previous=earlier)


def _blank_entry(index: int, row: int) -> ValidationErrorEntry:
    return entries.blank_row_error(row=row)
