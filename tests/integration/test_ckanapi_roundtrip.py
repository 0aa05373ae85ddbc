"""ckanapi, the Python client and its command line, against two live `ogd serve` instances.

Instance A has one published pipeline and a dataset written through the API by an
organisation editor; `ckanapi dump` and `ckanapi load --upload-resources` copy A into
the empty instance B, after which both catalogues answer alike.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ckanapi
import pytest
import requests

from tests.conftest import ROOT
from tests.integration.server import ogd_env, ok, run_ogd, serve, user_token

pytestmark = pytest.mark.integration

PIPELINE = "digitalstrategie-massnahmen"
ORG, OTHER_ORG, THEME = "statistik", "personal", "regi"
CSV = b"jahr,wert\n2024,1\n2025,2\n"
CKANAPI = str(Path(sys.executable).parent / "ckanapi")


@dataclass
class Site:
    url: str
    env: dict[str, str]
    admin: str
    editor: str = ""


@pytest.fixture(scope="module")
def sites(
    tmp_path_factory: pytest.TempPathFactory,
    demo_sources: Path,
    catalogue_env: Callable[[], dict[str, str]],
) -> Iterator[list[Site]]:
    base = tmp_path_factory.mktemp("roundtrip")
    env_a = ogd_env(base / "a", demo_sources, catalogue_env())
    env_b = ogd_env(base / "b", demo_sources, catalogue_env())
    ok(run_ogd(["run", PIPELINE], env_a, ROOT))
    admin_a, editor_a = user_token(env_a, "admin", sysadmin=True), user_token(env_a, "ed")
    admin_b = user_token(env_b, "admin", sysadmin=True)
    with contextlib.ExitStack() as stack:
        a = Site(stack.enter_context(serve(env_a, ROOT)), env_a, admin_a, editor_a)
        b = Site(stack.enter_context(serve(env_b, ROOT)), env_b, admin_b)
        yield [a, b]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "CKANAPI_REQUEST_TIMEOUT": "60"}
    return subprocess.run(
        [CKANAPI, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _download(url: str) -> bytes:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, url
    return response.content


def _comparable(pkg: dict[str, Any]) -> dict[str, Any]:
    """A dataset dict without what must differ between two instances.

    Timestamps, the creator and tag ids belong to each instance; URLs differ in their
    host. DataStore tables (`datastore_active`, `rows`)
    are built by pipeline releases only, not for files uploaded through the API.
    """
    data = {
        k: v
        for k, v in pkg.items()
        if k not in {"metadata_created", "metadata_modified", "creator_user_id"}
    }
    # the quality score is each instance's own measurement (its URLs, its time)
    data["extras"] = [e for e in pkg["extras"] if e["key"] != "quality"]
    data["organization"] = {k: pkg["organization"][k] for k in ("name", "title", "description")}
    data["groups"] = pkg["groups"]  # sorted by title, ids the same on every instance
    data["tags"] = [{k: v for k, v in t.items() if k != "id"} for t in pkg["tags"]]
    own = {"created", "last_modified", "metadata_modified", "datastore_active", "rows", "url"}
    data["resources"] = [
        {**{k: v for k, v in r.items() if k not in own}, "path": urlsplit(r["url"]).path}
        for r in pkg["resources"]
    ]
    return data


def test_python_client_writes_reads_and_maps_errors(sites: list[Site]) -> None:
    a = sites[0]
    admin = ckanapi.RemoteCKAN(a.url, apikey=a.admin)
    member = admin.action.organization_member_create(id=ORG, username="ed", role="editor")
    assert member["capacity"] == "editor"
    ckan = ckanapi.RemoteCKAN(a.url, apikey=a.editor)

    pkg = ckan.action.package_create(
        name="rundreise",
        title="Rundreise",
        owner_org=ORG,
        notes="Geschrieben mit ckanapi.",
        license_id="terms_by",
        tags=[{"name": "Probe"}],
        extras=[{"key": "spatial", "value": "Stadt Luzern"}],
        groups=[{"name": THEME}],
    )
    assert pkg["organization"]["name"] == ORG and pkg["num_resources"] == 0
    res = ckan.action.resource_create(
        package_id="rundreise", name="Daten", upload=("daten.csv", io.BytesIO(CSV))
    )
    assert (res["url_type"], res["format"], res["size"]) == ("upload", "CSV", len(CSV))
    assert res["url"].endswith("/daten.csv") and _download(res["url"]) == CSV

    patched = ckan.action.package_patch(id="rundreise", notes="Jetzt mit quokka.")
    assert patched["notes"] == "Jetzt mit quokka." and patched["num_resources"] == 1
    found = ckanapi.RemoteCKAN(a.url).action.package_search(q="quokka")
    assert [p["name"] for p in found["results"]] == ["rundreise"]

    ckan.action.package_create(name="wegwerf", owner_org=ORG)
    ckan.action.package_delete(id="wegwerf")
    assert ckan.action.package_show(id="wegwerf")["state"] == "deleted"
    assert "wegwerf" not in ckanapi.RemoteCKAN(a.url).action.package_list()

    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_create(name="fremd", owner_org=OTHER_ORG)
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(a.url).action.package_create(name="anonym", owner_org=ORG)
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="gibt-es-nicht")
    with pytest.raises(ckanapi.ValidationError) as invalid:
        ckan.action.package_create(name="Kein Name", owner_org=ORG)
    assert "name" in invalid.value.error_dict

    shown = _cli("action", "package_show", "id=rundreise", "-r", a.url)
    assert json.loads(ok(shown))["notes"] == "Jetzt mit quokka."


def test_dump_and_load_copy_the_catalogue(sites: list[Site], tmp_path: Path) -> None:
    a, b = sites
    dump = tmp_path / "datasets.jsonl"
    ok(_cli("dump", "datasets", "--all", "-r", a.url, "-O", str(dump)))
    records = [json.loads(line) for line in dump.read_text("utf-8").splitlines()]
    names = sorted(r["name"] for r in records)
    assert PIPELINE in names and "wegwerf" not in names
    if "rundreise" not in names:
        pytest.fail("run the whole module: the dataset written by the first test is missing")

    # The dump loads unchanged: organisations and themes from the catalogue files have
    # the same ids on every instance.
    for _ in range(2):  # create, then update what exists
        loaded = _cli(
            "load", "datasets", "-I", str(dump), "-r", b.url, "-a", b.admin, "--upload-resources"
        )
        assert loaded.returncode == 0, loaded.stderr
        assert "Error" not in loaded.stderr, loaded.stderr

    ckan_a, ckan_b = ckanapi.RemoteCKAN(a.url), ckanapi.RemoteCKAN(b.url)
    assert ckan_b.action.package_list() == ckan_a.action.package_list() == names
    for name in names:
        pkg_a, pkg_b = ckan_a.action.package_show(id=name), ckan_b.action.package_show(id=name)
        assert _comparable(pkg_b) == _comparable(pkg_a), name
        for res_a, res_b in zip(pkg_a["resources"], pkg_b["resources"], strict=True):
            assert res_b["url"].startswith(b.url)
            assert _download(res_b["url"]) == _download(res_a["url"])
