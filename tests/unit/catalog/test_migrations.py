"""Tests for ogd.catalog.migrate: Alembic revisions of the catalogue, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from ogd.catalog import migrate
from ogd.catalog.db import init_db, make_engine, make_session_factory
from ogd.catalog.models import AuditEntry, Base, Dataset, Organization, Release, Resource
from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS

NOW = dt.datetime(2026, 11, 1, 8, 30)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database (SQLite file or PostgreSQL schema), disposed after."""
    made = make_engine(database_url)
    yield made
    made.dispose()


def _fill_at_baseline(engine: Engine) -> None:
    """Rows in the tables of revision 0001, written with SQL as that version had them."""
    statements = [
        "INSERT INTO organization (id, name, title, title_translated, description, "
        "description_translated, image_url, state, created) VALUES ('o1', 'statistik', "
        "'Statistik', '{\"de\": \"Statistik\"}', '', '{}', '', 'active', :now)",
        "INSERT INTO license (id, title, title_translated, url, is_open) VALUES "
        "('terms_by', 'Namensnennung', '{}', 'https://opendata.swiss/terms', true)",
        "INSERT INTO dataset (id, name, title, title_translated, notes, notes_translated, "
        "owner_org, license_id, state, private, type, extras, metadata_created, "
        "metadata_modified) VALUES ('d1', 'bevoelkerung', 'Bevölkerung', "
        "'{\"de\": \"Bevölkerung\", \"fr\": \"Population\"}', 'Einwohner', '{}', 'o1', "
        "'terms_by', 'active', false, 'dataset', '{\"accrual_periodicity\": \"annual\"}', "
        ":now, :now)",
        "INSERT INTO resource (id, dataset_id, position, name, format, url, size, hash, rows, "
        "state, extras, created, metadata_modified) VALUES ('r1', 'd1', 0, 'CSV', 'CSV', "
        "'https://x/r1.csv', 123, 'sha256:ab', 7, 'active', '{}', :now, :now)",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), {"now": NOW})


def test_a_new_catalogue_gets_every_revision_and_matches_the_models(engine: Engine) -> None:
    before, after = migrate.upgrade(engine)
    assert before is None and after == migrate.head() == migrate.current(engine)
    assert [r for r, _ in migrate.history()] == ["0001", "0002", "0003"]
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []  # the revisions build exactly what the models describe
    assert migrate.up_to_date(engine)


def test_upgrade_from_the_previous_version_keeps_every_row(engine: Engine) -> None:
    assert migrate.upgrade(engine, "0001") == (None, "0001")
    assert not inspect(engine).has_table("audit_log")
    _fill_at_baseline(engine)
    assert not migrate.up_to_date(engine)
    init_db(engine)  # what opening the instance does
    assert migrate.current(engine) == migrate.head()
    sessions = make_session_factory(engine)
    with sessions() as session:
        dataset = session.scalars(select(Dataset)).one()
        assert dataset.title_translated == {"de": "Bevölkerung", "fr": "Population"}
        assert dataset.extras == {"accrual_periodicity": "annual"}
        assert dataset.organization is not None and dataset.organization.name == "statistik"
        resource = session.scalars(select(Resource)).one()
        assert (resource.size, resource.hash, resource.url) == (
            123,
            "sha256:ab",
            "https://x/r1.csv",
        )
        assert session.scalars(select(Organization)).one().created == NOW
        assert session.scalars(select(Release)).all() == []
        session.add(AuditEntry(action="package_patch", object_id="d1", status=200))
        session.commit()
        assert session.scalars(select(AuditEntry.action)).all() == ["package_patch"]


def test_a_catalogue_from_before_migrations_is_stamped_then_upgraded(engine: Engine) -> None:
    migrate.upgrade(engine, "0001")
    _fill_at_baseline(engine)
    with engine.begin() as connection:  # as `create_all` left it: no version table
        connection.execute(text("DROP TABLE alembic_version"))
    assert migrate.current(engine) is None
    assert migrate.upgrade(engine) == ("0001", migrate.head())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM dataset")).scalar() == "Bevölkerung"


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    init_db(engine)
    init_db(engine)
    assert migrate.upgrade(engine) == (migrate.head(), migrate.head())


def test_upgrades_take_a_lock(engine: Engine) -> None:
    migrate.upgrade(engine)
    if engine.dialect.name == "sqlite":
        assert Path(f"{engine.url.database}.migrate.lock").exists()
        return
    with engine.connect() as connection:  # the advisory lock is released again
        held = connection.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k"),
            {"k": migrate._LOCK_KEY},
        ).scalar()
    assert held == 0
