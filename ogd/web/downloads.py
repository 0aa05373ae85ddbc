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
    if request.method == "GET":
        _count(resource.dataset_id)
    storage = get_instance().storage
    key = resource.storage_key
    size = storage.size(key)

    def chunks() -> Iterator[bytes]:
        with storage.open(key) as handle:
            while block := handle.read(CHUNK):
                yield block

    response = Response(chunks(), mimetype=resource.mimetype or "application/octet-stream")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="{resource.filename}"'
    if resource.hash:
        response.headers["ETag"] = f'"{resource.hash.removeprefix("sha256:")}"'
    return response


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
