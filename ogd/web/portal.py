"""Blueprint for HTML pages: home, search, dataset, organisation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from ogd.catalog import actions
from ogd.errors import NotFound, OgdError
from ogd.web.app import get_context

bp = Blueprint("portal", __name__)
PAGE_SIZE = 20


@bp.get("/")
def home() -> str:
    """Search box, latest datasets, organisations and themes."""
    ctx = get_context()
    latest = actions.package_search(ctx, {"rows": 6, "sort": "metadata_modified desc"})
    organizations = actions.organization_list(ctx, {"all_fields": True})
    groups = actions.group_list(ctx, {"all_fields": True, "limit": 50})
    return render_template(
        "portal/home.html",
        latest=latest["results"],
        count=latest["count"],
        organizations=organizations,
        groups=[g for g in groups if g["package_count"]],
    )


@bp.get("/dataset/")
def search() -> str:
    """Full-text search with organisation and theme filters."""
    q = request.args.get("q", "").strip()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    fq = [
        f'{key}:"{request.args[key]}"'
        for key in ("organization", "groups", "tags")
        if request.args.get(key)
    ]
    data: dict[str, Any] = {
        "q": q,
        "fq": " ".join(fq),
        "rows": PAGE_SIZE,
        "start": (page - 1) * PAGE_SIZE,
        "facet.field": ["organization", "groups", "tags", "res_format"],
        "sort": "score desc, metadata_modified desc" if q else "title_string asc",
    }
    try:
        result = actions.package_search(get_context(), data)
    except OgdError:
        result = {"count": 0, "results": [], "search_facets": {}}
    return render_template(
        "portal/search.html",
        q=q,
        result=result,
        page=page,
        page_size=PAGE_SIZE,
        args=request.args,
    )


@bp.get("/organization/<id>")
def organization(id: str) -> str:
    """An organisation and its datasets."""
    ctx = get_context()
    try:
        org = actions.organization_show(ctx, {"id": id})
    except NotFound:
        abort(404)
    result = actions.package_search(
        ctx,
        {
            "fq": f'organization:"{org["name"]}"',
            "rows": 1000,
            "sort": "title_string asc",
        },
    )
    return render_template("portal/organization.html", org=org, datasets=result["results"])


# The dataset page and the steward pages live in their own modules, on this blueprint.
from ogd.web import portal_dataset, portal_steward  # noqa: E402, F401
