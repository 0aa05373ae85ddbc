"""Blueprint for `/datastore/dump/<resource_id>`: a table or a search as CSV, TSV, JSON or XLSX.

It also gives `datastore_search` its exact `_links`: the action only sees its inputs, so
this blueprint rewrites them from the request's own path and query string (for a POST
the query part holds only `offset`, as CKAN does).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from flask import Blueprint, Response, abort, request

from ogd.catalog.actions import _bool, _natural
from ogd.catalog.datastore_actions import _decoded, open_resource_table, search_links
from ogd.datastore import Field, Search, dump
from ogd.datastore.types import text_cell
from ogd.errors import NotAuthorized, NotFound, ValidationError
from ogd.web.app import get_context
from ogd.web.envelope import JSON_TYPE

bp = Blueprint("datastore", __name__)
XLSX_ROWS_MAX = 1_048_575
Rows = Iterator[list[tuple[Any, ...]]]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _delimited(
    fields: Sequence[Field], batches: Rows, delimiter: str, bom: bool
) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([f.id for f in fields])
    yield (("\ufeff" if bom else "") + out.getvalue()).encode()
    for rows in batches:
        out.seek(0)
        out.truncate()
        writer.writerows([text_cell(v) for v in row] for row in rows)
        yield out.getvalue().encode()


def _json(fields: Sequence[Field], batches: Rows, bom: bool) -> Iterator[bytes]:
    described = json.dumps([{"id": f.id, "type": f.type} for f in fields], ensure_ascii=False)
    yield f'{{\n  "fields": {described},\n  "records": ['.encode()
    glue = "\n    "
    for rows in batches:
        for row in rows:
            yield (glue + json.dumps(list(row), ensure_ascii=False)).encode()
            glue = ",\n    "
    yield b"\n  ]\n}\n"


def _xlsx(fields: Sequence[Field], batches: Rows, bom: bool) -> Iterator[bytes]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append([f.id for f in fields])
    written = 0
    for rows in batches:
        for row in rows[: XLSX_ROWS_MAX - written]:
            sheet.append([text_cell(v) if isinstance(v, dict | list) else v for v in row])
        written = min(written + len(rows), XLSX_ROWS_MAX)
    with tempfile.TemporaryFile() as handle:
        book.save(handle)
        handle.seek(0)
        while block := handle.read(256 * 1024):
            yield block


WRITERS: dict[str, Callable[[Sequence[Field], Rows, bool], Iterator[bytes]]] = {
    "csv": lambda fields, rows, bom: _delimited(fields, rows, ",", bom),
    "tsv": lambda fields, rows, bom: _delimited(fields, rows, "\t", bom),
    "json": _json,
    "xlsx": _xlsx,
}


def _search() -> Search:
    args = {k: v for k, v in request.args.items()}
    limit = _natural(args, "limit", None)
    return Search(
        filters=_decoded(args, "filters"),
        q=_decoded(args, "q", only_objects=True),
        full_text=args.get("full_text") or None,
        fields=_decoded(args, "fields", only_objects=True),
        sort=_decoded(args, "sort", only_objects=True),
        distinct=_bool(args, "distinct", False),
        limit=limit,
        offset=_natural(args, "offset", 0),
    )


@bp.get("/datastore/dump/<resource_id>")
def dump_table(resource_id: str) -> Response:
    """The whole table of a resource, or the rows of a search, as a download."""
    kind = request.args.get("format", "csv").lower()
    if kind not in WRITERS:
        return Response(f"Bad request - unknown format {kind!r}", 400, mimetype="text/plain")
    try:
        table = open_resource_table(get_context(), resource_id)
    except (NotFound, NotAuthorized):
        abort(404)
    if request.method == "HEAD":  # the table exists: what a link checker wants to know
        response = Response(b"", mimetype=MEDIA[kind])
        response.headers["Content-Disposition"] = f'attachment; filename="{resource_id}.{kind}"'
        return response
    try:
        fields, batches = dump(table, _search())
    except ValidationError as exc:
        return Response(f"Bad request - {exc.message}", 409, mimetype="text/plain")
    body = WRITERS[kind](fields, batches, _bool(request.args, "bom", False))
    response = Response(body, mimetype=MEDIA[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{resource_id}.{kind}"'
    return response


@bp.after_app_request
def _exact_links(response: Response) -> Response:
    """Give a successful `datastore_search` the `_links` of the request it answers."""
    if (
        request.endpoint != "api.action"
        or (request.view_args or {}).get("name") != "datastore_search"
        or response.status_code != 200
        or response.content_type != JSON_TYPE
    ):
        return response
    body = json.loads(response.get_data(as_text=True))
    result = body.get("result") if isinstance(body, dict) else None
    if not isinstance(result, dict) or "_links" not in result:
        return response
    params: dict[str, Any] = {}
    if request.method == "GET":
        params = {k: (v if len(v) > 1 else v[0]) for k, v in request.args.lists()}
        params.pop("callback", None)
    result["_links"] = search_links(
        request.path, params, int(result.get("limit", 0)), int(result.get("offset", 0))
    )
    response.set_data(json.dumps(body, ensure_ascii=False))
    return response
