"""CKAN actions under CKAN's names: `(ctx, data) -> result`, shared by the API and the portal."""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ogd import __version__
from ogd.catalog import search
from ogd.catalog.dictize import (
    group_dict,
    license_dict,
    organization_dict,
    package_dict,
    resource_dict,
)
from ogd.catalog.models import (
    Dataset,
    License,
    Organization,
    Release,
    Resource,
    Tag,
    Theme,
)
from ogd.catalog.query import parse_filter
from ogd.config import Settings
from ogd.errors import NotFound, SearchQueryError, ValidationError

CKAN_COMPAT_VERSION = "2.11.0"
ROWS_MAX = 1000
SEARCH_PARAMS = {
    "q",
    "fq",
    "fq_list",
    "rows",
    "start",
    "sort",
    "facet",
    "facet.field",
    "facet.limit",
    "facet.mincount",
    "include_private",
    "include_drafts",
    "include_deleted",
    "use_default_schema",
    "qf",
    "bf",
    "boost",
    "tie",
    "defType",
    "mm",
    "wt",
    "fl",
    "callback",
    "_",
}
SORT_FIELDS = {
    "score",
    "name",
    "title_string",
    "title",
    "metadata_modified",
    "metadata_created",
    "id",
}


@dataclass(frozen=True)
class Context:
    """Who calls, with which settings, through which session."""

    session: Session
    settings: Settings
    user: str | None = None


Action = Callable[[Context, Mapping[str, Any]], Any]


# -- input coercion -----------------------------------------------------------------------


def _natural(data: Mapping[str, Any], key: str, default: int | None, cap: int | None = None) -> Any:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise ValidationError({key: ["Invalid integer"]}) from None
    if value < 0:
        raise ValidationError({key: ["Must be a natural number"]})
    return min(value, cap) if cap is not None else value


def _integer(data: Mapping[str, Any], key: str, default: int) -> int:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(str(raw))
    except ValueError:
        raise ValidationError({key: ["Invalid integer"]}) from None


def _bool(data: Mapping[str, Any], key: str, default: bool) -> bool:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in {"true", "1", "yes", "on"}


def _required(data: Mapping[str, Any], key: str, label: str | None = None) -> str:
    value = data.get(key)
    if value is None or str(value).strip() == "":
        raise ValidationError({label or key: ["Missing value"]})
    return str(value)


def _site(ctx: Context) -> str:
    return ctx.settings.site_url


# -- lookups ------------------------------------------------------------------------------


def _get_dataset(ctx: Context, id_or_name: str) -> Dataset:
    dataset = ctx.session.scalar(
        select(Dataset).where(or_(Dataset.id == id_or_name, Dataset.name == id_or_name))
    )
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


def _get_org(ctx: Context, id_or_name: str) -> Organization:
    org = ctx.session.scalar(
        select(Organization).where(
            or_(Organization.id == id_or_name, Organization.name == id_or_name)
        )
    )
    if org is None:
        raise NotFound("Organization not found")
    return org


def _get_theme(ctx: Context, id_or_name: str) -> Theme:
    theme = ctx.session.scalar(
        select(Theme).where(or_(Theme.id == id_or_name, Theme.name == id_or_name))
    )
    if theme is None:
        raise NotFound("Group not found")
    return theme


def _visible(dataset: Dataset) -> bool:
    return dataset.state == "active" and not dataset.private


# -- read actions -------------------------------------------------------------------------


def status_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Site information: title, URL, CKAN-compatible version and extensions."""
    return {
        "site_title": ctx.settings.site_title,
        "site_description": ctx.settings.site_description,
        "site_url": ctx.settings.site_url,
        "ckan_version": CKAN_COMPAT_VERSION,
        "ogd_version": __version__,
        "locale_default": ctx.settings.locale_default,
        "error_emails_to": None,
        "extensions": ["ogd", "datastore"],
    }


def package_list(ctx: Context, data: Mapping[str, Any]) -> list[str]:
    """Names of all active public datasets, ascending; `limit`, `offset` page them."""
    limit, offset = _natural(data, "limit", None), _natural(data, "offset", 0)
    query = (
        select(Dataset.name)
        .where(Dataset.state == "active", Dataset.private.is_(False))
        .order_by(Dataset.name)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(ctx.session.scalars(query))


def package_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """One dataset by `id` (its id or name)."""
    dataset = _get_dataset(ctx, _required(data, "id", "name_or_id"))
    if dataset.state == "deleted" or dataset.private:
        from ogd.errors import NotAuthorized

        raise NotAuthorized("Access denied")
    return package_dict(dataset, _site(ctx))


def resource_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """One resource by `id`."""
    resource = ctx.session.get(Resource, _required(data, "id"))
    if resource is None or resource.state != "active":
        raise NotFound("Resource was not found.")
    if not _visible(resource.dataset):
        from ogd.errors import NotAuthorized

        raise NotAuthorized("Access denied")
    return resource_dict(resource, _site(ctx))


def _package_counts(ctx: Context) -> tuple[Counter[str], Counter[str]]:
    datasets = ctx.session.scalars(
        select(Dataset).where(Dataset.state == "active", Dataset.private.is_(False))
    ).all()
    orgs: Counter[str] = Counter(d.owner_org for d in datasets if d.owner_org)
    themes: Counter[str] = Counter(t.id for d in datasets for t in d.themes)
    return orgs, themes


def _list_groups(ctx: Context, data: Mapping[str, Any], model: Any, is_org: bool) -> list[Any]:
    all_fields = _bool(data, "all_fields", False)
    limit = _natural(data, "limit", 25 if all_fields else 1000)
    offset = _natural(data, "offset", 0)
    sort = str(data.get("sort") or "title asc").strip().split()
    key, reverse = sort[0], len(sort) > 1 and sort[1].lower() == "desc"
    if key not in {"name", "title", "package_count"}:
        raise ValidationError({"sort": [f"Cannot sort by field `{key}`"]})
    items = list(ctx.session.scalars(select(model).where(model.state == "active")))
    names_filter = data.get("organizations" if is_org else "groups")
    if names_filter:
        wanted = set(json.loads(names_filter) if isinstance(names_filter, str) else names_filter)
        items = [i for i in items if i.name in wanted]
    q = str(data.get("q") or "").lower()
    if q:
        items = [i for i in items if q in i.name.lower() or q in (i.title or "").lower()]
    counts = _package_counts(ctx)[0 if is_org else 1]
    sort_key: dict[str, Callable[[Any], Any]] = {
        "name": lambda i: i.name,
        "title": lambda i: (i.title or i.name).lower(),
        "package_count": lambda i: counts[i.id],
    }
    items.sort(key=sort_key[key], reverse=reverse)
    items = items[offset : offset + limit]
    if not all_fields:
        return [i.name for i in items]
    make = organization_dict if is_org else group_dict
    return [make(i, counts[i.id]) for i in items]


def organization_list(ctx: Context, data: Mapping[str, Any]) -> list[Any]:
    """Organisation names, or dicts with `all_fields`; `sort`, `limit`, `offset`, `q`."""
    return _list_groups(ctx, data, Organization, True)


def group_list(ctx: Context, data: Mapping[str, Any]) -> list[Any]:
    """Theme (group) names, or dicts with `all_fields`."""
    return _list_groups(ctx, data, Theme, False)


def organization_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """One organisation by id or name; `include_datasets` adds its first 10 datasets."""
    org = _get_org(ctx, _required(data, "id"))
    result = organization_dict(org, _package_counts(ctx)[0][org.id])
    if _bool(data, "include_datasets", False):
        datasets = ctx.session.scalars(
            select(Dataset)
            .where(
                Dataset.owner_org == org.id,
                Dataset.state == "active",
                Dataset.private.is_(False),
            )
            .order_by(Dataset.name)
            .limit(10)
        )
        result["packages"] = [package_dict(d, _site(ctx)) for d in datasets]
    return result


def group_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """One theme (group) by id or name; `include_datasets` adds its first 10 datasets."""
    theme = _get_theme(ctx, _required(data, "id"))
    result = group_dict(theme, _package_counts(ctx)[1][theme.id])
    if _bool(data, "include_datasets", False):
        datasets = [d for d in theme_datasets(ctx, theme.id)][:10]
        result["packages"] = [package_dict(d, _site(ctx)) for d in datasets]
    return result


def theme_datasets(ctx: Context, theme_id: str) -> list[Dataset]:
    """Visible datasets of a theme, by name."""
    datasets = ctx.session.scalars(
        select(Dataset)
        .where(Dataset.state == "active", Dataset.private.is_(False))
        .order_by(Dataset.name)
    )
    return [d for d in datasets if any(t.id == theme_id for t in d.themes)]


def license_list(ctx: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every licence (opendata.swiss terms of use)."""
    return [license_dict(lic) for lic in ctx.session.scalars(select(License).order_by(License.id))]


def tag_list(ctx: Context, data: Mapping[str, Any]) -> list[Any]:
    """Free tags in use; `query` filters by substring, `all_fields` gives dicts."""
    query = str(data.get("query") or data.get("q") or "").lower()
    tags = ctx.session.scalars(select(Tag).order_by(Tag.name)).all()
    tags = [t for t in tags if query in t.name.lower()]
    if _bool(data, "all_fields", False):
        return [
            {"id": t.id, "name": t.name, "display_name": t.name, "vocabulary_id": None}
            for t in tags
        ]
    return [t.name for t in tags]


def release_list(ctx: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Releases of a dataset, newest first (our extension: version history)."""
    dataset = _get_dataset(ctx, _required(data, "id"))
    releases = ctx.session.scalars(
        select(Release).where(Release.dataset_id == dataset.id).order_by(Release.number.desc())
    )
    return [
        {
            "id": r.id,
            "number": r.number,
            "created": r.created.isoformat(),
            "rows": r.rows,
            "current": r.id == dataset.current_release_id,
            "changelog": r.changelog,
            "files": r.files,
            "reports": r.reports,
        }
        for r in releases
    ]


# -- search -------------------------------------------------------------------------------


def _index_doc(d: Dataset) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": d.id,
        "name": d.name,
        "title": d.title,
        "notes": d.notes or "",
        "tags": [t.name for t in d.tags],
        "groups": [t.name for t in d.themes],
        "organization": d.organization.name if d.organization else None,
        "owner_org": d.owner_org,
        "license_id": d.license_id,
        "state": d.state,
        "capacity": "private" if d.private else "public",
        "type": d.type,
        "dataset_type": d.type,
        "res_format": [r.format for r in d.resources],
        "res_name": [r.name or "" for r in d.resources],
        "res_description": [r.description or "" for r in d.resources],
        "num_resources": len(d.resources),
        "num_tags": len(d.tags),
        "metadata_modified": d.metadata_modified.isoformat(),
        "metadata_created": d.metadata_created.isoformat(),
        "maintainer": d.maintainer,
        "author": d.author,
        "version": d.version,
        "url": d.url,
    }
    for key, value in (d.extras or {}).items():
        doc[f"extras_{key}"] = value if isinstance(value, str) else json.dumps(value)
    doc["text"] = " ".join([d.name, d.title, d.notes or "", *doc["tags"]])
    return doc


def _facet_fields(data: Mapping[str, Any]) -> list[str]:
    raw = data.get("facet.field")
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ValidationError({"facet.field": ["Not a list"]}) from None
    if not isinstance(raw, list):
        raise ValidationError({"facet.field": ["Not a list"]})
    return [str(f) for f in raw]


def _sort_key(sort: str) -> list[tuple[str, bool]]:
    keys = []
    for part in sort.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        field, direction = bits[0], (bits[1].lower() if len(bits) > 1 else "asc")
        if field not in SORT_FIELDS or direction not in {"asc", "desc"}:
            raise SearchQueryError(f"Search Query Error: Invalid sort '{part.strip()}'")
        keys.append((field, direction == "desc"))
    return keys


def _display(ctx: Context, field: str, value: str) -> str:
    if field == "organization":
        org = ctx.session.scalar(select(Organization).where(Organization.name == value))
        return org.title if org else value
    if field == "groups":
        theme = ctx.session.scalar(select(Theme).where(Theme.name == value))
        return theme.title if theme else value
    if field == "license_id":
        lic = ctx.session.get(License, value)
        return lic.title if lic else value
    return value


def package_search(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Search datasets: `q`, `fq`, `fq_list`, `facet.field`, `sort`, `rows`, `start` (Solr-like)."""
    unknown = [k for k in data if k not in SEARCH_PARAMS and not k.startswith("ext_")]
    if unknown:
        raise SearchQueryError(f"Search Query Error: Invalid search parameters: {unknown}")
    rows = _natural(data, "rows", 10, ROWS_MAX)
    start = _natural(data, "start", 0)
    sort = str(data.get("sort") or "score desc, metadata_modified desc")
    sort_keys = _sort_key(sort)
    facet_fields = _facet_fields(data) if _bool(data, "facet", True) else []
    facet_limit = _integer(data, "facet.limit", 50)
    facet_mincount = _integer(data, "facet.mincount", 1)
    filters = [str(data.get("fq") or "")]
    fq_list = data.get("fq_list") or []
    filters += [fq_list] if isinstance(fq_list, str) else [str(f) for f in fq_list]
    q = str(data.get("q") or "").strip()
    scores: dict[str, float] | None = None
    if q in ("", "*:*"):
        pass
    elif ":" in q:
        filters.append(q)
    else:
        scores = search.search_scores(ctx.session, q)
    predicates = [parse_filter(f) for f in filters if f.strip()]
    datasets = ctx.session.scalars(
        select(Dataset).where(Dataset.state == "active", Dataset.private.is_(False))
    ).all()
    matched: list[tuple[Dataset, dict[str, Any], float]] = []
    for d in datasets:
        if scores is not None and d.id not in scores:
            continue
        doc = _index_doc(d)
        if all(p(doc) for p in predicates):
            matched.append((d, doc, scores.get(d.id, 0.0) if scores else 0.0))
    for field, desc in reversed(sort_keys):
        matched.sort(key=functools.partial(_sort_value, field=field), reverse=desc)
    page = matched[start : start + rows]
    facets, search_facets = _facets(
        ctx, [m[1] for m in matched], facet_fields, facet_limit, facet_mincount
    )
    return {
        "count": len(matched),
        "sort": sort,
        "results": [package_dict(m[0], _site(ctx)) for m in page],
        "facets": facets,
        "search_facets": search_facets,
    }


def _sort_value(match: tuple[Dataset, dict[str, Any], float], field: str) -> Any:
    dataset, doc, score = match
    if field == "score":
        return score
    if field in {"title_string", "title"}:
        return (dataset.title or dataset.name).lower()
    return doc.get(field) or ""


def _facets(
    ctx: Context,
    docs: list[dict[str, Any]],
    fields: list[str],
    limit: int,
    mincount: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    for field in fields:
        counts: Counter[str] = Counter()
        for doc in docs:
            value = doc.get(field)
            values = value if isinstance(value, list) else [value]
            counts.update(str(v) for v in set(values) if v not in (None, ""))
        items = [(v, c) for v, c in counts.most_common() if c >= mincount]
        if limit >= 0:
            items = items[:limit]
        facets[field] = dict(items)
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": v, "display_name": _display(ctx, field, v), "count": c} for v, c in items
            ],
        }
    return facets, search_facets


def help_show(ctx: Context, data: Mapping[str, Any]) -> str:
    """The documentation of the action `name`."""
    name = _required(data, "name")
    if name not in ACTIONS:
        raise NotFound(f"Action name not known: {name}")
    return (ACTIONS[name].__doc__ or "").strip()


def dataset_count(ctx: Context) -> int:
    """Number of visible datasets (for the portal's home page)."""
    return int(
        ctx.session.scalar(
            select(func.count(Dataset.id)).where(
                Dataset.state == "active", Dataset.private.is_(False)
            )
        )
        or 0
    )


ACTIONS: dict[str, Action] = {
    "status_show": status_show,
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "license_list": license_list,
    "tag_list": tag_list,
    "help_show": help_show,
    "release_list": release_list,
}
WRITE_ACTIONS: frozenset[str] = frozenset()

from ogd.catalog.datastore_actions import DATASTORE_ACTIONS  # noqa: E402

ACTIONS.update(DATASTORE_ACTIONS)
