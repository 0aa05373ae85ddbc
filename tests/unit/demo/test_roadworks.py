"""Tests for the synthetic road-works export `baustellen.json`."""

import collections
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

from ogd.demo.draws import is_working_day
from ogd.demo.facts import (
    DEFAULT_SEED,
    ROADWORKS,
    ROADWORKS_EXPORTED,
    ROADWORKS_OPEN_ENDED,
    ROADWORKS_PLANNED,
)
from ogd.demo.roadworks import KINDS, PROPERTY_KEYS, TRAFFIC_IMPACTS, write_roadworks
from ogd.demo.vocab import QUARTER_PLACES

Feature = dict[str, Any]


@pytest.fixture(scope="module")
def export(demo_sources: Path) -> Path:
    return demo_sources / "baustellen.json"


@pytest.fixture(scope="module")
def document(export: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(export.read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def features(document: dict[str, Any]) -> list[Feature]:
    result: list[Feature] = document["features"]
    return result


def test_shape_of_the_export(document: dict[str, Any], features: list[Feature]) -> None:
    assert set(document) == {"meta", "features"}
    assert document["meta"]["anzahl"] == len(features) == ROADWORKS
    assert document["meta"]["exportiert"].startswith(ROADWORKS_EXPORTED.isoformat())
    for feature in features:
        assert set(feature) == {"id", "properties"}
        assert tuple(feature["properties"]) == PROPERTY_KEYS


def test_ids_sorted_unique(features: list[Feature]) -> None:
    ids = [feature["id"] for feature in features]
    assert ids == sorted(ids) and len(set(ids)) == ROADWORKS
    assert all(re.fullmatch(r"BS-\d{4}-\d{4}", i) for i in ids)


def test_streets_belong_to_their_quarter(features: list[Feature]) -> None:
    streets = {place.name: place.streets for place in QUARTER_PLACES}
    kinds = {kind.name for kind in KINDS}
    for feature in features:
        props = feature["properties"]
        assert props["street"] in streets[props["quarter"]]
        assert props["kind"] in kinds and props["traffic_impact"] in TRAFFIC_IMPACTS


def test_current_and_planned_sites(features: list[Feature]) -> None:
    counts: collections.Counter[str] = collections.Counter()
    for feature in features:
        props = feature["properties"]
        start = datetime.date.fromisoformat(props["start"])
        assert is_working_day(start)
        assert feature["id"].startswith(f"BS-{start.year}-")
        counts["planned" if start > ROADWORKS_EXPORTED else "current"] += 1
        if props["end"] is None:
            counts["open"] += 1
        else:
            end = datetime.date.fromisoformat(props["end"])
            assert end > ROADWORKS_EXPORTED and end > start
    assert counts["planned"] == ROADWORKS_PLANNED
    assert counts["current"] == ROADWORKS - ROADWORKS_PLANNED
    assert counts["open"] == ROADWORKS_OPEN_ENDED


def test_same_seed_same_bytes_other_seed_other_bytes(export: Path, tmp_path: Path) -> None:
    assert write_roadworks(tmp_path / "a.json", DEFAULT_SEED).read_bytes() == export.read_bytes()
    assert (
        write_roadworks(tmp_path / "b.json", DEFAULT_SEED + 1).read_bytes() != export.read_bytes()
    )
