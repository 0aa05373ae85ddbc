"""Runs a pipeline's steps over a stream of Arrow tables in bounded memory.

Batch and stream steps work chunk by chunk; a blocking step hands the whole stream to
DuckDB as an Arrow stream and streams its result on. Every chunk, even an empty one,
carries the schema, so an empty source still yields a (typed, empty) table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import duckdb
import pyarrow as pa

from ogd.errors import SpecError
from ogd.transform.steps import STEPS, Step, StepContext

Chunks = Iterator[pa.Table]
OUT_ROWS = 65_536


@dataclass(frozen=True)
class EngineOptions:
    """Limits of the DuckDB connections the steps use."""

    memory_limit: str = "1GB"
    temp_dir: Path | None = None
    threads: int = 2


@dataclass
class StepCounts:
    """Rows out of each step, filled while the stream is consumed."""

    rows: dict[str, int] = field(default_factory=dict)

    def counted(self, name: str, chunks: Chunks) -> Chunks:
        """Pass chunks through, adding their rows to `name`."""
        self.rows.setdefault(name, 0)
        for chunk in chunks:
            self.rows[name] += chunk.num_rows
            yield chunk


def connect(options: EngineOptions) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that cannot read or write files outside its temp folder."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": options.threads,
        "memory_limit": options.memory_limit,
        "preserve_insertion_order": True,
    }
    if options.temp_dir is not None:
        config["temp_directory"] = str(options.temp_dir)
    con = duckdb.connect(config=config)
    con.execute("SET enable_external_access = false")
    return con


def _fail(step: Step, exc: duckdb.Error, columns: Sequence[str]) -> SpecError:
    message = str(exc).splitlines()[0]
    key = "expression" if "expression" in step.options else "kind"
    return SpecError(
        f"the step cannot run: {message}",
        where=step.at(key),
        hint=f"columns here are: {', '.join(columns)}",
    )


def _batch(chunks: Chunks, step: Step, ctx: StepContext) -> Chunks:
    function = STEPS[step.kind].function
    for chunk in chunks:
        yield function(chunk, step, ctx)


def _stream(chunks: Chunks, step: Step, ctx: StepContext, options: EngineOptions) -> Chunks:
    definition = STEPS[step.kind]
    con = connect(options)
    try:
        query: str | None = None
        for chunk in chunks:
            query = query or definition.function(chunk.column_names, step, ctx)
            if definition.uses_lookup:
                con.register("lookup", ctx.lookup(str(step.options["lookup"]), step.at("lookup")))
            con.register("input", chunk)
            try:
                result = con.sql(query).to_arrow_table()
            except duckdb.Error as exc:
                raise _fail(step, exc, chunk.column_names) from None
            con.unregister("input")
            yield result
    finally:
        con.close()


def _blocking(chunks: Chunks, step: Step, ctx: StepContext, options: EngineOptions) -> Chunks:
    first = next(chunks)
    query = STEPS[step.kind].function(first.column_names, step, ctx)
    batches = (b for table in chain([first], chunks) for b in table.to_batches())
    reader = pa.RecordBatchReader.from_batches(first.schema, batches)
    con = connect(options)
    try:
        con.register("input", reader)
        try:
            relation = con.sql(query)
            stream = getattr(relation, "to_arrow_reader", None) or relation.fetch_record_batch
            result = stream(OUT_ROWS)
        except duckdb.Error as exc:
            raise _fail(step, exc, first.column_names) from None
        empty = True
        for batch in result:
            empty = False
            yield pa.Table.from_batches([batch])
        if empty:
            yield result.schema.empty_table()
    finally:
        con.close()


def run_steps(
    chunks: Chunks,
    steps: Sequence[Step],
    ctx: StepContext,
    options: EngineOptions,
    counts: StepCounts | None = None,
) -> Chunks:
    """Chain the steps over a stream of tables; the first chunk must exist (maybe empty)."""
    if counts is not None:
        for index, step in enumerate(steps):
            counts.rows.setdefault(f"{index}:{step.kind}", 0)
    for index, step in enumerate(steps):
        shape = STEPS[step.kind].shape
        if shape == "batch":
            chunks = _batch(chunks, step, ctx)
        elif shape == "stream":
            chunks = _stream(chunks, step, ctx, options)
        else:
            chunks = _blocking(chunks, step, ctx, options)
        if counts is not None:
            chunks = counts.counted(f"{index}:{step.kind}", chunks)
    return chunks


def apply_steps(
    table: pa.Table, steps: Sequence[Step], ctx: StepContext, options: EngineOptions | None = None
) -> pa.Table:
    """Run the steps over one in-memory table (tests, `ogd check` on an empty table)."""
    out = list(run_steps(iter([table]), steps, ctx, options or EngineOptions()))
    return pa.concat_tables(out) if len(out) > 1 else out[0]
