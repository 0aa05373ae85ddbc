"""A catalogue with three published datasets, built directly through the release switch."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogd.catalog.actions import Context
from ogd.catalog.publishing import DatasetRecord, PublishedFile, ReleaseRecord, switch_release
from ogd.config import Settings
from ogd.instance import Instance, open_instance
from tests.conftest import make_settings

DATASETS = [
    (
        "bevoelkerung-quartier",
        "Bevölkerung nach Quartier",
        "einwohnerdienste",
        ["soci"],
        ["Bevölkerung", "Quartier"],
        "Wohnbevölkerung der Stadt Luzern nach Quartier.",
    ),
    (
        "abfall-quartier",
        "Abfallmengen nach Quartier",
        "umweltschutz",
        ["envi"],
        ["Abfall", "Quartier"],
        "Gesammelte Abfallmengen je Quartier und Monat.",
    ),
    (
        "personal-kennzahlen",
        "Personal-Kennzahlen",
        "personal",
        ["gove"],
        ["Personal"],
        "Mitarbeitende der Stadtverwaltung.",
    ),
]


def publish_fake(
    instance: Instance,
    name: str,
    title: str,
    org: str,
    themes: list[str],
    tags: list[str],
    notes: str,
    release: str = "r1",
) -> None:
    """Register a release of a small dataset whose CSV lies in storage."""
    local = instance.settings.path(instance.settings.instance_dir) / f"{name}.csv"
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text("quartier,anzahl\nAltstadt,12\nWey,\n", encoding="utf-8")
    key = f"datasets/{name}/{release}/{name}.csv"
    instance.storage.put(local, key)
    record = ReleaseRecord(
        id=f"{name}-{release}",
        dataset=DatasetRecord(
            name=name,
            title={"de": title, "en": title + " (en)"},
            notes={"de": notes},
            organization=org,
            license="terms_by",
            themes=themes,
            tags=tags,
            maintainer="Stadt Luzern",
            maintainer_email="open@stadtluzern.ch",
            url=None,
            extras={"accrual_periodicity": "annual"},
            pipeline=name,
        ),
        files=[
            PublishedFile(
                key=f"{name}.csv",
                name=f"{title} (CSV)",
                description="",
                format="CSV",
                mimetype="text/csv",
                filename=f"{name}.csv",
                storage_key=key,
                size=local.stat().st_size,
                sha256="0" * 64,
                rows=2,
            )
        ],
        rows=2,
        source_checksum="abc",
        pipeline_version="v1",
    )
    with instance.sessions() as session, session.begin():
        switch_release(session, record)


def _settings(folder: Path, database_url: str) -> Settings:
    return make_settings(
        folder / "var", folder / "sources", site_url="http://portal.test", database_url=database_url
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite instance with the three datasets, built once; tests get a copy."""
    folder = tmp_path_factory.mktemp("catalog-template")
    inst = open_instance(_settings(folder, f"sqlite:///{folder / 'var' / 'catalog.db'}"))
    for item in DATASETS:
        publish_fake(inst, *item)
    inst.engine.dispose()
    return folder / "var"


@pytest.fixture
def instance(tmp_path: Path, database_url: str, sqlite_template: Path) -> Iterator[Instance]:
    """An instance with the three datasets published (on SQLite: a copy of a template
    built once; on PostgreSQL: published into a fresh schema)."""
    if database_url.startswith("sqlite"):
        shutil.copytree(sqlite_template, tmp_path / "var")
        database_url = f"sqlite:///{tmp_path / 'var' / 'catalog.db'}"
        inst = open_instance(_settings(tmp_path, database_url))
    else:
        inst = open_instance(_settings(tmp_path, database_url))
        for item in DATASETS:
            publish_fake(inst, *item)
    yield inst
    inst.engine.dispose()


@pytest.fixture
def ctx(instance: Instance) -> Iterator[Context]:
    """An anonymous action context."""
    with instance.sessions() as session:
        yield Context(session=session, settings=instance.settings)
