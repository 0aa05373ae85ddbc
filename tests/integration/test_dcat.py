"""DCAT-AP CH over the demo instance: every pipeline's dataset passes both shape sets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from ogd.catalog.actions import Context, status_show
from ogd.dcat.harvest_rules import dropped_datasets
from ogd.instance import Instance, open_instance
from ogd.pipeline.check import pipeline_files
from ogd.pipeline.runner import run_pipeline
from ogd.pipeline.spec import load_pipeline
from ogd.web.app import create_app
from tests.conftest import ROOT, make_settings
from tests.unit.dcat.helpers import SHAPE_SETS, check, whole_catalog

SPDX = Namespace("http://spdx.org/rdf/terms#")

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_sources: Path) -> Iterator[Instance]:
    """The demo instance: every pipeline run once."""
    settings = make_settings(tmp_path_factory.mktemp("dcat-demo") / "var", demo_sources)
    instance = open_instance(settings)
    for path in pipeline_files(settings):
        result = run_pipeline(
            load_pipeline(path, ROOT), settings, instance.sessions, instance.storage
        )
        assert result.outcome == "published", (path.name, str(result.error))
    yield instance


@pytest.fixture(scope="module")
def catalog(demo: Instance) -> Graph:
    """The demo catalogue as served at /catalog.ttl (one page holds it all)."""
    client = create_app(demo.settings, demo).test_client()
    response = client.get("/catalog.ttl")
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


@pytest.mark.parametrize("shape_set", sorted(SHAPE_SETS))
def test_demo_catalog_has_no_shacl_violation(catalog: Graph, shape_set: str) -> None:
    report = check(catalog, shape_set)
    assert report.violations == [], report.violations[:5]


def test_no_dataset_would_be_dropped_by_the_harvester(catalog: Graph, demo: Instance) -> None:
    assert dropped_datasets(catalog) == {}
    names = {str(s).rsplit("/", 1)[-1] for s in catalog.subjects(RDF.type, DCAT.Dataset)}
    assert names == {p.name.removesuffix(".yaml") for p in pipeline_files(demo.settings)}
    assert whole_catalog(demo).serialize(format="nt")  # the CLI path builds it too


def test_every_property_of_the_profile_is_filled(catalog: Graph) -> None:
    dataset = URIRef("http://127.0.0.1:5000/dataset/luftqualitaet")
    for prop in (
        DCTERMS.identifier,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.publisher,
        DCAT.contactPoint,
        DCAT.keyword,
        DCAT.theme,
        DCTERMS.accrualPeriodicity,
        DCTERMS.temporal,
        DCTERMS.spatial,
        DCTERMS.issued,
        DCTERMS.modified,
        DCAT.landingPage,
        DCTERMS.conformsTo,
        DCTERMS.language,
        DCTERMS.accessRights,
    ):
        assert (dataset, prop, None) in catalog, prop
    assert {str(o) for o in catalog.objects(dataset, DCTERMS.title)} >= {
        "Luftqualität nach Messstation, Monat und Schadstoff"
    }
    csv = next(
        d
        for d in catalog.objects(dataset, DCAT.distribution)
        if str(catalog.value(d, DCTERMS.format)).endswith("/CSV")
    )
    for prop in (
        DCAT.accessURL,
        DCAT.downloadURL,
        DCAT.mediaType,
        DCAT.byteSize,
        DCTERMS.license,
        DCTERMS.rights,
        DCTERMS.issued,
        DCTERMS.language,
        DCTERMS.conformsTo,
        SPDX.checksum,
    ):
        assert (csv, prop, None) in catalog, prop
    checksum = catalog.value(csv, SPDX.checksum)
    assert str(catalog.value(checksum, SPDX.algorithm)).endswith("checksumAlgorithm_sha1")
    assert len(str(catalog.value(checksum, SPDX.checksumValue))) == 40


def test_conforms_to_serves_the_table_schema(catalog: Graph, demo: Instance) -> None:
    client = create_app(demo.settings, demo).test_client()
    urls = {str(o) for o in catalog.objects(None, DCTERMS.conformsTo)}
    assert urls
    for url in sorted(urls):
        response = client.get(url.removeprefix(demo.settings.site_url.rstrip("/")))
        assert response.status_code == 200, url
        assert json.loads(response.data)["fields"]


def test_every_dataset_endpoint_validates(demo: Instance) -> None:
    client = create_app(demo.settings, demo).test_client()
    for path in pipeline_files(demo.settings):
        response = client.get(f"/dataset/{path.name.removesuffix('.yaml')}.rdf")
        assert response.status_code == 200
        graph = Graph().parse(data=response.data, format="xml")
        assert check(graph, "ogdch").violations == [], path.name


def test_status_show_names_the_dcat_extension(demo: Instance) -> None:
    with demo.sessions() as session:
        assert "dcat" in status_show(Context(session, demo.settings), {})["extensions"]
