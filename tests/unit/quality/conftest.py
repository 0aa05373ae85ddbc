"""Fixtures for the MQA scorer: the shipped references, the two Lucerne examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ogd.quality import References, load_references

DATA = Path(__file__).resolve().parents[2] / "data" / "quality"
BASE = "https://opendata.stadtluzern.example/dataset/"
VALID = URIRef(BASE + "velozaehlstellen-tageswerte")
VALID_CSV = URIRef(BASE + "velozaehlstellen-tageswerte/resource/csv")
VALID_PARQUET = URIRef(BASE + "velozaehlstellen-tageswerte/resource/parquet")
FAIL = URIRef(BASE + "strassenbaeume")


@pytest.fixture(scope="session")
def references() -> References:
    """The shapes and vocabularies shipped in ogd/quality/data/, parsed once."""
    return load_references()


def load_example(name: str) -> Graph:
    """Parse tests/data/quality/lucerne-example.<name>.ttl into a new graph."""
    return Graph().parse(DATA / f"lucerne-example.{name}.ttl", format="turtle")


@pytest.fixture
def valid_graph() -> Graph:
    """A fresh copy of the valid example, which a test may change."""
    return load_example("valid")


@pytest.fixture
def fail_graph() -> Graph:
    """A fresh copy of the example with ten planted defects."""
    return load_example("fail")
