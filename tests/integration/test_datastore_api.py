"""The DataStore against a live `ogd serve`, driven by ckanapi after a real pipeline run."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import ckanapi
import pytest
import requests

from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd, serve

pytestmark = pytest.mark.integration


def test_population_table_is_searchable_with_ckanapi(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    result = run_ogd(["run", "bevoelkerung-quartier"], env, ROOT)
    assert result.returncode == 0, result.stderr

    with serve(env, ROOT) as url:
        ckan = ckanapi.RemoteCKAN(url)
        pkg = ckan.action.package_show(id="bevoelkerung-quartier")
        tables = [r for r in pkg["resources"] if r["datastore_active"]]
        assert {r["format"] for r in tables} == {"CSV", "Parquet"}
        resource = next(r for r in tables if r["format"] == "CSV")
        published = list(
            csv.DictReader(io.StringIO(requests.get(resource["url"], timeout=30).text))
        )

        page = ckan.action.datastore_search(resource_id=resource["id"], limit=5)
        assert page["total"] == len(published) == resource["rows"]
        assert [f["id"] for f in page["fields"]] == [
            "_id",
            "quartier",
            "altersgruppe",
            "geschlecht",
            "herkunft",
            "anzahl",
        ]
        assert [r["_id"] for r in page["records"]] == [1, 2, 3, 4, 5]
        assert page["records"][0]["quartier"] == published[0]["quartier"]

        quarter = published[0]["quartier"]
        filtered = ckanapi.RemoteCKAN(url, get_only=True).action.datastore_search(
            resource_id=resource["id"], filters=json.dumps({"quartier": quarter}), limit=1000
        )
        assert filtered["total"] == sum(1 for row in published if row["quartier"] == quarter)
        assert {r["quartier"] for r in filtered["records"]} == {quarter}

        found = ckan.action.datastore_search(resource_id=resource["id"], q=quarter.lower())
        assert found["total"] >= filtered["total"] and "rank" in found["records"][0]

        sums = ckan.action.datastore_search_sql(
            sql=f'SELECT quartier, count(*) AS n FROM "{resource["id"]}" GROUP BY quartier'
        )
        assert {r["quartier"]: r["n"] for r in sums["records"]} == dict(
            Counter(row["quartier"] for row in published)
        )
        info = ckan.action.datastore_info(id=resource["id"])
        assert info["meta"]["count"] == len(published)

        with pytest.raises(ckanapi.ValidationError):
            ckan.action.datastore_search(resource_id=resource["id"], filters={"nope": 1})
        with pytest.raises(ckanapi.NotFound):
            ckan.action.datastore_search(resource_id="does-not-exist")
        with pytest.raises(ckanapi.NotAuthorized):
            ckan.action.datastore_search_sql(sql="SELECT * FROM read_csv('/etc/passwd')")

        dump = requests.get(f"{url}/datastore/dump/{resource['id']}", timeout=30)
        assert dump.status_code == 200
        dumped = list(csv.DictReader(io.StringIO(dump.text)))
        assert len(dumped) == len(published)
        assert {k: v for k, v in dumped[0].items() if k != "_id"} == published[0]
