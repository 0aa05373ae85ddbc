"""Past one machine: two `ogd serve` processes (each with its own instance folder) share
PostgreSQL and an S3 bucket while a third process runs a pipeline; a write through one
server is read through the other at once."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
import requests

from tests.conftest import ROOT, postgres_schema_url
from tests.integration.s3 import BUCKET, s3_server
from tests.integration.server import ogd_env, serve, user_token

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

PIPELINE = "digitalstrategie-massnahmen"


@pytest.fixture
def shared(tmp_path: Path, demo_sources: Path) -> Iterator[dict[str, str]]:
    """Settings of a deployment on PostgreSQL (a fresh schema) and an S3 bucket."""
    with s3_server() as s3:
        for url in postgres_schema_url():
            yield {**s3, "OGD_DATABASE_URL": url, "OGD_STORAGE_URL": f"s3://{BUCKET}/ogd"}


def _search(url: str, q: str) -> int:
    body = requests.get(f"{url}/api/3/action/package_search", params={"q": q}, timeout=30).json()
    return int(body["result"]["count"])


def test_two_servers_and_a_pipeline_share_one_catalogue(
    tmp_path: Path, demo_sources: Path, shared: dict[str, str]
) -> None:
    env_a = ogd_env(tmp_path / "host-a", demo_sources, shared)
    env_b = ogd_env(tmp_path / "host-b", demo_sources, shared)
    env_c = ogd_env(tmp_path / "host-c", demo_sources, shared)
    token = user_token(env_a, "admin", sysadmin=True)
    with contextlib.ExitStack() as stack:
        a = stack.enter_context(serve(env_a, ROOT))
        b = stack.enter_context(serve(env_b, ROOT))
        run = subprocess.Popen(
            [sys.executable, "-m", "ogd", "run", PIPELINE],
            env=env_c,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        writer = ckanapi.RemoteCKAN(a, apikey=token)
        writer.action.organization_create(name="brueckenamt", title="Brückenamt")
        assert _search(b, "Brückeninspektion") == 0
        for number in range(5):  # each write is seen by the other server at once
            writer.action.package_create(
                name=f"bruecke-{number}",
                title=f"Brückeninspektion {number}",
                owner_org="brueckenamt",
            )
            assert _search(b, "Brückeninspektion") == number + 1
            shown = ckanapi.RemoteCKAN(b).action.package_show(id=f"bruecke-{number}")
            assert shown["organization"]["name"] == "brueckenamt"
        writer.action.package_patch(id="bruecke-0", title="Stützmauer")
        assert _search(b, "Stützmauer") == 1
        output, _ = run.communicate(timeout=300)
        assert run.returncode == 0, output
        for server in (a, b):  # the pipeline's release, from the bucket, through both
            pkg = ckanapi.RemoteCKAN(server).action.package_show(id=PIPELINE)
            csv = next(r for r in pkg["resources"] if r["format"] == "CSV")
            download = requests.get(csv["url"], timeout=30)
            assert download.status_code == 200 and len(download.content) == csv["size"]
    assert not (tmp_path / "host-a" / "storage").exists()
    assert not (tmp_path / "host-a" / "catalog.db").exists()
