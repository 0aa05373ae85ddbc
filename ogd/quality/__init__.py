"""Metadata quality: the data.europa.eu MQA score of datasets and of the catalogue.

`score_dataset` scores one `dcat:Dataset` of a DCAT-AP (CH) graph, `score_catalog` all of
them; URL checks go through a `UrlChecker` (`HttpUrlChecker`, or `StubUrlChecker` in tests).
The specification is `reference/mqa.md`.
"""

from ogd.quality.catalog import score_catalog
from ogd.quality.mqa import datasets_of, score_dataset
from ogd.quality.references import References, load_references
from ogd.quality.report import CatalogReport, IndicatorResult, QualityReport
from ogd.quality.urls import HttpUrlChecker, StubUrlChecker, UrlChecker

__all__ = [
    "CatalogReport",
    "HttpUrlChecker",
    "IndicatorResult",
    "QualityReport",
    "References",
    "StubUrlChecker",
    "UrlChecker",
    "datasets_of",
    "load_references",
    "score_catalog",
    "score_dataset",
]
