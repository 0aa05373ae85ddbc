"""schema.org `Dataset` JSON-LD for a dataset page (Google Dataset Search); pure.

`dataset_jsonld` turns a `package_show` dict into the JSON-LD object, `script_text`
serialises it so it can sit inside `<script type="application/ld+json">` in HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCHEMA_ORG = "https://schema.org"
# Google Dataset Search wants a description of 50 to 5000 characters.
MIN_DESCRIPTION = 50
MAX_DESCRIPTION = 5000
_PAD = "Metadaten und Downloads im offenen Datenkatalog."
# Characters that could end the script element or start markup inside it.
_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True)
class Links:
    """Absolute URLs the JSON-LD points to (the caller knows the routes)."""

    page: str
    organization: str | None
    site: str
    site_title: str
    language: str = "de"


def utc_timestamp(value: str | None) -> str | None:
    """A catalogue timestamp (naive UTC `isoformat()`) as ISO 8601 with `Z`, to the second."""
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat() + "Z"


def extras(pkg: Mapping[str, Any]) -> dict[str, str]:
    """The CKAN `extras` list as a dict."""
    return {str(e["key"]): str(e["value"]) for e in pkg.get("extras") or []}


def describe(pkg: Mapping[str, Any], site_title: str) -> str:
    """A description of 50 to 5000 characters.

    The notes when they are long enough; otherwise title, notes and a sentence naming the
    organisation and the portal, so that short notes still make a valid description.
    """
    notes = (pkg.get("notes") or "").strip()
    text = notes
    if len(text) < MIN_DESCRIPTION:
        title = str(pkg.get("title") or pkg.get("name") or "").strip().rstrip(".")
        org = pkg.get("organization") or {}
        owner = org.get("title") or org.get("name")
        source = f"Offene Behördendaten von {owner}" if owner else "Offene Behördendaten"
        parts = [f"{title}." if title else "", notes, f"{source}, veröffentlicht auf {site_title}."]
        text = " ".join(p for p in parts if p)
        if len(text) < MIN_DESCRIPTION:
            text = f"{text} {_PAD}"
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"
    return text


def temporal_coverage(start: str | None, end: str | None) -> str | None:
    """An ISO 8601 interval `start/end`; `..` stands for an open end."""
    if not start and not end:
        return None
    return f"{start or '..'}/{end or '..'}"


def dataset_jsonld(pkg: Mapping[str, Any], links: Links) -> dict[str, Any]:
    """The schema.org `Dataset` object of a `package_show` dict.

    Args:
        pkg: the dataset as `package_show` returns it.
        links: absolute URLs of its page, its organisation's page and the portal.

    Returns:
        A JSON-LD object; properties without a value are left out.
    """
    more = extras(pkg)
    tags = [t["name"] for t in pkg.get("tags") or []]
    themes = [g.get("title") or g["name"] for g in pkg.get("groups") or []]
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "@id": links.page,
        "name": pkg.get("title") or pkg["name"],
        "description": describe(pkg, links.site_title),
        "url": links.page,
        "identifier": more.get("identifier") or pkg["id"],
        "keywords": list(dict.fromkeys(tags + themes)),
        "license": pkg.get("license_url") or pkg.get("license_title"),
        "isAccessibleForFree": True,
        "inLanguage": links.language,
        "dateModified": utc_timestamp(pkg.get("metadata_modified")),
        "datePublished": utc_timestamp(pkg.get("metadata_created")),
        "temporalCoverage": temporal_coverage(more.get("temporal_start"), more.get("temporal_end")),
        "spatialCoverage": (
            {"@type": "Place", "name": more["spatial"]} if more.get("spatial") else None
        ),
        "distribution": [_download(r) for r in pkg.get("resources") or [] if r.get("url")],
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": links.site_title,
            "url": links.site,
        },
    }
    org = pkg.get("organization")
    if org:
        owner = {"@type": "Organization", "name": org.get("title") or org["name"]}
        if links.organization:
            owner["url"] = links.organization
        data["creator"] = data["publisher"] = owner
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _download(resource: Mapping[str, Any]) -> dict[str, Any]:
    data = {
        "@type": "DataDownload",
        "name": resource.get("name") or resource.get("url"),
        "contentUrl": resource["url"],
        "encodingFormat": resource.get("mimetype") or resource.get("format"),
        "dateModified": utc_timestamp(resource.get("last_modified")),
    }
    return {k: v for k, v in data.items() if v}


def script_text(data: Mapping[str, Any]) -> str:
    """JSON for a `<script>` element: `<`, `>` and `&` as `\\u003c` etc.

    Inside JSON strings these escapes mean the same characters, and without the raw
    characters a text such as `</script>` or `<!--` cannot end or confuse the element.
    """
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char, escape in _HTML_ESCAPES.items():
        text = text.replace(char, escape)
    # U+2028/2029 are valid in JSON but end lines in older JavaScript parsers.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
