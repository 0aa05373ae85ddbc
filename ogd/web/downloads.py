"""Blueprint that streams published files from storage (and counts each download)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import SQLAlchemyError

from ogd.catalog.models import Resource
from ogd.web.app import get_instance, get_session

bp = Blueprint("downloads", __name__)
CHUNK = 256 * 1024
log = logging.getLogger(__name__)


@bp.get("/dataset/<dataset_id>/resource/<resource_id>/download/<filename>")
def download(dataset_id: str, resource_id: str, filename: str) -> Response:
    """The current file of a resource, streamed."""
    resource = get_session().get(Resource, resource_id)
    if (
        resource is None
        or resource.state != "active"
        or resource.storage_key is None
        or dataset_id not in (resource.dataset_id, resource.dataset.name)
    ):
        abort(404)
    from ogd.catalog import authz
    from ogd.web.app import get_context

    if not authz.can_read(get_context(), resource.dataset):
        abort(404)
    storage = get_instance().storage
    key = resource.storage_key
    size = storage.size(key)
    etag = resource.hash.removeprefix("sha256:") if resource.hash else None
    start, stop, status = 0, size, 200
    wanted = request.range if _range_applies(etag) else None
    if wanted is not None and len(wanted.ranges) == 1:  # several ranges: the whole file
        span = wanted.range_for_length(size)
        if span is None:
            unsatisfiable = Response(status=416)
            unsatisfiable.headers["Content-Range"] = f"bytes */{size}"
            return unsatisfiable
        (start, stop), status = span, 206
    if request.method == "GET" and start == 0:  # a resumed download counts once
        _count(resource.dataset_id)

    def chunks() -> Iterator[bytes]:
        left = stop - start
        with storage.open(key) as handle:
            if start:
                handle.seek(start)  # a ranged GET on S3, a seek on disk
            while left > 0 and (block := handle.read(min(CHUNK, left))):
                left -= len(block)
                yield block

    response = Response(
        chunks(), status=status, mimetype=resource.mimetype or "application/octet-stream"
    )
    response.headers["Content-Length"] = str(stop - start)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Content-Disposition"] = f'attachment; filename="{resource.filename}"'
    if status == 206:
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    if etag:
        response.headers["ETag"] = f'"{etag}"'
    return response


def _range_applies(etag: str | None) -> bool:
    """Whether to honour `Range`: always, unless `If-Range` names another version."""
    condition = request.headers.get("If-Range")
    return condition is None or (etag is not None and condition.strip('"') == etag)


def _count(dataset_id: str) -> None:
    """One more download of the dataset; a failure is logged, never stops the download."""
    from ogd.catalog.downloads import record_download

    session = get_session()
    try:
        record_download(session, dataset_id)
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.warning("download of dataset %s not counted", dataset_id, exc_info=True)
