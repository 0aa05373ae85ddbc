"""The OpenAPI 3.1 document of the whole API, built from `ACTIONS` and a parameter table.

`ACTION_SPECS` lists every action of the CKAN contract (`reference/ckan-api.md` sections
5, 6 and 7) with its parameters (name, type, default, cap, required) and result schema.
`build_document` keeps only the actions the running code offers (`ogd.catalog.actions`):
read actions answer GET and POST, write actions (`WRITE_ACTIONS`) POST only, with a
token. This module is pure: it takes settings and returns a dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from ogd import __version__
from ogd.catalog.actions import ACTIONS, WRITE_ACTIONS, Action
from ogd.config import Settings
from ogd.web.openapi_params import (  # re-exported: DOCUMENT_PATH, ACTION_SPECS
    ACTION_SPECS,
    BOOL,
    DATASTORE_SEARCH,
    DOCUMENT_PATH,
    ERROR_STATUSES,
    INT,
    KEY_VALUES,
    NULL,
    OPENAPI_VERSION,
    OPT_STR,
    RESPONSE_NAMES,
    SECURITY_SCHEME,
    STAMP,
    STR,
    TAGS,
    UPLOAD_ACTIONS,
    ActionSpec,
    Param,
    Schema,
    array,
    choice,
    flag,
    natural,
    ref,
)

# -- component schemas --------------------------------------------------------------------


def _object(props: Mapping[str, Any], required: str = "") -> Schema:
    schema: Schema = {"type": "object", "properties": dict(props)}
    if required:
        schema["required"] = required.split()
    return schema


def _props(schema: Schema, names: str) -> Schema:
    """The same schema for each of the space-separated property names."""
    return {name: schema for name in names.split()}


ERROR_TYPES = (
    "Not Found Error",
    "Validation Error",
    "Authorization Error",
    "Search Query Error",
    "Search Error",
    "Search Index Error",
    "Integrity Error",
    "Internal Server Error",
)
HELP: Schema = {"type": "string", "format": "uri"}


def _entity_schemas() -> dict[str, Schema]:
    group = _object(
        {
            **_props(OPT_STR, "id name title display_name description image_url state"),
            **_props(STR, "type approval_status"),
            **_props(INT, "package_count num_followers"),
            "image_display_url": OPT_STR,
            "is_organization": BOOL,
            "created": STAMP,
            "extras": KEY_VALUES,
            "packages": array(ref("Dataset")),
        },
        "id name",
    )
    dataset_text = (
        "notes url version author author_email maintainer maintainer_email license_id "
        "license_title owner_org creator_user_id"
    )
    resource_text = "url_type name description mimetype mimetype_inner hash resource_type cache_url"
    return {
        "Dataset": _object(
            {
                **_props(STR, "id name title state type license_url"),
                **_props(OPT_STR, dataset_text),
                **_props(BOOL, "isopen private"),
                **_props(INT, "num_tags num_resources"),
                **_props(STAMP, "metadata_created metadata_modified"),
                "organization": {"oneOf": [ref("Organization"), NULL]},
                "groups": array(ref("Group")),
                "tags": array(ref("Tag")),
                "resources": array(ref("Resource")),
                "extras": KEY_VALUES,
            },
            "id name",
        ),
        "Resource": _object(
            {
                **_props(STR, "id package_id url format state"),
                **_props(OPT_STR, resource_text),
                **_props(INT, "rows position"),
                **_props(STAMP, "created last_modified metadata_modified cache_last_updated"),
                "size": {"type": ["integer", "null"]},
                "datastore_active": BOOL,
            },
            "id package_id url",
        ),
        "Organization": group,
        "Group": group,
        "License": _object(
            {
                **_props(STR, "id title family status od_conformance osd_conformance is_generic"),
                "url": OPT_STR,
            },
            "id title",
        ),
        "Tag": _object(
            {**_props(STR, "id name display_name state"), "vocabulary_id": OPT_STR}, "name"
        ),
        "User": _object(
            {
                **_props(STR, "id name display_name state"),
                **_props(OPT_STR, "fullname email"),
                "sysadmin": BOOL,
                "created": STAMP,
            },
            "id name",
        ),
        "Member": _object(_props(STR, "table_id table_name capacity")),
        "Release": _object(
            {
                **_props(STR, "id"),
                "number": INT,
                "created": STAMP,
                "rows": {"type": ["integer", "null"]},
                "current": BOOL,
                **_props({}, "changelog files reports"),
            },
            "id number",
        ),
        "Activity": _object(
            {
                **_props(STR, "id object_id activity_type"),
                "timestamp": STAMP,
                "user_id": OPT_STR,
                "data": {"type": "object"},
            }
        ),
        "Autocomplete": _object(_props(STR, "name title match_field match_displayed")),
        "Status": _object(
            {
                **_props(OPT_STR, "site_title site_description site_url"),
                **_props(STR, "ckan_version ogd_version locale_default"),
                "extensions": array(STR),
            },
            "ckan_version extensions",
        ),
    }


def _result_schemas() -> dict[str, Schema]:
    counts: Schema = {"type": "object", "additionalProperties": {"type": "object"}}
    fields = array(ref("DatastoreField"))
    return {
        "SearchResult": _object(
            {
                "count": INT,
                "sort": STR,
                "results": array(ref("Dataset")),
                **_props(counts, "facets search_facets"),
            },
            "count results facets search_facets",
        ),
        "DatastoreField": _object(
            {**_props(STR, "id type"), "info": {"type": "object"}}, "id type"
        ),
        "DatastoreSearchResult": _object(
            {
                **_props(STR, "resource_id records_format"),
                **_props(INT, "limit offset total"),
                **_props(BOOL, "include_total total_was_estimated"),
                "fields": fields,
                "records": {"oneOf": [array({"type": ["object", "array"]}), STR]},
                "_links": _object(_props(STR, "start next prev")),
            },
            "resource_id fields records _links",
        ),
        "DatastoreSqlResult": _object(
            {
                "sql": STR,
                "fields": fields,
                "records": array({"type": "object"}),
                "records_truncated": BOOL,
            },
            "sql fields records",
        ),
        "DatastoreInfo": _object({"meta": {"type": "object"}, "fields": fields}, "meta fields"),
    }


def component_schemas() -> dict[str, Schema]:
    """The schemas under `components/schemas`: envelopes, entities and results."""
    detail = _object({"__type": {"type": "string", "enum": list(ERROR_TYPES)}, "message": STR})
    detail["required"] = ["__type"]
    detail["additionalProperties"] = {"description": "Validation Error: field -> messages"}
    return {
        "Envelope": _object(
            {
                "help": HELP,
                "success": {"const": True},
                "result": {"description": "any JSON value; `null` for deletions"},
            },
            "help success result",
        ),
        "Error": _object(
            {"help": HELP, "success": {"const": False}, "error": ref("ErrorDetail")},
            "help success error",
        ),
        "ErrorDetail": detail,
        **_entity_schemas(),
        **_result_schemas(),
    }


def component_responses() -> dict[str, Schema]:
    """The error responses of reference section 2, under `components/responses`."""

    def envelope(text: str) -> Schema:
        return {"description": text, "content": {"application/json": {"schema": ref("Error")}}}

    bare = {"type": "string", "description": "CKAN answers some 400s with a bare JSON string"}
    return {
        "BadRequest": {
            "description": "unknown action, bad JSON, GET on a write action (bare JSON string), "
            "or a Search Query Error (envelope)",
            "content": {"application/json": {"schema": {"oneOf": [bare, ref("Error")]}}},
        },
        "Forbidden": envelope("Authorization Error: no or insufficient token, or a private object"),
        "NotFound": envelope("Not Found Error: the object does not exist"),
        "Conflict": envelope("Validation Error (field -> messages) or Search Error"),
        "ServerError": envelope("Internal Server Error or Search Index Error"),
    }


# -- the document -------------------------------------------------------------------------


def summary(action: Action) -> str:
    """The first paragraph of an action's docstring, on one line."""
    first = (action.__doc__ or "").strip().split("\n\n")[0]
    return re.sub(r"\s+", " ", first)


def undocumented(actions: Mapping[str, Action] = ACTIONS) -> list[str]:
    """Actions that the code offers but the parameter table lacks."""
    return sorted(name for name in actions if name not in ACTION_SPECS)


def _spec(name: str) -> ActionSpec:
    return ACTION_SPECS.get(name) or ActionSpec("Other")


def _query(param: Param) -> Schema:
    out: Schema = {"name": param.name, "in": "query", "description": param.text}
    if param.required:
        out["required"] = True
    if param.json_text:
        out["content"] = {"application/json": {"schema": dict(param.schema)}}
    else:
        out["schema"] = dict(param.schema)
    return out


def _is_scalar(param: Param) -> bool:
    kinds = param.schema.get("type")
    return isinstance(kinds, str) and kinds in {"string", "integer", "boolean"}


def _body_schema(params: tuple[Param, ...], multipart: bool) -> Schema:
    chosen = [p for p in params if (_is_scalar(p) if multipart else not p.form_only)]
    schema: Schema = {
        "type": "object",
        "properties": {p.name: {**p.schema, "description": p.text} for p in chosen},
    }
    required = [p.name for p in chosen if p.required]
    if required:
        schema["required"] = required
    return schema


def _request_body(name: str, spec: ActionSpec) -> Schema:
    content: Schema = {"application/json": {"schema": _body_schema(spec.params, False)}}
    if name in UPLOAD_ACTIONS:
        content["multipart/form-data"] = {
            "schema": _body_schema(spec.params, True),
            "encoding": {"upload": {"contentType": "application/octet-stream"}},
        }
    return {"required": any(p.required for p in spec.params), "content": content}


def _responses(spec: ActionSpec) -> Schema:
    result = dict(spec.result) if spec.result is not None else {}
    ok = {"allOf": [ref("Envelope"), {"properties": {"result": result}}]}
    responses: Schema = {
        "200": {"description": "the CKAN envelope", "content": {"application/json": {"schema": ok}}}
    }
    for status in ERROR_STATUSES:
        responses[status] = {"$ref": f"#/components/responses/{RESPONSE_NAMES[status]}"}
    return responses


def _operation(name: str, action: Action, method: str, write: bool) -> Schema:
    spec = _spec(name)
    note = (
        "Write action: POST only, with an API token in `Authorization`."
        if write
        else "Read action: GET with a query string, or POST with a JSON body."
    )
    op: Schema = {
        "operationId": name if method == "post" else f"{name}_get",
        "summary": summary(action),
        "description": f"{(action.__doc__ or '').strip()}\n\n{note} "
        f"Also served at `/api/action/{name}`.",
        "tags": [spec.tag],
        "security": [{SECURITY_SCHEME: []}] if write else [{}, {SECURITY_SCHEME: []}],
    }
    if method == "get":
        op["parameters"] = [_query(p) for p in spec.params if not p.form_only]
    else:
        op["requestBody"] = _request_body(name, spec)
    op["responses"] = _responses(spec)
    return op


def action_path(name: str, action: Action, write: bool) -> Schema:
    """The path item of `/api/3/action/{name}`: POST, and GET for read actions."""
    methods = ("post",) if write else ("get", "post")
    return {m: _operation(name, action, m, write) for m in methods}


def _sort_key(name: str) -> tuple[int, int, str]:
    tags = [t for t, _ in TAGS]
    order = list(ACTION_SPECS)
    return (
        tags.index(_spec(name).tag),
        order.index(name) if name in order else len(order),
        name,
    )


def _version_path(version: int) -> Schema:
    body = _object({"version": {"const": version}}, "version")
    return {
        "get": {
            "operationId": f"api_version_{version}",
            "summary": f'API version probe: `{{"version": {version}}}`',
            "tags": ["Site"],
            "responses": {
                "200": {"description": "version", "content": {"application/json": {"schema": body}}}
            },
        }
    }


def _path_param(name: str, doc: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": STR, "description": doc}


def _dump_path() -> Schema:
    formats = ("csv", "tsv", "json", "xlsx")
    media = {
        "text/csv": STR,
        "text/tab-separated-values": STR,
        "application/json": {"type": "object"},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "type": "string",
            "format": "binary",
        },
    }
    search = [p for p in DATASTORE_SEARCH if p.name not in {"resource_id", "records_format"}]
    search = [p for p in search if p.name not in {"include_total", "plain", "language"}]
    params = [
        _path_param("resource_id", "resource id"),
        _query(choice("format", "file format", formats, "csv")),
        _query(flag("bom", "start CSV/TSV with a byte order mark", False)),
        *[_query(p) for p in search if p.name not in {"limit"}],
        _query(natural("limit", "the most rows (none: all)")),
    ]
    text_plain = {"text/plain": {"schema": STR}}
    return {
        "get": {
            "operationId": "datastore_dump",
            "summary": "The whole table of a resource, or the rows of a search, as a download",
            "tags": ["Downloads"],
            "parameters": params,
            "responses": {
                "200": {
                    "description": "the table (CSV/TSV with a header row starting with `_id`)",
                    "content": {k: {"schema": v} for k, v in media.items()},
                },
                "400": {"description": "unknown format", "content": text_plain},
                "404": {"description": "unknown or private resource, or not a table"},
                "409": {"description": "invalid filter, field or sort", "content": text_plain},
            },
        }
    }


def _download_path() -> Schema:
    return {
        "get": {
            "operationId": "resource_download",
            "summary": "The current file of a resource, streamed",
            "tags": ["Downloads"],
            "parameters": [
                _path_param("id", "dataset id or name"),
                _path_param("resource_id", "resource id"),
                _path_param("filename", "file name"),
            ],
            "responses": {
                "200": {
                    "description": "the file (`Content-Disposition: attachment`, `ETag`)",
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "404": {"description": "unknown resource, or its dataset is private or deleted"},
            },
        }
    }


def _document_path() -> Schema:
    return {
        "get": {
            "operationId": "openapi_document",
            "summary": "This OpenAPI 3.1 document",
            "tags": ["Site"],
            "responses": {
                "200": {
                    "description": "the document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }


def build_document(
    settings: Settings,
    actions: Mapping[str, Action] = ACTIONS,
    write_actions: Set[str] = WRITE_ACTIONS,
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API that `actions` make up.

    Args:
        settings: gives the server URL (`site_url`) and the site title.
        actions: the offered actions (name -> function; the docstring is the summary).
        write_actions: the names answered by POST only, with a token.

    Returns:
        The document as a JSON-ready dict (a new one on every call).
    """
    paths: dict[str, Any] = {
        f"/api/3/action/{name}": action_path(name, actions[name], name in write_actions)
        for name in sorted(actions, key=_sort_key)
    }
    paths.update(
        {
            "/api": _version_path(1),
            "/api/3": _version_path(3),
            DOCUMENT_PATH: _document_path(),
            "/datastore/dump/{resource_id}": _dump_path(),
            "/dataset/{id}/resource/{resource_id}/download/{filename}": _download_path(),
        }
    )
    used = {op["tags"][0] for item in paths.values() for op in item.values()}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{settings.site_title} API",
            "version": __version__,
            "summary": "CKAN Action API (v3) with DataStore, compatible with CKAN 2.10/2.11",
            "description": DESCRIPTION,
        },
        "servers": [{"url": settings.site_url.rstrip("/"), "description": settings.site_title}],
        "tags": [{"name": t, "description": d} for t, d in TAGS if t in used],
        "paths": paths,
        "components": {
            "schemas": component_schemas(),
            "responses": component_responses(),
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "The raw API token, without `Bearer` (CKAN style); "
                    "`X-CKAN-API-Key` is accepted too.",
                }
            },
        },
    }


DESCRIPTION = """\
The CKAN Action API of the portal: CKAN's URLs, action names, parameters, envelope and
status codes, so CKAN clients such as `ckanapi` work unchanged.

* Every action is at `/api/3/action/{name}` and at `/api/action/{name}`.
* Read actions answer GET (query string; a repeated parameter is a list; JSON-valued
  parameters such as `facet.field` and `filters` as JSON text) and POST (JSON body).
* Write actions answer POST only and need an API token in the `Authorization` header.
* Every answer is the envelope `{"help", "success", "result"}`; a failure has `error`
  with `__type` instead of `result`.
"""


# -- the API page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDoc:
    """One action as the API page lists it."""

    name: str
    summary: str
    tag: str
    write: bool
    params: tuple[Param, ...]


def action_docs(
    actions: Mapping[str, Action] = ACTIONS, write_actions: Set[str] = WRITE_ACTIONS
) -> list[ActionDoc]:
    """The offered actions with summary and parameters, grouped by tag."""
    return [
        ActionDoc(
            name, summary(actions[name]), _spec(name).tag, name in write_actions, _spec(name).params
        )
        for name in sorted(actions, key=_sort_key)
    ]
