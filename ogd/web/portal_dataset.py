"""The dataset page (on the portal blueprint): description, metadata, downloads, preview,
chart, API snippets and releases; and the chart alone as an SVG file.

Everything comes from the catalogue and DataStore actions, never the HTTP API. The
preview costs one `datastore_search` per view (plus one when a chart is asked for).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Response, abort, render_template, request

from ogd.catalog import actions
from ogd.catalog.actions import Context
from ogd.errors import NotAuthorized, NotFound, ValidationError
from ogd.web import dataset_page
from ogd.web.app import get_context
from ogd.web.dataset_chart import Chart, aggregate, layout
from ogd.web.dataset_preview import (
    TEXT_MAX,
    Problem,
    State,
    chart_rows,
    check_columns,
    dump_args,
    load_preview,
    parse_state,
    table_types,
)
from ogd.web.portal import bp


def _package(ctx: Context, id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        package = actions.package_show(ctx, {"id": id})
        releases = actions.release_list(ctx, {"id": id})
    except (NotFound, NotAuthorized):
        abort(404)
    return package, releases


def _table(
    files: dataset_page.Downloads, state: State, problems: list[Problem]
) -> tuple[str | None, State]:
    """The table to show (`resource`, else the first), and the state without a bad one."""
    ids = [t.id for t in files.tables]
    if state.resource is None or state.resource in ids:
        return state.resource or (ids[0] if ids else None), state
    problems.append(Problem("bad_resource", state.resource[:TEXT_MAX]))
    return (ids[0] if ids else None), replace(state, resource=None)


def _chart(ctx: Context, table_id: str, state: State) -> Chart:
    rows, total = chart_rows(ctx, table_id, state)
    points, more = aggregate(rows)
    return layout(points, state.chart, str(state.x), str(state.y), more or total > len(rows))


@bp.get("/dataset/<id>")
def dataset(id: str) -> str:
    """The dataset page; preview, filters, sort, paging and chart read the query string."""
    ctx = get_context()
    package, releases = _package(ctx, id)
    files = dataset_page.downloads(package["resources"])
    state, problems = parse_state(request.args)
    table_id, state = _table(files, state, problems)
    # HEAD (link checkers, the quality score's reachability test) needs no DataStore query
    preview = None
    if table_id and request.method != "HEAD":
        preview = load_preview(ctx, table_id, state, problems)
    chart = None
    if preview is not None and preview.state.wants_chart and table_id:
        chart = _chart(ctx, table_id, preview.state)
    return render_template(
        "portal/dataset.html",
        pkg=package,
        releases=releases,
        files=files,
        extras=dataset_page.extras(package),
        quality=dataset_page.quality(package),
        preview=preview,
        chart=chart,
        problems=problems,
        table_id=table_id,
        dump_args=dump_args(preview) if preview else {},
        snippets=dataset_page.snippets(ctx.settings.site_url, table_id) if table_id else None,
        changes=dataset_page.changes,
    )


@bp.get("/dataset/<id>/chart.svg")
def dataset_chart(id: str) -> Response:
    """The chart of the dataset page as a standalone SVG file (same query string)."""
    ctx = get_context()
    package, _releases = _package(ctx, id)
    state, problems = parse_state(request.args)
    table_id, state = _table(dataset_page.downloads(package["resources"]), state, problems)
    types = table_types(ctx, table_id) if table_id else None
    if types is None:
        abort(404)
    state = check_columns(state, types, problems)
    if problems or not state.wants_chart:
        text = "; ".join(f"{p.code}: {p.value}" for p in problems) or "x and y are required"
        return Response(f"Bad request - {text}", 400, mimetype="text/plain")
    try:
        chart = _chart(ctx, str(table_id), state)
    except ValidationError as exc:
        return Response(f"Bad request - {exc.message}", 400, mimetype="text/plain")
    svg = render_template("portal/_dataset_chart_svg.html", chart=chart, standalone=True)
    return Response(svg.strip(), mimetype="image/svg+xml")
