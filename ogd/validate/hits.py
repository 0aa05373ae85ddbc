"""The errors of one batch as masks: which rows have an error of a kind, and how to word it.

A `Hit` is one kind of error in one place (a field's type errors, one constraint, the
primary key …): a boolean mask over the batch's rows, its place in frictionless's order
of errors within a row, and a function that builds the report entry for one row. Only
the entries that go into the report are built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate.cells import Cells, FieldReader, notes_mask
from ogd.validate.constraints import Check
from ogd.validate.report import ValidationErrorEntry, make_entry

Build = Callable[[int, int], ValidationErrorEntry]

# Where an error stands among the errors of its row (frictionless's order).
BLANK, CELL, EXTRA, MISSING = range(4)


@dataclass(frozen=True)
class Slot:
    """A column of the table and the field it is read as."""

    position: int
    name: str
    matched: bool
    reader: FieldReader
    checks: tuple[Check, ...]

    @property
    def number(self) -> int:
        """The 1-based column position (frictionless's fieldNumber)."""
        return self.position + 1

    @property
    def unique(self) -> bool:
        """The field has the `unique` constraint."""
        return self.matched and bool(self.reader.field.constraints.get("unique"))

    def rank(self, constraint: str) -> int:
        """Where a constraint stands in frictionless's checking order for the type."""
        supported = type(self.reader.field).supported_constraints
        return supported.index(constraint) + 1 if constraint in supported else len(supported) + 1


@dataclass(frozen=True)
class Hit:
    """The rows of a batch with one kind of error, and how to describe one of them."""

    mask: pa.Array
    order: tuple[int, int, int]
    kind: str
    build: Build

    @classmethod
    def unique(cls, slot: Slot, batch: pa.RecordBatch, earlier: pa.Array) -> Hit:
        """Repeats of a unique field's value; `earlier` holds the previous row."""
        source = _source(batch, slot.position)

        def build(index: int, row: int) -> ValidationErrorEntry:
            note = f"the same as in the row at position {earlier[index].as_py()}"
            return make_entry(
                "unique-error", row=row, name=slot.name, number=slot.number,
                cell=cell_text(source, index), note=note,
            )  # fmt: skip

        return cls(pc.is_valid(earlier), (4, slot.position, 0), "unique-error", build)

    @classmethod
    def foreign(
        cls,
        key: dict[str, Any],
        names: list[str],
        slots: Sequence[Slot],
        batch: pa.RecordBatch,
        missing: pa.Array,
        group: int,
    ) -> Hit:
        """Rows whose foreign key is not in the reference table."""
        sources = [_source(batch, s.position) for n in names for s in slots if s.name == n]
        reference = key["reference"]

        def build(index: int, row: int) -> ValidationErrorEntry:
            values = ", ".join(cell_text(source, index) for source in sources)
            note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
                ", ".join(names),
                values,
                reference.get("resource", ""),
                ", ".join(reference["fields"]),
            )
            return make_entry("foreign-key", row=row, cell=values, note=note, fields=tuple(names))

        return cls(missing, (group, 0, 0), "foreign-key", build)


def key_entry(names: tuple[str, ...], sources: list[pa.Array], earlier: pa.Array | None) -> Build:
    """How to word a primary-key error: a repeat (of row `earlier`) or an empty key."""

    def build(index: int, row: int) -> ValidationErrorEntry:
        if earlier is None:
            note = 'cells composing the primary keys are all "None"'
            return make_entry("primary-key", row=row, note=note, fields=names)
        note = f"the same as in the row at position {earlier[index].as_py()}"
        key = ", ".join(cell_text(source, index) for source in sources)
        return make_entry("primary-key", row=row, cell=key, note=note, fields=names)

    return build


def column_hits(
    slot: Slot, read: Cells, batch: pa.RecordBatch, counts: pa.Array | None
) -> tuple[pa.Array, list[Hit]]:
    """Which cells of a column are given (present and not missing), and their errors."""
    given = read.present
    if counts is not None:
        given = pc.and_(given, pc.greater(counts, slot.position))
    return given, _field_hits(slot, read, given, _source(batch, slot.position))


def row_level_hits(
    slots: Sequence[Slot],
    given: Sequence[pa.Array],
    hits: list[Hit],
    batch: pa.RecordBatch,
    counts: pa.Array | None,
    width: int,
) -> list[Hit]:
    """Add missing and extra cells; a blank row is one error instead of its cell errors."""
    hits = hits + _ragged_hits(slots, batch, counts, width)
    if not slots or not batch.num_rows:
        return hits
    if any(mask.false_count == 0 for mask in given):  # a column with every cell given
        return hits
    blank = _all([pc.invert(mask) for mask in given])
    if not blank.true_count:
        return hits
    keep = pc.invert(blank)
    hits = [Hit(pc.and_(h.mask, keep), h.order, h.kind, h.build) for h in hits]
    build = lambda index, row: make_entry("blank-row", row=row)  # noqa: E731
    return [Hit(blank, (BLANK, 0, 0), "blank-row", build), *hits]


def _field_hits(slot: Slot, read: Cells, present: pa.Array, source: pa.Array) -> list[Hit]:
    rows = len(present)
    entry = partial(_cell_entry, slot, source)
    hits = []
    types = [bool(notes.get("type")) for notes in read.notes]
    if any(types):
        mask = notes_mask(rows, read.slow, types)
        note = {read.slow[i]: read.notes[i]["type"] for i, t in enumerate(types) if t}
        hits.append(
            Hit(mask, (CELL, slot.position, 0), "type-error", partial(entry, "type-error", note))
        )
    if slot.reader.field.required:
        build = partial(entry, "constraint-error", _same('constraint "required" is "True"'))
        hits.append(Hit(pc.invert(present), (CELL, slot.position, 1), "constraint-error", build))
    hits += _constraint_hits(slot, read, present, entry)
    return hits


def _constraint_hits(slot: Slot, read: Cells, present: pa.Array, entry: Any) -> list[Hit]:
    rows = len(present)
    fast = present
    if read.slow:  # frictionless judged these cells (apart from the unchecked ones)
        judged = [position not in read.unchecked for position in read.slow]
        fast = pc.and_(present, pc.invert(notes_mask(rows, read.slow, judged)))
    masks: dict[str, pa.Array] = {}
    notes: dict[str, Any] = {}
    for check in slot.checks:
        masks[check.name] = pc.and_(pc.fill_null(check.violated(read.values), False), fast)
        notes[check.name] = _same(f'constraint "{check.name}" is "{check.value}"')
    for name in {n for found in read.notes for n in found if n != "type"}:
        flags = [name in found for found in read.notes]
        slow = notes_mask(rows, read.slow, flags)
        masks[name] = pc.or_(masks[name], slow) if name in masks else slow
        texts = {read.slow[i]: read.notes[i][name] for i, f in enumerate(flags) if f}
        notes[name] = _either(texts, notes.get(name))
    return [
        Hit(mask, (CELL, slot.position, slot.rank(name)), "constraint-error",
            partial(entry, "constraint-error", notes[name]))
        for name, mask in masks.items()
    ]  # fmt: skip


def _ragged_hits(
    slots: Sequence[Slot], batch: pa.RecordBatch, counts: pa.Array | None, width: int
) -> list[Hit]:
    hits = []
    for position in range(width, batch.num_columns):
        source = batch.column(position)
        mask = pc.is_valid(source) if counts is None else pc.greater(counts, position)
        build = partial(_extra_entry, source, position + 1)
        hits.append(Hit(mask, (EXTRA, position, 0), "extra-cell", build))
    if counts is None:
        return hits
    for slot in slots:
        build = partial(_missing_entry, slot)
        hits.append(
            Hit(
                pc.less_equal(counts, slot.position),
                (MISSING, slot.position, 0),
                "missing-cell",
                build,
            )
        )
    return hits


def _extra_entry(source: pa.Array, number: int, index: int, row: int) -> ValidationErrorEntry:
    return make_entry("extra-cell", row=row, name="", number=number, cell=cell_text(source, index))


def _missing_entry(slot: Slot, index: int, row: int) -> ValidationErrorEntry:
    return make_entry("missing-cell", row=row, name=slot.name, number=slot.number, cell="")


def _cell_entry(
    slot: Slot,
    source: pa.Array,
    kind: str,
    note: Callable[[int], str] | dict[int, str],
    index: int,
    row: int,
) -> ValidationErrorEntry:
    text = note[index] if isinstance(note, dict) else note(index)
    return make_entry(
        kind, row=row, name=slot.name, number=slot.number, cell=cell_text(source, index), note=text
    )


def _same(note: str) -> Callable[[int], str]:
    return lambda index: note


def _either(slow: dict[int, str], fast: Callable[[int], str] | None) -> Callable[[int], str]:
    return lambda index: slow[index] if index in slow or fast is None else fast(index)


def _source(batch: pa.RecordBatch, position: int) -> pa.Array:
    if position < batch.num_columns:
        return batch.column(position)
    return pa.nulls(batch.num_rows, pa.string())


def cell_text(source: pa.Array, index: int) -> str:
    """The cell as frictionless quotes it (str of the value; "" for none)."""
    value = source[index].as_py()
    return "" if value is None else str(value)


def _all(masks: list[pa.Array]) -> pa.Array:
    result = masks[0]
    for mask in masks[1:]:
        result = pc.and_(result, mask)
    return result


def row_hits(batch: pa.RecordBatch, hits: Sequence[Hit], first: int) -> pa.RecordBatch:
    """The rows with errors, as received, with `_row` and `_errors` (types in order)."""
    ranked = sorted(hits, key=lambda hit: hit.order)
    kinds = pa.array([hit.kind for hit in ranked], pa.string())
    indices = [pc.indices_nonzero(hit.mask).cast(pa.int64()) for hit in ranked]
    codes = [pc.add(pc.multiply(found, 0), code) for code, found in enumerate(indices)]
    empty = pa.array([], pa.int64())
    table = pa.table(
        {"i": pa.concat_arrays(indices or [empty]), "c": pa.concat_arrays(codes or [empty])}
    )
    table = table.sort_by([("i", "ascending"), ("c", "ascending")])
    runs = pc.run_end_encode(table.column("i").combine_chunks())
    offsets = pa.concat_arrays([pa.array([0], pa.int32()), runs.run_ends.cast(pa.int32())])
    errors = pa.ListArray.from_arrays(offsets, kinds.take(table.column("c").combine_chunks()))
    rows = runs.values
    columns = [column.take(rows) for column in batch.columns]
    names = [*batch.schema.names, "_row", "_errors"]
    return pa.RecordBatch.from_arrays([*columns, pc.add(rows, first), errors], names=names)
