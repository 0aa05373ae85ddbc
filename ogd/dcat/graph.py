"""Catalogue records -> rdflib `Graph` (DCAT-AP CH v2); pure: dicts in, graph out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from ogd.dcat.distribution import add_distribution, schema_urls
from ogd.dcat.profile import Profile
from ogd.dcat.records import CatalogData
from ogd.dcat.values import add_texts, as_list, date_literal, extras, iri, texts
from ogd.dcat.vocab import (
    ACCESS_RIGHT,
    EU,
    HYDRA,
    PREFIXES,
    THEME,
    VCARD,
    frequency_iri,
    language_iri,
)


def new_graph() -> Graph:
    """An empty graph with the DCAT-AP CH prefixes bound (the shapes need `dct:`)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def catalog_graph(data: CatalogData, profile: Profile, site: str, endpoint: str) -> Graph:
    """The catalogue page: `dcat:Catalog`, its publisher, datasets and Hydra paging.

    Args:
        data: one page of datasets and the vocabulary they use.
        profile: the catalogue record and defaults (`catalog/dcat.yaml`).
        site: the portal's base URL, without trailing slash.
        endpoint: the URL of this endpoint without query (`…/catalog.ttl`).
    """
    graph = new_graph()
    catalog = URIRef(f"{site}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    add_texts(graph, catalog, DCTERMS.title, profile.title)
    add_texts(graph, catalog, DCTERMS.description, profile.description)
    graph.add((catalog, DCTERMS.publisher, _catalog_publisher(graph, profile, site)))
    graph.add((catalog, FOAF.homepage, URIRef(profile.homepage or f"{site}/")))
    for lang in profile.language:
        graph.add((catalog, DCTERMS.language, URIRef(language_iri(lang) or lang)))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    for spatial in profile.spatial:
        graph.add((catalog, DCTERMS.spatial, URIRef(spatial)))
    license_url = data.licenses.get(profile.license, {}).get("url")
    if license_url:
        graph.add((catalog, DCTERMS.license, URIRef(license_url)))
    if profile.issued:
        graph.add((catalog, DCTERMS.issued, date_literal(profile.issued)))
    if data.modified:
        graph.add((catalog, DCTERMS.modified, date_literal(data.modified)))
    for package in data.packages:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, package, data, profile, site)))
    _add_paging(graph, data, endpoint)
    return graph


def dataset_graph(data: CatalogData, profile: Profile, site: str) -> Graph:
    """One dataset with its distributions, publisher and contact points (no catalogue)."""
    graph = new_graph()
    for package in data.packages:
        add_dataset(graph, package, data, profile, site)
    return graph


def _page_url(endpoint: str, data: CatalogData, page: int) -> str:
    return f"{endpoint}?{urlencode({**data.query, 'page': page})}"


def _add_paging(graph: Graph, data: CatalogData, endpoint: str) -> None:
    """Hydra paging, under the current and the older names (ckanext-dcat writes both)."""
    node = URIRef(_page_url(endpoint, data, data.page))
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(data.total)))
    graph.add((node, HYDRA.itemsPerPage, Literal(data.page_size)))
    links = {"first": 1, "last": data.last_page}
    if data.page > 1:
        links["previous"] = min(data.page - 1, data.last_page)
    if data.page < data.last_page:
        links["next"] = data.page + 1
    for name, page in links.items():
        url = Literal(_page_url(endpoint, data, page))
        graph.add((node, HYDRA[name], url))
        graph.add((node, HYDRA[f"{name}Page"], url))


def _catalog_publisher(graph: Graph, profile: Profile, site: str) -> URIRef:
    publisher = profile.publisher
    agent = URIRef(f"{site}/organization/{publisher.id}")
    _agent(graph, agent, publisher.name, publisher.homepage, publisher.type, None)
    return agent


def _agent(
    graph: Graph,
    agent: URIRef | BNode,
    names: Mapping[str, str],
    homepage: str | None,
    kind: str | None,
    email: str | None,
) -> None:
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    add_texts(graph, agent, FOAF.name, names)
    if iri(homepage):
        graph.add((agent, FOAF.homepage, URIRef(str(homepage))))
    if iri(kind):
        graph.add((agent, DCTERMS.type, URIRef(str(kind))))
    if email:
        graph.add((agent, FOAF.mbox, URIRef(f"mailto:{email.removeprefix('mailto:')}")))


def _publisher(
    graph: Graph, ex: Mapping[str, Any], org: Mapping[str, Any] | None, profile: Profile, site: str
) -> URIRef | BNode:
    """The dataset's `publisher_*` extras, else its organisation, else the catalogue's."""
    if ex.get("publisher_uri") or ex.get("publisher_name"):
        agent: URIRef | BNode = iri(ex.get("publisher_uri")) or BNode()
        names = texts(ex.get("publisher_name"), str(ex.get("publisher_name") or ""))
        kind = ex.get("publisher_type")
        _agent(graph, agent, names, ex.get("publisher_url"), kind, ex.get("publisher_email"))
        return agent
    if org is None:
        return _catalog_publisher(graph, profile, site)
    agent = URIRef(f"{site}/organization/{org['name']}")
    org_extras = {e["key"]: e["value"] for e in org.get("extras", [])}
    names = texts(org.get("title_translated"), org.get("title") or org["name"])
    _agent(
        graph, agent, names, org_extras.get("url"), profile.publisher_type, org_extras.get("email")
    )
    return agent


def _contacts(
    package: Mapping[str, Any], ex: Mapping[str, Any], org: Mapping[str, Any] | None
) -> list[dict[str, str]]:
    listed = [c for c in as_list(ex.get("contact_points")) if isinstance(c, Mapping)]
    if listed:
        return [{str(k): str(v) for k, v in c.items() if v} for c in listed]
    name = package.get("maintainer") or package.get("author")
    email = package.get("maintainer_email") or package.get("author_email")
    if not (name or email) and org is not None:
        name = org.get("title") or org["name"]
        email = {e["key"]: e["value"] for e in org.get("extras", [])}.get("email")
    return [{"name": str(name or email), "email": str(email or "")}] if name or email else []


def _add_contacts(graph: Graph, dataset: URIRef, contacts: list[dict[str, str]]) -> None:
    for contact in contacts:
        node = BNode()
        kind = VCARD.Individual if contact.get("type") == "Individual" else VCARD.Organization
        graph.add((dataset, DCAT.contactPoint, node))
        graph.add((node, RDF.type, kind))
        graph.add((node, VCARD.fn, Literal(contact.get("name") or contact.get("email", ""))))
        if contact.get("email"):
            email = contact["email"].removeprefix("mailto:")
            graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))


def identifier(package: Mapping[str, Any], org: Mapping[str, Any] | None, fallback: str) -> str:
    """`dct:identifier`: the `identifier` extra, else `<name>@<organisation>`."""
    given = extras(package).get("identifier")
    return str(given) if given else f"{package['name']}@{org['name'] if org else fallback}"


def add_dataset(
    graph: Graph, package: Mapping[str, Any], data: CatalogData, profile: Profile, site: str
) -> URIRef:
    """Add one dataset with everything it links to; returns its IRI."""
    ex = extras(package)
    org = data.organizations.get(package.get("owner_org") or "")
    page = f"{site}/dataset/{package['name']}"
    dataset = URIRef(iri(ex.get("uri")) or page)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    ident = identifier(package, org, profile.publisher.id)
    graph.add((dataset, DCTERMS.identifier, Literal(ident)))
    title = texts(package.get("title_translated"), package.get("title") or package["name"])
    add_texts(graph, dataset, DCTERMS.title, title)
    notes = texts(package.get("notes_translated"), package.get("notes"))
    add_texts(graph, dataset, DCTERMS.description, notes or title)
    graph.add((dataset, DCTERMS.publisher, _publisher(graph, ex, org, profile, site)))
    _add_contacts(graph, dataset, _contacts(package, ex, org))
    keywords = ex.get("keywords")
    if not isinstance(keywords, Mapping):
        keywords = {"de": [t["name"] for t in package.get("tags") or []]}
    for lang, words in keywords.items():
        for word in as_list(words):
            graph.add((dataset, DCAT.keyword, Literal(str(word), lang=str(lang))))
    for group in package.get("groups") or []:
        code = data.themes.get(group["name"])
        if code:
            graph.add((dataset, DCAT.theme, THEME[code]))
    landing = iri(package.get("url")) or URIRef(page)
    graph.add((dataset, DCAT.landingPage, landing))
    issued = ex.get("issued") or package.get("metadata_created")
    modified = ex.get("modified") or package.get("metadata_modified")
    if issued:
        graph.add((dataset, DCTERMS.issued, date_literal(str(issued))))
    if modified:
        graph.add((dataset, DCTERMS.modified, date_literal(str(modified))))
    _add_optional(graph, dataset, package, ex, profile, site)
    languages = as_list(ex.get("language")) or (
        [] if ex.get("uri") else list(profile.data_language)
    )
    for resource in package.get("resources") or []:
        distribution = add_distribution(
            graph, package, resource, data, profile, site, languages, page
        )
        graph.add((dataset, DCAT.distribution, distribution))
    return dataset


def _add_optional(
    graph: Graph,
    dataset: URIRef,
    package: Mapping[str, Any],
    ex: Mapping[str, Any],
    profile: Profile,
    site: str,
) -> None:
    frequency = ex.get("accrual_periodicity")
    frequency_uri = frequency_iri(str(frequency)) if frequency else None
    if frequency_uri:
        graph.add((dataset, DCTERMS.accrualPeriodicity, URIRef(frequency_uri)))
    start, end = ex.get("temporal_start"), ex.get("temporal_end")
    if start or end:
        period = BNode()
        graph.add((dataset, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if start:
            graph.add((period, DCAT.startDate, date_literal(str(start))))
        if end:
            graph.add((period, DCAT.endDate, date_literal(str(end))))
    # the profile's defaults describe the city's own data, never an imported record's
    own = not ex.get("uri")
    for spatial in as_list(ex.get("spatial_uri")) or list(profile.spatial_uri if own else ()):
        if iri(spatial):
            graph.add((dataset, DCTERMS.spatial, URIRef(spatial)))
    for lang in as_list(ex.get("language")) or list(profile.data_language if own else ()):
        lang_uri = language_iri(str(lang))
        if lang_uri:
            graph.add((dataset, DCTERMS.language, URIRef(lang_uri)))
    rights = str(ex.get("access_rights") or profile.access_rights)
    graph.add((dataset, DCTERMS.accessRights, iri(rights) or ACCESS_RIGHT[rights]))
    standards = as_list(ex.get("conforms_to")) or schema_urls(package, site)
    for url in standards:
        if iri(url):
            graph.add((dataset, DCTERMS.conformsTo, URIRef(url)))
    for url in as_list(ex.get("documentation")):
        if iri(url):
            graph.add((dataset, FOAF.page, URIRef(url)))
            graph.add((URIRef(url), RDF.type, FOAF.Document))
    for url in as_list(ex.get("relations")):
        if iri(url):
            graph.add((dataset, DCTERMS.relation, URIRef(url)))
