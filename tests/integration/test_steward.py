"""Steward pages over real runs: grouped findings and privacy report, "run now" on `ogd serve`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import ckanapi
import pytest
import requests

from ogd.catalog import authz
from ogd.config import Settings
from ogd.instance import open_instance
from ogd.pipeline.runner import run_pipeline
from ogd.pipeline.spec import load_pipeline
from ogd.web.app import create_app
from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd, serve
from tests.integration.test_publication import POPULATION, _corrupt

pytestmark = pytest.mark.integration
PASSWORD = "Pilatus-Rigi-2024"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_run_page_of_a_real_run_groups_findings_and_shows_the_privacy_report(
    tmp_path: Path, settings: Settings, sources: Path
) -> None:
    register = sources / "einwohnerregister.csv"
    _corrupt(register, 1234, "geburtsdatum", "31.02.1990")
    _corrupt(register, 77, "geschlecht", "x")
    text = POPULATION.read_text(encoding="utf-8").replace(
        "  schema: einwohnerregister\n", "  schema: einwohnerregister\n  on_invalid: drop\n"
    )
    pipeline = tmp_path / "pipelines" / "bevoelkerung-quartier.yaml"
    pipeline.parent.mkdir()
    pipeline.write_text(text, encoding="utf-8")
    instance = open_instance(settings)
    result = run_pipeline(
        load_pipeline(pipeline, tmp_path), settings, instance.sessions, instance.storage
    )
    assert result.outcome == "published", result.error
    with instance.sessions() as session, session.begin():
        user = authz.create_user(session, "anna")
        authz.set_password(user, PASSWORD)
        authz.set_member(session, authz.ensure_org(session, "einwohnerdienste"), user, "member")
    client = create_app(settings, instance).test_client()
    token = CSRF.search(client.get("/user/login").get_data(as_text=True))
    assert token
    client.post(
        "/user/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token[1]}
    )
    dashboard = client.get("/steward/").get_data(as_text=True)
    run_link = re.search(r'href="(/steward/runs/[0-9TZ]+)"', dashboard)
    assert run_link, "the dashboard links the last run"
    page = client.get(run_link[1]).get_data(as_text=True)
    assert "Type Error" in page and "Constraint Error" in page
    assert "Zeile 1234" in page and "Zeile 77" in page
    assert "31.02.1990" not in page  # locations only, never the cells
    assert "Datenschutzbericht" in page and "Gesperrte Zellen in anzahl" in page
    assert "ahv_nummer" in page  # identifiers dropped before anything else
    assert "table_aggregate" in page and "83000" in page


def _login(http: requests.Session, url: str, name: str) -> None:
    token = CSRF.search(http.get(f"{url}/user/login").text)
    assert token
    data = {"username": name, "password": PASSWORD, "csrf_token": token[1]}
    assert http.post(f"{url}/user/login", data=data, allow_redirects=False).status_code == 302


def test_run_now_on_a_live_server_starts_and_finishes_a_run(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    created = run_ogd(
        ["user", "create", "anna", "--org", "statistik", "--role", "editor"], env, ROOT
    )
    assert created.returncode == 0, created.stderr
    password = subprocess.run(
        [sys.executable, "-m", "ogd", "user", "password", "anna", "--stdin"],
        input=PASSWORD + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert password.returncode == 0, password.stderr
    with serve(env, ROOT) as url, requests.Session() as http:
        assert http.get(f"{url}/steward/", allow_redirects=False).status_code == 302
        _login(http, url, "anna")
        token = CSRF.search(http.get(f"{url}/steward/").text)
        assert token
        started = http.post(
            f"{url}/steward/pipelines/gemeinden-kanton-luzern/run",
            data={"csrf_token": token[1]},
            allow_redirects=False,
        )
        assert started.status_code == 302
        job_page = http.get(url + started.headers["Location"])
        assert job_page.status_code == 200
        progress = url + started.headers["Location"].replace("/jobs/", "/progress/")
        deadline = time.monotonic() + 300
        while not (state := http.get(progress).json())["done"]:
            assert time.monotonic() < deadline, state
            time.sleep(0.5)
        assert state["outcome"] == "published", state
        run_page = http.get(url + state["run_url"])
        assert run_page.status_code == 200 and "veröffentlicht" in run_page.text
        assert "anna" in run_page.text
        assert state["run_url"] in http.get(url + started.headers["Location"]).text
        shown = ckanapi.RemoteCKAN(url).action.package_show(id="gemeinden-kanton-luzern")
        assert shown["num_resources"] > 0
