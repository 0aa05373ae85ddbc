"""`ogd user` and `ogd token` as an administrator uses them, and the token on the API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd, serve

pytestmark = pytest.mark.integration


def test_user_token_and_password_commands(tmp_path: Path) -> None:
    env = ogd_env(tmp_path / "var", tmp_path / "sources")
    created = run_ogd(
        ["user", "create", "anna", "--org", "einwohnerdienste", "--role", "editor"], env, ROOT
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "created user anna (editor in einwohnerdienste)"

    again = run_ogd(["user", "create", "anna"], env, ROOT)
    assert again.returncode == 1
    assert "That login name is not available." in again.stderr
    assert "Traceback" not in again.stderr
    bad = run_ogd(["user", "create", "Anna Muster"], env, ROOT)
    assert bad.returncode == 1 and "lowercase alphanumeric" in bad.stderr
    unknown_org = run_ogd(["user", "create", "ben", "--org", "gibt-es-nicht"], env, ROOT)
    assert unknown_org.returncode == 1 and "Organization not found" in unknown_org.stderr

    token = run_ogd(["token", "create", "anna", "--label", "Skript"], env, ROOT)
    assert token.returncode == 0, token.stderr
    lines = token.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ogd_") and len(lines[0]) > 40
    listed = run_ogd(["token", "list", "anna"], env, ROOT)
    assert "Skript" in listed.stdout and lines[0] not in listed.stdout
    assert lines[0] not in (tmp_path / "var" / "catalog.db").read_bytes().decode("latin-1")

    password = subprocess.run(
        [sys.executable, "-m", "ogd", "user", "password", "anna", "--stdin"],
        input="ein-langes-passwort\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert password.returncode == 0, password.stderr
    short = subprocess.run(
        [sys.executable, "-m", "ogd", "user", "password", "anna", "--stdin"],
        input="kurz\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert short.returncode == 1 and "at least 12 characters" in short.stderr

    with serve(env, ROOT) as url:
        headers = {"Authorization": lines[0]}
        response = requests.post(
            f"{url}/api/action/package_create",
            json={"name": "cli-test", "owner_org": "einwohnerdienste"},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        token_id = listed.stdout.split()[0]
        revoked = run_ogd(["token", "revoke", token_id], env, ROOT)
        assert revoked.returncode == 0, revoked.stderr
        response = requests.post(
            f"{url}/api/action/package_patch",
            json={"id": "cli-test", "version": "2"},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 403  # a revoked token is anonymous at once
    users = run_ogd(["user", "list"], env, ROOT)
    assert users.stdout.strip() == "anna: editor in einwohnerdienste"
