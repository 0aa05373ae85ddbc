"""Steward pages: login and organisation scoping, dashboard, run page, "run now"."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from ogd.catalog import authz
from ogd.instance import Instance
from ogd.pipeline.history import RunRecord, save_run
from tests.unit.web.test_login import csrf_token

PASSWORD = "Pilatus-Rigi-2024"
USERS = {
    "mitglied": ("einwohnerdienste", "member"),
    "redaktor": ("einwohnerdienste", "editor"),
    "umwelt": ("umweltschutz", "editor"),
    "admin": (None, None),
}
RUN_ID = "20250101T060000000000Z"


@pytest.fixture
def users(instance: Instance) -> dict[str, Any]:
    """A member and an editor of einwohnerdienste, an editor of umweltschutz, a sysadmin."""
    with instance.sessions() as session, session.begin():
        for name, (org, role) in USERS.items():
            user = authz.create_user(session, name, sysadmin=org is None)
            authz.set_password(user, PASSWORD)
            if org:
                authz.set_member(session, authz.ensure_org(session, org), user, str(role))
    return USERS


def login(client: FlaskClient, name: str) -> None:
    """Log `name` in on the test client."""
    token = csrf_token(client)
    response = client.post(
        "/user/login", data={"username": name, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def write_run(instance: Instance, pipeline: str, run_id: str = RUN_ID, **extra: Any) -> RunRecord:
    """A recorded run with a failed source validation whose full report has cell values."""
    settings = instance.settings
    steward = settings.path(settings.runs_dir) / pipeline / "steward"
    steward.mkdir(parents=True)
    errors = [
        {"type": "type-error", "title": "Type Error", "fieldName": "geburtsdatum",
         "fieldNumber": 4, "rowNumber": row, "cell": "31.02.1990",
         "message": 'Type error in the cell "31.02.1990"'}
        for row in (17, 40, 41, 99, 120, 300, 512)
    ] + [
        {"type": "constraint-error", "title": "Constraint Error", "fieldName": "geschlecht",
         "fieldNumber": 5, "rowNumber": 77, "cell": "Muster-Geheim", "message": "x"}
    ]  # fmt: skip
    report = {"valid": False, "stats": {"errors": 8, "rows": 1000}, "errors": errors}
    (steward / "s.validation.json").write_text(json.dumps(report), encoding="utf-8")
    record = RunRecord(
        id=run_id,
        pipeline=pipeline,
        started="2025-01-01T06:00:00+00:00",
        ended="2025-01-01T06:01:00+00:00",
        user="cli",
        pipeline_version="v1",
        source_checksum="abc",
        rows_in=1000,
        rows_out=40,
        outcome="published",
        release_id=f"{pipeline}-r1",
        steps=[
            {"table": pipeline, "rows_in": 992, "steps": {"0:table_aggregate": 40}, "rows_out": 40}
        ],
        reports={
            "source": {"name": "einwohnerregister.csv"},
            "source_validation": {
                "valid": False,
                "error_counts": {"type-error:geburtsdatum": 7, "constraint-error:geschlecht": 1},
                "policy": "drop",
                "rows_dropped": 8,
            },
            "steward_files": ["s.validation.json"],
            **extra,
        },
    )
    with instance.sessions() as session:
        assert save_run(session, record)
    return record


@pytest.mark.parametrize(
    "path",
    ["/steward/", "/steward/runs", f"/steward/runs/{RUN_ID}", "/steward/tokens",
     "/steward/progress/0123456789abcdef", "/steward/dataset/abfall-quartier/edit"],
)  # fmt: skip
def test_anonymous_visitors_are_sent_to_the_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/user/login?next=" in response.headers["Location"]


def test_dashboard_lists_the_pipelines_of_the_stewards_organisations(
    client: FlaskClient, users: dict[str, Any]
) -> None:
    login(client, "mitglied")
    page = client.get("/steward/").get_data(as_text=True)
    assert 'data-pipeline="bevoelkerung-quartier"' in page
    assert 'data-pipeline="bevoelkerung-mikrodaten"' in page
    assert 'data-pipeline="abfall-quartier"' not in page
    assert "Jetzt ausführen" not in page  # members see, editors run
    assert "nur von Hand" not in page and "15.01." in page  # next run from the cron schedule
    assert "Aperçu des pipelines" in client.get("/steward/?lang=fr").get_data(as_text=True)


def test_dashboard_of_an_editor_offers_run_and_edit(
    client: FlaskClient, users: dict[str, Any]
) -> None:
    login(client, "umwelt")
    page = client.get("/steward/").get_data(as_text=True)
    assert 'data-pipeline="abfall-quartier"' in page
    assert 'data-pipeline="luftqualitaet"' in page
    assert 'data-pipeline="bevoelkerung-quartier"' not in page
    assert "/steward/pipelines/abfall-quartier/run" in page
    assert "/steward/dataset/abfall-quartier/edit" in page


def test_dashboard_of_a_sysadmin_lists_every_pipeline(
    client: FlaskClient, users: dict[str, Any], instance: Instance
) -> None:
    write_run(instance, "personal-kennzahlen")
    login(client, "admin")
    page = client.get("/steward/").get_data(as_text=True)
    pipelines = sorted(p.stem for p in (instance.settings.root / "pipelines").glob("*.yaml"))
    for name in pipelines:
        assert f'data-pipeline="{name}"' in page
    assert f"/steward/runs/{RUN_ID}" in page and "veröffentlicht" in page


def test_run_page_groups_findings_by_type_and_column_without_cell_values(
    client: FlaskClient, users: dict[str, Any], instance: Instance
) -> None:
    write_run(instance, "bevoelkerung-quartier")
    login(client, "mitglied")
    response = client.get(f"/steward/runs/{RUN_ID}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Type Error" in page and "geburtsdatum" in page
    assert "<td>7</td>" in page and "<td>1</td>" in page
    assert "Zeile 17, Spalte 4" in page and "Zeile 120, Spalte 4" in page
    assert "Zeile 300" not in page  # the first five locations only
    assert "Zeile 77, Spalte 5" in page
    assert "31.02.1990" not in page and "Muster-Geheim" not in page
    assert "0:table_aggregate" in page and "<td>40</td>" in page


def test_run_page_falls_back_to_counts_when_the_stewards_file_is_gone(
    client: FlaskClient, users: dict[str, Any], instance: Instance
) -> None:
    write_run(instance, "bevoelkerung-quartier")
    settings = instance.settings
    (settings.path(settings.runs_dir) / "bevoelkerung-quartier/steward/s.validation.json").unlink()
    login(client, "mitglied")
    page = client.get(f"/steward/runs/{RUN_ID}").get_data(as_text=True)
    assert "type-error" in page and "geburtsdatum" in page and "<td>7</td>" in page


def test_run_page_of_another_organisation_is_forbidden(
    client: FlaskClient, users: dict[str, Any], instance: Instance
) -> None:
    write_run(instance, "abfall-quartier")
    login(client, "mitglied")
    assert client.get(f"/steward/runs/{RUN_ID}").status_code == 403
    assert client.get("/steward/runs/20990101T000000000000Z").status_code == 404
    assert client.get("/steward/runs/..%2F..%2Fetc").status_code == 404
    assert "abfall-quartier" not in client.get("/steward/runs").get_data(as_text=True)


def test_run_now_needs_an_editor_and_the_form_token(
    client: FlaskClient, users: dict[str, Any]
) -> None:
    login(client, "mitglied")
    token = csrf_token(client, "/steward/")
    url = "/steward/pipelines/bevoelkerung-quartier/run"
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    unknown = client.post("/steward/pipelines/gibt-es-nicht/run", data={"csrf_token": token})
    assert unknown.status_code == 404
    client.post("/user/logout", data={"csrf_token": token})
    login(client, "redaktor")
    assert client.post(url).status_code == 400  # no CSRF token
    other = "/steward/pipelines/abfall-quartier/run"
    token = csrf_token(client, "/steward/")
    assert client.post(other, data={"csrf_token": token}).status_code == 403


def wait_for(client: FlaskClient, job_url: str, seconds: float = 60) -> dict[str, Any]:
    """Poll the progress endpoint of a job until it is done."""
    progress = job_url.replace("/steward/jobs/", "/steward/progress/")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(progress).get_json()
        if state["done"]:
            return state
        time.sleep(0.2)
    raise AssertionError(f"{job_url} did not finish within {seconds} s")


def test_run_now_runs_in_the_background_and_records_the_run(
    client: FlaskClient, users: dict[str, Any], instance: Instance
) -> None:
    login(client, "redaktor")
    token = csrf_token(client, "/steward/")
    response = client.post(
        "/steward/pipelines/bevoelkerung-quartier/run", data={"csrf_token": token}
    )
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert job_url.startswith("/steward/jobs/")
    page = client.get(job_url).get_data(as_text=True)
    assert "steward.js" in page or "beendet" in page  # the page follows the run
    state = wait_for(client, job_url)
    # The fixture's instance has no source extracts: the run fails, and says why.
    assert state["outcome"] == "failed" and state["user"] == "redaktor"
    assert state["run_url"] == f"/steward/runs/{state['run_id']}"
    run_page = client.get(state["run_url"]).get_data(as_text=True)
    assert "fehlgeschlagen" in run_page and "redaktor" in run_page
    done = client.get(job_url).get_data(as_text=True)
    assert state["run_url"] in done and 'http-equiv="refresh"' not in done
    jobs = instance.settings.path(instance.settings.runs_dir) / "_jobs"
    assert not list(jobs.glob("*.lock"))


def test_second_start_while_running_shows_the_running_job(
    client: FlaskClient, users: dict[str, Any], instance: Instance
) -> None:
    from ogd.web import background

    settings = instance.settings
    folder = background.jobs_dir(settings)
    folder.mkdir(parents=True)
    stamp = "2999-01-01T00:00:00+00:00"  # still "alive"
    running = background.Job("00000000000000aa", "bevoelkerung-quartier", "x", stamp, stamp)
    (folder / f"{running.id}.state").write_text(json.dumps(running.to_dict()), encoding="utf-8")
    (folder / "bevoelkerung-quartier.lock").write_text(running.id, encoding="utf-8")
    login(client, "redaktor")
    token = csrf_token(client, "/steward/")
    response = client.post(
        "/steward/pipelines/bevoelkerung-quartier/run", data={"csrf_token": token}
    )
    assert response.headers["Location"] == f"/steward/jobs/{running.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "läuft bereits" in page and 'http-equiv="refresh"' in page


def test_progress_of_unknown_jobs_and_other_organisations(
    client: FlaskClient, users: dict[str, Any], instance: Instance, tmp_path: Path
) -> None:
    from ogd.web import background

    folder = background.jobs_dir(instance.settings)
    folder.mkdir(parents=True)
    old = "2020-01-01T00:00:00+00:00"
    job = background.Job("00000000000000bb", "abfall-quartier", "umwelt", old, old)
    (folder / f"{job.id}.state").write_text(json.dumps(job.to_dict()), encoding="utf-8")
    login(client, "mitglied")
    assert client.get("/steward/progress/nicht-hex").status_code == 404
    assert client.get(f"/steward/progress/{job.id}").status_code == 403
    client.post("/user/logout", data={"csrf_token": csrf_token(client, "/steward/")})
    login(client, "umwelt")
    state = client.get(f"/steward/progress/{job.id}").get_json()
    assert state["done"] and state["outcome"] == "abandoned"  # silent for years
