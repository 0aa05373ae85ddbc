"""What the dataset page shows besides the preview, from `package_show` and `release_list`.

Pure: the tables among the resources (a CSV and its Parquet twin are one table), the
other files, the extras as a dict, the quality score when the package carries one, the
changelog of a release as a list of changes, and the API snippets for a resource.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ogd.catalog.dictize import quality_of

RESULT_LIMIT = 5


@dataclass(frozen=True)
class TableFiles:
    """One table: the resource the DataStore answers for and its published files."""

    id: str
    name: str
    rows: int | None
    files: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Downloads:
    """The tables, the other files, and the Data Package descriptor when there is one."""

    tables: list[TableFiles]
    others: list[dict[str, Any]]
    datapackage: dict[str, Any] | None


@dataclass(frozen=True)
class Change:
    """One line of a changelog; `code` picks the message, `value` fills it in."""

    code: str
    value: str


def _stem(resource: Mapping[str, Any]) -> str:
    name = str(resource.get("url") or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def downloads(resources: Sequence[Mapping[str, Any]]) -> Downloads:
    """Group the resources: tables (CSV first, then Parquet), other files, datapackage.json."""
    tables: dict[str, TableFiles] = {}
    others: list[dict[str, Any]] = []
    datapackage = None
    for r in sorted(resources, key=lambda r: r.get("format") != "CSV"):
        if str(r.get("url") or "").endswith("/datapackage.json"):
            datapackage = dict(r)
        elif r.get("datastore_active"):
            stem = _stem(r)
            if stem not in tables:
                tables[stem] = TableFiles(str(r["id"]), str(r["name"]), r.get("rows"))
            tables[stem].files.append(dict(r))
        else:
            others.append(dict(r))
    ordered = sorted(tables.values(), key=lambda t: min(f["position"] or 0 for f in t.files))
    return Downloads(ordered, others, datapackage)


def extras(package: Mapping[str, Any]) -> dict[str, Any]:
    """The package's extras as a dict (CKAN lists them as key/value pairs)."""
    return {e["key"]: e["value"] for e in package.get("extras") or []}


quality = quality_of
"""The quality summary of a dataset dict, or None (see `ogd.catalog.dictize`)."""


def _names(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(
            f"{k} ({v.get('from', '?')} → {v.get('to', '?')})" if isinstance(v, Mapping) else k
            for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(_retyped(v) if isinstance(v, Mapping) else str(v) for v in value)
    return str(value)


def _retyped(item: Mapping[str, Any]) -> str:
    name = item.get("column") or item.get("name") or item.get("field") or "?"
    before, after = item.get("from") or item.get("old"), item.get("to") or item.get("new")
    return f"{name} ({before} → {after})" if before or after else str(name)


KNOWN_CHANGES = (
    "rows_added",
    "rows_removed",
    "rows_changed",
    "columns_added",
    "columns_removed",
    "columns_retyped",
)


def changes(changelog: Mapping[str, Any] | None) -> list[Change]:
    """The changelog of a release as lines, known keys first; empty entries are left out."""
    if not changelog:
        return []
    out = [
        Change(key, _names(changelog[key]))
        for key in KNOWN_CHANGES
        if changelog.get(key) not in (None, 0, [], {}, "")
    ]
    for key, value in changelog.items():
        if key not in KNOWN_CHANGES and value not in (None, [], {}, ""):
            out.append(Change("other", f"{key}: {_names(value)}"))
    return out


def snippets(site_url: str, resource_id: str) -> dict[str, str]:
    """API examples for one resource: curl, Python with ckanapi, R."""
    site = site_url.rstrip("/")
    search = f"{site}/api/3/action/datastore_search?resource_id={quote(resource_id)}"
    dump = f"{site}/datastore/dump/{quote(resource_id)}"
    return {
        "curl": f"curl '{search}&limit={RESULT_LIMIT}'\n\ncurl -o daten.csv '{dump}?format=csv'",
        "python": (
            "from ckanapi import RemoteCKAN\n\n"
            f'portal = RemoteCKAN("{site}")\n'
            "result = portal.action.datastore_search(\n"
            f'    resource_id="{resource_id}", limit={RESULT_LIMIT}\n'
            ")\n"
            'for record in result["records"]:\n'
            "    print(record)"
        ),
        "r": (
            "library(jsonlite)\n\n"
            f'url <- "{search}&limit={RESULT_LIMIT}"\n'
            "records <- fromJSON(url)$result$records\n\n"
            f'daten <- read.csv("{dump}?format=csv", encoding = "UTF-8")'
        ),
    }
