"""A small register-like table published as CSV + Parquet, and the same file as Tables.

`register_table()` is the data every DataStore test reads: 30 rows with text, integers
(with NULLs), floats, decimals, dates, timestamps, booleans and umlauts. The catalogue
holds it twice: in a public dataset (`register`) and in a private one (`geheim`).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from flask import Flask
from flask.testing import FlaskClient

from ogd.catalog.actions import Context
from ogd.catalog.models import Dataset, Resource
from ogd.catalog.publishing import DatasetRecord, PublishedFile, ReleaseRecord, switch_release
from ogd.datastore import Table
from ogd.instance import Instance, open_instance
from ogd.web.app import create_app
from tests.conftest import make_settings

QUARTERS = ["Altstadt", "Wesemlin", "Zürichstrasse", "Hirschmatt", "Würzenbach"]
TEXTS = [
    "Zuzug aus Zürich",
    "Wegzug nach Bern",
    "Geburt in Luzern",
    "Umzug von Zürich nach ZÜRICH",
    "Heirat in Kriens, Straße 3",
]
ROWS = 30


def register_table() -> pa.Table:
    """The test table (row i is `_id` i + 1)."""
    rows = range(ROWS)
    return pa.table(
        {
            "quartier": [QUARTERS[i % 5] for i in rows],
            "jahr": pa.array([2020 + i % 3 for i in rows], pa.int64()),
            "geschlecht": ["m" if i % 2 else "w" for i in rows],
            "anzahl": pa.array([None if i % 7 == 3 else (i * 37) % 50 for i in rows], pa.int64()),
            "anteil": [i / 8 for i in rows],
            "betrag": pa.array([decimal.Decimal(i) / 4 for i in rows], pa.decimal128(10, 2)),
            "stichtag": [dt.datetime(2024, 12, 31, 8) + dt.timedelta(hours=i) for i in rows],
            "datum": [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in rows],
            "aktiv": [i % 4 == 0 for i in rows],
            "text": [TEXTS[i % 5] for i in rows],
        }
    )


def write_files(folder: Path, name: str) -> tuple[Path, Path]:
    """The table as `<name>.parquet` and `<name>.csv` in a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    table = register_table()
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    pq.write_table(table, parquet, row_group_size=8)
    pacsv.write_csv(table, csv)
    return parquet, csv


@dataclass(frozen=True)
class Published:
    """Ids of the published test resources."""

    csv: str
    parquet: str
    json: str
    private_parquet: str


def _file(path: Path, key: str, fmt: str, slug: str, rows: int | None) -> PublishedFile:
    import hashlib

    return PublishedFile(
        key=key,
        name=f"{slug} ({fmt})",
        description="",
        format=fmt,
        mimetype="application/octet-stream",
        filename=key,
        storage_key=f"datasets/{slug}/r1/{key}",
        size=path.stat().st_size,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        rows=rows,
    )


def publish_register(instance: Instance, slug: str, private: bool = False) -> dict[str, str]:
    """Publish the table (CSV, Parquet and a JSON report) as dataset `slug`."""
    folder = instance.settings.path(instance.settings.instance_dir) / "staging" / slug
    parquet, csv = write_files(folder, "register")
    report = folder / "reports.json"
    report.write_text("{}", encoding="utf-8")
    files = [
        _file(csv, "register.csv", "CSV", slug, ROWS),
        _file(parquet, "register.parquet", "Parquet", slug, ROWS),
        _file(report, "reports.json", "JSON", slug, None),
    ]
    for local, published in zip((csv, parquet, report), files, strict=True):
        instance.storage.put(local, published.storage_key)
    record = ReleaseRecord(
        id=f"{slug}-r1",
        dataset=DatasetRecord(
            name=slug,
            title={"de": slug},
            notes={"de": "Testdaten"},
            organization="einwohnerdienste",
            license="terms_by",
            themes=["soci"],
            tags=[],
            maintainer=None,
            maintainer_email=None,
            url=None,
            extras={},
            pipeline=slug,
        ),
        files=files,
        rows=ROWS,
        source_checksum="abc",
        pipeline_version="v1",
    )
    with instance.sessions() as session, session.begin():
        dataset = switch_release(session, record)
        dataset.private = private
        return {r.format: r.id for r in dataset.resources}


@pytest.fixture
def published_instance(tmp_path: Path, database_url: str) -> Iterator[tuple[Instance, Published]]:
    """An instance with the public `register` and the private `geheim` dataset (its
    catalogue on SQLite and on PostgreSQL)."""
    settings = make_settings(
        tmp_path / "var",
        tmp_path / "sources",
        site_url="http://portal.test",
        database_url=database_url,
    )
    instance = open_instance(settings)
    public = publish_register(instance, "register")
    private = publish_register(instance, "geheim", private=True)
    yield instance, Published(public["CSV"], public["Parquet"], public["JSON"], private["Parquet"])
    instance.engine.dispose()


@pytest.fixture
def instance(published_instance: tuple[Instance, Published]) -> Instance:
    """The instance."""
    return published_instance[0]


@pytest.fixture
def ids(published_instance: tuple[Instance, Published]) -> Published:
    """Ids of its resources."""
    return published_instance[1]


@pytest.fixture
def ctx(instance: Instance) -> Iterator[Context]:
    """An anonymous action context."""
    with instance.sessions() as session:
        yield Context(session=session, settings=instance.settings)


@pytest.fixture
def app(instance: Instance) -> Flask:
    """The web app over the instance."""
    return create_app(instance.settings, instance)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Its test client."""
    return app.test_client()


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    """The test table as a Parquet file."""
    return write_files(tmp_path / "storage", "register")[0]


@pytest.fixture(params=["sql", "index"])
def table(request: pytest.FixtureRequest, parquet: Path, tmp_path: Path) -> Table:
    """The file as a Table, answered by SQL or (index_min_rows 0) by sidecar indexes."""
    minimum = 0 if request.param == "index" else 10**9
    return Table(parquet, "k" * 64, tmp_path / "cache", parquet.parent, index_min_rows=minimum)


def mark_deleted(instance: Instance, resource_id: str) -> None:
    """Delete the dataset of a resource."""
    with instance.sessions() as session, session.begin():
        resource = session.get(Resource, resource_id)
        assert resource is not None
        dataset = session.get(Dataset, resource.dataset_id)
        assert dataset is not None
        dataset.state = "deleted"
