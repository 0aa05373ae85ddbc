"""The activity stream: one record per new, changed or deleted dataset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ogd.catalog.dictize import timestamp
from ogd.catalog.models import Activity


def record_activity(
    session: Session,
    object_id: str,
    activity_type: str,
    user_id: str | None,
    package: dict[str, Any],
) -> None:
    """Add an activity (`new package`, `changed package`, `deleted package`)."""
    session.add(
        Activity(
            object_id=object_id,
            activity_type=activity_type,
            user_id=user_id,
            data={"package": package},
        )
    )


def recent(session: Session, limit: int, offset: int) -> list[dict[str, Any]]:
    """The newest activities first, as CKAN's activity dicts."""
    rows = session.scalars(
        select(Activity)
        .order_by(Activity.timestamp.desc(), Activity.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        {
            "id": a.id,
            "timestamp": timestamp(a.timestamp),
            "user_id": a.user_id,
            "object_id": a.object_id,
            "activity_type": a.activity_type,
            "data": a.data,
        }
        for a in rows
    ]
