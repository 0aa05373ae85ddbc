"""The search page's state: query-string parsing and checking, URLs, the catalogue call.

All state of a search lives in the query string (`q`, one parameter per facet, repeated
for several values, `sort`, `page`), so a result can be shared as a link. Bad input
(an unknown facet value, a bad page number or sort, an over-long query) is dropped and
named in `problems`; the page still shows what the rest of the query finds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ogd.catalog import actions
from ogd.catalog.actions import Context
from ogd.catalog.labels import vocabulary_titles
from ogd.errors import OgdError
from ogd.web.filters import translated

FACETS = ("organization", "groups", "tags", "res_format", "license_id")
SORTS = {
    "relevance": "score desc, metadata_modified desc",
    "name": "title_string asc",
    "modified": "metadata_modified desc",
}
PAGE_SIZE = 20
MAX_QUERY = 500  # characters of free text
MAX_VALUES = 10  # values per facet
_PAGE = re.compile(r"[1-9][0-9]{0,5}")  # 1 … 999999
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SearchState:
    """One search as the query string describes it, after checking."""

    q: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    sort: str = "name"
    page: int = 1
    problems: tuple[str, ...] = field(default=(), compare=False)

    def is_active(self, name: str, value: str) -> bool:
        """Whether the facet value is one of the filters."""
        return (name, value) in self.filters

    def url(self, **changes: Any) -> str:
        """This search's URL, with `changes` (filters, sort, page) applied."""
        state = replace(self, **changes)
        args: dict[str, Any] = {"q": state.q} if state.q else {}
        for name in FACETS:
            values = [v for f, v in state.filters if f == name]
            if values:
                args[name] = values
        if state.sort != default_sort(state.q):
            args["sort"] = state.sort
        if state.page > 1:
            args["page"] = state.page
        return url_for("portal.search", **args)

    def url_with(self, name: str, value: str) -> str:
        """The URL with one more filter (back on page 1)."""
        return self.url(filters=(*self.filters, (name, value)), page=1)

    def url_without(self, name: str, value: str) -> str:
        """The URL without one filter (back on page 1)."""
        kept = tuple(f for f in self.filters if f != (name, value))
        return self.url(filters=kept, page=1)

    def url_sorted(self, sort: str) -> str:
        """The URL in another order (back on page 1)."""
        return self.url(sort=sort, page=1)

    def url_page(self, page: int) -> str:
        """The URL of another page."""
        return self.url(page=page)


def default_sort(q: str) -> str:
    """Relevance when there is free text, else by name."""
    return "relevance" if q else "name"


def parse_search(args: MultiDict[str, str]) -> SearchState:
    """Read a search from the query string; what is invalid is left out and named."""
    problems: list[str] = []
    q = _CONTROL.sub(" ", args.get("q", "")).strip()
    if len(q) > MAX_QUERY:
        problems.append(
            _("Der Suchbegriff ist zu lang (höchstens %(max)s Zeichen).", max=MAX_QUERY)
        )
        q = ""
    filters: list[tuple[str, str]] = []
    for name in FACETS:
        values = [v.strip() for v in args.getlist(name) if v.strip()]
        if len(values) > MAX_VALUES:
            problems.append(_("Zu viele Filter: höchstens %(max)s je Art.", max=MAX_VALUES))
        for value in dict.fromkeys(values[:MAX_VALUES]):
            filters.append((name, value))
    sort = args.get("sort") or default_sort(q)
    if sort not in SORTS:
        problems.append(_("Diese Sortierung gibt es nicht: «%(sort)s».", sort=_short(sort)))
        sort = default_sort(q)
    raw_page = args.get("page", "1").strip() or "1"
    page = int(raw_page) if _PAGE.fullmatch(raw_page) else 0
    if not page:
        problems.append(_("Ungültige Seitenzahl: «%(page)s».", page=_short(raw_page)))
        page = 1
    return SearchState(q, tuple(filters), sort, page, tuple(problems))


def check_filters(state: SearchState, known: Mapping[str, Iterable[str]]) -> SearchState:
    """Leave out filter values that no visible dataset has, naming each one."""
    allowed = {name: set(values) for name, values in known.items()}
    kept = tuple(f for f in state.filters if f[1] in allowed.get(f[0], set()))
    problems = [
        _("Den Filterwert «%(value)s» gibt es nicht; er wurde entfernt.", value=_short(value))
        for name, value in state.filters
        if (name, value) not in kept
    ]
    return replace(state, filters=kept, problems=(*state.problems, *problems))


def known_values(ctx: Context) -> dict[str, list[str]]:
    """Every value of each facet over all visible datasets."""
    result = actions.package_search(
        ctx, {"rows": 0, "facet.field": list(FACETS), "facet.limit": -1}
    )
    return {name: list(result["facets"].get(name, {})) for name in FACETS}


def run_search(ctx: Context, state: SearchState) -> tuple[dict[str, Any], SearchState]:
    """Search the catalogue; a page past the last one adds a problem (and no results)."""
    data: dict[str, Any] = {
        "q": state.q.replace(":", " "),  # free text only, never a fielded query
        "fq_list": [f'{name}:"{_quote(value)}"' for name, value in state.filters],
        "rows": PAGE_SIZE,
        "start": (state.page - 1) * PAGE_SIZE,
        "facet.field": list(FACETS),
        "facet.limit": -1,
        "sort": SORTS[state.sort],
    }
    try:
        result = actions.package_search(ctx, data)
    except OgdError:
        empty = {"count": 0, "results": [], "search_facets": {}}
        return empty, replace(state, problems=(*state.problems, _("Ungültige Suche.")))
    if state.page > pages(result["count"]):
        problem = _("Seite %(page)s gibt es nicht.", page=state.page)
        state = replace(state, problems=(*state.problems, problem))
    return result, state


def pages(count: int) -> int:
    """Number of result pages (at least one)."""
    return max(1, math.ceil(count / PAGE_SIZE))


def facet_labels(ctx: Context) -> dict[str, dict[str, str]]:
    """Organisation, theme and licence titles in the page's language, by name or id."""
    return {
        facet: {name: translated(titles, fallback=name) for name, titles in items.items()}
        for facet, items in vocabulary_titles(ctx).items()
    }


def facet_items(
    result: Mapping[str, Any], name: str, labels: Mapping[str, Mapping[str, str]]
) -> list[dict[str, Any]]:
    """The values of one facet of a search result with their label, sorted by label."""
    titles = labels.get(name, {})
    items = [
        {"name": value, "title": titles.get(value, value), "count": count}
        for value, count in result["facets"].get(name, {}).items()
    ]
    return sorted(items, key=lambda item: str(item["title"]).lower())


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"
