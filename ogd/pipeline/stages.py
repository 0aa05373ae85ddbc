"""The stages of a run: stage the validated source, then build each published table.

The source is read once, validated batch by batch, stripped of identifiers and written
to a Parquet file in the run's staging folder; every table streams from that file
through its steps, is validated against its schema, has small cells suppressed and is
written incrementally in each output format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ogd.anonymise import check_output, check_policy
from ogd.anonymise.protect import protect_aggregate, protect_microdata
from ogd.config import Settings, resolve_env
from ogd.errors import PrivacyError, SchemaError, SourceInvalid
from ogd.extract import READERS, Extract, SourceRequest
from ogd.pipeline.privacy import PrivacySpec
from ogd.pipeline.spec import PipelineSpec, TableSpec
from ogd.publish.writers import WRITERS, WrittenFile
from ogd.transform import EngineOptions, StepContext, StepCounts, run_steps
from ogd.validate import TableValidator, load_schema

Progress = Callable[[str, str, int], None]


def _silent(_pipeline: str, _stage: str, _rows: int) -> None:
    return None


@dataclass
class RunState:
    """What a run learns on its way; recorded in the run history."""

    rows_in: int = 0
    checksum: str = ""
    version: str = ""
    source_name: str = ""
    reports: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    rows_dropped: int = 0
    quarantine: Path | None = None
    source_report: dict[str, Any] | None = None
    steward_files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StagedTable:
    """A table written in each output format."""

    name: str
    rows: int
    files: dict[str, WrittenFile]


def schema_path(settings: Settings, name: str) -> Path:
    """Where the Table Schema `name` lives."""
    return settings.path(settings.schemas_dir) / f"{name}.schema.json"


def open_source(spec: PipelineSpec, settings: Settings, environ: Mapping[str, str]) -> Extract:
    """Ask the source's reader for its extract (secrets resolved from `environ`)."""
    options = resolve_env(
        {k: v for k, v in spec.source.options.items() if k != "on_invalid"}, environ
    )
    request = SourceRequest(
        options=options,
        sources_dir=settings.path(settings.sources_dir),
        where=spec.source.where,
        batch_rows=settings.batch_rows,
    )
    return READERS[spec.source.kind].read(request)


def _check_privacy(spec: PipelineSpec, extract: Extract) -> None:
    errors = check_policy(spec.privacy, extract.labels, extract.name)
    if errors:
        raise PrivacyError(
            "; ".join(e.message for e in errors), where=errors[0].where, hint=errors[0].hint
        )


def _validated(
    spec: PipelineSpec, settings: Settings, extract: Extract, state: RunState, folder: Path
) -> tuple[Iterator[pa.RecordBatch], TableValidator | None]:
    if spec.source.schema is None:
        return extract.batches, None
    on_invalid = str(spec.source.options.get("on_invalid", "fail"))
    schema = load_schema(schema_path(settings, spec.source.schema))
    validator = TableValidator(
        schema, source=extract.name, policy="fail" if on_invalid == "fail" else "drop"
    )
    validator.check_labels(extract.labels)
    quarantine = folder / "quarantine.csv" if on_invalid == "quarantine" else None

    def batches() -> Iterator[pa.RecordBatch]:
        row, writer = extract.first_row_number, None
        for batch in extract.batches:
            valid = validator.validate(batch, row)
            state.rows_dropped += batch.num_rows - valid.num_rows
            rejected = validator.rejected() if quarantine is not None else None
            if rejected is not None and rejected.num_rows:
                writer = writer or pacsv.CSVWriter(str(quarantine), _as_text(rejected).schema)
                writer.write_table(_as_text(rejected))
            yield valid
            row += batch.num_rows
        if writer is not None:
            writer.close()
            state.quarantine = quarantine

    return batches(), validator


def _as_text(batch: pa.RecordBatch) -> pa.Table:
    columns = [
        pc.binary_join(c, ",") if pa.types.is_list(c.type) else pc.cast(c, pa.string())
        for c in batch.columns
    ]
    return pa.table(columns, names=batch.schema.names)


def stage_source(
    spec: PipelineSpec,
    settings: Settings,
    extract: Extract,
    folder: Path,
    state: RunState,
    progress: Progress = _silent,
) -> Path:
    """Validate the extract and write it, without identifiers, to `folder/source.parquet`.

    Raises:
        PrivacyError: a column has no privacy role.
        SchemaError: the extract does not match its schema (nothing is written further).
    """
    _check_privacy(spec, extract)
    batches, validator = _validated(spec, settings, extract, state, folder)
    pseudonyms = spec.privacy.pseudonymise
    key = pseudonym_key(settings, spec) if pseudonyms else b""
    identifiers = set(spec.privacy.columns_with("identifier")) - set(
        pseudonyms.columns if pseudonyms else ()
    )
    digest = hashlib.sha256()
    path = folder / "source.parquet"
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    for batch in batches:
        digest.update(batch.serialize())
        table = pa.Table.from_batches([batch])
        table = table.drop_columns([c for c in table.column_names if c in identifiers])
        if pseudonyms is not None:
            table = _pseudonymised(table, pseudonyms.columns, key, pseudonyms.purpose)
        schema = schema or table.schema
        if writer is None:
            writer = pq.ParquetWriter(str(path), schema, compression="zstd")
        writer.write_table(_conform(table, schema, extract.name))
        state.rows_in += batch.num_rows
        progress(spec.slug, "validate", state.rows_in)
    state.rows_in += state.rows_dropped  # rows read, valid or not
    if writer is None:
        schema = pa.schema(
            [pa.field(n, pa.string()) for n in extract.labels if n not in identifiers]
        )
        writer = pq.ParquetWriter(str(path), schema)
    writer.close()
    if validator is not None:
        _finish_validation(spec, validator, extract, state)
    state.checksum = extract.fingerprint or digest.hexdigest()
    return path


def pseudonym_key(settings: Settings, spec: PipelineSpec) -> bytes:
    """The pseudonymisation key, or a PrivacyError (never showing it) that stops the run."""
    from ogd.anonymise.pseudonymise import load_key

    file = settings.key_file
    try:
        return bytes(
            load_key(file=file if file.is_file() else None, value=settings.pseudonym_key or None)
        )
    except PrivacyError as exc:
        raise PrivacyError(
            exc.message,
            where=f"{spec.privacy.where}.pseudonymise",
            hint="set OGD_PSEUDONYM_KEY or put the key in the file named by pseudonym_key_file "
            "(`ogd demo` creates one for the demo instance)",
        ) from None


def _pseudonymised(table: pa.Table, columns: tuple[str, ...], key: bytes, purpose: str) -> pa.Table:
    from ogd.anonymise.pseudonymise import pseudonymise

    for name in columns:
        if name in table.column_names:
            kind = "ahv" if "ahv" in name.lower() else "text"
            values = pseudonymise(
                pc.cast(table[name], pa.string()).combine_chunks(), key, purpose, kind
            )
            table = table.set_column(table.column_names.index(name), name, values)
    return table


def _conform(table: pa.Table, schema: pa.Schema, name: str) -> pa.Table:
    if table.schema.equals(schema):
        return table
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, KeyError) as exc:
        raise SourceInvalid(
            f"the columns of {name} change type or name between batches: {exc}",
            where=name,
            hint="give the source a Table Schema (`source.schema`) so values are typed",
        ) from None


def _finish_validation(
    spec: PipelineSpec, validator: TableValidator, extract: Extract, state: RunState
) -> None:
    report = validator.finish()
    summary = report.to_dict()
    counts: dict[str, int] = {}
    for entry in summary["errors"]:
        name = f"{entry['type']}:{entry.get('fieldName') or '-'}"
        counts[name] = counts.get(name, 0) + 1
    # Published beside the data, so counts only: no cell value of the extract.
    state.reports["source_validation"] = {
        "valid": summary["valid"],
        "stats": summary["stats"],
        "error_counts": counts,
        "policy": spec.source.options.get("on_invalid", "fail"),
        "rows_dropped": state.rows_dropped,
    }
    state.source_report = summary
    if not report.valid and state.rows_dropped == 0:
        raise SchemaError(
            f"the source does not match schema `{spec.source.schema}`:\n{report.summary()}",
            where=extract.name,
            hint="correct the extract (or the schema) and run again; nothing was published",
        )


def source_chunks(path: Path, batch_rows: int) -> Iterator[pa.Table]:
    """The staged source as a stream of tables; an empty source yields one empty table."""
    parquet = pq.ParquetFile(str(path))
    empty = True
    for batch in parquet.iter_batches(batch_size=batch_rows):
        empty = False
        yield pa.Table.from_batches([batch])
    if empty:
        yield parquet.schema_arrow.empty_table()


def published_schema(descriptor: dict[str, Any], spec: PipelineSpec) -> dict[str, Any]:
    """The schema as published: a protected count is empty, 0 (a zero margin) or >= threshold."""
    threshold = spec.privacy.small_cell_threshold
    protected = set(spec.privacy.small_cell_columns) | set(spec.privacy.small_cell_linked)
    for field_ in descriptor.get("fields", []):
        if field_["name"] in protected:
            constraints = dict(field_.get("constraints", {}))
            constraints.pop("required", None)
            if constraints.get("minimum", 0) > 0:
                constraints["minimum"] = 0
            field_["constraints"] = constraints
            note = (
                f"Leer: weniger als {threshold}, oder zum Schutz vor Rückrechnung gesperrt."
                if field_["name"] in spec.privacy.small_cell_columns
                else "Leer, wo die zugehörige Anzahl gesperrt ist."
            )
            field_["description"] = f"{field_.get('description', '')} {note}".strip()
    return descriptor


def _protected(
    chunks: Iterator[pa.Table],
    spec: PipelineSpec,
    settings: Settings,
    name: str,
    state: RunState,
) -> Iterator[pa.Table]:
    """The privacy treatment, which needs the whole table: microdata search or cell suppression."""
    privacy = spec.privacy
    first = next(chunks)
    check_output(first, privacy, name)
    counts = [c for c in privacy.small_cell_columns if c in first.column_names]
    if privacy.microdata is None and not counts:
        state.reports.setdefault("privacy", {})[name] = _plain_privacy(privacy)
        return chain([first], chunks)
    table = pa.concat_tables([first, *chunks])
    if privacy.microdata is not None:
        folder = settings.path(settings.hierarchies_dir)
        table, report = protect_microdata(table, privacy, folder, name)
    else:
        table, report = protect_aggregate(table, privacy, name)
    state.reports.setdefault("privacy", {})[name] = {**_plain_privacy(privacy), **report}
    return iter([table])


def _plain_privacy(privacy: PrivacySpec) -> dict[str, Any]:
    return {
        "identifiers_dropped": privacy.columns_with("identifier"),
        "pseudonymised": list(privacy.pseudonymise.columns) if privacy.pseudonymise else [],
        "small_cell_threshold": privacy.small_cell_threshold,
        "small_cell_columns": list(privacy.small_cell_columns),
    }


def build_table(
    spec: PipelineSpec,
    settings: Settings,
    table_spec: TableSpec,
    source: Path,
    folder: Path,
    state: RunState,
    progress: Progress = _silent,
) -> StagedTable:
    """Stream one table from the staged source into its output files.

    Raises:
        SpecError: a step refers to something that is not there.
        SchemaError: the output does not match the table's schema.
        PrivacyError: the privacy policy is not met (an identifier, k, l, a small cell).
    """
    schema = load_schema(schema_path(settings, table_spec.schema))
    published = published_schema(schema.to_descriptor(), spec)
    state.schemas[table_spec.name] = published
    ctx = StepContext(settings.path(settings.lookups_dir))
    engine = EngineOptions(memory_limit=settings.duckdb_memory_limit, temp_dir=folder / "duckdb")
    counts = StepCounts()
    chunks = run_steps(
        source_chunks(source, settings.batch_rows), table_spec.steps, ctx, engine, counts
    )
    chunks = _protected(chunks, spec, settings, table_spec.name, state)
    validator = TableValidator(
        frictionless.Schema.from_descriptor(published), source=table_spec.name, policy="fail"
    )
    writers: dict[str, Any] = {}
    rows = 0
    for chunk in chunks:
        if not writers:
            validator.check_labels(chunk.column_names)
        for batch in chunk.to_batches() or [_empty_batch(chunk.schema)]:
            typed = pa.Table.from_batches([validator.validate(batch, rows + 2)])
            if not writers:
                writers = _open_writers(spec, table_spec, folder, typed.schema)
            for writer in writers.values():
                writer.write(typed)
            rows += typed.num_rows
        progress(spec.slug, f"table {table_spec.name}", rows)
    files = {fmt: writer.close() for fmt, writer in writers.items()}
    _finish_table(spec, table_spec, validator, state, rows, counts)
    return StagedTable(table_spec.name, rows, files)


def _empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array([], f.type) for f in schema], schema=schema)


def _open_writers(
    spec: PipelineSpec, table_spec: TableSpec, folder: Path, schema: pa.Schema
) -> dict[str, Any]:
    return {
        fmt: WRITERS[fmt][2](folder / f"{table_spec.name}.{fmt}", schema) for fmt in spec.outputs
    }


def _finish_table(
    spec: PipelineSpec,
    table_spec: TableSpec,
    validator: TableValidator,
    state: RunState,
    rows: int,
    counts: StepCounts,
) -> None:
    report = validator.finish()
    state.reports[f"validation:{table_spec.name}"] = report.to_dict()
    if not report.valid:
        raise SchemaError(
            f"the pipeline's output does not match schema `{table_spec.schema}`:\n"
            f"{report.summary()}",
            where=table_spec.where,
            hint="fix the steps or the schema",
        )
    state.reports.setdefault("privacy", {}).setdefault(table_spec.name, {})["rows"] = rows
    state.tables[table_spec.name] = rows
    state.steps.append(
        {"table": table_spec.name, "rows_in": state.rows_in, "steps": counts.rows, "rows_out": rows}
    )
