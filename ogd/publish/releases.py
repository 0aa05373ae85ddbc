"""Release ids and the switch: files go to storage first, then one catalogue transaction."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Sequence
from pathlib import Path

from ogd.catalog.db import SessionFactory
from ogd.catalog.publishing import PublishedFile, ReleaseRecord, switch_release
from ogd.errors import OgdError, PublishError
from ogd.publish.storage import Storage

log = logging.getLogger(__name__)


def new_release_id() -> str:
    """A sortable, unique release id: UTC time plus randomness."""
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S}Z-{secrets.token_hex(4)}"


def storage_key(slug: str, release_id: str, filename: str) -> str:
    """Where a release's file lives in storage."""
    return f"datasets/{slug}/{release_id}/{filename}"


def publish_release(
    sessions: SessionFactory,
    storage: Storage,
    record: ReleaseRecord,
    staged: Sequence[tuple[Path, PublishedFile]],
) -> None:
    """Upload the staged files, then switch the dataset in one transaction.

    Nothing is served from the new files until the transaction commits; when it fails
    the uploaded files are removed and the previous release keeps serving.

    Raises:
        PublishError: upload or catalogue transaction failed.
    """
    prefix = f"datasets/{record.dataset.name}/{record.id}"
    try:
        for local, published in staged:
            storage.put(local, published.storage_key)
        with sessions() as session, session.begin():
            switch_release(session, record)
    except OgdError:
        storage.delete(prefix)
        raise
    except Exception as exc:
        storage.delete(prefix)
        log.exception("publishing release %s failed", record.id)
        raise PublishError(
            f"publishing failed, nothing was changed: {type(exc).__name__}",
            where=record.dataset.name,
            hint="see the log for details and run the pipeline again",
        ) from exc
