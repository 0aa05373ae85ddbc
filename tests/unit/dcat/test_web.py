"""The DCAT endpoints: formats, Hydra paging, modified_since, 403/404, the HTML page still wins."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF

from ogd.dcat.vocab import HYDRA
from ogd.instance import Instance
from ogd.web.app import create_app

PARSE = {"ttl": "turtle", "rdf": "xml", "xml": "xml", "jsonld": "json-ld"}


def get_graph(instance: Instance, url: str, fmt: str) -> Graph:
    client = create_app(instance.settings, instance).test_client()
    response = client.get(url)
    assert response.status_code == 200, url
    return Graph().parse(data=response.data, format=PARSE[fmt])


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "xml", "jsonld"])
def test_catalog_pages_hold_only_public_datasets(instance: Instance, fmt: str) -> None:
    names = set()
    for page in (1, 2, 3):
        graph = get_graph(instance, f"/catalog.{fmt}?page={page}", fmt)
        names |= {str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, DCAT.Dataset)}
        collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert graph.value(collection, HYDRA.totalItems) == Literal(5)
        assert graph.value(collection, HYDRA.itemsPerPage) == Literal(2)
        assert str(graph.value(collection, HYDRA.lastPage)).endswith(f"catalog.{fmt}?page=3")
        has_next = graph.value(collection, HYDRA.next) is not None
        assert has_next == (page < 3)
        assert (graph.value(collection, HYDRA.nextPage) is not None) == has_next
    assert names == {"velozaehlungen", "kurz-0", "kurz-1", "kurz-2", "kurz-3"}


def test_modified_since_filters_and_is_kept_in_the_page_links(instance: Instance) -> None:
    graph = get_graph(instance, "/catalog.ttl?modified_since=2999-01-01", "ttl")
    assert list(graph.subjects(RDF.type, DCAT.Dataset)) == []
    graph = get_graph(instance, "/catalog.ttl?modified_since=2000-01-01", "ttl")
    collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
    assert "modified_since=2000-01-01" in str(graph.value(collection, HYDRA.next))
    client = create_app(instance.settings, instance).test_client()
    assert client.get("/catalog.ttl?modified_since=yesterday").status_code == 400
    assert client.get("/catalog.ttl?page=0").status_code == 400


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_dataset_endpoint(instance: Instance, fmt: str) -> None:
    graph = get_graph(instance, f"/dataset/velozaehlungen.{fmt}", fmt)
    site = instance.settings.site_url.rstrip("/")
    assert (URIRef(f"{site}/dataset/velozaehlungen"), RDF.type, DCAT.Dataset) in graph
    assert next(graph.subjects(RDF.type, DCAT.Catalog), None) is None


def test_private_is_403_unknown_404_and_the_html_page_remains(instance: Instance) -> None:
    client = create_app(instance.settings, instance).test_client()
    assert client.get("/dataset/interne-liste.ttl").status_code == 403
    assert client.get("/dataset/gibt-es-nicht.rdf").status_code == 404
    page = client.get("/dataset/velozaehlungen")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert client.get("/dataset/velozaehlungen.ttl").mimetype == "text/turtle"
