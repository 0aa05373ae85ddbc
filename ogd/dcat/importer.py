"""DCAT-AP CH records -> API-owned datasets, through the catalogue's write actions.

The organisation is the slug after `@` in `dct:identifier` (or the one asked for); a
missing organisation is created from the publisher's name. Datasets are created, or
updated when a dataset of that name carries the same identifier and no pipeline owns it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from ogd.catalog import actions, write_actions
from ogd.catalog.actions import Context
from ogd.dcat.parse import parse_datasets, slug
from ogd.dcat.values import decode
from ogd.errors import NotFound, ValidationError


@dataclass(frozen=True)
class ImportResult:
    """What happened to one record."""

    name: str
    identifier: str
    action: str  # created | updated
    organization: str


def _extras(record: Mapping[str, Any]) -> dict[str, Any]:
    return {e["key"]: e["value"] for e in record.get("extras", [])}


def _organization(ctx: Context, record: Mapping[str, Any], wanted: str | None) -> str:
    extras = _extras(record)
    identifier = str(extras.get("identifier") or "")
    name = wanted or (slug(identifier.split("@", 1)[1]) if "@" in identifier else None)
    if not name:
        raise ValidationError(
            {"identifier": [f"`{identifier}` has no `@organisation`; give --organization"]}
        )
    try:
        return str(actions.organization_show(ctx, {"id": name})["name"])
    except NotFound:
        pass
    names = decode(extras.get("publisher_name")) or {}
    data: dict[str, Any] = {
        "name": name,
        "title": names.get("de") or next(iter(names.values()), name),
        "title_translated": names,
    }
    if extras.get("publisher_url"):
        data["extras"] = [{"key": "url", "value": extras["publisher_url"]}]
    return str(write_actions.organization_create(ctx, data)["name"])


def _existing(ctx: Context, name: str, identifier: str) -> dict[str, Any] | None:
    try:
        current = actions.package_show(ctx, {"id": name})
    except NotFound:
        return None
    extras = {e["key"]: e["value"] for e in current.get("extras", [])}
    if current["state"] == "deleted":
        return None
    if extras.get("identifier") != identifier or extras.get("pipeline"):
        raise ValidationError(
            {"name": [f"dataset `{name}` exists with another identifier or is pipeline-owned"]}
        )
    return current


def _known_groups(ctx: Context, record: Mapping[str, Any]) -> list[dict[str, str]]:
    names = set(actions.group_list(ctx, {}))
    return [g for g in record.get("groups", []) if g["name"] in names]


def import_graph(
    ctx: Context, graph: Graph, organization: str | None = None
) -> Iterator[ImportResult]:
    """Create or update one dataset per `dcat:Dataset` of the graph; results as they are done.

    Raises:
        ValidationError: a record has no usable identifier or name, or the catalogue
            refuses it (the message names the field).
    """
    for record in parse_datasets(graph):
        identifier = str(_extras(record).get("identifier") or "")
        org = _organization(ctx, record, organization)
        data = {**record, "owner_org": org, "groups": _known_groups(ctx, record)}
        current = _existing(ctx, record["name"], identifier)
        if current is None:
            write_actions.package_create(ctx, data)
            action = "created"
        else:
            write_actions.package_update(ctx, {**data, "id": current["id"]})
            action = "updated"
        yield ImportResult(record["name"], identifier, action, org)
