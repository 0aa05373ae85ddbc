"""The OpenAPI document: valid OpenAPI 3.1, complete, and true to the CKAN contract."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from ogd import __version__
from ogd.catalog.actions import ACTIONS, WRITE_ACTIONS, Context
from ogd.config import Settings
from ogd.web.openapi import ACTION_SPECS, action_docs, build_document, undocumented

SITE = "https://data.stadtluzern.ch"
WRITE_NAMES = {
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
    "dataset_purge",
    "resource_create",
    "resource_update",
    "resource_patch",
    "resource_delete",
    "organization_create",
    "organization_update",
    "organization_patch",
    "organization_delete",
    "organization_member_create",
    "organization_member_delete",
    "member_create",
}
READ_NAMES = {
    "status_show",
    "package_list",
    "package_show",
    "package_search",
    "resource_show",
    "organization_list",
    "organization_show",
    "group_list",
    "group_show",
    "license_list",
    "tag_list",
    "help_show",
    "release_list",
    "datastore_search",
    "datastore_search_sql",
    "datastore_info",
    "current_package_list_with_resources",
    "recently_changed_packages_activity_list",
    "package_autocomplete",
    "organization_list_for_user",
    "site_read",
    "tag_show",
    "user_show",
}


def fake_action(ctx: Context, data: Mapping[str, Any]) -> Any:
    """A stand-in action: its docstring is the summary."""
    return None


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_document(Settings(site_url=SITE))


def operation(document: dict[str, Any], name: str, method: str) -> dict[str, Any]:
    return document["paths"][f"/api/3/action/{name}"][method]  # type: ignore[no-any-return]


def get_params(document: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """The GET query parameters of an action by name."""
    return {p["name"]: p for p in operation(document, name, "get")["parameters"]}


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["info"]["version"] == __version__
    assert document["servers"] == [{"url": SITE, "description": "Open Data Luzern"}]


def test_validator_rejects_a_broken_document(document: dict[str, Any]) -> None:
    broken = {**document, "paths": {"/x": {"get": {"responses": {"200": {}}}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_action_is_in_the_parameter_table() -> None:
    missing = undocumented()
    assert missing == [], f"actions missing from ogd/web/openapi.py ACTION_SPECS: {missing}"


def test_every_action_has_a_path(document: dict[str, Any]) -> None:
    missing = [n for n in ACTIONS if f"/api/3/action/{n}" not in document["paths"]]
    assert missing == [], f"actions without a path in the OpenAPI document: {missing}"


def test_document_lists_only_offered_actions(document: dict[str, Any]) -> None:
    prefix = "/api/3/action/"
    listed = {p.removeprefix(prefix) for p in document["paths"] if p.startswith(prefix)}
    assert listed == set(ACTIONS)


def test_table_covers_the_contract() -> None:
    assert WRITE_NAMES | READ_NAMES <= set(ACTION_SPECS)
    assert {n for n, s in ACTION_SPECS.items() if s.write} == WRITE_NAMES


def test_table_agrees_with_write_actions() -> None:
    wrong = sorted(
        n for n in ACTIONS if n in ACTION_SPECS and ACTION_SPECS[n].write != (n in WRITE_ACTIONS)
    )
    assert wrong == [], f"the write flag in ACTION_SPECS disagrees with WRITE_ACTIONS: {wrong}"


def test_summaries_are_the_docstrings(document: dict[str, Any]) -> None:
    for name, action in ACTIONS.items():
        summary = operation(document, name, "post")["summary"]
        assert summary and summary in " ".join((action.__doc__ or "").split()), name


def test_read_actions_answer_get_and_post_without_a_token(document: dict[str, Any]) -> None:
    for name in set(ACTIONS) - WRITE_ACTIONS:
        item = document["paths"][f"/api/3/action/{name}"]
        assert set(item) == {"get", "post"}, name
        assert {} in item["get"]["security"], f"{name} must be callable anonymously"


def test_write_actions_are_post_only_with_the_token(document: dict[str, Any]) -> None:
    for name in WRITE_ACTIONS & set(ACTIONS):
        item = document["paths"][f"/api/3/action/{name}"]
        assert set(item) == {"post"}, name
        assert item["post"]["security"] == [{"ApiToken": []}], name


def test_write_actions_are_post_only_even_before_they_exist() -> None:
    actions = {n: fake_action for n in sorted(WRITE_NAMES | READ_NAMES)}
    document = build_document(Settings(site_url=SITE), actions, frozenset(WRITE_NAMES))
    validate(document)
    for name in WRITE_NAMES:
        item = document["paths"][f"/api/3/action/{name}"]
        assert set(item) == {"post"} and item["post"]["security"] == [{"ApiToken": []}]
    assert set(document["paths"]["/api/3/action/package_search"]) == {"get", "post"}


def test_an_action_missing_from_the_table_is_named() -> None:
    actions = {**ACTIONS, "made_up_action": fake_action}
    assert undocumented(actions) == ["made_up_action"]
    document = build_document(Settings(), actions)
    assert "/api/3/action/made_up_action" in document["paths"]
    validate(document)


def test_token_is_the_raw_authorization_header(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["ApiToken"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}


@pytest.mark.parametrize(
    ("name", "param", "default", "cap"),
    [
        ("package_search", "rows", 10, 1000),
        ("package_search", "start", 0, None),
        ("package_search", "facet.limit", 50, None),
        ("package_search", "facet.mincount", 1, None),
        ("package_search", "include_private", False, None),
        ("package_search", "include_drafts", False, None),
        ("datastore_search", "limit", 100, 32000),
        ("datastore_search", "offset", 0, None),
        ("datastore_search", "records_format", "objects", None),
        ("datastore_search", "include_total", True, None),
        ("datastore_search", "plain", True, None),
        ("datastore_search", "distinct", False, None),
        ("recently_changed_packages_activity_list", "limit", 31, 100),
    ],
)
def test_defaults_and_caps_follow_the_reference(
    document: dict[str, Any], name: str, param: str, default: Any, cap: int | None
) -> None:
    schema = get_params(document, name)[param]["schema"]
    assert schema.get("default") == default
    assert schema.get("maximum") == cap


def test_package_search_parameters(document: dict[str, Any]) -> None:
    params = get_params(document, "package_search")
    expected = {"q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field"}
    expected |= {"facet.limit", "facet.mincount", "include_private", "include_drafts"}
    assert expected <= set(params)
    assert params["rows"]["schema"]["type"] == "integer"
    assert params["fq_list"]["schema"]["type"] == "array"
    field_list = params["facet.field"]["content"]["application/json"]["schema"]
    assert field_list["type"] == "array", "GET carries facet.field as JSON text"
    assert not any(p.get("required") for p in params.values())


def test_datastore_search_parameters(document: dict[str, Any]) -> None:
    params = get_params(document, "datastore_search")
    expected = {"resource_id", "filters", "q", "distinct", "plain", "fields", "sort", "limit"}
    expected |= {"offset", "records_format", "include_total"}
    assert expected <= set(params)
    assert params["resource_id"]["required"] is True
    assert params["records_format"]["schema"]["enum"] == ["objects", "lists", "csv", "tsv"]
    assert "content" in params["filters"], "GET carries filters as JSON text"
    body = operation(document, "datastore_search", "post")["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["resource_id"]
    assert schema["properties"]["limit"]["maximum"] == 32000


def test_required_parameters(document: dict[str, Any]) -> None:
    for name in ("package_show", "resource_show", "help_show", "datastore_search_sql"):
        required = [p["name"] for p in get_params(document, name).values() if p.get("required")]
        assert len(required) == 1, name


def test_uploads_are_multipart_with_a_binary_part() -> None:
    actions = {n: fake_action for n in WRITE_NAMES}
    document = build_document(Settings(), actions, frozenset(WRITE_NAMES))
    for name in ("resource_create", "resource_update", "resource_patch"):
        content = operation(document, name, "post")["requestBody"]["content"]
        assert set(content) == {"application/json", "multipart/form-data"}
        form = content["multipart/form-data"]["schema"]["properties"]
        assert form["upload"] == {**form["upload"], "type": "string", "format": "binary"}
        assert "upload" not in content["application/json"]["schema"]["properties"]
    content = operation(document, "package_create", "post")["requestBody"]["content"]
    assert set(content) == {"application/json"}


def test_responses_are_the_ckan_envelope(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["Envelope"]["required"] == ["help", "success", "result"]
    assert schemas["ErrorDetail"]["required"] == ["__type"]
    for needed in ("Dataset", "Resource", "Organization", "Group", "License", "Tag"):
        assert needed in schemas
    assert {"SearchResult", "DatastoreSearchResult"} <= set(schemas)
    responses = operation(document, "package_show", "post")["responses"]
    assert set(responses) == {"200", "400", "403", "404", "409", "500"}
    ok = responses["200"]["content"]["application/json"]["schema"]["allOf"]
    assert ok[1]["properties"]["result"] == {"$ref": "#/components/schemas/Dataset"}


def test_other_endpoints(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path in ("/api", "/api/3", "/api/openapi.json"):
        assert set(paths[path]) == {"get"}
    dump = {p["name"]: p for p in paths["/datastore/dump/{resource_id}"]["get"]["parameters"]}
    assert dump["format"]["schema"]["enum"] == ["csv", "tsv", "json", "xlsx"]
    download = paths["/dataset/{id}/resource/{resource_id}/download/{filename}"]["get"]
    assert {p["name"] for p in download["parameters"]} == {"id", "resource_id", "filename"}


def test_page_listing_follows_the_table() -> None:
    docs = action_docs()
    assert [d.name for d in docs if d.name in ACTIONS] == [d.name for d in docs]
    assert {d.name for d in docs} == set(ACTIONS)
    search = next(d for d in docs if d.name == "package_search")
    rows = next(p for p in search.params if p.name == "rows")
    assert (rows.kind, rows.default, rows.cap, rows.required) == ("integer", 10, 1000, False)
