"""What the steward pages show, without Flask: pipelines in scope, runs, grouped findings.

Validation findings are shown by location only (type, column, row): the full source
report kept for the steward (`<runs_dir>/<pipeline>/steward/*.validation.json`) holds
cell values, which may be personal data, so only its locations are read from it here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ogd.catalog import actions, authz
from ogd.catalog.actions import Context
from ogd.catalog.dictize import quality_of
from ogd.config import Settings
from ogd.errors import NotAuthorized, NotFound, OgdError
from ogd.pipeline import history
from ogd.pipeline.check import pipeline_files
from ogd.pipeline.history import RunRecord, list_runs
from ogd.pipeline.schedule import next_fire
from ogd.pipeline.spec import PipelineSpec, load_pipeline

log = logging.getLogger(__name__)
EXAMPLES = 5  # locations shown per group of findings
_RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{12}Z$")


@dataclass(frozen=True)
class Scope:
    """The organisations a steward sees (`read`) and may run and edit (`write`).

    None stands for every organisation (sysadmins).
    """

    read: frozenset[str] | None
    write: frozenset[str] | None

    def can_read(self, organization: str) -> bool:
        """The steward has a role in `organization`."""
        return self.read is None or organization in self.read

    def can_write(self, organization: str) -> bool:
        """The steward is editor or admin of `organization` (or a sysadmin)."""
        return self.write is None or organization in self.write


def scope_of(ctx: Context) -> Scope:
    """The scope of the calling steward, by organisation name."""
    if authz.is_sysadmin(ctx):
        return Scope(None, None)
    orgs = actions.organization_list_for_user(ctx, {"permission": "read"})
    read = frozenset(o["name"] for o in orgs)
    write = frozenset(o["name"] for o in orgs if o.get("capacity") in authz.EDIT_ROLES)
    return Scope(read, write)


@dataclass(frozen=True)
class PipelineRow:
    """One line of the dashboard."""

    spec: PipelineSpec
    last: RunRecord | None
    next_run: dt.datetime | None
    can_run: bool
    dataset: dict[str, Any] | None = None

    @property
    def title(self) -> str:
        """The German title (else the slug)."""
        return self.spec.metadata.title.get("de") or self.spec.slug

    @property
    def quality(self) -> dict[str, Any] | None:
        """The published dataset's quality score, when it carries one."""
        return quality_of(self.dataset) if self.dataset else None


def load_specs(settings: Settings) -> list[PipelineSpec]:
    """Every pipeline that parses (a broken file is `ogd check`'s business, not the page's)."""
    specs = []
    for path in pipeline_files(settings):
        try:
            specs.append(load_pipeline(path, settings.root))
        except OgdError as exc:
            log.warning("pipeline %s skipped: %s", path.name, exc)
    return specs


def find_spec(settings: Settings, name: str) -> PipelineSpec:
    """The pipeline called `name`.

    Raises:
        NotFound: no such pipeline (or it does not parse).
    """
    for spec in load_specs(settings):
        if spec.slug == name:
            return spec
    raise NotFound(f"no pipeline named {name}")


def _dataset(ctx: Context, name: str) -> dict[str, Any] | None:
    try:
        return actions.package_show(ctx, {"id": name})
    except (NotFound, NotAuthorized):
        return None


def dashboard(ctx: Context, scope: Scope, now: dt.datetime) -> list[PipelineRow]:
    """The pipelines of the steward's organisations: last and next run, published dataset."""
    settings = ctx.settings
    zone = ZoneInfo(settings.timezone)
    rows = []
    for spec in load_specs(settings):
        org = spec.metadata.organization
        if not scope.can_read(org):
            continue
        records = list_runs(ctx.session, spec.slug, 1)
        upcoming = next_fire(spec.schedule, now.astimezone(zone)) if spec.schedule else None
        last = records[0] if records else None
        rows.append(
            PipelineRow(spec, last, upcoming, scope.can_write(org), _dataset(ctx, spec.slug))
        )
    return rows


def find_run(session: Session, run_id: str) -> RunRecord:
    """The run record with this id.

    Raises:
        NotFound: malformed id or no such run.
    """
    record = history.find_run(session, run_id) if _RUN_ID.match(run_id) else None
    if record is None:
        raise NotFound(f"no run {run_id}")
    return record


def require_read(settings: Settings, scope: Scope, pipeline: str) -> PipelineSpec:
    """The pipeline, if the steward has a role in its organisation.

    Raises:
        NotFound: no such pipeline.
        NotAuthorized: not the steward's organisation.
    """
    spec = find_spec(settings, pipeline)
    if not scope.can_read(spec.metadata.organization):
        raise NotAuthorized(f"not a member of {spec.metadata.organization}")
    return spec


@dataclass(frozen=True)
class FindingGroup:
    """Validation errors of one type in one column: how many, and where the first are."""

    scope: str
    type: str
    title: str
    field: str
    count: int
    examples: tuple[tuple[int | None, int | None], ...]


def group_findings(scope: str, errors: Iterable[Mapping[str, Any]]) -> list[FindingGroup]:
    """Group frictionless-shaped errors by type and field; keep locations, never cells."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for entry in errors:
        key = (str(entry.get("type", "")), str(entry.get("fieldName") or ""))
        groups.setdefault(key, []).append(entry)
    return [
        FindingGroup(
            scope=scope,
            type=kind,
            title=str(items[0].get("title") or kind),
            field=field,
            count=len(items),
            examples=tuple((e.get("rowNumber"), e.get("fieldNumber")) for e in items[:EXAMPLES]),
        )
        for (kind, field), items in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]


def _steward_report(settings: Settings, record: RunRecord) -> Mapping[str, Any] | None:
    folder = settings.path(settings.runs_dir) / record.pipeline / "steward"
    for name in record.reports.get("steward_files") or []:
        if name.endswith(".validation.json") and Path(name).name == name:
            try:
                data = json.loads((folder / name).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            return data if isinstance(data, Mapping) else None
    return None


def _counted(scope: str, counts: Mapping[str, int]) -> list[FindingGroup]:
    """Groups from `type:field` counts alone (when the steward's file is gone)."""
    groups = []
    for name, count in counts.items():
        kind, _, field = name.partition(":")
        groups.append(FindingGroup(scope, kind, kind, "" if field == "-" else field, count, ()))
    return groups


def run_findings(settings: Settings, record: RunRecord) -> list[FindingGroup]:
    """The validation findings of a run: of the source, then of each output table."""
    source = record.reports.get("source_validation") or {}
    full = _steward_report(settings, record)
    name = str((record.reports.get("source") or {}).get("name") or "Quelle")
    if full is not None:
        found = group_findings(name, full.get("errors") or [])
    else:
        found = _counted(name, source.get("error_counts") or {})
    for key, report in record.reports.items():
        if key.startswith("validation:") and isinstance(report, Mapping):
            found += group_findings(key.partition(":")[2], report.get("errors") or [])
    return found


def release_privacy(ctx: Context, record: RunRecord) -> dict[str, Any] | None:
    """The privacy report of the release a run published (None when it published none)."""
    if not record.release_id:
        return None
    try:
        releases = actions.release_list(ctx, {"id": record.pipeline})
    except (NotFound, NotAuthorized):
        return None
    for release in releases:
        if release["id"] == record.release_id:
            privacy = (release.get("reports") or {}).get("privacy")
            return dict(privacy) if isinstance(privacy, Mapping) else None
    return None
