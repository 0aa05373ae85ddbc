"""`ogd check` scores the metadata of every published dataset and warns below "good"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogd.catalog import authz, write_actions
from ogd.catalog.actions import Context
from ogd.config import load_settings
from ogd.instance import open_instance
from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd

pytestmark = pytest.mark.integration


def test_check_warns_below_good_with_hints(tmp_path: Path) -> None:
    env = ogd_env(tmp_path / "var", tmp_path / "sources")
    settings = load_settings(None, env, root=ROOT)
    instance = open_instance(settings)
    with instance.sessions() as session:
        ctx = Context(session, settings, authz.SITE_USER, instance.storage)
        write_actions.package_create(
            ctx, {"name": "duerftig", "title": "Dürftig", "owner_org": "statistik"}
        )
    instance.engine.dispose()

    checked = run_ogd(["check"], env, ROOT)
    assert checked.returncode == 0, checked.stderr  # a warning, not a failure
    assert "warning: quality duerftig:" in checked.stderr
    assert "below good" in checked.stderr
    assert "hint: F1 Keywords" in checked.stderr  # how to earn the missing points
    assert "metadata quality: 1 datasets, 1 below good" in checked.stdout
