"""`ogd serve --workers 2`: pre-forked gunicorn workers, as the benchmark and production run.

Each worker keeps its own search index and cache of anonymous answers; a write through
either worker must be found by both at once. A keep-alive connection is closed after
`KEEPALIVE_REQUESTS` answers, so a client's connections spread over the workers.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import ckanapi
import pytest
import requests

from ogd.web.server import KEEPALIVE_REQUESTS
from tests.conftest import ROOT
from tests.integration.server import ogd_env, serve, user_token

pytestmark = pytest.mark.integration

SEARCH = '/api/3/action/package_search?q=Velozählung&facet.field=["organization"]'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_sources: Path) -> Iterator[tuple[str, str]]:
    env = ogd_env(tmp_path_factory.mktemp("workers") / "var", demo_sources)
    token = user_token(env, "admin", sysadmin=True)
    with serve(env, ROOT, args=["--workers", "2"]) as url:
        yield url, token


def _counts(url: str, times: int = 12) -> set[int]:
    """The search's count over `times` new connections (so both workers answer)."""
    counts = set()
    for _ in range(times):
        with requests.Session() as fresh:
            body = fresh.get(url + SEARCH, timeout=10).json()
        assert body["success"] is True
        counts.add(body["result"]["count"])
    return counts


def test_every_worker_finds_a_write_at_once(site: tuple[str, str]) -> None:
    url, token = site
    ckan = ckanapi.RemoteCKAN(url, apikey=token)
    ckan.action.organization_create(name="verkehr", title="Verkehr")
    assert _counts(url) == {0}  # now cached as 0 in the workers that answered
    ckan.action.package_create(name="messstelle-7", title="Velozählung", owner_org="verkehr")
    assert _counts(url) == {1}
    ckan.action.package_patch(id="messstelle-7", title="Parkplätze")
    assert _counts(url) == {0}
    ckan.action.package_patch(id="messstelle-7", title="Velozählung Seebrücke")
    assert _counts(url) == {1}
    ckan.action.package_delete(id="messstelle-7")
    assert _counts(url) == {0}


def test_keep_alive_connection_closes_after_its_quota(site: tuple[str, str]) -> None:
    url, _ = site
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    closes = []
    try:
        for number in range(1, KEEPALIVE_REQUESTS + 1):
            connection.request("GET", "/api/3/action/status_show")
            response = connection.getresponse()
            assert response.status == 200 and response.read()
            if (response.getheader("Connection") or "").lower() == "close":
                closes.append(number)
    finally:
        connection.close()
    assert closes == [KEEPALIVE_REQUESTS]
