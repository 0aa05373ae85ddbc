"""The MQA score of one dataset and of the catalogue, as frozen records with `to_dict()`.

`to_dict()` gives plain JSON values, for the `package_show` extra and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IndicatorResult:
    """The result of one indicator for one dataset.

    Attributes:
        id: F1 … C4.
        dimension: findability, accessibility, interoperability, reusability or
            contextuality.
        name: the indicator's English name.
        points: points earned (a share of `max` for distribution indicators; not rounded).
        max: full points.
        passed: True when the full points are earned.
        share: for distribution indicators aggregated by share (A1–A3, R1, R2, C1, C2),
            the fraction of distributions that pass; None otherwise.
        reason: why, in English, for stewards and developers.
        how: what to do to earn the missing points, by language (`de`, `en`); empty
            when nothing is missing.
        details: sub-results, e.g. I3's `format_controlled` and `media_type_controlled`.
    """

    id: str
    dimension: str
    name: str
    points: float
    max: int
    passed: bool
    share: float | None
    reason: str
    how: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON values."""
        return {
            "id": self.id,
            "dimension": self.dimension,
            "name": self.name,
            "points": round(self.points, 2),
            "max": self.max,
            "passed": self.passed,
            "share": None if self.share is None else round(self.share, 4),
            "reason": self.reason,
            "how": dict(self.how),
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class QualityReport:
    """The MQA score of one dataset.

    Attributes:
        dataset: the dataset's IRI (or blank node id).
        total: sum of the five dimensions, 0–405.
        max: 405.
        rating: excellent, good, sufficient or bad.
        dimensions: points per dimension, rounded down.
        indicators: the 23 results, F1 … C4.
        penalty: the 2019 penalty (−5 per distribution without format, −5 per
            distribution without media type), a number ≤ 0 shown but not subtracted.
        best_distribution: the distribution whose I1–I5 count, or None.
        swiss_licences: True when `terms_*` licences counted as known (Swiss profile).
        notes: remarks on choices made for this dataset (C3/C4 fallback, profile).
    """

    dataset: str
    total: int
    max: int
    rating: str
    dimensions: dict[str, int]
    indicators: tuple[IndicatorResult, ...]
    penalty: int
    best_distribution: str | None
    swiss_licences: bool
    notes: tuple[str, ...] = ()

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """Return the result of one indicator by id (``"I3"``).

        Raises:
            KeyError: for an unknown id.
        """
        for result in self.indicators:
            if result.id == indicator_id:
                return result
        raise KeyError(indicator_id)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON values."""
        return {
            "dataset": self.dataset,
            "total": self.total,
            "max": self.max,
            "rating": self.rating,
            "dimensions": dict(self.dimensions),
            "indicators": [result.to_dict() for result in self.indicators],
            "penalty": {
                "points": self.penalty,
                "applied": False,
                "rule": "-5 per distribution without dct:format, -5 per distribution "
                "without dcat:mediaType (MQA 2019); shown, not subtracted",
            },
            "best_distribution": self.best_distribution,
            "swiss_licences": self.swiss_licences,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class CatalogReport:
    """The MQA view of a whole catalogue.

    Attributes:
        datasets: number of datasets scored.
        indicators: per indicator id, the percentage (0–100) of datasets that pass it
            fully; for share indicators, of all distributions that pass.
        dimensions: per dimension, the mean points of the datasets.
        mean_total: the mean dataset total.
        rating: the rating of `mean_total`.
        reports: the dataset reports.
    """

    datasets: int
    indicators: dict[str, float]
    dimensions: dict[str, float]
    mean_total: float
    rating: str
    reports: tuple[QualityReport, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the catalogue view as JSON values, with the dataset reports."""
        return {
            "datasets": self.datasets,
            "indicators": dict(self.indicators),
            "dimensions": dict(self.dimensions),
            "mean_total": self.mean_total,
            "rating": self.rating,
            "reports": [report.to_dict() for report in self.reports],
        }
