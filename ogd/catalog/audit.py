"""The audit log: every write through the API (who, what, when, from where, the answer).

Entries are written in their own transaction after the action, whatever its outcome (a
refused write is logged too), and read by sysadmins with `ogd audit`. An entry names the
user and the client address, never a token or the request body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ogd.catalog.models import AuditEntry

_OBJECT_KEYS = ("id", "name", "resource_id", "package_id")


def object_of(data: Mapping[str, Any], result: Any = None) -> str | None:
    """What a write was about: the id or name it was given, else the one it created."""
    for source in (data, result if isinstance(result, Mapping) else {}):
        for key in _OBJECT_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value:
                return value[:200]
    return None


def record(
    session: Session,
    *,
    user: str | None,
    action: str,
    object_id: str | None,
    remote_addr: str | None,
    status: int,
) -> None:
    """Add one entry and commit it."""
    session.add(
        AuditEntry(
            user_name=user,
            action=action[:60],
            object_id=object_id,
            remote_addr=(remote_addr or "")[:64] or None,
            status=status,
        )
    )
    session.commit()


def entries(
    session: Session,
    *,
    since: dt.datetime | None = None,
    user: str | None = None,
    object_id: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest entries first, filtered by time, user and object."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AuditEntry.timestamp >= since)
    if user is not None:
        query = query.where(AuditEntry.user_name == user)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    return list(session.scalars(query))
