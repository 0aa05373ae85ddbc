"""One resource -> `dcat:Distribution`; the Table Schema URLs of a pipeline's tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ogd.dcat.profile import Profile
from ogd.dcat.records import CatalogData
from ogd.dcat.values import add_texts, as_list, date_literal, decimal_literal, extras, iri, texts
from ogd.dcat.vocab import (
    AVAILABILITY,
    DCATAP,
    SPDX,
    TERMS,
    format_iri,
    language_iri,
    media_type_iri,
)


def table_stem(resource: Mapping[str, Any]) -> str | None:
    """The file stem of a pipeline table's file (`bevoelkerung-quartier`), else None.

    Tables are the published files with a row count; reports and datapackage.json have none.
    """
    if resource.get("url_type") != "upload" or resource.get("rows") is None:
        return None
    filename = str(resource.get("url") or "").rsplit("/", 1)[-1]
    return filename.rsplit(".", 1)[0] if "." in filename else None


def schema_url(site: str, name: str, stem: str) -> str:
    """Where the portal serves the Table Schema of one published table."""
    return f"{site}/dataset/{name}/schema/{stem}.json"


def schema_urls(package: Mapping[str, Any], site: str) -> list[str]:
    """The Table Schema URLs of a pipeline dataset's tables (`dct:conformsTo`)."""
    if not extras(package).get("pipeline"):
        return []
    stems = (table_stem(r) for r in package.get("resources") or [])
    return list(dict.fromkeys(schema_url(site, package["name"], s) for s in stems if s))


def _terms(
    resource: Mapping[str, Any], package: Mapping[str, Any], data: CatalogData
) -> tuple[str | None, str | None]:
    """(terms of use IRI, Creative Commons IRI) of a distribution."""
    licence = data.licenses.get(str(package.get("license_id") or ""), {})
    terms = resource.get("license")
    if terms and not iri(terms):
        terms = f"{TERMS}{terms}"
    rights = resource.get("rights") or licence.get("rights")
    return str(terms or licence.get("url") or "") or None, rights


def _add_checksum(graph: Graph, node: URIRef, value: Any, profile: Profile) -> bool:
    """Add `algorithm:digest` as an spdx:Checksum when the profile allows the algorithm."""
    algorithm, _, digest = str(value or "").partition(":")
    if not digest or algorithm.lower() not in profile.checksum_algorithms:
        return False
    checksum = BNode()
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX[f"checksumAlgorithm_{algorithm.lower()}"]))
    graph.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
    return True


def add_distribution(
    graph: Graph,
    package: Mapping[str, Any],
    resource: Mapping[str, Any],
    data: CatalogData,
    profile: Profile,
    site: str,
    languages: list[Any],
    page: str,
) -> URIRef:
    """Add one distribution of `package`; returns its IRI."""
    fallback = f"{site}/dataset/{package['name']}/resource/{resource['id']}"
    node = URIRef(iri(resource.get("uri")) or fallback)
    graph.add((node, RDF.type, DCAT.Distribution))
    if resource.get("identifier"):
        graph.add((node, DCTERMS.identifier, Literal(str(resource["identifier"]))))
    name = texts(resource.get("name_translated"), resource.get("name"))
    add_texts(graph, node, DCTERMS.title, name)
    description = texts(resource.get("description_translated"), resource.get("description"))
    add_texts(graph, node, DCTERMS.description, description)
    upload = resource.get("url_type") == "upload"
    download = iri(resource.get("download_url")) or (iri(resource.get("url")) if upload else None)
    access = iri(resource.get("access_url")) or (URIRef(page) if upload else None)
    access = access or iri(resource.get("url")) or download
    if access is not None:
        graph.add((node, DCAT.accessURL, access))
    if download is not None:
        graph.add((node, DCAT.downloadURL, download))
    file_type = format_iri(resource.get("format"))
    if file_type:
        graph.add((node, DCTERMS.format, URIRef(file_type)))
    media = media_type_iri(resource.get("mimetype") or resource.get("media_type"))
    if media:
        graph.add((node, DCAT.mediaType, URIRef(media)))
    terms, rights = _terms(resource, package, data)
    if terms:
        graph.add((node, DCTERMS.license, URIRef(terms)))
    if iri(rights):
        graph.add((node, DCTERMS.rights, URIRef(str(rights))))
    size = decimal_literal(resource.get("size") or resource.get("byte_size") or "")
    if size is not None:
        graph.add((node, DCAT.byteSize, size))
    for value in (resource.get("hash"), resource.get("checksum")):
        if _add_checksum(graph, node, value, profile):
            break
    issued = resource.get("issued") or resource.get("created")
    modified = resource.get("modified") or resource.get("last_modified")
    if issued:
        graph.add((node, DCTERMS.issued, date_literal(str(issued))))
    if modified:
        graph.add((node, DCTERMS.modified, date_literal(str(modified))))
    for lang in as_list(resource.get("language")) or languages:
        lang_uri = language_iri(str(lang))
        if lang_uri:
            graph.add((node, DCTERMS.language, URIRef(lang_uri)))
    stem = table_stem(resource) if extras(package).get("pipeline") else None
    standards = as_list(resource.get("conforms_to"))
    standards += [schema_url(site, package["name"], stem)] if stem else []
    for url in standards:
        if iri(url):
            graph.add((node, DCTERMS.conformsTo, URIRef(url)))
    availability = str(resource.get("availability") or profile.availability)
    graph.add((node, DCATAP.availability, iri(availability) or AVAILABILITY[availability]))
    for url in as_list(resource.get("documentation")):
        if iri(url):
            graph.add((node, FOAF.page, URIRef(url)))
            graph.add((URIRef(url), RDF.type, FOAF.Document))
    return node
