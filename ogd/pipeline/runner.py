"""Wires the stages for one pipeline and records the run; the only orchestrator.

extract -> validate source -> drop identifiers -> steps -> validate table ->
suppress small cells -> write -> upload -> one catalogue transaction.
A run that fails at any stage publishes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ogd.anonymise import (
    check_output,
    check_policy,
    drop_identifiers,
    suppress_small_cells,
)
from ogd.catalog.db import SessionFactory
from ogd.catalog.publishing import (
    DatasetRecord,
    PublishedFile,
    ReleaseRecord,
    last_release,
)
from ogd.config import Settings
from ogd.errors import OgdError, PrivacyError, SchemaError, SourceInvalid
from ogd.extract import READERS
from ogd.pipeline.history import RunRecord, save_run
from ogd.pipeline.spec import PipelineSpec, TableSpec
from ogd.publish.releases import new_release_id, publish_release, storage_key
from ogd.publish.storage import Storage
from ogd.publish.writers import write_csv, write_json, write_parquet
from ogd.transform import apply_steps
from ogd.validate import TableValidator, load_schema, validate_table

log = logging.getLogger(__name__)
Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class RunResult:
    """What a run did."""

    pipeline: str
    outcome: str  # published | unchanged | dry-run | failed
    rows_in: int = 0
    rows_out: int = 0
    release_id: str | None = None
    error: OgdError | None = None
    seconds: float = 0.0
    tables: dict[str, pa.Table] = field(default_factory=dict, repr=False)
    reports: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class _State:
    rows_in: int = 0
    checksum: str = ""
    version: str = ""
    reports: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _schema_path(settings: Settings, name: str) -> Path:
    return settings.path(settings.schemas_dir) / f"{name}.schema.json"


def pipeline_version(spec: PipelineSpec, settings: Settings) -> str:
    """Hash of the pipeline file and every schema it names."""
    digest = hashlib.sha256(spec.text_hash.encode())
    names = [t.schema for t in spec.tables] + ([spec.source.schema] if spec.source.schema else [])
    for name in names:
        path = _schema_path(settings, name)
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def _source_path(spec: PipelineSpec, settings: Settings) -> Path:
    folder = settings.path(settings.sources_dir)
    path = (folder / spec.source.path).resolve()
    if not path.is_relative_to(folder):
        raise SourceInvalid("the source path leaves the sources folder", where=spec.source.where)
    if not path.is_file():
        raise SourceInvalid(
            f"source file `{spec.source.path}` not found in {folder}",
            where=spec.source.where,
            hint="run `ogd demo` to generate the demo sources, or put the extract there",
        )
    return path


def _extract(spec: PipelineSpec, settings: Settings, path: Path, state: _State) -> pa.Table:
    extract = READERS[spec.source.kind].read(path, spec.source.options, path.name)
    errors = check_policy(spec.privacy, extract.labels, path.name)
    if errors:
        raise PrivacyError(
            "; ".join(e.message for e in errors),
            where=errors[0].where,
            hint=errors[0].hint,
        )
    if spec.source.schema is None:
        batches = list(extract.batches)
        table = pa.Table.from_batches(batches) if batches else pa.table({})
        state.rows_in = table.num_rows
        return table
    schema = load_schema(_schema_path(settings, spec.source.schema))
    validator = TableValidator(schema, source=path.name, policy="fail")
    validator.check_labels(extract.labels)
    typed, row = [], extract.first_row_number
    for batch in extract.batches:
        typed.append(validator.validate(batch, row))
        row += batch.num_rows
    report = validator.finish()
    state.rows_in = report.rows
    # Published beside the data, so only counts: no cell value of the extract may appear.
    summary = report.to_dict()
    counts: dict[str, int] = {}
    for entry in summary["errors"]:
        name = f"{entry['type']}:{entry.get('fieldName') or '-'}"
        counts[name] = counts.get(name, 0) + 1
    state.reports["source_validation"] = {
        "valid": summary["valid"],
        "stats": summary["stats"],
        "error_counts": counts,
    }
    if not report.valid:
        raise SchemaError(
            f"the source does not match schema `{spec.source.schema}`:\n{report.summary()}",
            where=path.name,
            hint="correct the extract (or the schema) and run again; nothing was published",
        )
    return pa.Table.from_batches(typed)


def _build_table(
    spec: PipelineSpec,
    settings: Settings,
    table_spec: TableSpec,
    source: pa.Table,
    state: _State,
) -> pa.Table:
    table = apply_steps(source, table_spec.steps)
    schema = load_schema(_schema_path(settings, table_spec.schema))
    state.schemas[table_spec.name] = _published_schema(schema.to_descriptor(), spec)
    table, report = validate_table(table, schema, source=table_spec.name, first_row_number=1)
    state.reports[f"validation:{table_spec.name}"] = report.to_dict()
    if not report.valid:
        raise SchemaError(
            f"the pipeline's output does not match schema `{table_spec.schema}`:\n"
            f"{report.summary()}",
            where=table_spec.where,
            hint="fix the steps or the schema",
        )
    privacy = spec.privacy
    table, suppressed = suppress_small_cells(
        table, privacy.small_cell_columns, privacy.small_cell_threshold
    )
    check_output(table, privacy, table_spec.name)
    state.reports.setdefault("privacy", {})[table_spec.name] = {
        "identifiers_dropped": privacy.columns_with("identifier"),
        "small_cell_threshold": privacy.small_cell_threshold,
        "small_cell_columns": list(privacy.small_cell_columns),
        "cells_suppressed": suppressed,
        "rows": table.num_rows,
    }
    state.steps.append({"table": table_spec.name, "rows_out": table.num_rows})
    return table


def _published_schema(descriptor: dict[str, Any], spec: PipelineSpec) -> dict[str, Any]:
    """The schema as published: suppressed counts may be empty, else at least the threshold."""
    threshold = spec.privacy.small_cell_threshold
    for field_ in descriptor.get("fields", []):
        if field_["name"] in spec.privacy.small_cell_columns:
            constraints = dict(field_.get("constraints", {}))
            constraints.pop("required", None)
            constraints["minimum"] = max(int(constraints.get("minimum", 0)), threshold)
            field_["constraints"] = constraints
    return descriptor


def _dataset_record(spec: PipelineSpec) -> DatasetRecord:
    meta = spec.metadata
    extras: dict[str, Any] = {
        "identifier": f"{spec.slug}@{meta.organization}",
        "pipeline": spec.slug,
        "keywords": {k: list(v) for k, v in meta.keywords.items()},
    }
    for key, value in (
        ("accrual_periodicity", meta.frequency),
        ("spatial", meta.spatial),
        ("documentation", meta.documentation),
        ("temporal_start", meta.temporal.get("start")),
        ("temporal_end", meta.temporal.get("end")),
    ):
        if value:
            extras[key] = value
    return DatasetRecord(
        name=spec.slug,
        title=meta.title,
        notes=meta.description,
        organization=meta.organization,
        license=meta.license,
        themes=meta.themes,
        tags=list(meta.keywords.get("de", ())),
        maintainer=meta.contact.name if meta.contact else None,
        maintainer_email=meta.contact.email if meta.contact else None,
        url=meta.landing_page,
        extras=extras,
        pipeline=spec.slug,
    )


FORMATS = {
    "csv": ("CSV", "text/csv", write_csv),
    "parquet": ("Parquet", "application/vnd.apache.parquet", write_parquet),
}


def _stage(
    spec: PipelineSpec,
    tables: dict[str, pa.Table],
    release_id: str,
    folder: Path,
    state: _State,
) -> list[tuple[Path, PublishedFile]]:
    staged: list[tuple[Path, PublishedFile]] = []
    package_resources = []
    for table_spec in spec.tables:
        table = tables[table_spec.name]
        title = table_spec.title.get("de") or spec.metadata.title.get("de", spec.slug)
        for output in spec.outputs:
            fmt, mime, writer = FORMATS[output]
            filename = f"{table_spec.name}.{output}"
            written = writer(table, folder / filename)
            published = PublishedFile(
                key=f"{table_spec.name}.{output}",
                name=f"{title} ({fmt})",
                description=spec.metadata.description.get("de", ""),
                format=fmt,
                mimetype=mime,
                filename=filename,
                storage_key=storage_key(spec.slug, release_id, filename),
                size=written.size,
                sha256=written.sha256,
                rows=table.num_rows,
            )
            staged.append((written.path, published))
            package_resources.append(
                {
                    "name": f"{table_spec.name}-{output}",
                    "path": filename,
                    "format": output,
                    "mediatype": mime,
                    "bytes": written.size,
                    "hash": f"sha256:{written.sha256}",
                    **({"encoding": "utf-8"} if output == "csv" else {}),
                    "schema": state.schemas[table_spec.name],
                }
            )
    reports = write_json(state.reports, folder / "reports.json")
    staged.append((reports.path, _file(spec, release_id, "reports.json", reports, "Berichte")))
    package = {
        "name": spec.slug,
        "title": spec.metadata.title.get("de"),
        "id": release_id,
        "description": spec.metadata.description.get("de"),
        "licenses": [{"name": spec.metadata.license}],
        "keywords": list(spec.metadata.keywords.get("de", ())),
        "resources": package_resources,
    }
    written = write_json(package, folder / "datapackage.json")
    staged.append(
        (
            written.path,
            _file(
                spec,
                release_id,
                "datapackage.json",
                written,
                "Data Package (datapackage.json)",
            ),
        )
    )
    return staged


def _file(
    spec: PipelineSpec, release_id: str, filename: str, written: Any, name: str
) -> PublishedFile:
    return PublishedFile(
        key=filename,
        name=name,
        description="",
        format="JSON",
        mimetype="application/json",
        filename=filename,
        storage_key=storage_key(spec.slug, release_id, filename),
        size=written.size,
        sha256=written.sha256,
    )


def run_pipeline(
    spec: PipelineSpec,
    settings: Settings,
    sessions: SessionFactory,
    storage: Storage,
    *,
    force: bool = False,
    dry_run: bool = False,
    user: str = "cli",
) -> RunResult:
    """Run one pipeline; never raises for a pipeline failure (the result says `failed`)."""
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    state = _State()
    release_id: str | None = None
    tables: dict[str, pa.Table] = {}
    try:
        path = _source_path(spec, settings)
        state.checksum, state.version = _sha256(path), pipeline_version(spec, settings)
        with sessions() as session:
            last = last_release(session, spec.slug)
        if (
            not force
            and not dry_run
            and last is not None
            and last.source_checksum == state.checksum
            and last.pipeline_version == state.version
        ):
            outcome = "unchanged"
        else:
            source = drop_identifiers(_extract(spec, settings, path, state), spec.privacy)
            for table_spec in spec.tables:
                tables[table_spec.name] = _build_table(spec, settings, table_spec, source, state)
            outcome = "dry-run" if dry_run else "published"
            if not dry_run:
                release_id = new_release_id()
                _publish(spec, sessions, storage, tables, release_id, state)
        error = None
    except OgdError as exc:
        outcome, error, release_id = "failed", exc, None
    rows_out = sum(t.num_rows for t in tables.values())
    _record(settings, spec, started, user, state, rows_out, outcome, release_id, error)
    return RunResult(
        spec.slug,
        outcome,
        state.rows_in,
        rows_out,
        release_id,
        error,
        time.monotonic() - clock,
        tables,
        state.reports,
    )


def _publish(
    spec: PipelineSpec,
    sessions: SessionFactory,
    storage: Storage,
    tables: dict[str, pa.Table],
    release_id: str,
    state: _State,
) -> None:
    with tempfile.TemporaryDirectory(prefix=f"ogd-{spec.slug}-") as tmp:
        staged = _stage(spec, tables, release_id, Path(tmp), state)
        record = ReleaseRecord(
            id=release_id,
            dataset=_dataset_record(spec),
            files=[p for _, p in staged],
            rows=sum(t.num_rows for t in tables.values()),
            source_checksum=state.checksum,
            pipeline_version=state.version,
            reports=state.reports,
        )
        publish_release(sessions, storage, record, staged)


def _record(
    settings: Settings,
    spec: PipelineSpec,
    started: dt.datetime,
    user: str,
    state: _State,
    rows_out: int,
    outcome: str,
    release_id: str | None,
    error: OgdError | None,
) -> None:
    ended = dt.datetime.now(dt.UTC)
    record = RunRecord(
        id=f"{started:%Y%m%dT%H%M%S%f}Z",
        pipeline=spec.slug,
        started=started.isoformat(),
        ended=ended.isoformat(),
        user=user,
        pipeline_version=state.version,
        source_checksum=state.checksum,
        rows_in=state.rows_in,
        rows_out=rows_out,
        outcome=outcome,
        release_id=release_id,
        error=str(error) if error else None,
        steps=state.steps,
        reports={k: v for k, v in state.reports.items() if k != "privacy"},
    )
    try:
        save_run(settings.path(settings.runs_dir), record)
    except OSError as exc:
        log.warning("could not save the run record: %s", exc)
