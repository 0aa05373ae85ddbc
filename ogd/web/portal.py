"""Blueprint for HTML pages: home, search, organisations, themes, the open data principles.

The dataset page (`portal_dataset`) and the steward pages (`portal_steward`) live in their
own modules on this blueprint. Every page calls the catalogue actions, never the HTTP API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from ogd.catalog import actions
from ogd.catalog.actions import Context
from ogd.catalog.downloads import most_downloaded
from ogd.errors import NotFound
from ogd.web.app import get_context
from ogd.web.portal_search import (
    FACETS,
    SORTS,
    check_filters,
    facet_items,
    facet_labels,
    known_values,
    pages,
    parse_search,
    run_search,
)

bp = Blueprint("portal", __name__)
GROUP_ROWS = 1000  # datasets listed on an organisation or theme page
Page = tuple[str, int]


@bp.get("/")
def home() -> str:
    """Search box, counts, themes, organisations, newest and most downloaded datasets."""
    ctx = get_context()
    facets = ["organization", "groups"]
    latest = actions.package_search(
        ctx,
        {"rows": 6, "sort": "metadata_modified desc", "facet.field": facets, "facet.limit": -1},
    )
    labels = facet_labels(ctx)
    return render_template(
        "portal/home.html",
        latest=latest["results"],
        popular=most_downloaded(ctx, 6),
        count=latest["count"],
        organizations=facet_items(latest, "organization", labels),
        groups=facet_items(latest, "groups", labels),
        labels=labels,
    )


@bp.get("/dataset/")
def search() -> Page:
    """Full-text search with facets, sort and paging; bad input is named, never a 500."""
    ctx = get_context()
    state = check_filters(parse_search(request.args), known_values(ctx))
    result, state = run_search(ctx, state)
    html = render_template(
        "portal/search.html",
        q=state.q,
        search=state,
        result=result,
        facets=FACETS,
        sorts=list(SORTS),
        pages=pages(result["count"]),
        labels=facet_labels(ctx),
    )
    return html, 400 if state.problems else 200


@bp.get("/organization/")
def organizations() -> str:
    """Every organisation with datasets."""
    items = actions.organization_list(get_context(), {"all_fields": True, "limit": 1000})
    return render_template("portal/organizations.html", organizations=items)


@bp.get("/organization/<id>")
def organization(id: str) -> str:
    """An organisation and its datasets."""
    ctx = get_context()
    try:
        org = actions.organization_show(ctx, {"id": id})
    except NotFound:
        abort(404)
    datasets = _datasets_of(ctx, "organization", org["name"])
    return render_template(
        "portal/organization.html", org=org, datasets=datasets, labels=facet_labels(ctx)
    )


@bp.get("/group/")
def groups() -> str:
    """Every theme (CKAN group), with its number of datasets."""
    items = actions.group_list(get_context(), {"all_fields": True, "limit": 1000})
    return render_template("portal/groups.html", groups=items)


@bp.get("/group/<id>")
def group(id: str) -> str:
    """A theme (CKAN group) and its datasets."""
    ctx = get_context()
    try:
        theme = actions.group_show(ctx, {"id": id})
    except NotFound:
        abort(404)
    datasets = _datasets_of(ctx, "groups", theme["name"])
    return render_template(
        "portal/group.html", group=theme, datasets=datasets, labels=facet_labels(ctx)
    )


@bp.get("/grundsaetze")
def principles() -> str:
    """The city's principles for open data."""
    return render_template("portal/principles.html")


def _datasets_of(ctx: Context, facet: str, name: str) -> list[dict[str, Any]]:
    data = {"fq": f'{facet}:"{name}"', "rows": GROUP_ROWS, "sort": "title_string asc"}
    return list(actions.package_search(ctx, data)["results"])


# The dataset page and the steward pages live in their own modules, on this blueprint.
from ogd.web import portal_dataset, portal_steward  # noqa: E402, F401
