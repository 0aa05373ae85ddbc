"""Titles of organisations, themes and licences in every language, for labels in the portal.

A lighter read than `organization_list` / `group_list` with `all_fields` (no dataset
counts): the search page labels its facet values and dataset cards with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ogd.catalog.models import License, Organization, Theme

if TYPE_CHECKING:
    from ogd.catalog.actions import Context

Titles = dict[str, dict[str, Any]]


def vocabulary_titles(ctx: Context) -> dict[str, Titles]:
    """Translated titles by search facet field, then by name (licences: by id).

    Returns:
        `{"organization": {name: {"de": …, "fr": …}}, "groups": {…}, "license_id": {…}}`;
        a title without translations is given as `{"de": title}`.
    """
    sources: dict[str, Any] = {
        "organization": (Organization.name, Organization),
        "groups": (Theme.name, Theme),
        "license_id": (License.id, License),
    }
    result: dict[str, Titles] = {}
    for field, (key, model) in sources.items():
        query = select(key, model.title, model.title_translated)
        if hasattr(model, "state"):
            query = query.where(model.state == "active")
        result[field] = {
            name: {"de": title or name, **(translated or {})}
            for name, title, translated in ctx.session.execute(query)
        }
    return result
