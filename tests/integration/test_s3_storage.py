"""Published files in S3-compatible object storage (moto's server on loopback), with
nothing but settings changed: publish, download (streamed, byte ranges), DataStore
queries over the Parquet in the bucket, uploads and their deletion."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import ckanapi
import pytest
import requests

from ogd.publish.storage import Storage
from tests.conftest import ROOT
from tests.integration.s3 import BUCKET, s3_server
from tests.integration.server import ogd_env, ok, run_ogd, serve, user_token

pytestmark = pytest.mark.integration

PIPELINE = "digitalstrategie-massnahmen"
STORAGE_URL = f"s3://{BUCKET}/luzern"


@dataclass
class Site:
    url: str
    env: dict[str, str]
    token: str
    storage: Storage
    instance: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_sources: Path) -> Iterator[Site]:
    instance = tmp_path_factory.mktemp("s3") / "var"
    with s3_server() as s3, mock.patch.dict(os.environ, s3):
        env = ogd_env(instance, demo_sources, {**s3, "OGD_STORAGE_URL": STORAGE_URL})
        ok(run_ogd(["run", PIPELINE], env, ROOT))
        token = user_token(env, "admin", sysadmin=True)
        with serve(env, ROOT) as url:
            yield Site(url, env, token, Storage(STORAGE_URL), instance)


def _resources(site: Site, name: str = PIPELINE) -> dict[str, dict[str, object]]:
    body = requests.get(f"{site.url}/api/3/action/package_show?id={name}", timeout=30).json()
    return {str(r["format"]): r for r in body["result"]["resources"]}


def test_a_release_is_published_into_the_bucket(site: Site) -> None:
    keys = site.storage.list(f"datasets/{PIPELINE}")
    names = {k.rsplit("/", 1)[-1] for k in keys}
    assert {f"{PIPELINE}.csv", f"{PIPELINE}.parquet", "datapackage.json"} <= names
    assert not (site.instance / "storage").exists()  # nothing went to the local folder


def test_downloads_stream_from_the_bucket_with_byte_ranges(site: Site) -> None:
    csv = _resources(site)["CSV"]
    whole = requests.get(str(csv["url"]), timeout=30)
    assert whole.status_code == 200 and whole.headers["Accept-Ranges"] == "bytes"
    key = next(k for k in site.storage.list(f"datasets/{PIPELINE}") if k.endswith(".csv"))
    with site.storage.open(key) as handle:
        stored = handle.read()
    assert whole.content == stored and len(stored) == csv["size"]
    part = requests.get(str(csv["url"]), headers={"Range": "bytes=100-199"}, timeout=30)
    assert part.status_code == 206 and part.content == stored[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(stored)}"


def test_the_datastore_queries_the_parquet_in_the_bucket(site: Site) -> None:
    csv = _resources(site)["CSV"]
    api = f"{site.url}/api/3/action"
    found = requests.get(f"{api}/datastore_search?resource_id={csv['id']}&limit=5", timeout=60)
    result = found.json()["result"]
    assert result["total"] == csv["rows"] and len(result["records"]) == 5
    word = str(result["records"][0]["handlungsfeld"]).split()[0]
    searched = requests.get(f"{api}/datastore_search?resource_id={csv['id']}&q={word}", timeout=60)
    assert 0 < searched.json()["result"]["total"] <= int(str(csv["rows"]))
    sql = f'SELECT count(*) AS n FROM "{csv["id"]}"'
    counted = requests.get(f"{api}/datastore_search_sql", params={"sql": sql}, timeout=60)
    assert counted.json()["result"]["records"] == [{"n": csv["rows"]}]


def test_uploads_go_to_the_bucket_and_a_purge_deletes_them(site: Site, tmp_path: Path) -> None:
    ckan = ckanapi.RemoteCKAN(site.url, apikey=site.token)
    ckan.action.organization_create(name="s3-amt", title="S3 Amt")
    ckan.action.package_create(name="s3-upload", title="Upload", owner_org="s3-amt")
    data = tmp_path / "werte.csv"
    data.write_bytes(b"jahr,wert\n2024,1\n2025,2\n")
    with data.open("rb") as handle:
        resource = ckan.action.resource_create(package_id="s3-upload", upload=handle)
    uploads = [k for k in site.storage.list("uploads") if k.endswith("werte.csv")]
    assert len(uploads) == 1
    assert requests.get(resource["url"], timeout=30).content == data.read_bytes()
    ckan.action.dataset_purge(id="s3-upload")
    assert not site.storage.exists(uploads[0])
