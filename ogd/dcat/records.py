"""Collects what the DCAT graph needs through the catalogue actions (active public only)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ogd.catalog import actions, authz
from ogd.catalog.actions import Context
from ogd.errors import NotAuthorized, NotFound, ValidationError


@dataclass(frozen=True)
class CatalogData:
    """One page of datasets (package dicts) and the vocabulary they refer to."""

    packages: Sequence[Mapping[str, Any]]
    organizations: Mapping[str, Mapping[str, Any]]
    themes: Mapping[str, str]
    licenses: Mapping[str, Mapping[str, Any]]
    total: int = 0
    page: int = 1
    page_size: int = 100
    modified: str | None = None
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def last_page(self) -> int:
        """Number of the last page (1 for an empty catalogue)."""
        return max(1, math.ceil(self.total / self.page_size))


def _anonymous(ctx: Context) -> Context:
    return Context(ctx.session, ctx.settings, None, ctx.storage)


def _vocabulary(ctx: Context) -> dict[str, Any]:
    orgs = actions.organization_list(ctx, {"all_fields": True, "limit": 100000})
    themes = actions.group_list(ctx, {"all_fields": True, "limit": 100000})
    codes = {}
    for theme in themes:
        extras = {e["key"]: e["value"] for e in theme.get("extras", [])}
        codes[theme["name"]] = str(extras.get("eu_theme") or theme["name"].upper())
    return {
        "organizations": {o["id"]: o for o in orgs},
        "themes": codes,
        "licenses": {lic["id"]: lic for lic in actions.license_list(ctx, {})},
    }


def parse_since(value: str | None) -> dt.datetime | None:
    """`YYYY-MM-DD` (or an ISO timestamp) of `modified_since`.

    Raises:
        ValidationError: not an ISO date.
    """
    if not value:
        return None
    try:
        since = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError({"modified_since": ["Use an ISO date: YYYY-MM-DD"]}) from None
    return since.astimezone(dt.UTC).replace(tzinfo=None) if since.tzinfo else since


def collect_page(
    ctx: Context, page: int = 1, page_size: int = 100, modified_since: str | None = None
) -> CatalogData:
    """The active public datasets of one catalogue page, newest change first.

    Raises:
        ValidationError: `page` below 1 or a bad `modified_since`.
    """
    if page < 1:
        raise ValidationError({"page": ["Must be a positive integer"]})
    since = parse_since(modified_since)
    anon = _anonymous(ctx)
    packages = actions.current_package_list_with_resources(anon, {})
    if since is not None:
        packages = [
            p for p in packages if dt.datetime.fromisoformat(p["metadata_modified"]) >= since
        ]
    start = (page - 1) * page_size
    query = {"modified_since": modified_since} if modified_since else {}
    return CatalogData(
        packages=packages[start : start + page_size],
        total=len(packages),
        page=page,
        page_size=page_size,
        modified=max((p["metadata_modified"] for p in packages), default=None),
        query=query,
        **_vocabulary(anon),
    )


def collect_dataset(ctx: Context, id_or_name: str) -> CatalogData:
    """One dataset, if it is active and public.

    Raises:
        NotFound: no such dataset, or it is a draft or deleted.
        NotAuthorized: the dataset is private.
    """
    site = Context(ctx.session, ctx.settings, authz.SITE_USER, ctx.storage)
    package = actions.package_show(site, {"id": id_or_name})
    if package["state"] != "active":
        raise NotFound("Dataset not found")
    if package["private"]:
        raise NotAuthorized("Private datasets are not part of the DCAT catalogue")
    anon = _anonymous(ctx)
    return CatalogData(packages=[package], total=1, **_vocabulary(anon))
