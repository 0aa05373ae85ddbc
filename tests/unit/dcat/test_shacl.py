"""The export passes the opendata.swiss and DCAT-AP 2.1.1 shapes; broken records do not."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from ogd.dcat.harvest_rules import dropped_datasets
from ogd.dcat.records import CatalogData
from ogd.instance import Instance
from tests.unit.dcat.conftest import add_dataset
from tests.unit.dcat.helpers import SHAPE_SETS, check, whole_catalog

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize("shape_set", sorted(SHAPE_SETS))
def test_fixture_catalog_has_no_violation(instance: Instance, shape_set: str) -> None:
    report = check(whole_catalog(instance), shape_set)
    assert report.violations == []


def test_broken_dataset_is_caught(instance: Instance) -> None:
    add_dataset(
        instance,
        {
            "name": "ohne-lizenz",
            "owner_org": "statistik",
            "title": "Ohne Lizenz",
            "resources": [{"url": "https://data.example/x.csv", "format": "CSV"}],
        },
    )
    add_dataset(instance, {"name": "ohne-dateien", "owner_org": "statistik", "title": "Leer"})
    graph = whole_catalog(instance)
    broken = next(s for s in graph.subjects(RDF.type, DCAT.Dataset) if "kurz-0" in str(s))
    graph.remove((broken, DCTERMS.identifier, None))
    title = graph.value(broken, DCTERMS.title)
    graph.remove((broken, DCTERMS.title, None))
    graph.add((broken, DCTERMS.title, Literal(str(title))))  # no language tag
    distribution = graph.value(broken, DCAT.distribution)
    graph.remove((distribution, DCAT.byteSize, None))
    graph.add((distribution, DCAT.byteSize, Literal("12 kB")))
    graph.remove((distribution, DCTERMS.license, None))
    graph.add((distribution, DCTERMS.license, URIRef(CC_BY)))  # CC in place of terms of use

    ogdch = check(graph, "ogdch").violations
    found = {(f.focus.rsplit("/", 1)[-1], f.path) for f in ogdch}
    assert ("kurz-0", str(DCTERMS.identifier)) in found
    assert ("kurz-0", str(DCTERMS.title)) in found
    assert ("ohne-dateien", str(DCAT.distribution)) in found
    assert (str(distribution).rsplit("/", 1)[-1], str(DCTERMS.license)) in found
    eu = {f.path for f in check(graph, "dcat-ap-2.1.1").violations}
    assert str(DCAT.byteSize) in eu
    # a missing licence is no SHACL violation, but the harvest filter drops the dataset
    dropped = dropped_datasets(graph)
    assert {k.rsplit("/", 1)[-1] for k in dropped} == {"kurz-0", "ohne-lizenz"}


def test_harvest_rules_pass_the_fixture_catalog(instance: Instance) -> None:
    assert dropped_datasets(whole_catalog(instance)) == {}


def test_sha256_checksums_are_opt_in_because_dcat_ap_2_1_1_wants_sha1(
    instance: Instance,
) -> None:
    from dataclasses import replace

    from ogd.dcat.graph import dataset_graph
    from ogd.dcat.profile import load_profile

    settings = instance.settings
    profile = load_profile(settings.path(settings.catalog_dir), "x", "y")
    package = {
        "id": "p1",
        "name": "mit-pruefsumme",
        "title": "Mit Prüfsumme",
        "license_id": "terms_open",
        "resources": [
            {"id": "r1", "url": "https://d.example/a.csv", "hash": "sha256:" + "ab" * 32}
        ],
    }
    licences = {"terms_open": {"url": "http://dcat-ap.ch/vocabulary/licenses/terms_open"}}
    data = CatalogData(packages=[package], organizations={}, themes={}, licenses=licences)
    site = "https://opendata.stadtluzern.example"
    default = dataset_graph(data, profile, site)
    assert "checksum" not in default.serialize(format="turtle")
    opted = dataset_graph(data, replace(profile, checksum_algorithms=("sha256",)), site)
    assert "checksumAlgorithm_sha256" in opted.serialize(format="turtle")
    assert check(default, "dcat-ap-2.1.1").violations == []
    assert check(opted, "dcat-ap-2.1.1").violations != []
