"""The dataset page (on the portal blueprint): description, metadata, downloads, releases."""

from __future__ import annotations

from flask import abort, render_template

from ogd.catalog import actions
from ogd.errors import NotAuthorized, NotFound
from ogd.web.app import get_context
from ogd.web.portal import bp


@bp.get("/dataset/<id>")
def dataset(id: str) -> str:
    """The dataset page: description, metadata, resources with downloads, releases."""
    ctx = get_context()
    try:
        package = actions.package_show(ctx, {"id": id})
        releases = actions.release_list(ctx, {"id": id})
    except (NotFound, NotAuthorized):
        abort(404)
    return render_template("portal/dataset.html", pkg=package, releases=releases)
