"""Download counts per dataset: one counter row each, bumped in one statement, no personal data.

Only the number of downloads is kept: no address, time, user agent or user, so the counter
says how much a dataset is used without saying by whom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ogd.catalog.dictize import package_dict
from ogd.catalog.models import Dataset, DownloadCount

if TYPE_CHECKING:
    from ogd.catalog.actions import Context

_UPSERTS: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def record_download(session: Session, dataset_id: str) -> None:
    """Add one download to the dataset's counter (an upsert; the caller commits)."""
    upsert = _UPSERTS.get(session.get_bind().dialect.name)
    if upsert is None:  # another database: update, else create the row
        bump = update(DownloadCount).where(DownloadCount.dataset_id == dataset_id)
        result = session.execute(bump.values(downloads=DownloadCount.downloads + 1))
        if getattr(result, "rowcount", 0) == 0:
            session.add(DownloadCount(dataset_id=dataset_id, downloads=1))
        return
    statement = upsert(DownloadCount).values(dataset_id=dataset_id, downloads=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[DownloadCount.dataset_id],
            set_={"downloads": DownloadCount.downloads + 1},
        )
    )


def most_downloaded(ctx: Context, limit: int = 6) -> list[dict[str, Any]]:
    """The visible datasets downloaded most often, as package dicts with `downloads`.

    Args:
        ctx: the action context (its session is used, never opened).
        limit: how many datasets at most.

    Returns:
        Package dicts, most downloads first (ties by name), each with a `downloads` count.
    """
    rows = ctx.session.execute(
        select(Dataset, DownloadCount.downloads)
        .join(DownloadCount, DownloadCount.dataset_id == Dataset.id)
        .where(Dataset.state == "active", Dataset.private.is_(False), DownloadCount.downloads > 0)
        .order_by(DownloadCount.downloads.desc(), Dataset.name)
        .limit(limit)
    ).all()
    return [
        {**package_dict(dataset, ctx.settings.site_url), "downloads": downloads}
        for dataset, downloads in rows
    ]
