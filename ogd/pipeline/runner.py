"""Wires the stages for one pipeline and records the run; the only orchestrator.

extract -> validate source -> drop identifiers -> (staged Parquet) -> per table: steps ->
validate -> suppress small cells -> write -> upload -> one catalogue transaction.
A run that fails at any stage publishes nothing and leaves the previous release serving.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogd.catalog.db import SessionFactory
from ogd.catalog.locks import run_lock
from ogd.catalog.publishing import DatasetRecord, PublishedFile, ReleaseRecord, last_release
from ogd.config import Settings
from ogd.errors import OgdError
from ogd.pipeline.history import RunRecord, save_run
from ogd.pipeline.spec import PipelineSpec
from ogd.pipeline.stages import (
    RunState,
    StagedTable,
    build_table,
    open_source,
    schema_path,
    stage_source,
)
from ogd.publish.releases import new_release_id, publish_release, storage_key
from ogd.publish.storage import Storage
from ogd.publish.writers import WRITERS, WrittenFile, write_json

log = logging.getLogger(__name__)
Progress = Callable[[str, str, int], None]


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
    tables: dict[str, int] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict, repr=False)
    steps: list[dict[str, Any]] = field(default_factory=list, repr=False)


def _no_progress(_pipeline: str, _stage: str, _rows: int) -> None:
    return None


def pipeline_version(spec: PipelineSpec, settings: Settings) -> str:
    """Hash of the pipeline file and every schema and lookup table it names."""
    digest = hashlib.sha256(spec.text_hash.encode())
    names = [t.schema for t in spec.tables] + ([spec.source.schema] if spec.source.schema else [])
    for name in names:
        path = schema_path(settings, name)
        digest.update(path.read_bytes() if path.exists() else b"")
    lookups = settings.path(settings.lookups_dir)
    for table in spec.tables:
        for step in table.steps:
            if "lookup" in step.options:
                path = lookups / str(step.options["lookup"])
                digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def _is_unchanged(
    spec: PipelineSpec, sessions: SessionFactory, state: RunState, force: bool
) -> bool:
    if force:
        return False
    with sessions() as session:
        last = last_release(session, spec.slug)
    return (
        last is not None
        and last.source_checksum == state.checksum
        and last.pipeline_version == state.version
    )


def _keep_for_steward(settings: Settings, spec: PipelineSpec, state: RunState) -> None:
    """The full validation report and quarantined rows: steward-only files of the run.

    They may hold cell values of personal data, so they stay in the runs folder, readable
    by the owner only, and are never published.
    """
    folder = settings.path(settings.runs_dir) / spec.slug / "steward"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    if state.source_report is not None:
        path = folder / f"{stamp}.validation.json"
        path.write_text(
            json.dumps(state.source_report, ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
        path.chmod(0o600)
        state.steward_files.append(path.name)
    if state.quarantine is not None and state.quarantine.exists():
        target = folder / f"{stamp}.quarantine.csv"
        shutil.move(str(state.quarantine), target)
        target.chmod(0o600)
        state.steward_files.append(target.name)


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
        ("spatial_uri", list(meta.spatial_uri)),
        ("language", list(meta.language)),
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


def _published(
    spec: PipelineSpec,
    release_id: str,
    key: str,
    filename: str,
    written: WrittenFile,
    name: str,
    fmt: str,
    mime: str,
    rows: int | None = None,
) -> tuple[Path, PublishedFile]:
    return written.path, PublishedFile(
        key=key,
        name=name,
        description=spec.metadata.description.get("de", ""),
        format=fmt,
        mimetype=mime,
        filename=filename,
        storage_key=storage_key(spec.slug, release_id, filename),
        size=written.size,
        sha256=written.sha256,
        rows=rows,
        sha1=written.sha1,
    )


def _package_descriptor(
    spec: PipelineSpec, settings: Settings, release_id: str, resources: list[dict[str, Any]]
) -> dict[str, Any]:
    """The release's Frictionless Data Package: metadata, licence, sources, contributors."""
    from ogd.catalog.vocab import load_vocabulary

    meta = spec.metadata
    vocab = load_vocabulary(settings.path(settings.catalog_dir), settings.root)
    licence = vocab.licenses.get(meta.license, {})
    org = vocab.organizations.get(meta.organization, {})
    org_title = (org.get("title") or {}).get("de") if isinstance(org.get("title"), dict) else None
    org_title = org_title or str(org.get("title") or meta.organization)
    titles = licence.get("title") or {}
    site = settings.site_url.rstrip("/")
    contributors: list[dict[str, Any]] = [
        {"title": org_title, "role": "publisher", "path": org.get("url"), "email": org.get("email")}
    ]
    if meta.contact is not None:
        contributors.append(
            {"title": meta.contact.name, "email": meta.contact.email, "role": "maintainer"}
        )
    return {
        "profile": "tabular-data-package",
        "name": spec.slug,
        "id": release_id,
        "title": meta.title.get("de"),
        "description": meta.description.get("de"),
        "homepage": f"{site}/dataset/{spec.slug}",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [
            {
                "name": meta.license,
                "path": licence.get("url"),
                "title": titles.get("de") if isinstance(titles, dict) else str(titles),
            }
        ],
        "sources": [
            {
                "title": f"{org_title}, Stadt Luzern: {spec.source.kind} extract "
                "(administrative data, anonymised before publication)",
                "path": meta.landing_page or org.get("url") or f"{site}/dataset/{spec.slug}",
            }
        ],
        "contributors": [{k: v for k, v in c.items() if v} for c in contributors],
        "keywords": list(meta.keywords.get("de", ())),
        "resources": resources,
    }


def _stage_files(
    spec: PipelineSpec,
    settings: Settings,
    tables: list[StagedTable],
    release_id: str,
    folder: Path,
    state: RunState,
) -> list[tuple[Path, PublishedFile]]:
    staged, package_resources = [], []
    for table_spec, table in zip(spec.tables, tables, strict=True):
        title = table_spec.title.get("de") or spec.metadata.title.get("de", spec.slug)
        for fmt_key, written in table.files.items():
            fmt, mime, _ = WRITERS[fmt_key]
            filename = written.path.name
            staged.append(
                _published(
                    spec,
                    release_id,
                    filename,
                    filename,
                    written,
                    f"{title} ({fmt})",
                    fmt,
                    mime,
                    table.rows,
                )
            )
            package_resources.append(
                {
                    "name": f"{table.name}-{fmt_key}",
                    "profile": "tabular-data-resource",
                    "path": filename,
                    "format": fmt_key,
                    "mediatype": mime,
                    "bytes": written.size,
                    "hash": f"sha256:{written.sha256}",
                    **({"encoding": "utf-8"} if fmt_key in ("csv", "json") else {}),
                    "schema": state.schemas[table.name],
                }
            )
    reports = write_json(state.reports, folder / "reports.json")
    staged.append(
        _published(
            spec,
            release_id,
            "reports.json",
            "reports.json",
            reports,
            "Berichte (Validierung und Datenschutz)",
            "JSON",
            "application/json",
        )
    )
    package = _package_descriptor(spec, settings, release_id, package_resources)
    written = write_json(package, folder / "datapackage.json")
    staged.append(
        _published(
            spec,
            release_id,
            "datapackage.json",
            "datapackage.json",
            written,
            "Data Package (datapackage.json)",
            "JSON",
            "application/json",
        )
    )
    return staged


def _execute(
    spec: PipelineSpec,
    settings: Settings,
    sessions: SessionFactory,
    storage: Storage,
    state: RunState,
    *,
    force: bool,
    dry_run: bool,
    environ: Mapping[str, str],
    progress: Progress,
) -> tuple[str, str | None]:
    state.version = pipeline_version(spec, settings)
    progress(spec.slug, "extract", 0)
    extract = open_source(spec, settings, environ)
    state.source_name = extract.name
    if extract.fingerprint is not None:
        state.checksum = extract.fingerprint
        if not dry_run and _is_unchanged(spec, sessions, state, force):
            return "unchanged", None
    with tempfile.TemporaryDirectory(prefix=f"ogd-{spec.slug}-") as tmp:
        folder = Path(tmp)
        progress(spec.slug, "validate", 0)
        try:
            source = stage_source(spec, settings, extract, folder, state, progress)
        finally:
            _keep_for_steward(settings, spec, state)
        state.reports["source"] = {"name": extract.name, **dict(extract.details)}
        if extract.details.get("ignored_keys"):
            log.warning(
                "%s: keys ignored in the source: %s", spec.slug, extract.details["ignored_keys"]
            )
        if not dry_run and _is_unchanged(spec, sessions, state, force):
            return "unchanged", None
        tables = []
        for table_spec in spec.tables:
            progress(spec.slug, f"table {table_spec.name}", 0)
            tables.append(build_table(spec, settings, table_spec, source, folder, state, progress))
        if dry_run:
            return "dry-run", None
        progress(spec.slug, "publish", 0)
        release_id = new_release_id()
        staged = _stage_files(spec, settings, tables, release_id, folder, state)
        record = ReleaseRecord(
            id=release_id,
            dataset=_dataset_record(spec),
            files=[p for _, p in staged],
            rows=sum(t.rows for t in tables),
            source_checksum=state.checksum,
            pipeline_version=state.version,
            reports=state.reports,
        )
        # The DataStore's full-text index of large tables is built at the first `q` query:
        # building it here (`ogd.datastore.prepare_published`) raised the run's peak memory
        # by ~300 MB at 2 million rows, above the streaming bound; it waits for a bounded
        # build.
        publish_release(sessions, storage, record, staged)
        return "published", release_id


def run_pipeline(
    spec: PipelineSpec,
    settings: Settings,
    sessions: SessionFactory,
    storage: Storage,
    *,
    force: bool = False,
    dry_run: bool = False,
    user: str = "cli",
    environ: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run one pipeline; a pipeline failure is a result (`failed`), never an exception."""
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    state = RunState()
    error: OgdError | None = None
    release_id: str | None = None
    try:
        with _lock(spec, settings, sessions, dry_run):
            outcome, release_id = _execute(
                spec,
                settings,
                sessions,
                storage,
                state,
                force=force,
                dry_run=dry_run,
                environ=environ or {},
                progress=progress or _no_progress,
            )
    except OgdError as exc:
        outcome, error = "failed", exc
    rows_out = sum(state.tables.values())
    _record(sessions, spec, started, user, state, rows_out, outcome, release_id, error)
    return RunResult(
        spec.slug,
        outcome,
        state.rows_in,
        rows_out,
        release_id,
        error,
        time.monotonic() - clock,
        dict(state.tables),
        state.reports,
        state.steps,
    )


def _lock(
    spec: PipelineSpec, settings: Settings, sessions: SessionFactory, dry_run: bool
) -> contextlib.AbstractContextManager[None]:
    """The pipeline's run lock (`ogd.catalog.locks`); a dry run publishes nothing, needs none."""
    if dry_run:
        return contextlib.nullcontext()
    lock_dir = settings.path(settings.instance_dir) / "locks"
    return run_lock(sessions.kw["bind"], lock_dir, spec.slug)


def _record(
    sessions: SessionFactory,
    spec: PipelineSpec,
    started: dt.datetime,
    user: str,
    state: RunState,
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
        reports={
            **{k: v for k, v in state.reports.items() if not k.startswith("privacy")},
            "steward_files": state.steward_files,
        },
    )
    with sessions() as session:
        save_run(session, record)
