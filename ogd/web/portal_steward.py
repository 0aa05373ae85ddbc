"""The steward pages (on the portal blueprint), behind the login."""

from __future__ import annotations

from flask import render_template, request

from ogd.web.auth import login_required
from ogd.web.portal import bp


@bp.get("/steward/runs")
@login_required
def steward_runs() -> str:
    """Steward page: the recorded runs with their outcome and validation findings."""
    from ogd.pipeline.history import list_runs
    from ogd.web.app import get_instance

    settings = get_instance().settings
    pipeline = request.args.get("pipeline") or None
    records = list_runs(settings.path(settings.runs_dir), pipeline)[:200]
    return render_template("portal/steward_runs.html", records=records, pipeline=pipeline)
