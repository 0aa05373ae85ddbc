"""Two runs of one pipeline at once: the second `ogd run` fails with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogd.catalog.locks import run_lock
from ogd.config import load_settings
from ogd.instance import open_instance
from tests.conftest import ROOT
from tests.integration.server import ogd_env, ok, run_ogd

pytestmark = pytest.mark.integration

PIPELINE = "digitalstrategie-massnahmen"


def test_a_second_run_waits_for_nothing_and_publishes_nothing(
    tmp_path: Path, demo_sources: Path
) -> None:
    env = ogd_env(tmp_path / "var", demo_sources)
    settings = load_settings(None, env, root=ROOT)
    instance = open_instance(settings)
    try:
        locks = settings.path(settings.instance_dir) / "locks"
        with run_lock(instance.engine, locks, PIPELINE):  # a run in progress
            second = run_ogd(["run", PIPELINE], env, ROOT)
        said = " ".join(second.stderr.split())
        assert second.returncode == 1
        assert f"pipeline {PIPELINE} is already running (process" in said
        assert f"wait for that run to finish (`ogd runs {PIPELINE}`)" in said
        assert "Traceback" not in second.stderr + second.stdout
        assert not any(instance.storage.list())  # nothing published
        ok(run_ogd(["run", PIPELINE], env, ROOT))  # once the other run is over
        assert any(k.endswith("datapackage.json") for k in instance.storage.list())
    finally:
        instance.engine.dispose()
