"""`ogd db current|upgrade|history` and `ogd audit` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ogd.catalog import audit, migrate
from ogd.config import load_settings
from ogd.instance import open_instance
from tests.conftest import ROOT
from tests.integration.server import ogd_env, ok, run_ogd

pytestmark = pytest.mark.integration


def test_db_commands_show_and_upgrade_the_revision(tmp_path: Path) -> None:
    env = ogd_env(tmp_path / "var", tmp_path / "sources")
    head = migrate.head()
    assert "none: no catalogue yet" in ok(run_ogd(["db", "current"], env, ROOT))
    assert ok(run_ogd(["db", "upgrade", "--revision", "0001"], env, ROOT)).strip() == (
        "upgraded empty -> 0001"
    )
    assert f"0001, behind head {head}" in ok(run_ogd(["db", "current"], env, ROOT))
    history = ok(run_ogd(["db", "history"], env, ROOT)).splitlines()
    assert history[0].startswith("* 0001") and history[-1].startswith(f"  {head}")
    assert ok(run_ogd(["db", "upgrade"], env, ROOT)).strip() == f"upgraded 0001 -> {head}"
    assert ok(run_ogd(["db", "upgrade"], env, ROOT)).strip() == f"already at {head}"
    assert ok(run_ogd(["db", "current"], env, ROOT)).strip() == f"{head} (head)"
    bad = run_ogd(["db", "upgrade", "--revision", "9999"], env, ROOT)
    assert bad.returncode == 1 and "9999" in bad.stderr and "ogd db history" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_db_commands_name_an_unreachable_server_without_its_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://ogd:geheim-pw-123@127.0.0.1:9/catalog"
    env = ogd_env(tmp_path / "var", tmp_path / "sources", {"OGD_DATABASE_URL": url})
    for command in (["db", "current"], ["db", "upgrade"], ["audit"]):
        result = run_ogd(command, env, ROOT)
        assert result.returncode == 1, command
        assert "cannot open the catalogue database" in result.stderr or "127.0.0.1" in result.stderr
        assert "geheim-pw-123" not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_audit_lists_the_writes_newest_first(tmp_path: Path) -> None:
    env = ogd_env(tmp_path / "var", tmp_path / "sources")
    instance = open_instance(load_settings(None, env, root=ROOT))
    with instance.sessions() as session:
        for user, action, status in [
            ("anna", "package_create", 200),
            ("ben", "package_patch", 403),
        ]:
            audit.record(
                session,
                user=user,
                action=action,
                object_id="velo",
                remote_addr="10.0.0.7",
                status=status,
            )
    instance.engine.dispose()
    lines = ok(run_ogd(["audit"], env, ROOT)).splitlines()
    assert len(lines) == 2
    assert "403  ben  package_patch  velo  from 10.0.0.7" in lines[0]
    assert "200  anna  package_create  velo" in lines[1]
    rows = [
        json.loads(x)
        for x in ok(run_ogd(["audit", "--json", "--user", "anna"], env, ROOT)).splitlines()
    ]
    assert [(r["user"], r["action"], r["status"], r["from"]) for r in rows] == [
        ("anna", "package_create", 200, "10.0.0.7")
    ]
    none = run_ogd(["audit", "--user", "niemand"], env, ROOT)
    assert none.returncode == 0 and none.stdout == "" and "no entries" in none.stderr
