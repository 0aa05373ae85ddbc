"""`ogd push` mirrors instance A's published datasets into a second, empty instance B.

B is our own portal started by the test with a sysadmin and an editor token; its
catalogue files lack the organisation `digital` (so the push must create it) and the
theme `gove` (so that group must be left out).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckanapi
import pytest
import requests
import yaml

from tests.conftest import ROOT
from tests.integration.server import free_port, ogd_env, ok, run_ogd, serve, user_token

pytestmark = pytest.mark.integration

PIPELINES = ["digitalstrategie-massnahmen", "online-dienste"]
MISSING_ORG, MISSING_THEME = "digital", "gove"
TOKEN_VAR = "OGD_TEST_PUSH_TOKEN"


@dataclass
class Pair:
    env_a: dict[str, str]
    url_a: str
    url_b: str
    admin_b: str
    editor_b: str

    def push(self, token: str, *names: str, to: str | None = None) -> Any:
        env = {**self.env_a, TOKEN_VAR: token}
        return run_ogd(
            ["push", "--to", to or self.url_b, "--token-env", TOKEN_VAR, *names], env, ROOT
        )


def _catalog_without(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(ROOT / "catalog" / "licenses.yaml", folder)
    for filename, drop in (("organizations.yaml", MISSING_ORG), ("themes.yaml", MISSING_THEME)):
        items = yaml.safe_load((ROOT / "catalog" / filename).read_text("utf-8"))
        kept = [item for item in items if item["id"] != drop]
        (folder / filename).write_text(yaml.safe_dump(kept, allow_unicode=True), "utf-8")
    return folder


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory,
    demo_sources: Path,
    catalogue_env: Callable[[], dict[str, str]],
) -> Iterator[Pair]:
    base = tmp_path_factory.mktemp("push")
    env_a = ogd_env(base / "a", demo_sources, catalogue_env())
    ok(run_ogd(["run", *PIPELINES], env_a, ROOT))
    catalog_b = {"OGD_CATALOG_DIR": str(_catalog_without(base / "catalog-b"))}
    env_b = ogd_env(base / "b", demo_sources, {**catalog_b, **catalogue_env()})
    admin, editor = (
        user_token(env_b, "admin", sysadmin=True),
        user_token(env_b, "ed", org="tiefbau"),
    )
    with contextlib.ExitStack() as stack:
        url_a = stack.enter_context(serve(env_a, ROOT))
        url_b = stack.enter_context(serve(env_b, ROOT))
        yield Pair(env_a, url_a, url_b, admin, editor)


def _rows(stdout: str) -> dict[str, tuple[str, int]]:
    """The summary table: dataset -> (action, files uploaded)."""
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in PIPELINES:
            rows[parts[0]] = (parts[1], int(parts[2]))
    return rows


def _download(url: str) -> bytes:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, url
    return response.content


def _own(extras: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in extras if e["key"] != "quality"]


def _assert_mirrored(pair: Pair, name: str) -> None:
    a = ckanapi.RemoteCKAN(pair.url_a).action.package_show(id=name)
    b = ckanapi.RemoteCKAN(pair.url_b).action.package_show(id=name)
    for key in (
        "name",
        "title",
        "title_translated",
        "notes",
        "notes_translated",
        "url",
        "license_id",
        "maintainer",
        "maintainer_email",
        "private",
        "state",
    ):
        assert b[key] == a[key], key
    # the quality score is each instance's own measurement (its URLs, its time)
    assert _own(b["extras"]) == _own(a["extras"])
    assert [t["name"] for t in b["tags"]] == [t["name"] for t in a["tags"]]
    assert b["organization"]["name"] == a["organization"]["name"] == MISSING_ORG
    groups_a = sorted(g["name"] for g in a["groups"])
    assert MISSING_THEME in groups_a, "the test wants a group B does not have"
    assert sorted(g["name"] for g in b["groups"]) == [g for g in groups_a if g != MISSING_THEME]
    shape = ("name", "description", "format", "mimetype", "size", "hash", "url_type")
    assert [{k: r[k] for k in shape} for r in b["resources"]] == [
        {k: r[k] for k in shape} for r in a["resources"]
    ]
    for res_a, res_b in zip(a["resources"], b["resources"], strict=True):
        assert res_b["url"].startswith(pair.url_b)
        assert _download(res_b["url"]) == _download(res_a["url"])


def test_push_mirrors_creates_the_organisation_and_is_idempotent(pair: Pair) -> None:
    # An editor of another organisation may not create `digital` on B.
    refused = pair.push(pair.editor_b, PIPELINES[0])
    assert refused.returncode == 1
    assert f"organisation `{MISSING_ORG}` does not exist" in refused.stderr
    assert "hint:" in refused.stderr and "Traceback" not in refused.stderr
    assert pair.editor_b not in refused.stdout + refused.stderr

    first = pair.push(pair.admin_b)  # no names: every public dataset of A
    assert _rows(ok(first)) == {
        "digitalstrategie-massnahmen": ("created", 4),
        "online-dienste": ("created", 4),
    }
    assert pair.admin_b not in first.stdout + first.stderr
    for name in PIPELINES:
        _assert_mirrored(pair, name)

    b = ckanapi.RemoteCKAN(pair.url_b)
    before = {n: b.action.package_show(id=n)["metadata_modified"] for n in PIPELINES}
    second = pair.push(pair.admin_b, *PIPELINES)
    assert _rows(ok(second)) == {n: ("unchanged", 0) for n in PIPELINES}
    assert {n: b.action.package_show(id=n)["metadata_modified"] for n in PIPELINES} == before


def test_push_repairs_changes_made_on_the_target(pair: Pair) -> None:
    name = PIPELINES[1]
    b = ckanapi.RemoteCKAN(pair.url_b, apikey=pair.admin_b)
    if name not in b.action.package_list():  # this test runs alone
        ok(pair.push(pair.admin_b, name))
    pkg = b.action.package_show(id=name)
    b.action.package_patch(id=name, title="Verändert", tags=[{"name": "fremd"}])
    b.action.resource_patch(id=pkg["resources"][0]["id"], upload=("x.csv", io.BytesIO(b"a,b\n")))
    b.action.resource_delete(id=pkg["resources"][1]["id"])

    repaired = pair.push(pair.admin_b, name)
    assert _rows(ok(repaired)) == {name: ("updated", 2)}
    _assert_mirrored(pair, name)
    assert _rows(ok(pair.push(pair.admin_b, name))) == {name: ("unchanged", 0)}


def test_bad_token_fails_cleanly_without_showing_the_token(pair: Pair) -> None:
    token = "ogd_not-a-valid-token-4711"
    result = pair.push(token)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "not valid" in result.stderr and TOKEN_VAR in result.stderr
    assert "Traceback" not in result.stderr
    assert token not in result.stdout + result.stderr


def test_unreachable_target_and_missing_token_variable(pair: Pair) -> None:
    gone = f"http://127.0.0.1:{free_port()}"
    result = pair.push(pair.admin_b, to=gone)
    assert result.returncode == 1
    assert f"cannot reach {gone}" in result.stderr and "Traceback" not in result.stderr
    assert pair.admin_b not in result.stdout + result.stderr

    env = {k: v for k, v in pair.env_a.items() if k != TOKEN_VAR}
    unset = run_ogd(["push", "--to", pair.url_b, "--token-env", TOKEN_VAR], env, ROOT)
    assert unset.returncode == 1
    assert f"environment variable {TOKEN_VAR} is not set" in unset.stderr
