"""Check Arrow record batches against a Table Schema; apply the policy (fail, or drop).

Cells are read and checked with pyarrow.compute, a column at a time, never with a Python
loop per row; only unusual or invalid cells go to frictionless's own cell reader, and
only the recorded errors (at most `max_errors`) are built one by one. The semantics are
frictionless-py's: missing values become null, a cell that cannot be read is a
type-error (and is not checked further), each failed constraint is a constraint-error,
a row whose cells are all empty is one blank-row error (instead of its cell errors),
and `unique` / `primaryKey` flag every repeat of a key seen in an earlier row, across
batches. Nothing here raises per row; a schema this module cannot apply raises
`SchemaError` when the validator is built.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import reduce
from typing import Literal

import frictionless
import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate.cells import Cells, FieldReader, arrow_type
from ogd.validate.constraints import Check, compile_checks
from ogd.validate.header import FIELDS_MATCH, FieldsMatch, Header, read_header
from ogd.validate.hits import Hit, Slot, column_hits, key_entry, row_hits, row_level_hits
from ogd.validate.keys import KeyIndex, Lookup, all_null, cell_keys, has_nan, joined_keys
from ogd.validate.report import Report, ValidationErrorEntry

Policy = Literal["fail", "drop"]
logger = logging.getLogger(__name__)

_PRIMARY, _FOREIGN = 5, 6  # after the cells (1-3) and unique values (4) of a row


class TableValidator:
    """Validate the batches of one table against a Table Schema and collect a report.

    Call `check_labels` with the header (or let the first `validate` call do it), then
    `validate` for each batch in order, then `finish` for the report. After each
    `validate`, `rejected()` gives that batch's rows with errors (for a quarantine file).
    """

    def __init__(
        self,
        schema: frictionless.Schema,
        *,
        source: str,
        policy: Policy = "fail",
        max_errors: int = 1000,
        fields_match: FieldsMatch | None = None,
        lookups: Mapping[str, pa.Table] | None = None,
        overlap: bool | None = None,
    ) -> None:
        """Compile the schema.

        Args:
            schema: the Table Schema.
            source: the name stewards know the table by (a file name).
            policy: "fail" keeps every row; "drop" leaves out rows with an error.
            max_errors: the most errors the report lists (all are counted).
            fields_match: how the header is paired with the fields; by default the
                schema's `fieldsMatch`, else "equal" (by name, order does not matter).
            lookups: reference tables of foreign keys by resource name ("" for the
                table itself), with typed columns named as the reference fields.
            overlap: under "fail", look for the errors of a batch on a second thread
                while the caller reads the next batch (pyarrow and numpy mostly run
                outside the GIL); by default when there are two CPUs or more. The report
                is the same either way; "drop" needs the verdict at once and never
                overlaps.

        Raises:
            SchemaError: a constraint that cannot be applied (bad pattern or bound).
        """
        declared = schema.fields_match if schema.has_defined("fields_match") else None
        self._match: FieldsMatch = fields_match or declared or "equal"
        if self._match not in FIELDS_MATCH:
            raise ValueError(f"fields_match {self._match!r} is not one of {FIELDS_MATCH}")
        self._schema = schema
        self._source, self._policy, self._max_errors = source, policy, max_errors
        self._arrow = pa.schema([pa.field(f.name, arrow_type(f.type)) for f in schema.fields])
        self._checks: dict[str, tuple[Check, ...]] = {
            f.name: compile_checks(f) for f in schema.fields
        }  # first: a bad pattern is a SchemaError before frictionless compiles it
        self._readers = {f.name: FieldReader(f) for f in schema.fields}
        self._lookups = dict(lookups or {})
        self._slots: list[Slot] = []
        self._width = 0
        self._unique: dict[int, KeyIndex] = {}
        self._primary = KeyIndex()
        self._foreign: list[tuple[dict[str, object], Lookup]] = []
        self._errors: list[ValidationErrorEntry] = []
        self._error_count = self._rows = 0
        self._labels_checked = False
        self._last: tuple[pa.RecordBatch, list[Hit], int] | None = None
        self._overlap = (os.cpu_count() or 1) > 1 if overlap is None else overlap
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[list[Hit]] | None = None
        self._finished = False

    def check_labels(self, labels: Sequence[str]) -> None:
        """Compare the header with the schema's fields and record the header errors.

        Call it once, before the first batch. Columns are then read by position: the
        i-th column of every batch is the i-th label.

        Args:
            labels: the column names, in file order.
        """
        self._labels_checked = True
        header = read_header(labels, self._schema, self._match)
        self._width = len(labels)
        self._slots = [self._slot(i, header, f) for i, f in enumerate(header.fields)]
        names = {slot.name for slot in self._slots if slot.matched}
        self._unique = {s.position: KeyIndex() for s in self._slots if s.unique}
        self._has_primary = (
            bool(self._schema.primary_key) and set(self._schema.primary_key) <= names
        )
        self._foreign = self._foreign_groups(names)
        self._add(list(header.errors))

    def validate(
        self,
        batch: pa.RecordBatch,
        first_row_number: int,
        *,
        cell_counts: pa.Array | None = None,
    ) -> pa.RecordBatch:
        """Read and check one batch.

        Args:
            batch: columns as text (CSV) or already typed (Excel, SQL, Parquet), in
                label order; columns beyond the labels hold extra cells.
            first_row_number: the row number of the batch's first row (2 for the first
                batch of a file with one header row).
            cell_counts: per row, how many cells the row had, where rows can be ragged
                (cells beyond a row's count are missing cells); None when all are full.

        Returns:
            The batch with exactly the schema's fields, in schema order, as
            `arrow_schema(schema)`; invalid cells are null, and under the "drop"
            policy rows with an error are left out.
        """
        if self._finished:
            raise RuntimeError("the validator is finished: start a new one")
        if not self._labels_checked:
            self.check_labels(batch.schema.names)
        self._rows += batch.num_rows
        cells = [slot.reader.read(_column(batch, slot.position)) for slot in self._slots]
        result = self._typed(cells, batch.num_rows)
        self._wait()  # the checks of the batch before, when they overlap
        if self._policy == "drop" or not self._overlap:
            hits = self._check(batch, cells, first_row_number, cell_counts)
            return (
                result.filter(pc.invert(_any(hits))) if self._policy == "drop" and hits else result
            )
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="validate")
        self._pending = self._pool.submit(self._check, batch, cells, first_row_number, cell_counts)
        return result

    def rejected(self) -> pa.RecordBatch | None:
        """The rows of the last batch that have errors, as they were received.

        Returns:
            The original cells of those rows plus `_row` (row number) and `_errors`
            (the error types of the row, in report order); None before any batch.
        """
        self._wait()
        if self._last is None:
            return None
        batch, hits, first = self._last
        return row_hits(batch, hits, first)

    def finish(self) -> Report:
        """Return the report for all batches validated (stop the thread, free the keys)."""
        self._wait()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        for index in (*self._unique.values(), self._primary):
            index.close()  # removes the keys spilled to disk
        self._finished = True
        return Report(
            source=self._source,
            valid=self._error_count == 0,
            rows=self._rows,
            errors=tuple(self._errors),
            error_count=self._error_count,
            truncated=self._error_count > len(self._errors),
        )

    def _slot(self, position: int, header: Header, field: frictionless.Field) -> Slot:
        matched = header.matched[position]
        reader = self._readers[field.name] if matched else FieldReader(field)
        checks = self._checks[field.name] if matched else ()
        return Slot(position, field.name, matched, reader, checks)

    def _foreign_groups(self, names: set[str]) -> list[tuple[dict[str, object], Lookup]]:
        groups = []
        for key in self._schema.foreign_keys:
            resource = key["reference"].get("resource", "")
            if not set(key["fields"]) <= names:
                continue
            if resource not in self._lookups:
                logger.warning("%s: foreign key %s not checked, no lookup table", self._source, key)
                continue
            groups.append((key, _lookup(self._lookups[resource], key)))
        return groups

    def _check(
        self, batch: pa.RecordBatch, cells: list[Cells], first: int, counts: pa.Array | None
    ) -> list[Hit]:
        """Find and record the errors of a batch read (in order, batch after batch)."""
        hits: list[Hit] = []
        given = []
        for slot, read in zip(self._slots, cells, strict=True):
            present, found = column_hits(slot, read, batch, counts)
            given.append(present)
            hits += found
            if slot.position in self._unique:
                earlier = self._unique[slot.position].previous_rows(cell_keys(read), first)
                hits.append(Hit.unique(slot, batch, earlier))
        hits = row_level_hits(self._slots, given, hits, batch, counts, self._width)
        hits += self._key_hits(cells, batch, first)
        self._last = (batch, hits, first)
        self._record(hits, first)
        return hits

    def _wait(self) -> None:
        """Wait for the checks still running (raising what they raised)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def _key_hits(self, cells: list[Cells], batch: pa.RecordBatch, first: int) -> list[Hit]:
        hits = []
        if self._has_primary:
            hits += self._primary_hits(cells, batch, first)
        for key, lookup in self._foreign:
            hits.append(self._foreign_hit(key, lookup, cells, batch))
        return hits

    def _values(self, cells: list[Cells], names: Sequence[str]) -> list[Cells]:
        by_name = {s.name: c for s, c in zip(self._slots, cells, strict=True) if s.matched}
        return [by_name[name] for name in names]

    def _primary_hits(self, cells: list[Cells], batch: pa.RecordBatch, first: int) -> list[Hit]:
        names = tuple(self._schema.primary_key)
        parts = self._values(cells, names)
        if len(parts) == 1:
            keys = cell_keys(parts[0])
        else:
            keys = joined_keys([cell_keys(part) for part in parts])
            keys = pc.if_else(has_nan([p.values for p in parts]), pa.scalar(None, keys.type), keys)
        earlier = self._primary.previous_rows(keys, first)
        sources = [batch.column(s.position) for n in names for s in self._slots if s.name == n]
        empty = all_null([part.values for part in parts])
        return [
            Hit(empty, (_PRIMARY, 0, 0), "primary-key", key_entry(names, sources, None)),
            Hit(
                pc.is_valid(earlier),
                (_PRIMARY, 0, 1),
                "primary-key",
                key_entry(names, sources, earlier),
            ),
        ]

    def _foreign_hit(
        self, key: dict[str, object], lookup: Lookup, cells: list[Cells], batch: pa.RecordBatch
    ) -> Hit:
        names = list(key["fields"])  # type: ignore[call-overload]
        values = [part.values for part in self._values(cells, names)]
        keys = joined_keys(values)
        missing = pc.invert(pc.fill_null(lookup.contains(keys), True))
        missing = pc.or_(missing, pc.and_(has_nan(values), pc.invert(all_null(values))))
        return Hit.foreign(key, names, self._slots, batch, missing, _FOREIGN)

    def _typed(self, cells: list[Cells], rows: int) -> pa.RecordBatch:
        values = {s.name: c.values for s, c in zip(self._slots, cells, strict=True) if s.matched}
        arrays = [values.get(f.name, pa.nulls(rows, f.type)) for f in self._arrow]
        return pa.RecordBatch.from_arrays(arrays, schema=self._arrow)

    def _record(self, hits: list[Hit], first: int) -> None:
        room = max(self._max_errors - len(self._errors), 0)
        found: list[tuple[tuple[int, ...], ValidationErrorEntry]] = []
        for hit in hits:
            count = hit.mask.true_count
            self._error_count += count
            if count and room:
                for index in pc.indices_nonzero(hit.mask)[:room].to_pylist():
                    found.append(((first + index, *hit.order), hit.build(index, first + index)))
        found.sort(key=lambda pair: pair[0])
        self._errors.extend(entry for _, entry in found[:room])

    def _add(self, entries: list[ValidationErrorEntry]) -> None:
        self._error_count += len(entries)
        self._errors.extend(entries[: max(self._max_errors - len(self._errors), 0)])


def _column(batch: pa.RecordBatch, position: int) -> pa.Array:
    if position < batch.num_columns:
        return batch.column(position)
    return pa.nulls(batch.num_rows, pa.string())


def _any(hits: list[Hit]) -> pa.Array:
    return reduce(pc.or_, [hit.mask for hit in hits])


def _lookup(table: pa.Table, key: dict[str, object]) -> Lookup:
    names = list(key["reference"]["fields"])  # type: ignore[index]
    return Lookup(joined_keys([table.column(name).combine_chunks() for name in names]))
