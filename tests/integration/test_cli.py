"""The `ogd` command as stewards and cron use it: exit codes, --json, --dry-run, runs, due."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd

pytestmark = pytest.mark.integration


def test_run_json_dry_run_runs_and_due(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    dry = run_ogd(["run", "--dry-run", "personal-kennzahlen"], env, ROOT)
    assert dry.returncode == 0, dry.stderr
    assert '"privacy"' in dry.stdout and "dry-run" in dry.stdout
    assert not (tmp_path / "var" / "storage" / "datasets").exists()

    first = run_ogd(["run", "--json", "personal-kennzahlen"], env, ROOT)
    assert first.returncode == 0, first.stderr
    [result] = json.loads(first.stdout)
    assert result["outcome"] == "published" and result["rows_in"] == 2700
    assert result["tables"]["personal-kennzahlen-kennzahlen"] == 8

    again = json.loads(run_ogd(["run", "--json", "personal-kennzahlen"], env, ROOT).stdout)
    assert again[0]["outcome"] == "unchanged"

    runs = run_ogd(["runs", "personal-kennzahlen", "--json"], env, ROOT)
    outcomes = [r["outcome"] for r in json.loads(runs.stdout)]
    assert outcomes == ["unchanged", "published", "dry-run"]

    due = run_ogd(["run", "--due", "--json"], env, ROOT)
    ran = {r["pipeline"] for r in json.loads(due.stdout)}
    assert "personal-kennzahlen" not in ran  # ran since its schedule last fired
    assert "bevoelkerung-quartier" in ran  # never ran


def test_usage_errors_exit_2_and_failures_exit_1(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    unknown = run_ogd(["run", "gibt-es-nicht"], env, ROOT)
    assert unknown.returncode == 2 and "no pipeline named gibt-es-nicht" in unknown.stderr
    assert run_ogd(["run", "--bogus"], env, ROOT).returncode == 2
    (sources / "personalregister.xlsx").write_bytes(b"not a workbook")
    broken = run_ogd(["run", "--quiet", "personal-kennzahlen"], env, ROOT)
    assert broken.returncode == 1
    assert "personalregister.xlsx" in broken.stderr and "Traceback" not in broken.stderr


def test_schedule_once_runs_what_is_due(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    result = run_ogd(["schedule", "--once"], env, ROOT)
    assert result.returncode == 0, result.stderr
    assert "bevoelkerung-quartier published" in result.stdout
