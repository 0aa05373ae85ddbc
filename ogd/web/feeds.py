"""Blueprint for the Atom feeds under `/feeds/`: recent datasets, a search, an organisation,
a theme (CKAN group) and a tag.

Each feed lists public datasets, most recently modified first, 20 a page (`?page=N`) with
`first`, `last`, `prev` and `next` links. Feeds search as an anonymous caller, so private
and deleted datasets never appear, not even for a caller who sends a token.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, request

from ogd import __version__
from ogd.catalog import actions
from ogd.errors import NotFound, OgdError
from ogd.web.app import get_instance
from ogd.web.seo import absolute_url, public_context

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
PAGE_SIZE = 20
ATOM = "application/atom+xml"
DEFAULT_SORT = "metadata_modified desc"
SEARCH_FILTERS = ("organization", "groups", "tags", "res_format")


class _Zulu(dt.datetime):
    """A UTC datetime whose `isoformat()` ends in `Z` (feedgen writes `isoformat()`)."""

    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return super().isoformat(sep, timespec).replace("+00:00", "Z")


@dataclass(frozen=True)
class FeedSpec:
    """What one feed shows: its title, the HTML page it mirrors and its search."""

    title: str
    html_url: str
    fq: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT
    params: Mapping[str, str] = field(default_factory=dict)


def _phrase(value: str) -> str:
    return '"' + value.replace('"', "").replace("\\", "") + '"'


def _site_title() -> str:
    return get_instance().settings.site_title


@bp.get("/dataset.atom")
def dataset() -> Response:
    """The most recently modified public datasets."""
    return render_feed(FeedSpec(f"{_site_title()}: neueste Datensätze", _search_url()))


@bp.get("/custom.atom")
def custom() -> Response:
    """A search as a feed: `q`, `sort` and the portal's filters (`organization`, `groups` …)."""
    q = request.args.get("q", "").strip()
    filters = {k: request.args[k] for k in SEARCH_FILTERS if request.args.get(k)}
    sort = request.args.get("sort", "").strip() or DEFAULT_SORT
    params = {**({"q": q} if q else {}), **filters}
    if request.args.get("sort"):
        params["sort"] = sort
    fq = " ".join(f"{k}:{_phrase(v)}" for k, v in filters.items())
    title = f"{_site_title()}: Suche „{q}“" if q else f"{_site_title()}: Suche"
    html = _search_url(**({"q": q} if q else {}), **filters)
    return render_feed(FeedSpec(title, html, fq=fq, q=q, sort=sort, params=params))


@bp.get("/organization/<id>.atom")
def organization(id: str) -> Response:
    """The datasets of an organisation; 404 for an unknown one."""
    try:
        org = actions.organization_show(public_context(), {"id": id})
    except NotFound:
        abort(404)
    title = f"{_site_title()}: {org['title'] or org['name']}"
    html = absolute_url("portal.organization", id=org["name"])
    return render_feed(FeedSpec(title, html, fq=f"organization:{_phrase(org['name'])}"))


@bp.get("/group/<id>.atom")
def group(id: str) -> Response:
    """The datasets of a theme (CKAN group); 404 for an unknown one."""
    try:
        theme = actions.group_show(public_context(), {"id": id})
    except NotFound:
        abort(404)
    title = f"{_site_title()}: Thema {theme['title'] or theme['name']}"
    html = _search_url(groups=theme["name"])
    return render_feed(FeedSpec(title, html, fq=f"groups:{_phrase(theme['name'])}"))


@bp.get("/tag/<tag>.atom")
def tag(tag: str) -> Response:
    """The datasets with a tag; 404 for a tag no dataset ever had."""
    try:
        name = actions.tag_show(public_context(), {"id": tag})["name"]
    except NotFound:
        abort(404)
    title = f"{_site_title()}: Stichwort {name}"
    return render_feed(FeedSpec(title, _search_url(tags=name), fq=f"tags:{_phrase(name)}"))


def _search_url(**args: str) -> str:
    return absolute_url("portal.search", **args)


def _page() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, "page must be a positive integer")
    return int(raw)


def render_feed(spec: FeedSpec) -> Response:
    """Search for one page of the feed and answer it as Atom; a bad search gives 400."""
    page = _page()
    data = {
        "q": spec.q,
        "fq": spec.fq,
        "sort": spec.sort,
        "rows": PAGE_SIZE,
        "start": (page - 1) * PAGE_SIZE,
        "facet": "false",
    }
    try:
        result = actions.package_search(public_context(), data)
    except OgdError:
        abort(400)
    last = max(1, math.ceil(result["count"] / PAGE_SIZE))
    return Response(atom_feed(spec, result["results"], page, last), mimetype=ATOM)


def _feed_url(spec: FeedSpec, page: int | None = None) -> str:
    values: dict[str, Any] = dict(request.view_args or {})
    values.update(spec.params)
    if page is not None:
        values["page"] = page
    return absolute_url(str(request.endpoint), **values)


def _utc(value: str | None) -> _Zulu:
    when = dt.datetime.fromisoformat(value) if value else dt.datetime.now(dt.UTC)
    when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    return _Zulu(*when.timetuple()[:6], tzinfo=dt.UTC)


def atom_feed(spec: FeedSpec, packages: Sequence[Mapping[str, Any]], page: int, last: int) -> bytes:
    """The Atom document of one feed page.

    Args:
        spec: the feed.
        packages: the page's datasets as `package_search` returns them, newest first.
        page: the page number (from 1).
        last: the number of the last page.

    Returns:
        UTF-8 Atom XML.
    """
    settings = get_instance().settings
    feed = FeedGenerator()
    feed.id(_feed_url(spec))
    feed.title(spec.title)
    feed.author({"name": settings.site_title, "uri": absolute_url("portal.home")})
    feed.language(settings.locale_default)
    feed.generator("ogd", version=__version__)
    feed.link(href=_feed_url(spec, page), rel="self", type=ATOM)
    feed.link(href=spec.html_url, rel="alternate", type="text/html")
    feed.link(href=_feed_url(spec, 1), rel="first", type=ATOM)
    feed.link(href=_feed_url(spec, last), rel="last", type=ATOM)
    if page > 1:
        feed.link(href=_feed_url(spec, min(page - 1, last)), rel="prev", type=ATOM)
    if page < last:
        feed.link(href=_feed_url(spec, page + 1), rel="next", type=ATOM)
    updated = [_utc(p.get("metadata_modified")) for p in packages]
    feed.updated(max(updated) if updated else _utc(None))
    for pkg in packages:
        _add_entry(feed, pkg)
    body: bytes = feed.atom_str(pretty=True)
    return body


def _add_entry(feed: Any, pkg: Mapping[str, Any]) -> None:
    entry = feed.add_entry(order="append")
    entry.id(f"urn:uuid:{pkg['id']}")
    entry.title(pkg.get("title") or pkg["name"])
    entry.link(
        href=absolute_url("portal.dataset", id=pkg["name"]), rel="alternate", type="text/html"
    )
    entry.updated(_utc(pkg.get("metadata_modified")))
    if pkg.get("metadata_created"):
        entry.published(_utc(pkg["metadata_created"]))
    if pkg.get("notes"):
        entry.summary(pkg["notes"])
    org = pkg.get("organization")
    if org:
        uri = absolute_url("portal.organization", id=org["name"])
        entry.author({"name": org.get("title") or org["name"], "uri": uri})
    # The scheme followed by the term is the portal's search for that tag or theme.
    for item in pkg.get("tags") or []:
        entry.category(term=item["name"], label=item["name"], scheme=_search_url() + "?tags=")
    for item in pkg.get("groups") or []:
        label = item.get("title") or item["name"]
        entry.category(term=item["name"], label=label, scheme=_search_url() + "?groups=")
