"""The catalogue view of the MQA scores."""

from __future__ import annotations

from rdflib import Graph

from ogd.quality import References, StubUrlChecker, score_catalog

from .conftest import load_example


def test_catalog_of_both_examples(references: References) -> None:
    graph: Graph = load_example("valid") + load_example("fail")

    report = score_catalog(graph, StubUrlChecker({}, default=True), references=references)

    assert report.datasets == 2
    assert [r.total for r in report.reports] == [205, 395]  # sorted by IRI
    assert report.mean_total == 300
    assert report.rating == "good"
    assert report.indicators["F1"] == 50  # datasets
    assert report.indicators["C1"] == 66.67  # 2 of 3 distributions
    assert report.dimensions["findability"] == 65
    assert report.to_dict()["reports"][1]["total"] == 395


def test_empty_catalog(references: References) -> None:
    report = score_catalog(Graph(), StubUrlChecker({}), references=references)

    assert (report.datasets, report.mean_total, report.rating) == (0, 0.0, "bad")
