"""rdflib round trip (export -> parse -> import -> export is isomorphic) and the import of
real opendata.swiss records (every property the profile names survives)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from ogd.catalog import actions, authz
from ogd.dcat.importer import import_graph
from ogd.dcat.parse import parse_datasets
from ogd.dcat.vocab import VCARD
from ogd.instance import Instance, open_instance
from tests.conftest import make_settings
from tests.unit.dcat.helpers import DATA, SHAPE_SETS, check, whole_catalog, without_volatile

DATASET_PROPERTIES = [
    DCTERMS.identifier,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.publisher,
    DCAT.contactPoint,
    DCAT.keyword,
    DCAT.theme,
    DCAT.landingPage,
    DCTERMS.issued,
    DCTERMS.modified,
    DCTERMS.temporal,
    DCTERMS.language,
    DCTERMS.relation,
    DCTERMS.accrualPeriodicity,
    DCTERMS.conformsTo,
    FOAF.page,
]
DISTRIBUTION_PROPERTIES = [
    DCTERMS.identifier,
    DCTERMS.title,
    DCAT.accessURL,
    DCAT.downloadURL,
    DCTERMS.format,
    DCAT.mediaType,
    DCTERMS.issued,
    DCTERMS.language,
    DCAT.byteSize,
]


@pytest.fixture
def empty(tmp_path: Path, catalog_dir: Path) -> Instance:
    """A second instance, same catalogue files, no datasets."""
    settings = make_settings(tmp_path / "other", tmp_path / "sources", catalog_dir=catalog_dir)
    return open_instance(settings)


def load(instance: Instance, graph: Graph) -> list[str]:
    with instance.sessions() as session:
        ctx = actions.Context(session, instance.settings, authz.SITE_USER, instance.storage)
        return [r.action for r in import_graph(ctx, graph)]


def test_parse_rebuilds_the_catalog(instance: Instance) -> None:
    parsed = {d["name"]: d for d in parse_datasets(whole_catalog(instance))}
    with instance.sessions() as session:
        ctx = actions.Context(session, instance.settings)
        for name in ("velozaehlungen", "kurz-0"):
            stored = actions.package_show(ctx, {"id": name})
            record = parsed[name]
            assert record["license_id"] == stored["license_id"]
            assert record["maintainer_email"] == (
                stored["maintainer_email"] or "statistik@stadtluzern.ch"  # organisation's
            )
            assert record["notes_translated"] == (
                stored["notes_translated"] or {"de": stored["title"]}
            )
            assert len(record["resources"]) == len(stored["resources"])
    full = parsed["velozaehlungen"]
    assert full["title_translated"] == {
        "de": "Velozählungen",
        "fr": "Comptages vélo",
        "en": "Bicycle counts",
    }
    extras = {e["key"]: e["value"] for e in full["extras"]}
    assert extras["identifier"] == "velozaehlungen@mobilitaet"
    assert extras["keywords"] == {"de": ["Velo", "Verkehr"], "en": ["bicycle"]}
    assert extras["temporal_start"] == "2024-01-01"
    assert full["groups"] == [{"name": "tran"}]


def test_export_import_export_is_isomorphic(instance: Instance, empty: Instance) -> None:
    first = whole_catalog(instance)
    assert load(empty, first) == ["created"] * 5
    second = whole_catalog(empty)
    assert isomorphic(without_volatile(first), without_volatile(second))
    assert load(empty, second) == ["updated"] * 5  # a second import updates in place


def _real(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(DATA / "real" / name)
    return graph


@pytest.mark.parametrize(("name", "count"), [("1894.xml", 1), ("1901.xml", 1), ("catalog.xml", 2)])
def test_real_records_keep_every_profile_property(empty: Instance, name: str, count: int) -> None:
    source = _real(name)
    assert load(empty, source) == ["created"] * count
    exported = whole_catalog(empty)
    ids = {str(i): d for d, i in exported.subject_objects(DCTERMS.identifier)}
    for dataset in set(source.subjects(RDF.type, DCAT.Dataset)):
        identifier = str(source.value(dataset, DCTERMS.identifier))
        out = ids[identifier]
        for prop in DATASET_PROPERTIES:
            if (dataset, prop, None) in source:
                assert (out, prop, None) in exported, (identifier, prop)
        assert len(list(source.objects(dataset, DCAT.distribution))) == len(
            list(exported.objects(out, DCAT.distribution))
        )
    for distribution in exported.subjects(RDF.type, DCAT.Distribution):
        licence = str(exported.value(distribution, DCTERMS.license))
        assert licence.startswith("http://dcat-ap.ch/vocabulary/licenses/terms_"), licence
    originals = set(source.subjects(RDF.type, DCAT.Distribution))
    for distribution in originals:
        if not isinstance(distribution, URIRef):
            continue
        for prop in DISTRIBUTION_PROPERTIES:
            if (distribution, prop, None) in source:
                assert (distribution, prop, None) in exported, (distribution, prop)


def test_real_records_are_normalised_to_the_profile(empty: Instance) -> None:
    assert load(empty, _real("1894.xml")) == ["created"]
    exported = whole_catalog(empty)
    themes = set(exported.objects(None, DCAT.theme))
    assert themes == {URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")}
    emails = {str(e) for e in exported.objects(None, VCARD.hasEmail)}
    assert emails == {"mailto:auskunftsdienst@bfs.admin.ch"}
    licences = {str(v) for v in exported.objects(None, DCTERMS.license)}
    assert "http://dcat-ap.ch/vocabulary/licenses/terms_by_ask" in licences
    for shape_set in SHAPE_SETS:
        assert check(exported, shape_set).violations == [], shape_set
