"""Shared helpers of the DCAT tests: the whole catalogue as one graph, SHACL shape sets."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from ogd.catalog.actions import Context
from ogd.dcat.graph import catalog_graph
from ogd.dcat.profile import load_profile
from ogd.dcat.records import collect_page
from ogd.dcat.shacl import ShaclReport, validate
from ogd.dcat.vocab import HYDRA
from ogd.instance import Instance
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "dcat"
VOCABULARIES = sorted((DATA / "vocabularies").glob("*.ttl"))
SHAPE_SETS = {
    "ogdch": (DATA / "shapes" / "ogdch.shacl.ttl", VOCABULARIES),
    "dcat-ap-2.1.1": (DATA / "shapes" / "dcat-ap_2.1.1_shacl_shapes.ttl", []),
    "dcat-ap-2.1.1-recommended": (
        DATA / "shapes" / "dcat-ap_2.1.1_shacl_shapes_recommended.ttl",
        [],
    ),
}


def whole_catalog(instance: Instance) -> Graph:
    """Every active public dataset of the instance as one catalogue graph."""
    settings = instance.settings
    profile = load_profile(
        settings.path(settings.catalog_dir), settings.site_title, settings.site_description
    )
    with instance.sessions() as session:
        data = collect_page(Context(session, settings), 1, 10**6)
    site = settings.site_url.rstrip("/")
    return catalog_graph(data, profile, site, f"{site}/catalog.ttl")


def check(graph: Graph, shape_set: str) -> ShaclReport:
    """Validate against one of SHAPE_SETS."""
    shapes, vocabularies = SHAPE_SETS[shape_set]
    return validate(graph, Path(shapes), vocabularies)


def without_volatile(graph: Graph) -> Graph:
    """The graph minus what changes with every export: catalogue `modified` and paging."""
    copy = Graph()
    catalogs = set(graph.subjects(RDF.type, DCAT.Catalog))
    pages = set(graph.subjects(RDF.type, HYDRA.PagedCollection))
    for s, p, o in graph:
        if s in pages or (s in catalogs and p == DCTERMS.modified):
            continue
        copy.add((s, p, o))
    return copy
