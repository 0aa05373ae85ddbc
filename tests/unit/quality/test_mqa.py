"""The MQA scorer on the reference examples (reference/mqa.md sections 7 and 8)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD

from ogd.quality import References, StubUrlChecker, score_dataset
from ogd.quality.indicators import INDICATORS, MAX_POINTS, rate

from .conftest import FAIL, VALID, VALID_CSV, VALID_PARQUET

URLS_OK = StubUrlChecker({}, default=True)
URLS_FAILING = StubUrlChecker({}, default=False)
DIST_INDICATORS = ("A1", "A2", "A3", "I1", "I2", "I3", "I4", "I5", "R1", "R2", "C1", "C2")


def test_maximum_is_405_in_five_dimensions() -> None:
    assert dict(MAX_POINTS) == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }
    assert len(INDICATORS) == 23


@pytest.mark.parametrize(
    ("total", "rating"),
    [
        (405, "excellent"),
        (351, "excellent"),
        (350, "good"),
        (221, "good"),
        (220, "sufficient"),
        (121, "sufficient"),
        (120, "bad"),
        (0, "bad"),
    ],
)
def test_rating_bands(total: int, rating: str) -> None:
    assert rate(total) == rating


def test_valid_example_scores_395_with_urls_ok(valid_graph: Graph, references: References) -> None:
    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    assert report.total == 395
    assert report.rating == "excellent"
    assert report.dimensions == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 65,
        "contextuality": 20,
    }
    assert report.best_distribution == str(VALID_CSV)
    assert report.indicator("R2").points == 0
    assert report.indicator("R2").how["en"]
    assert report.penalty == -5  # the Parquet distribution has no media type
    assert report.indicator("I3").details == {
        "format_controlled": True,
        "media_type_controlled": True,
    }
    assert report.indicator("I6").details == {"violations": []}


def test_valid_example_scores_315_when_urls_fail(
    valid_graph: Graph, references: References
) -> None:
    report = score_dataset(valid_graph, VALID, URLS_FAILING, references=references)

    assert report.total == 395 - 50 - 30 == 315
    assert report.rating == "good"
    assert [report.indicator(i).points for i in ("A1", "A2", "A3")] == [0, 20, 0]


def test_swiss_profile_counts_terms_licences(valid_graph: Graph, references: References) -> None:
    report = score_dataset(valid_graph, VALID, URLS_OK, swiss_licences=True, references=references)

    assert report.total == 405
    assert report.indicator("R2").points == 10
    assert report.swiss_licences
    assert any("Swiss profile" in note for note in report.notes)


FAIL_EXPECTED = {
    "F1": 0, "F2": 30, "F3": 0, "F4": 0,
    "A1": 50, "A2": 20, "A3": 30,
    "I1": 20, "I2": 0, "I3": 0, "I4": 0, "I5": 0, "I6": 0,
    "R1": 20, "R2": 0, "R3": 0, "R4": 0, "R5": 20, "R6": 10,
    "C1": 0, "C2": 5, "C3": 0, "C4": 0,
}  # fmt: skip


def test_fail_example_per_indicator(fail_graph: Graph, references: References) -> None:
    report = score_dataset(fail_graph, FAIL, URLS_OK, references=references)

    assert {r.id: r.points for r in report.indicators} == FAIL_EXPECTED
    assert report.dimensions["findability"] == 30
    assert report.total == 205
    assert report.rating == "sufficient"
    violations = report.indicator("I6").details["violations"]
    assert len(violations) == 2
    assert any("byteSize" in v for v in violations)
    assert any("downloadURL" in v for v in violations)
    for result in report.indicators:
        assert bool(result.how) is not result.passed, result.id
        if result.how:
            assert set(result.how) == {"de", "en"}


def test_dataset_without_distributions(valid_graph: Graph, references: References) -> None:
    valid_graph.remove((VALID, DCAT.distribution, None))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    for indicator_id in DIST_INDICATORS:
        assert report.indicator(indicator_id).points == 0, indicator_id
    assert report.dimensions["interoperability"] <= 30
    assert report.dimensions["accessibility"] == 0
    assert report.best_distribution is None
    assert report.penalty == 0


def test_one_of_two_distributions_with_download_url(
    valid_graph: Graph, references: References
) -> None:
    valid_graph.remove((VALID_PARQUET, DCAT.downloadURL, None))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    a2 = report.indicator("A2")
    assert (a2.points, a2.share, a2.passed) == (10, 0.5, False)
    assert report.indicator("A3").points == 15
    assert str(VALID_PARQUET) in a2.reason


def test_shares_are_rounded_down_per_dimension(valid_graph: Graph, references: References) -> None:
    third = URIRef(str(VALID) + "/resource/json")
    valid_graph.add((VALID, DCAT.distribution, third))
    valid_graph.add((third, DCAT.accessURL, URIRef("https://broken.example/")))
    urls = StubUrlChecker({"https://broken.example/": False}, default=True)

    report = score_dataset(valid_graph, VALID, urls, references=references)

    assert report.indicator("A1").points == pytest.approx(100 / 3)  # 2 of 3 × 50
    # A1 33.3 + A2 13.3 + A3 20 = 66.7 → 66
    assert report.dimensions["accessibility"] == 66


def test_dates_fall_back_to_the_distributions(valid_graph: Graph, references: References) -> None:
    valid_graph.remove((VALID, DCTERMS.issued, None))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    c3 = report.indicator("C3")
    assert c3.points == 5
    assert c3.details == {"fallback": True}
    assert any(note.startswith("C3:") for note in report.notes)


def test_date_missing_on_one_distribution_is_not_awarded(
    valid_graph: Graph, references: References
) -> None:
    valid_graph.remove((VALID, DCTERMS.modified, None))
    valid_graph.remove((VALID_PARQUET, DCTERMS.modified, None))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    assert report.indicator("C4").points == 0


def test_i3_needs_both_controlled(valid_graph: Graph, references: References) -> None:
    valid_graph.set((VALID_CSV, DCAT.mediaType, Literal("text/csv")))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    i3 = report.indicator("I3")
    assert i3.points == 0
    assert i3.details == {"format_controlled": True, "media_type_controlled": False}
    assert report.indicator("I2").points == 10  # present, even as a literal


def test_parquet_alone_earns_20_of_80(valid_graph: Graph, references: References) -> None:
    valid_graph.remove((VALID, DCAT.distribution, VALID_CSV))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    points = [report.indicator(i).points for i in ("I1", "I2", "I3", "I4", "I5")]
    assert points == [20, 0, 0, 0, 0]


def test_shacl_violation_gives_i6_zero(valid_graph: Graph, references: References) -> None:
    valid_graph.set((VALID_CSV, DCAT.byteSize, Literal("12", datatype=XSD.string)))

    report = score_dataset(valid_graph, VALID, URLS_OK, references=references)

    assert report.indicator("I6").points == 0
    assert report.total == 365


def test_report_is_json(fail_graph: Graph, references: References) -> None:
    data = json.loads(
        json.dumps(score_dataset(fail_graph, FAIL, URLS_OK, references=references).to_dict())
    )

    assert data["total"] == 205
    assert data["penalty"] == {
        "points": -5,
        "applied": False,
        "rule": data["penalty"]["rule"],
    }
    f1 = data["indicators"][0]
    assert f1["id"] == "F1"
    assert f1["how"]["de"].startswith("Schlüsselwörter angeben: metadata.keywords")
    assert f1["how"]["en"] == "add keywords: metadata.keywords in the pipeline file"
    assert {"id", "dimension", "name", "points", "max", "passed", "share", "reason"} <= set(f1)


def test_default_references_are_loaded(valid_graph: Graph) -> None:
    assert score_dataset(valid_graph, VALID, URLS_OK).total == 395
