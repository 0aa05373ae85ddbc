"""CKAN actions under CKAN's names: `(ctx, data) -> result`, shared by the API and the portal."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, or_, select

from ogd import __version__
from ogd.catalog import authz, quality
from ogd.catalog.context import QUALITY_EXTRA as QUALITY_EXTRA
from ogd.catalog.context import Action as Action
from ogd.catalog.context import Context as Context
from ogd.catalog.context import _bool as _bool
from ogd.catalog.context import _get_by_id_or_name
from ogd.catalog.context import _get_dataset as _get_dataset
from ogd.catalog.context import _integer as _integer
from ogd.catalog.context import _natural as _natural
from ogd.catalog.context import _required as _required
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
from ogd.errors import NotFound, ValidationError

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


def _site(ctx: Context) -> str:
    return ctx.settings.site_url


# -- lookups ------------------------------------------------------------------------------


def _get_org(ctx: Context, id_or_name: str) -> Organization:
    return _get_by_id_or_name(ctx, Organization, id_or_name, "Organization")


def _get_theme(ctx: Context, id_or_name: str) -> Theme:
    return _get_by_id_or_name(ctx, Theme, id_or_name, "Group")


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
        "extensions": ["ogd", "datastore", "dcat"],
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
    """One dataset by `id` (its id or name); private, draft and deleted ones need rights."""
    dataset = _get_dataset(ctx, _required(data, "id", "name_or_id"))
    authz.require_read(ctx, dataset)
    result = package_dict(dataset, _site(ctx))
    report = quality.current_report(ctx.session, dataset)
    if report is not None:
        text = json.dumps(quality.summary(report), ensure_ascii=False, sort_keys=True)
        result["extras"] = sorted(
            [*result["extras"], {"key": QUALITY_EXTRA, "value": text}], key=lambda e: e["key"]
        )
    return result


def resource_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """One resource by `id`."""
    resource = ctx.session.get(Resource, _required(data, "id"))
    if resource is None or resource.state != "active":
        raise NotFound("Resource was not found.")
    authz.require_read(ctx, resource.dataset)
    return resource_dict(resource, _site(ctx))


def current_package_list_with_resources(
    ctx: Context, data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Dataset dicts, newest `metadata_modified` first; `limit`, `offset` (`page` too).

    Sysadmins also get private datasets, as in CKAN."""
    limit = _natural(data, "limit", None)
    offset = _natural(data, "offset", 0)
    page = _natural(data, "page", None)
    if page:
        if limit is None:
            raise ValidationError({"limit": ["Missing value"]})
        offset = (page - 1) * limit
    query = select(Dataset).where(Dataset.state == "active")
    if not authz.is_sysadmin(ctx):
        query = query.where(Dataset.private.is_(False))
    query = query.order_by(Dataset.metadata_modified.desc(), Dataset.name).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [package_dict(d, _site(ctx)) for d in ctx.session.scalars(query)]


def recently_changed_packages_activity_list(
    ctx: Context, data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Activities of public datasets, newest first; `limit` (31, max 100), `offset`."""
    from ogd.catalog.activity import recent

    limit = _natural(data, "limit", 31, 100)
    offset = _natural(data, "offset", 0)
    visible: list[dict[str, Any]] = []
    chunk_offset = 0
    while len(visible) < offset + limit:
        chunk = recent(ctx.session, 200, chunk_offset)
        if not chunk:
            break
        chunk_offset += len(chunk)
        for activity in chunk:
            package = activity["data"].get("package") or {}
            if activity["activity_type"] == "deleted package" or not package.get("private"):
                visible.append(activity)
    return visible[offset : offset + limit]


def package_autocomplete(ctx: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Datasets whose name or title contains `q` (name matches first); `limit` (10)."""
    q = _required(data, "q").strip().lower()
    limit = _natural(data, "limit", 10, 100)
    datasets = ctx.session.scalars(
        select(Dataset)
        .where(Dataset.state == "active", Dataset.private.is_(False))
        .where(or_(func.lower(Dataset.name).contains(q), func.lower(Dataset.title).contains(q)))
        .order_by(Dataset.name)
        .limit(limit * 5)
    ).all()
    ranked = sorted(
        datasets,
        key=lambda d: (q not in d.name.lower(), not d.name.lower().startswith(q), d.name),
    )
    result = []
    for d in ranked[:limit]:
        field = "name" if q in d.name.lower() else "title"
        value = d.name if field == "name" else (d.title or d.name)
        result.append(
            {
                "name": d.name,
                "title": d.title or d.name,
                "match_field": field,
                "match_displayed": value,
            }
        )
    return result


def organization_list_for_user(ctx: Context, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Organisations where the caller (or user `id`) has `permission` (manage_group,
    create_dataset, read); all for sysadmins, none for anonymous callers."""
    from ogd.catalog.models import User

    target = ctx.user
    if data.get("id"):
        target = authz.get_user(ctx.session, str(data["id"])).name
    sub = Context(ctx.session, ctx.settings, target, ctx.storage)
    permission = str(data.get("permission") or "manage_group")
    wanted = {
        "manage_group": {"admin"},
        "create_dataset": {"admin", "editor"},
        "update_dataset": {"admin", "editor"},
        "delete_dataset": {"admin", "editor"},
        "read": {"admin", "editor", "member"},
    }.get(permission, {"admin"})
    orgs = ctx.session.scalars(
        select(Organization).where(Organization.state == "active").order_by(Organization.name)
    ).all()
    if target is None or (
        target != authz.SITE_USER
        and ctx.session.scalar(select(User).where(User.name == target)) is None
    ):
        return []
    if not authz.is_sysadmin(sub):
        roles = authz.roles(sub)
        orgs = [o for o in orgs if roles.get(o.id) in wanted]
    counts = _package_counts(ctx)[0]
    result = []
    for org in orgs:
        item = organization_dict(org, counts[org.id])
        if not authz.is_sysadmin(sub):
            item["capacity"] = authz.roles(sub).get(org.id)
        result.append(item)
    return result


def user_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """A user by `id` (id or name; default the caller); e-mail only for the user and
    sysadmins."""
    ref = data.get("id") or ctx.user
    if not ref or ref == authz.SITE_USER:
        raise NotFound("User not found")
    user = authz.get_user(ctx.session, str(ref))
    result: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "display_name": user.fullname or user.name,
        "fullname": user.fullname,
        "sysadmin": user.sysadmin,
        "state": user.state,
        "created": user.created.isoformat(),
    }
    if ctx.user == user.name or authz.is_sysadmin(ctx):
        result["email"] = user.email
    return result


def site_read(ctx: Context, data: Mapping[str, Any]) -> bool:
    """Legacy probe: always true."""
    return True


def tag_show(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """A free tag by `id` (id or name); `include_datasets` adds its public datasets."""
    ref = _required(data, "id")
    tag = ctx.session.scalar(select(Tag).where(or_(Tag.id == ref, Tag.name == ref)))
    if tag is None:
        raise NotFound("Could not find tag")
    result: dict[str, Any] = {
        "id": tag.id,
        "name": tag.name,
        "display_name": tag.name,
        "vocabulary_id": None,
    }
    if _bool(data, "include_datasets", False):
        datasets = ctx.session.scalars(
            select(Dataset)
            .where(Dataset.state == "active", Dataset.private.is_(False))
            .where(Dataset.tags.any(Tag.id == tag.id))
            .order_by(Dataset.name)
        )
        result["packages"] = [package_dict(d, _site(ctx)) for d in datasets]
    return result


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


def package_search(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Search datasets: `q`, `fq`, `fq_list`, `facet.field`, `sort`, `rows`, `start` (Solr-like)."""
    from ogd.catalog.package_search import package_search as search_packages

    return search_packages(ctx, data)


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
    "current_package_list_with_resources": current_package_list_with_resources,
    "recently_changed_packages_activity_list": recently_changed_packages_activity_list,
    "package_autocomplete": package_autocomplete,
    "organization_list_for_user": organization_list_for_user,
    "user_show": user_show,
    "site_read": site_read,
    "tag_show": tag_show,
}

from ogd.catalog.datastore_actions import DATASTORE_ACTIONS  # noqa: E402
from ogd.catalog.write_actions import WRITE  # noqa: E402

ACTIONS.update(DATASTORE_ACTIONS)
ACTIONS.update(WRITE)
WRITE_ACTIONS: frozenset[str] = frozenset(WRITE)
