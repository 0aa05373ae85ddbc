"""The steward pages (on the portal blueprint), behind the login: dashboard, runs, run now.

Stewards see the pipelines of their organisations (any role; sysadmins all of them);
editors and admins of the pipeline's organisation (and sysadmins) may start a run. The
metadata form and API tokens are in `portal_steward_edit`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ogd.errors import NotAuthorized, NotFound
from ogd.pipeline.history import list_runs
from ogd.pipeline.spec import PipelineSpec
from ogd.web import background
from ogd.web.app import get_context, get_instance, get_session
from ogd.web.auth import login_required, session_user
from ogd.web.portal import bp
from ogd.web.steward import (
    Scope,
    dashboard,
    find_run,
    load_specs,
    release_privacy,
    require_read,
    run_findings,
    scope_of,
)


def deny() -> NoReturn:
    """End the request with the 403 page."""
    page = render_template(
        "error.html",
        code=403,
        title=_("Keine Berechtigung"),
        text=_("Diese Seite ist den Datenverantwortlichen der Organisation vorbehalten."),
    )
    abort(make_response(page, 403))


def _scope() -> Scope:
    return scope_of(get_context())


def _pipeline(name: str, *, write: bool = False) -> PipelineSpec:
    """The pipeline if the steward may see it (and run it, with `write`); else 404 or 403."""
    scope = _scope()
    try:
        spec = require_read(get_instance().settings, scope, name)
    except NotFound:
        abort(404)
    except NotAuthorized:
        deny()
    if write and not scope.can_write(spec.metadata.organization):
        deny()
    return spec


@bp.app_template_filter("steward_time")
def steward_time(value: str | dt.datetime | None) -> str:
    """A time as `dd.mm.yyyy HH:MM` in the city's time zone."""
    if not value:
        return ""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(ZoneInfo(get_instance().settings.timezone)).strftime("%d.%m.%Y %H:%M")


@bp.get("/steward/")
@login_required
def steward_dashboard() -> str:
    """The pipelines of the steward's organisations: last run, next run, quality."""
    ctx = get_context()
    rows = dashboard(ctx, scope_of(ctx), dt.datetime.now(dt.UTC))
    return render_template("steward/dashboard.html", rows=rows)


@bp.get("/steward/runs")
@login_required
def steward_runs() -> str:
    """The recorded runs of the steward's pipelines with outcome and validation findings."""
    settings = get_instance().settings
    scope = _scope()
    pipeline = request.args.get("pipeline") or None
    orgs = {spec.slug: spec.metadata.organization for spec in load_specs(settings)}
    records = [
        r
        for r in list_runs(get_session(), pipeline, 1000)
        if scope.read is None or scope.can_read(orgs.get(r.pipeline, ""))
    ][:200]
    return render_template("steward/runs.html", records=records, pipeline=pipeline)


@bp.get("/steward/runs/<run_id>")
@login_required
def steward_run(run_id: str) -> str:
    """One run: rows per table and step, grouped validation findings, privacy report, log."""
    settings = get_instance().settings
    try:
        record = find_run(get_session(), run_id)
    except NotFound:
        abort(404)
    spec = _pipeline(record.pipeline)
    return render_template(
        "steward/run.html",
        record=record,
        spec=spec,
        findings=run_findings(settings, record),
        privacy=release_privacy(get_context(), record),
        can_run=_scope().can_write(spec.metadata.organization),
    )


@bp.post("/steward/pipelines/<name>/run")
@login_required
def steward_run_now(name: str) -> ResponseReturnValue:
    """Start a run in the background and show its progress."""
    spec = _pipeline(name, write=True)
    try:
        job = background.start_run(get_instance(), spec, session_user() or "")
    except background.JobRunning as exc:
        flash(_("Diese Pipeline läuft bereits; hier ist ihr Fortschritt."))
        job = exc.job
    return redirect(url_for("portal.steward_job", job_id=job.id))


def _job(job_id: str) -> background.Job:
    job = background.read_job(get_instance().settings, job_id)
    if job is None:
        abort(404)
    _pipeline(job.pipeline)
    return job


@bp.get("/steward/jobs/<job_id>")
@login_required
def steward_job(job_id: str) -> str:
    """The progress of a run started here (reloads itself; JavaScript polls instead)."""
    return render_template("steward/job.html", job=_job(job_id))


@bp.get("/steward/progress/<job_id>")
@login_required
def steward_progress(job_id: str) -> dict[str, Any]:
    """The progress of a run as JSON, for the job page's script."""
    job = _job(job_id)
    run_url = url_for("portal.steward_run", run_id=job.run_id) if job.run_id else None
    return {**job.to_dict(), "done": job.is_done, "run_url": run_url}


from ogd.web import portal_steward_edit  # noqa: E402, F401 - its views join the blueprint
