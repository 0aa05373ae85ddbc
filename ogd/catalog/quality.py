"""Stored metadata-quality reports: read the current one, save a new one.

A report is current while the dataset's `metadata_modified` is the one it was computed
for and it is younger than `MAX_AGE` (reachability changes without the metadata
changing). `ogd.quality.assess` computes reports; the web layer and the command line
store them here; `package_show` shows the current one as the extra `quality`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ogd.catalog.models import Dataset, QualityScore, utcnow

MAX_AGE = dt.timedelta(days=7)


def current_report(session: Session, dataset: Dataset) -> dict[str, Any] | None:
    """The dataset's stored report if it is current, else None."""
    score = session.get(QualityScore, dataset.id)
    if score is None or score.dataset_modified != dataset.metadata_modified:
        return None
    if utcnow() - score.computed > MAX_AGE:
        return None
    return score.report


def save_report(session: Session, dataset: Dataset, report: dict[str, Any]) -> None:
    """Store `report` (a QualityReport's dict) for the dataset's current metadata."""
    score = session.get(QualityScore, dataset.id) or QualityScore(dataset_id=dataset.id)
    score.dataset_modified = dataset.metadata_modified
    score.computed = utcnow()
    score.total = int(report.get("total", 0))
    score.rating = str(report.get("rating", ""))
    score.report = report
    session.add(score)


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """What package_show and the pages show: total, rating, dimensions, and per indicator
    the points and how to earn the missing ones."""
    return {
        "total": report.get("total"),
        "max": report.get("max", 405),
        "rating": report.get("rating"),
        "dimensions": report.get("dimensions", {}),
        "indicators": [
            {k: item.get(k) for k in ("id", "dimension", "name", "points", "max", "how")}
            for item in report.get("indicators", [])
        ],
        "computed": report.get("computed"),
    }
