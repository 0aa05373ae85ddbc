"""The MQA view of a whole catalogue: pass rates per indicator, mean points, mean total.

Mirrors the data.europa.eu MQA dashboard (our choice, `reference/mqa.md` section 4).
"""

from __future__ import annotations

from rdflib import Graph

from ogd.quality.indicators import DIMENSIONS, INDICATORS, rate
from ogd.quality.mqa import datasets_of, score_dataset
from ogd.quality.references import References, load_references
from ogd.quality.report import CatalogReport, QualityReport
from ogd.quality.urls import UrlChecker


def score_catalog(
    graph: Graph,
    urls: UrlChecker,
    *,
    swiss_licences: bool = False,
    references: References | None = None,
) -> CatalogReport:
    """Score every `dcat:Dataset` of a graph and summarise.

    Args:
        graph: a DCAT-AP (CH) catalogue graph.
        urls: answers A1/A3; one checker for all datasets shares its cache.
        swiss_licences: count the opendata.swiss `terms_*` licences as known (R2).
        references: shapes and vocabularies; loaded once when None.

    Returns:
        Per indicator the percentage passing (of datasets; of distributions for the
        share indicators), per dimension the mean points, the mean total and its rating.
    """
    refs = references if references is not None else load_references()
    reports = tuple(
        score_dataset(graph, dataset, urls, swiss_licences=swiss_licences, references=refs)
        for dataset in datasets_of(graph)
    )
    count = len(reports)
    mean_total = round(sum(r.total for r in reports) / count, 2) if count else 0.0
    return CatalogReport(
        datasets=count,
        indicators={i.id: _pass_rate(reports, i.id) for i in INDICATORS},
        dimensions={
            d: round(sum(r.dimensions[d] for r in reports) / count, 2) if count else 0.0
            for d in DIMENSIONS
        },
        mean_total=mean_total,
        rating=rate(mean_total),
        reports=reports,
    )


def _pass_rate(reports: tuple[QualityReport, ...], indicator_id: str) -> float:
    results = [report.indicator(indicator_id) for report in reports]
    if results and results[0].share is not None:
        passing = sum(r.details.get("passing", 0) for r in results)
        total = sum(r.details.get("distributions", 0) for r in results)
    else:
        passing, total = sum(r.passed for r in results), len(results)
    return round(100 * passing / total, 2) if total else 0.0
