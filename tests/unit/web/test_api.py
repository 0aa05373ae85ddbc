"""HTTP binding of the actions: both URL forms, GET and POST, the CKAN envelope and statuses."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS


@pytest.mark.parametrize("prefix", ["/api/3/action", "/api/action"])
def test_both_url_forms_with_get_and_post(client: FlaskClient, prefix: str) -> None:
    got = client.get(f"{prefix}/package_show?id=bevoelkerung-quartier")
    posted = client.post(f"{prefix}/package_show", json={"id": "bevoelkerung-quartier"})
    for response in (got, posted):
        assert response.status_code == 200
        assert response.content_type == "application/json;charset=utf-8"
        body = response.get_json()
        assert body["success"] is True and body["result"]["name"] == "bevoelkerung-quartier"
        assert body["help"].endswith("/api/3/action/help_show?name=package_show")


def test_legacy_form_with_json_key(client: FlaskClient) -> None:
    response = client.post(
        "/api/3/action/package_show",
        data=json.dumps({"id": "personal-kennzahlen"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.get_json()["result"]["name"] == "personal-kennzahlen"


def test_get_parameters_are_coerced(client: FlaskClient) -> None:
    body = client.get(
        '/api/3/action/package_search?rows=1&facet.field=["organization"]&q=Quartier'
    ).get_json()
    assert body["result"]["count"] == 2 and len(body["result"]["results"]) == 1
    assert set(body["result"]["facets"]["organization"]) == {"einwohnerdienste", "umweltschutz"}


@pytest.mark.parametrize(
    ("path", "payload", "status", "error"),
    [
        (
            "package_show",
            {"id": "nope"},
            404,
            {"__type": "Not Found Error", "message": "Not found: Dataset not found"},
        ),
        ("package_show", {}, 409, {"__type": "Validation Error", "name_or_id": ["Missing value"]}),
        (
            "package_search",
            {"rows": -1},
            409,
            {"__type": "Validation Error", "rows": ["Must be a natural number"]},
        ),
        ("package_search", {"sort": "x asc"}, 400, None),
        ("package_search", {"bogus": 1}, 400, None),
    ],
)
def test_errors_have_the_ckan_envelope(
    client: FlaskClient,
    path: str,
    payload: dict[str, object],
    status: int,
    error: dict[str, object] | None,
) -> None:
    response = client.post(f"/api/action/{path}", json=payload)
    assert response.status_code == status
    body = response.get_json()
    assert body["success"] is False and "result" not in body
    if error is not None:
        assert body["error"] == error
    else:
        assert body["error"]["__type"] == "Search Query Error"


def test_unknown_action_and_bad_json_are_bare_strings(client: FlaskClient) -> None:
    unknown = client.get("/api/3/action/foo")
    assert unknown.status_code == 400
    assert unknown.get_json() == "Bad request - Action name not known: foo"
    bad = client.post("/api/3/action/package_show", data="{nope", content_type="application/json")
    assert bad.status_code == 400 and bad.get_json().startswith("Bad request - JSON Error")


def test_api_roots(client: FlaskClient) -> None:
    assert client.get("/api/3").get_json() == {"version": 3}
    assert client.get("/api").get_json() == {"version": 1}


def test_jsonp_callback(client: FlaskClient) -> None:
    response = client.get("/api/3/action/status_show?callback=cb")
    assert response.content_type.startswith("application/javascript")
    assert response.get_data(as_text=True).startswith("cb({")


def test_no_redirect_on_api_urls(client: FlaskClient) -> None:
    for url in ("/api/action/package_list", "/api/3/action/package_list"):
        assert client.post(url, json={}).status_code == 200
