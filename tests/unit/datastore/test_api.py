"""The DataStore actions through the HTTP API and the dump route (Flask test client)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from ogd.catalog.actions import ACTIONS
from ogd.instance import Instance
from tests.conftest import ON_BOTH_BACKENDS
from tests.unit.datastore.conftest import ROWS, Published, mark_deleted

pytestmark = ON_BOTH_BACKENDS

SEARCH = "/api/3/action/datastore_search"


def call(client: FlaskClient, name: str, status: int = 200, **data: Any) -> Any:
    response = client.post(f"/api/3/action/{name}", json=data)
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    return body["result"] if status == 200 else body["error"]


def test_search_result_has_ckans_shape(client: FlaskClient, ids: Published) -> None:
    response = client.get(f"{SEARCH}?resource_id={ids.parquet}&limit=2")
    assert response.status_code == 200
    assert response.content_type == "application/json;charset=utf-8"
    result = response.get_json()["result"]
    assert result["resource_id"] == ids.parquet
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert {"id": "stichtag", "type": "timestamp"} in result["fields"]
    assert result["records"][0]["_id"] == 1
    assert result["records"][0]["stichtag"] == "2024-12-31T08:00:00"
    assert result["records"][0]["datum"] == "2024-01-01"
    assert result["records"][0]["betrag"] == 0
    assert result["limit"] == 2
    assert result["records_format"] == "objects"
    assert result["include_total"] is True
    assert result["total"] == ROWS
    assert result["total_was_estimated"] is False
    assert result["_links"] == {
        "start": f"{SEARCH}?resource_id={ids.parquet}&limit=2",
        "next": f"{SEARCH}?resource_id={ids.parquet}&limit=2&offset=2",
    }


def test_csv_resource_is_the_same_table(client: FlaskClient, ids: Published) -> None:
    by_csv = call(client, "datastore_search", resource_id=ids.csv, limit=5)
    by_parquet = call(client, "datastore_search", id=ids.parquet, limit=5)
    assert by_csv["records"] == by_parquet["records"]
    assert by_csv["resource_id"] == ids.csv


def test_get_coerces_strings_and_echoes_inputs(client: FlaskClient, ids: Published) -> None:
    query = {
        "resource_id": ids.parquet,
        "filters": json.dumps({"quartier": ["Altstadt", "Wey"]}),
        "q": "zürich",
        "sort": "jahr desc",
        "offset": "1",
        "limit": "2",
        "fields": "_id,jahr,rank",
        "include_total": "true",
    }
    result = client.get(SEARCH, query_string=query).get_json()["result"]
    assert result["filters"] == {"quartier": ["Altstadt", "Wey"]}
    assert result["q"] == "zürich"
    assert result["sort"] == "jahr desc"
    assert result["offset"] == 1
    assert [f["id"] for f in result["fields"]] == ["_id", "jahr", "rank"]
    assert [r["_id"] for r in result["records"]] == [21, 11]
    assert result["total"] == 6
    assert "prev" not in result["_links"]


def test_q_object_and_distinct(client: FlaskClient, ids: Published) -> None:
    result = call(client, "datastore_search", resource_id=ids.parquet, q={"text": "bern"})
    assert result["total"] == 6 and "rank text" in [f["id"] for f in result["fields"]]
    distinct = call(
        client, "datastore_search", resource_id=ids.parquet, distinct=True, fields=["jahr"]
    )
    assert distinct["records"] == [{"jahr": 2020}, {"jahr": 2021}, {"jahr": 2022}]
    assert distinct["total"] == 3


def test_records_formats(client: FlaskClient, ids: Published) -> None:
    base: dict[str, Any] = {
        "resource_id": ids.parquet,
        "limit": 2,
        "fields": ["_id", "quartier", "anzahl"],
    }
    lists = call(client, "datastore_search", records_format="lists", **base)
    assert lists["records"] == [[1, "Altstadt", 0], [2, "Wesemlin", 37]]
    text = call(client, "datastore_search", records_format="csv", **base)["records"]
    assert text == "1,Altstadt,0\n2,Wesemlin,37\n"
    tsv = call(client, "datastore_search", records_format="tsv", **{**base, "offset": 3})
    assert tsv["records"] == "4\tHirschmatt\t\n5\tWürzenbach\t48\n"
    error = call(client, "datastore_search", 409, records_format="xml", **base)
    assert "records_format" in error


def test_limit_is_capped_and_validated(client: FlaskClient, ids: Published) -> None:
    assert call(client, "datastore_search", resource_id=ids.parquet, limit=99999)["limit"] == 32000
    assert call(client, "datastore_search", resource_id=ids.parquet)["limit"] == 100
    error = call(client, "datastore_search", 409, resource_id=ids.parquet, limit=-1)
    assert error["limit"] == ["Must be a natural number"]
    error = call(client, "datastore_search", 409, resource_id=ids.parquet, offset="x")
    assert error["offset"] == ["Invalid integer"]


@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        ({"filters": {"nope": 1}}, "filters", 'invalid value "nope"'),
        ({"fields": "jahr,nope"}, "fields", 'invalid value "nope"'),
        ({"sort": "nope desc"}, "sort", 'invalid value "nope desc"'),
        ({"filters": "{not json"}, "filters", "Cannot parse JSON"),
    ],
)
def test_unknown_columns_are_409(
    client: FlaskClient, ids: Published, data: dict[str, Any], key: str, message: str
) -> None:
    error = call(client, "datastore_search", 409, resource_id=ids.parquet, **data)
    assert error == {key: [message], "__type": "Validation Error"}


def test_missing_unknown_private_and_non_table_resources(
    client: FlaskClient, ids: Published, instance: Instance
) -> None:
    assert call(client, "datastore_search", 409)["resource_id"] == ["Missing value"]
    error = call(client, "datastore_search", 404, resource_id="nope")
    assert error["message"] == 'Not found: Resource "nope" was not found.'
    assert (
        call(client, "datastore_search", 404, resource_id=ids.json)["__type"] == "Not Found Error"
    )
    error = call(client, "datastore_search", 403, resource_id=ids.private_parquet)
    assert error["__type"] == "Authorization Error"
    assert call(client, "datastore_info", 403, id=ids.private_parquet)
    mark_deleted(instance, ids.csv)
    assert call(client, "datastore_search", 403, resource_id=ids.csv)


def test_links_follow_the_request(client: FlaskClient, ids: Published) -> None:
    path = "/api/action/datastore_search"
    got = client.get(f"{path}?resource_id={ids.parquet}&limit=5&offset=15").get_json()
    assert got["result"]["_links"] == {
        "start": f"{path}?resource_id={ids.parquet}&limit=5",
        "next": f"{path}?resource_id={ids.parquet}&limit=5&offset=20",
        "prev": f"{path}?resource_id={ids.parquet}&limit=5&offset=10",
    }
    posted = client.post(path, json={"resource_id": ids.parquet, "limit": 5, "offset": 5})
    assert posted.get_json()["result"]["_links"] == {"start": path, "next": f"{path}?offset=10"}


def test_datastore_info(client: FlaskClient, ids: Published) -> None:
    result = call(client, "datastore_info", id=ids.csv)
    assert result["meta"]["id"] == ids.csv
    assert result["meta"]["count"] == ROWS
    assert result["meta"]["table_type"] == "BASE TABLE"
    assert result["meta"]["aliases"] == []
    assert result["meta"]["size"] > 0
    assert [f["id"] for f in result["fields"]][:2] == ["quartier", "jahr"]
    assert set(result["fields"][0]["schema"]) == {
        "native_type",
        "notnull",
        "index_name",
        "is_index",
        "uniquekey",
    }


def test_resources_of_tables_are_datastore_active(client: FlaskClient, ids: Published) -> None:
    resource = call(client, "resource_show", id=ids.csv)
    assert resource["datastore_active"] is True
    assert call(client, "resource_show", id=ids.json)["datastore_active"] is False
    assert "datastore" in call(client, "status_show")["extensions"]
    assert {"datastore_search", "datastore_search_sql", "datastore_info"} <= set(ACTIONS)


def test_dump_csv_has_a_header_and_every_row(client: FlaskClient, ids: Published) -> None:
    response = client.get(f"/datastore/dump/{ids.csv}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["_id", "quartier", "jahr"]
    assert len(rows) == ROWS + 1
    assert rows[4][:5] == ["4", "Hirschmatt", "2020", "m", ""]


def test_dump_search_parameters_and_formats(client: FlaskClient, ids: Published) -> None:
    url = f"/datastore/dump/{ids.parquet}"
    query = {"q": "zürich", "filters": '{"jahr": 2020}', "fields": "_id,text", "sort": "_id desc"}
    tsv = client.get(url, query_string={**query, "format": "tsv", "bom": "true"})
    text = tsv.get_data(as_text=True)
    assert text.startswith("\ufeff_id\ttext\r\n")
    got = client.get(url, query_string={**query, "format": "json", "limit": "2", "offset": "1"})
    body = json.loads(got.get_data(as_text=True))
    assert body["fields"] == [{"id": "_id", "type": "int"}, {"id": "text", "type": "text"}]
    assert body["records"] == [[16, "Zuzug aus Zürich"], [4, "Umzug von Zürich nach ZÜRICH"]]
    xlsx = client.get(url, query_string={"format": "xlsx", "fields": "_id,quartier"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0] == ("_id", "quartier") and cells[1] == (1, "Altstadt") and len(cells) == 31


def test_dump_hides_private_unknown_and_bad_requests(client: FlaskClient, ids: Published) -> None:
    assert client.get(f"/datastore/dump/{ids.private_parquet}").status_code == 404
    assert client.get("/datastore/dump/nope").status_code == 404
    assert client.get(f"/datastore/dump/{ids.json}").status_code == 404
    assert client.get(f"/datastore/dump/{ids.csv}?format=pdf").status_code == 400
    assert client.get(f"/datastore/dump/{ids.csv}?fields=nope").status_code == 409
