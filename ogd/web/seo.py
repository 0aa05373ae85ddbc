"""Blueprint for search engines: `sitemap.xml`, `robots.txt` and the dataset page's JSON-LD.

The sitemap lists the home page, the search page, every organisation page and every public
dataset page (`lastmod` = `metadata_modified`). Past `MAX_URLS` URLs `/sitemap.xml` becomes
a sitemap index of `/sitemap-<n>.xml` pages. Everything here searches as an anonymous
caller, so private and deleted datasets never show.
"""

from __future__ import annotations

import dataclasses
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from flask import Blueprint, Response, abort, request, url_for
from markupsafe import Markup

from ogd.catalog import actions
from ogd.catalog.actions import Context
from ogd.web import jsonld
from ogd.web.app import get_context, get_instance

bp = Blueprint("seo", __name__)
MAX_URLS = 50_000  # the sitemap protocol's limit per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML = "application/xml"


class SitemapUrl(NamedTuple):
    """One `<url>` of a sitemap."""

    loc: str
    lastmod: str | None = None


def absolute_url(endpoint: str, **values: Any) -> str:
    """The public URL of a route: `site_url` (which carries any mount prefix) and the path."""
    path = url_for(endpoint, **values)
    root = request.script_root
    if root and path.startswith(root):
        path = path[len(root) :]
    return get_instance().settings.site_url.rstrip("/") + path


def public_context() -> Context:
    """The request's action context as an anonymous caller, whatever token came along."""
    return dataclasses.replace(get_context(), user=None)


# -- sitemap ------------------------------------------------------------------------------


def urlset_xml(urls: Iterable[SitemapUrl]) -> bytes:
    """A sitemap `<urlset>` document."""
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url in urls:
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = url.loc
        if url.lastmod:
            ET.SubElement(item, "lastmod").text = url.lastmod
    return _serialise(root)


def sitemap_index_xml(locations: Iterable[str]) -> bytes:
    """A `<sitemapindex>` document naming the sitemap pages."""
    root = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for loc in locations:
        ET.SubElement(ET.SubElement(root, "sitemap"), "loc").text = loc
    return _serialise(root)


def _serialise(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _fixed_urls(ctx: Context) -> list[SitemapUrl]:
    """Home, search and the organisation pages: few enough to list whole."""
    orgs = actions.organization_list(ctx, {"sort": "name asc", "limit": 100_000})
    return [
        SitemapUrl(absolute_url("portal.home")),
        SitemapUrl(absolute_url("portal.search")),
        *(SitemapUrl(absolute_url("portal.organization", id=name)) for name in orgs),
    ]


def _dataset_count(ctx: Context) -> int:
    return int(actions.package_search(ctx, {"rows": 0, "facet": "false"})["count"])


def _dataset_urls(ctx: Context, start: int, stop: int) -> list[SitemapUrl]:
    """Dataset pages `start` to `stop` (by name), fetched in pages of the search limit."""
    urls: list[SitemapUrl] = []
    while start < stop:
        rows = min(actions.ROWS_MAX, stop - start)
        data = {"rows": rows, "start": start, "sort": "name asc", "facet": "false"}
        results = actions.package_search(ctx, data)["results"]
        urls += [
            SitemapUrl(
                absolute_url("portal.dataset", id=pkg["name"]),
                jsonld.utc_timestamp(pkg.get("metadata_modified")),
            )
            for pkg in results
        ]
        if len(results) < rows:
            break
        start += rows
    return urls


def _sitemap_slice(ctx: Context, fixed: Sequence[SitemapUrl], start: int) -> list[SitemapUrl]:
    """URLs `start` to `start + MAX_URLS` of the fixed pages followed by the datasets."""
    stop = start + MAX_URLS
    head = list(fixed[start:stop])
    offset = len(fixed)
    return head + _dataset_urls(ctx, max(0, start - offset), stop - offset)


def _xml(body: bytes) -> Response:
    return Response(body, mimetype=XML)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap, or a sitemap index when there are more than `MAX_URLS` URLs."""
    ctx = public_context()
    fixed = _fixed_urls(ctx)
    total = len(fixed) + _dataset_count(ctx)
    if total <= MAX_URLS:
        return _xml(urlset_xml(_sitemap_slice(ctx, fixed, 0)))
    pages = range(1, math.ceil(total / MAX_URLS) + 1)
    return _xml(sitemap_index_xml(absolute_url("seo.sitemap_page", page=n) for n in pages))


@bp.get("/sitemap-<int:page>.xml")
def sitemap_page(page: int) -> Response:
    """Page `page` (from 1) of the sitemap: `MAX_URLS` URLs at most."""
    ctx = public_context()
    fixed = _fixed_urls(ctx)
    total = len(fixed) + _dataset_count(ctx)
    start = (page - 1) * MAX_URLS
    if page < 1 or start >= max(total, 1):
        abort(404)
    return _xml(urlset_xml(_sitemap_slice(ctx, fixed, start)))


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawl everything but the API and the steward pages; the sitemap's address."""
    lines = [
        "User-agent: *",
        "Disallow: /api/",
        "Disallow: /steward/",
        "Allow: /",
        f"Sitemap: {absolute_url('seo.sitemap')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


# -- JSON-LD ------------------------------------------------------------------------------


@bp.app_template_global("dataset_jsonld")
def dataset_jsonld(pkg: Mapping[str, Any]) -> Markup:
    """The dataset's schema.org JSON-LD, ready for `<script type="application/ld+json">`."""
    settings = get_instance().settings
    org = pkg.get("organization")
    links = jsonld.Links(
        page=absolute_url("portal.dataset", id=pkg["name"]),
        organization=absolute_url("portal.organization", id=org["name"]) if org else None,
        site=absolute_url("portal.home"),
        site_title=settings.site_title,
        language=settings.locale_default,
    )
    return Markup(jsonld.script_text(jsonld.dataset_jsonld(pkg, links)))
