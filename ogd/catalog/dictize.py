"""Model objects -> CKAN-shaped dicts (the shapes of reference/ckan-api.md section 4)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ogd.catalog.models import Dataset, License, Organization, Resource, Theme

DATASET_TEXT_FIELDS = (
    "title",
    "notes",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
)
"""Top-level free-text keys of a dataset dict (CKAN: `null` when absent)."""


def decode_extra(value: Any) -> Any:
    """An extra's value: JSON text of a list or object decoded, anything else as given."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def extras_of(package: Mapping[str, Any]) -> dict[str, Any]:
    """A dataset dict's extras as key -> value, structured values decoded."""
    return {e["key"]: decode_extra(e["value"]) for e in package.get("extras") or []}


def quality_of(package: Mapping[str, Any]) -> dict[str, Any] | None:
    """The quality summary a dataset dict carries (a `quality` key, or the extra that
    `package_show` adds), with its optional parts filled in; None when there is none."""
    value = decode_extra(package.get("quality"))
    if value is None:
        value = extras_of(package).get("quality")
    if not isinstance(value, Mapping) or "total" not in value:
        return None
    return {"max": 405, "dimensions": {}, "indicators": [], "rating": "", **value}


def timestamp(value: dt.datetime | None) -> str | None:
    """CKAN's timestamp style: naive UTC `isoformat()`."""
    return value.isoformat() if value else None


def resource_url(site_url: str, resource: Resource) -> str:
    """Absolute download URL of an uploaded resource; links are returned as given."""
    if resource.url_type == "upload" and resource.filename:
        return (
            f"{site_url.rstrip('/')}/dataset/{resource.dataset_id}/resource/{resource.id}"
            f"/download/{resource.filename}"
        )
    return resource.url


def resource_dict(resource: Resource, site_url: str) -> dict[str, Any]:
    """A resource as CKAN returns it."""
    data: dict[str, Any] = {
        "id": resource.id,
        "package_id": resource.dataset_id,
        "url": resource_url(site_url, resource),
        "url_type": resource.url_type,
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "mimetype": resource.mimetype,
        "mimetype_inner": None,
        "hash": resource.hash,
        "size": resource.size,
        "position": resource.position,
        "state": resource.state,
        "resource_type": None,
        "cache_url": None,
        "cache_last_updated": None,
        "created": timestamp(resource.created),
        "last_modified": timestamp(resource.last_modified),
        "metadata_modified": timestamp(resource.metadata_modified),
        "datastore_active": resource.format in ("CSV", "Parquet") and resource.rows is not None,
    }
    if resource.rows is not None:
        data["rows"] = resource.rows
    for key, value in (resource.extras or {}).items():
        data.setdefault(key, value)
    return data


def organization_dict(org: Organization, package_count: int | None = None) -> dict[str, Any]:
    """An organisation as CKAN returns it."""
    data = {
        "id": org.id,
        "name": org.name,
        "title": org.title,
        "display_name": org.title or org.name,
        "title_translated": org.title_translated,
        "description": org.description,
        "type": "organization",
        "is_organization": True,
        "image_url": org.image_url,
        "image_display_url": org.image_url,
        "created": timestamp(org.created),
        "state": org.state,
        "approval_status": "approved",
        "num_followers": 0,
        "extras": [
            {"key": k, "value": v} for k, v in (("email", org.email), ("url", org.url)) if v
        ],
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(theme: Theme, package_count: int | None = None) -> dict[str, Any]:
    """A theme as a CKAN group."""
    data = {
        "id": theme.id,
        "name": theme.name,
        "title": theme.title,
        "display_name": theme.title or theme.name,
        "title_translated": theme.title_translated,
        "description": theme.description,
        "type": "group",
        "is_organization": False,
        "image_url": theme.image_url,
        "image_display_url": theme.image_url,
        "created": timestamp(theme.created),
        "state": theme.state,
        "approval_status": "approved",
        "num_followers": 0,
        "extras": [{"key": "eu_theme", "value": theme.code}],
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def license_dict(lic: License) -> dict[str, Any]:
    """A licence as CKAN returns it (CKAN serialises flags as strings)."""
    return {
        "id": lic.id,
        "title": lic.title,
        "title_translated": lic.title_translated,
        "url": lic.url,
        "rights": lic.rights,
        "family": "",
        "maintainer": "opendata.swiss",
        "status": "active",
        "od_conformance": "approved" if lic.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "domain_content": "False",
        "domain_data": "True",
        "domain_software": "False",
        "is_generic": "False",
    }


def package_dict(dataset: Dataset, site_url: str) -> dict[str, Any]:
    """A dataset as `package_show` returns it."""
    resources = [resource_dict(r, site_url) for r in dataset.resources if r.state == "active"]
    tags = sorted(dataset.tags, key=lambda t: t.name)
    data: dict[str, Any] = {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title or dataset.name,
        "title_translated": dataset.title_translated,
        "notes": dataset.notes,
        "notes_translated": dataset.notes_translated,
        "url": dataset.url,
        "version": dataset.version,
        "author": dataset.author,
        "author_email": dataset.author_email,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "license_id": dataset.license_id,
        "license_title": dataset.license.title if dataset.license else dataset.license_id,
        "isopen": bool(dataset.license and dataset.license.is_open),
        "state": dataset.state,
        "private": dataset.private,
        "type": dataset.type,
        "owner_org": dataset.owner_org,
        "organization": _org_brief(dataset.organization),
        "groups": [
            _group_brief(t) for t in sorted(dataset.themes, key=lambda t: t.title or t.name)
        ],
        "tags": [
            {
                "id": t.id,
                "name": t.name,
                "display_name": t.name,
                "state": "active",
                "vocabulary_id": None,
            }
            for t in tags
        ],
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": [
            {"key": k, "value": v if isinstance(v, str) else _json(v)}
            for k, v in sorted((dataset.extras or {}).items())
        ],
        "metadata_created": timestamp(dataset.metadata_created),
        "metadata_modified": timestamp(dataset.metadata_modified),
        "creator_user_id": dataset.creator_user_id,
        "relationships_as_subject": [],
        "relationships_as_object": [],
    }
    if dataset.license and dataset.license.url:
        data["license_url"] = dataset.license.url
    return data


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _org_brief(org: Organization | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "id": org.id,
        "name": org.name,
        "title": org.title,
        "type": "organization",
        "description": org.description,
        "image_url": org.image_url,
        "created": timestamp(org.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": org.state,
    }


def _group_brief(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.id,
        "name": theme.name,
        "title": theme.title,
        "display_name": theme.title or theme.name,
        "description": theme.description,
        "image_display_url": theme.image_url,
    }
