"""rdflib `Graph` (DCAT-AP CH) -> dataset dicts in the shape `package_create` takes; pure.

Legacy opendata.swiss values are normalised on the way in: licence literals and terms of
use found in `dct:rights` become `license_id`, old categories become EU themes, literal
formats, media types and languages become the catalogue's names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS
from rdflib.term import Node

from ogd.dcat.vocab import (
    CC_RIGHTS,
    IANA,
    SCHEMA,
    SPDX,
    VCARD,
    format_name,
    language_code,
    terms_id,
    theme_code,
)

_NAME_BAD = re.compile(r"[^a-z0-9_-]+")
_TAG = re.compile(r"^[\w .-]{2,100}$", re.UNICODE)


def _values(graph: Graph, node: Node, predicate: URIRef) -> list[Node]:
    return sorted(graph.objects(node, predicate), key=str)


def _first(graph: Graph, node: Node, predicate: URIRef) -> str | None:
    values = _values(graph, node, predicate)
    return str(values[0]) if values else None


def _texts(graph: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in _values(graph, node, predicate):
        if isinstance(value, Literal):
            found.setdefault(value.language or "de", str(value))
    return found


def _strings(values: Iterable[Node]) -> list[str]:
    return [str(v) for v in values]


def slug(text: str) -> str:
    """A CKAN name from an identifier or label: lowercase, `a-z 0-9 - _`, at most 100."""
    return _NAME_BAD.sub("-", text.lower()).strip("-")[:100] or "dataset"


def _email(value: str) -> str:
    """`a@b.ch` from `mailto:a@b.ch` or a relative IRI resolved against some base."""
    value = value.removeprefix("mailto:")
    return value.rsplit("/", 1)[-1] if "@" in value.rsplit("/", 1)[-1] else value


def _publisher(graph: Graph, dataset: Node) -> dict[str, Any]:
    node = next(iter(_values(graph, dataset, DCTERMS.publisher)), None)
    if node is None:
        return {}
    names = _texts(graph, node, FOAF.name) or _texts(graph, node, RDFS.label)
    result: dict[str, Any] = {"publisher_name": names} if names else {}
    if isinstance(node, URIRef):
        result["publisher_uri"] = str(node)
    for key, predicate in (
        ("publisher_url", FOAF.homepage),
        ("publisher_type", DCTERMS.type),
        ("publisher_email", FOAF.mbox),
    ):
        value = _first(graph, node, predicate)
        if value:
            result[key] = _email(value) if key == "publisher_email" else value
    return result


def _contacts(graph: Graph, dataset: Node) -> list[dict[str, str]]:
    contacts = []
    for node in _values(graph, dataset, DCAT.contactPoint):
        email = _first(graph, node, VCARD.hasEmail)
        contact = {"name": _first(graph, node, VCARD.fn) or "", "email": _email(email or "")}
        if (node, RDF.type, VCARD.Individual) in graph:
            contact["type"] = "Individual"
        contacts.append(contact)
    return sorted(contacts, key=lambda c: (c["name"], c["email"]))


def _temporal(graph: Graph, dataset: Node) -> dict[str, str]:
    for period in _values(graph, dataset, DCTERMS.temporal):
        start = _first(graph, period, DCAT.startDate) or _first(graph, period, SCHEMA.startDate)
        end = _first(graph, period, DCAT.endDate) or _first(graph, period, SCHEMA.endDate)
        found = {"temporal_start": start, "temporal_end": end}
        return {k: v for k, v in found.items() if v}
    return {}


def _licences(graph: Graph, node: Node) -> tuple[str | None, str | None]:
    """(terms id, Creative Commons IRI) from `dct:license` and `dct:rights`."""
    terms = rights = None
    for value in _strings(
        _values(graph, node, DCTERMS.license) + _values(graph, node, DCTERMS.rights)
    ):
        if terms_id(value):
            terms = terms or terms_id(value)
        elif value in CC_RIGHTS or value.rstrip("/") + "/" in CC_RIGHTS:
            rights = rights or (value if value in CC_RIGHTS else value.rstrip("/") + "/")
    return terms, rights


def _distribution(graph: Graph, node: Node) -> dict[str, Any]:
    names = _texts(graph, node, DCTERMS.title)
    descriptions = _texts(graph, node, DCTERMS.description)
    access, download = _first(graph, node, DCAT.accessURL), _first(graph, node, DCAT.downloadURL)
    terms, rights = _licences(graph, node)
    media = _first(graph, node, DCAT.mediaType)
    fmt = _first(graph, node, DCTERMS.format)
    resource: dict[str, Any] = {
        "url": download or access or "",
        "name": names.get("de") or next(iter(names.values()), None),
        "name_translated": names,
        "description": descriptions.get("de") or next(iter(descriptions.values()), None),
        "description_translated": descriptions,
        "format": format_name(fmt) if fmt else None,
        "mimetype": media.removeprefix(IANA) if media else None,
        "access_url": access,
        "download_url": download,
        "license": terms,
        "rights": rights,
        "byte_size": _first(graph, node, DCAT.byteSize),
        "issued": _first(graph, node, DCTERMS.issued),
        "modified": _first(graph, node, DCTERMS.modified),
        "identifier": _first(graph, node, DCTERMS.identifier),
        "availability": _first(graph, node, URIRef("http://data.europa.eu/r5r/availability")),
        "language": [language_code(v) for v in _strings(_values(graph, node, DCTERMS.language))],
        "conforms_to": _strings(_values(graph, node, DCTERMS.conformsTo)),
        "documentation": _strings(_values(graph, node, FOAF.page)),
    }
    if isinstance(node, URIRef):
        resource["uri"] = str(node)
    for checksum in _values(graph, node, SPDX.checksum):
        algorithm = (_first(graph, checksum, SPDX.algorithm) or "").rsplit("_", 1)[-1]
        resource["checksum"] = f"{algorithm}:{_first(graph, checksum, SPDX.checksumValue)}"
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


def _extras(graph: Graph, dataset: Node) -> dict[str, Any]:
    iris: dict[str, list[Node]] = {
        "spatial_uri": [
            v for v in _values(graph, dataset, DCTERMS.spatial) if isinstance(v, URIRef)
        ],
        "conforms_to": _values(graph, dataset, DCTERMS.conformsTo),
        "documentation": _values(graph, dataset, FOAF.page),
        "relations": [
            v for v in _values(graph, dataset, DCTERMS.relation) if isinstance(v, URIRef)
        ],
    }
    found: dict[str, Any] = {k: _strings(v) for k, v in iris.items()}
    spatial_text = [v for v in _values(graph, dataset, DCTERMS.spatial) if isinstance(v, Literal)]
    found["spatial"] = str(spatial_text[0]) if spatial_text else None
    found["language"] = [language_code(str(v)) for v in _values(graph, dataset, DCTERMS.language)]
    for key, predicate in (
        ("identifier", DCTERMS.identifier),
        ("issued", DCTERMS.issued),
        ("modified", DCTERMS.modified),
        ("accrual_periodicity", DCTERMS.accrualPeriodicity),
        ("access_rights", DCTERMS.accessRights),
    ):
        found[key] = _first(graph, dataset, predicate)
    keywords: dict[str, list[str]] = {}
    for word in _values(graph, dataset, DCAT.keyword):
        lang = word.language if isinstance(word, Literal) and word.language else "de"
        keywords.setdefault(lang, []).append(str(word))
    found["keywords"] = keywords
    contacts = _contacts(graph, dataset)
    found["contact_points"] = (
        contacts if len(contacts) > 1 or any("type" in c for c in contacts) else []
    )
    found.update(_temporal(graph, dataset), **_publisher(graph, dataset))
    if isinstance(dataset, URIRef):
        found["uri"] = str(dataset)
    return {k: v for k, v in found.items() if v not in (None, "", [], {})}


def parse_dataset(graph: Graph, dataset: Node) -> dict[str, Any]:
    """One `dcat:Dataset` as a `package_create` dict (without `owner_org`)."""
    extras = _extras(graph, dataset)
    titles = _texts(graph, dataset, DCTERMS.title)
    notes = _texts(graph, dataset, DCTERMS.description)
    resources = [_distribution(graph, d) for d in _values(graph, dataset, DCAT.distribution)]
    resources.sort(key=lambda r: (r.get("uri", ""), r.get("url", "")))
    licences = [r.get("license") for r in resources if r.get("license")]
    # some publishers put the terms on the dataset only: they then hold for every file
    own_terms, own_rights = _licences(graph, dataset)
    license_id = licences[0] if licences else own_terms
    for resource in resources:
        if own_rights and not resource.get("rights"):
            resource["rights"] = own_rights
    for resource in resources:
        if license_id and resource.get("license") == license_id:
            resource.pop("license")
    themes = {theme_code(str(t)) for t in _values(graph, dataset, DCAT.theme)}
    contacts = _contacts(graph, dataset)
    identifier = str(extras.get("identifier") or "")
    return {
        "name": slug(identifier.split("@", 1)[0] or (titles.get("de") or "dataset")),
        "title": titles.get("de") or next(iter(titles.values()), ""),
        "title_translated": titles,
        "notes": notes.get("de") or next(iter(notes.values()), None),
        "notes_translated": notes,
        "url": _first(graph, dataset, DCAT.landingPage),
        "maintainer": contacts[0]["name"] if contacts else None,
        "maintainer_email": contacts[0]["email"] or None if contacts else None,
        "license_id": license_id,
        "groups": [{"name": code.lower()} for code in sorted(t for t in themes if t)],
        "tags": [{"name": w} for w in extras.get("keywords", {}).get("de", []) if _TAG.match(w)],
        "extras": [{"key": k, "value": v} for k, v in sorted(extras.items())],
        "resources": resources,
    }


def parse_datasets(graph: Graph) -> list[dict[str, Any]]:
    """Every `dcat:Dataset` of the graph, by identifier."""
    datasets = [parse_dataset(graph, d) for d in set(graph.subjects(RDF.type, DCAT.Dataset))]
    return sorted(datasets, key=lambda d: d["name"])
