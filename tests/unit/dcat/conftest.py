"""A small catalogue made through the write API: full metadata, a link, a private dataset."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogd.catalog import actions, authz, write_actions
from ogd.instance import Instance, open_instance
from tests.conftest import ROOT, make_settings

FULL = {
    "name": "velozaehlungen",
    "owner_org": "mobilitaet",
    "title_translated": {"de": "Velozählungen", "fr": "Comptages vélo", "en": "Bicycle counts"},
    "notes_translated": {"de": "Velos pro Tag und Zählstelle.", "en": "Bicycles per day."},
    "license_id": "terms_by",
    "maintainer": "Mobilität Stadt Luzern",
    "maintainer_email": "mobilitaet@stadtluzern.ch",
    "url": "https://www.stadtluzern.ch/velo",
    "groups": [{"name": "tran"}],
    "tags": [{"name": "Velo"}],
    "extras": [
        {"key": "keywords", "value": {"de": ["Velo", "Verkehr"], "en": ["bicycle"]}},
        {"key": "accrual_periodicity", "value": "daily"},
        {"key": "temporal_start", "value": "2024-01-01"},
        {"key": "temporal_end", "value": "2025-12-31"},
        {"key": "documentation", "value": "https://www.stadtluzern.ch/velo/doku"},
        {"key": "issued", "value": "2025-02-01"},
    ],
    "resources": [
        {
            "id": "6f9d1e4a-0000-4000-8000-000000000001",
            "url": "https://data.stadtluzern.example/velo.csv",
            "name": "Tageswerte (CSV)",
            "format": "CSV",
            "byte_size": "1843",
        }
    ],
}
PRIVATE = {
    "name": "interne-liste",
    "owner_org": "personal",
    "title": "Interne Liste",
    "private": True,
    "license_id": "terms_open",
    "resources": [{"url": "https://intern.example/liste.csv", "format": "CSV"}],
}


def add_dataset(instance: Instance, data: dict[str, object]) -> dict[str, object]:
    """Create one dataset as the command line would (a sysadmin)."""
    with instance.sessions() as session:
        ctx = actions.Context(session, instance.settings, authz.SITE_USER, instance.storage)
        return write_actions.package_create(ctx, data)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A copy of the repository's catalogue files whose dcat.yaml pages by 2."""
    folder = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", folder)
    text = (folder / "dcat.yaml").read_text("utf-8").replace("page_size: 100", "page_size: 2")
    (folder / "dcat.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def instance(tmp_path: Path, catalog_dir: Path) -> Iterator[Instance]:
    """An instance with the full dataset, four minimal ones and a private one."""
    settings = make_settings(tmp_path / "var", tmp_path / "sources", catalog_dir=catalog_dir)
    inst = open_instance(settings)
    add_dataset(inst, FULL)
    for i in range(4):
        add_dataset(
            inst,
            {
                "name": f"kurz-{i}",
                "owner_org": "statistik",
                "title": f"Kurz {i}",
                "license_id": "terms_open",
                "resources": [{"url": f"https://data.example/kurz-{i}.csv", "format": "CSV"}],
            },
        )
    add_dataset(inst, PRIVATE)
    yield inst
    inst.engine.dispose()
