"""DataStore actions: `datastore_search`, `datastore_search_sql`, `datastore_info` (CKAN names).

They find a resource's table through the session in `ctx` (a CSV resource and its
Parquet sibling, same dataset and key stem, are one table), check that the caller may
read it, and leave the querying to `ogd.datastore`; this module never touches DuckDB.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ogd.catalog.models import Resource
from ogd.datastore import ROWS_MAX, Sandbox, Search, Table, info, open_table, search
from ogd.datastore.types import text_cell
from ogd.errors import NotAuthorized, NotFound, ValidationError
from ogd.publish.storage import Storage

if TYPE_CHECKING:
    from ogd.catalog.actions import Action, Context

DEFAULT_LIMIT = 100
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
TABLE_FORMATS = ("CSV", "Parquet")
SEARCH_PATH = "/api/3/action/datastore_search"
ECHOED = ("filters", "q", "full_text", "sort", "distinct", "plain", "language")


def is_table(resource: Resource) -> bool:
    """Whether the DataStore serves the resource: a CSV or Parquet file with rows."""
    return resource.format in TABLE_FORMATS and resource.rows is not None


def _stem(resource: Resource) -> str:
    return (resource.key or resource.filename or "").rsplit(".", 1)[0]


def _not_found(resource_id: str) -> NotFound:
    return NotFound(f'Resource "{resource_id}" was not found.')


def table_resource(ctx: Context, resource_id: str) -> Resource:
    """The Parquet resource holding a resource's table (the resource itself or its sibling).

    Raises:
        NotFound: no such active resource, or it is not a table.
        NotAuthorized: its dataset is private, deleted or a draft.
    """
    resource = ctx.session.get(Resource, resource_id)
    if resource is None or resource.state != "active":
        raise _not_found(resource_id)
    dataset = resource.dataset
    from ogd.catalog import authz

    if not authz.can_read(ctx, dataset):
        raise NotAuthorized(f"User not authorized to read resource {resource_id}")
    if is_table(resource):
        for sibling in dataset.resources:
            if (
                sibling.state == "active"
                and sibling.format == "Parquet"
                and sibling.storage_key
                and _stem(sibling) == _stem(resource)
            ):
                return sibling
    raise _not_found(resource_id)


def open_resource_table(ctx: Context, resource_id: str) -> Table:
    """The DataStore table of a resource the caller may read (see `table_resource`)."""
    parquet = table_resource(ctx, resource_id)
    settings = ctx.settings
    from ogd.datastore import cache_dir

    cache = cache_dir(settings)
    storage = Storage(settings.resolved_storage_url)
    assert parquet.storage_key is not None
    return open_table(
        storage, parquet.storage_key, parquet.hash or "", cache, settings.duckdb_memory_limit
    )


def _resource_id(data: Mapping[str, Any]) -> str:
    value = data.get("resource_id") or data.get("id")
    if value is None or str(value).strip() == "":
        raise ValidationError({"resource_id": ["Missing value"]})
    return str(value).strip()


def _decoded(data: Mapping[str, Any], key: str, *, only_objects: bool = False) -> Any:
    """A parameter that GET sends as JSON text; plain text stays text when allowed."""
    value = data.get(key)
    if not isinstance(value, str) or value.strip() == "":
        return value if value != "" else None
    text = value.strip()
    if only_objects and not text.startswith(("{", "[")):
        return value
    try:
        return json.loads(text)
    except ValueError:
        if only_objects:
            return value
        raise ValidationError({key: ["Cannot parse JSON"]}) from None


def _records_format(data: Mapping[str, Any]) -> str:
    value = str(data.get("records_format") or "objects")
    if value not in RECORDS_FORMATS:
        raise ValidationError({"records_format": [f"Value must be one of {list(RECORDS_FORMATS)}"]})
    return value


def format_records(ids: Sequence[str], rows: Sequence[tuple[Any, ...]], kind: str) -> Any:
    """Records as `objects`, `lists`, or one `csv`/`tsv` string without a header row."""
    if kind == "objects":
        return [dict(zip(ids, row, strict=True)) for row in rows]
    if kind == "lists":
        return [list(row) for row in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if kind == "tsv" else ",", lineterminator="\n")
    writer.writerows([text_cell(v) for v in row] for row in rows)
    return out.getvalue()


def search_links(path: str, params: Mapping[str, Any], limit: int, offset: int) -> dict[str, str]:
    """`_links`: `start` without `offset`, `next`, and `prev` when offset - limit > 0."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if key == "offset" or value is None:
            continue
        values = value if isinstance(value, list) else [value]
        pairs += [(key, v if isinstance(v, str) else json.dumps(v)) for v in values]
    query = urlencode(pairs)
    start = f"{path}?{query}" if query else path
    glue = "&" if query else "?"
    links = {"start": start, "next": f"{start}{glue}offset={offset + limit}"}
    if offset - limit > 0:
        links["prev"] = f"{start}{glue}offset={offset - limit}"
    return links


def datastore_search(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Search a resource's table: `resource_id`, `filters`, `q`, `fields`, `sort`, `distinct`,
    `limit` (default 100, at most 32000), `offset`, `records_format`, `include_total`."""
    from ogd.catalog.actions import _bool, _natural

    resource_id = _resource_id(data)
    table = open_resource_table(ctx, resource_id)
    limit = _natural(data, "limit", DEFAULT_LIMIT, ROWS_MAX)
    offset = _natural(data, "offset", 0)
    kind = _records_format(data)
    include_total = _bool(data, "include_total", True)
    decoded = {
        "filters": _decoded(data, "filters"),
        "q": _decoded(data, "q", only_objects=True),
        "fields": _decoded(data, "fields", only_objects=True),
        "sort": _decoded(data, "sort", only_objects=True),
    }
    full_text = data.get("full_text")
    request = Search(
        filters=decoded["filters"],
        q=decoded["q"],
        full_text=str(full_text) if full_text not in (None, "") else None,
        fields=decoded["fields"],
        sort=decoded["sort"],
        distinct=_bool(data, "distinct", False),
        limit=limit,
        offset=offset,
        include_total=include_total,
    )
    result = search(table, request)
    ids = [f.id for f in result.fields]
    out: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [{"id": f.id, "type": f.type} for f in result.fields],
        "records": format_records(ids, result.records, kind),
        "limit": limit,
        "records_format": kind,
        "include_total": include_total,
    }
    if result.total is not None:
        out["total"], out["total_was_estimated"] = result.total, False
    for key in ECHOED:
        if data.get(key) not in (None, ""):
            out[key] = decoded.get(key, data[key])
    if data.get("offset") not in (None, ""):
        out["offset"] = offset
    out["_links"] = search_links(SEARCH_PATH, data, limit, offset)
    return out


def datastore_search_sql(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Run one read-only SELECT over resource tables named by id in double quotes."""
    from ogd.catalog.actions import _required

    sql = _required(data, "sql")
    with Sandbox(ctx.settings.duckdb_memory_limit) as sandbox:
        paths = {}
        for name in sandbox.tables(sql):
            try:
                paths[name] = open_resource_table(ctx, name).path
            except NotFound:
                raise ValidationError({"query": [f'relation "{name}" does not exist']}) from None
        result = sandbox.run(sql, paths)
    out: dict[str, Any] = {
        "sql": sql,
        "fields": [{"id": f.id, "type": f.type} for f in result.fields],
        "records": result.records,
    }
    if result.truncated:
        out["records_truncated"] = True
    return out


def datastore_info(ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
    """Row count, sizes and columns (with types) of a resource's table."""
    resource_id = _resource_id(data)
    described = info(open_resource_table(ctx, resource_id))
    described["meta"] = {"id": resource_id, **described["meta"]}
    return described


DATASTORE_ACTIONS: dict[str, Action] = {
    "datastore_search": datastore_search,
    "datastore_search_sql": datastore_search_sql,
    "datastore_info": datastore_info,
}
