"""The published interface: `/api/openapi.json` and the API page, through the whole app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from ogd.catalog.actions import ACTIONS, WRITE_ACTIONS
from tests.conftest import ROOT
from tests.integration.server import ogd_env, serve
from tests.unit.web.conftest import (  # noqa: F401 - fixtures
    app,
    client,
    instance,
    sqlite_template,
)

pytestmark = pytest.mark.integration


def test_openapi_document_is_served_as_json(client: FlaskClient) -> None:  # noqa: F811
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    validate(document)
    assert document["servers"][0]["url"] == "http://portal.test"
    assert {f"/api/3/action/{name}" for name in ACTIONS} <= set(document["paths"])


def test_api_page_shows_examples_in_three_languages(client: FlaskClient) -> None:  # noqa: F811
    response = client.get("/api-docs/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/api/openapi.json"' in page
    assert "curl -G http://portal.test/api/3/action/package_search" in page
    assert 'RemoteCKAN("http://portal.test"' in page
    assert "ckan.action.package_search(" in page
    assert "fromJSON(" in page and "library(httr2)" in page
    assert "Authorization: $OGD_API_TOKEN" in page
    assert "datastore_search_sql" in page


def test_api_page_lists_every_action_with_its_parameters(
    client: FlaskClient,  # noqa: F811
) -> None:
    page = client.get("/api-docs/").get_data(as_text=True)
    listed = set(re.findall(r'<div class="api-action" id="([\w.]+)">', page))
    assert listed == set(ACTIONS)
    search = page.split('id="package_search"')[1].split('class="api-action"')[0]
    assert "<code>rows</code>" in search and "1000" in search
    assert "<code>fq_list</code>" in search and "`" not in search, "code spans become <code>"
    for name in WRITE_ACTIONS:
        block = page.split(f'id="{name}"')[1].split("</h4>")[0]
        assert "Token" in block, name


def test_examples_use_a_real_table_of_the_instance(client: FlaskClient) -> None:  # noqa: F811
    package = client.get("/api/3/action/package_show?id=bevoelkerung-quartier").get_json()
    resource_id = package["result"]["resources"][0]["id"]
    page = client.get("/api-docs/").get_data(as_text=True)
    assert f"resource_id={resource_id}" in page


def test_navigation_links_to_the_api_page(client: FlaskClient) -> None:  # noqa: F811
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/api-docs/">API</a>', home)


def test_live_server_serves_the_document_without_redirect(tmp_path: Path) -> None:
    env = ogd_env(tmp_path / "var", tmp_path / "sources")
    with serve(env, ROOT) as url:
        response = requests.get(f"{url}/api/openapi.json", timeout=30, allow_redirects=False)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/json")
        validate(response.json())
        page = requests.get(f"{url}/api-docs/", timeout=30, allow_redirects=False)
        assert page.status_code == 200 and "ckanapi" in page.text
