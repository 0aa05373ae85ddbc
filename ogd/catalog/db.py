"""Engine and session creation for the catalogue; creates tables and the search index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ogd.catalog import search
from ogd.errors import ConfigError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for a catalogue URL (SQLite file folders are created).

    Raises:
        ConfigError: the URL cannot be parsed.
    """
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - SQLAlchemy raises several types here
        raise ConfigError(
            "setting `database_url` is not a valid SQLAlchemy URL",
            where="database_url",
            hint="use e.g. sqlite:///var/catalog.db or postgresql+psycopg://user@host/db",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to the engine (objects stay usable after commit).

    Its sessions share one in-process search index (`session.info`), built on first use
    and kept current through the search change log.
    """
    from ogd.catalog.search_index import INFO_KEY, SearchIndex

    return sessionmaker(bind=engine, expire_on_commit=False, info={INFO_KEY: SearchIndex()})


def init_db(engine: Engine) -> None:
    """Migrate the catalogue to the code's schema (`ogd.catalog.migrate`), then create the
    full-text index where missing (indexing existing datasets once).

    Raises:
        CatalogError: the database cannot be reached (its URL named without password).
    """
    from ogd.catalog import migrate

    try:
        if not migrate.up_to_date(engine):
            migrate.upgrade(engine)
        with engine.begin() as conn:
            created = search.create_index(conn)
    except OperationalError as exc:  # cannot connect, or the server went away
        raise migrate.unavailable(engine, exc) from None
    if created:
        from ogd.catalog.models import Dataset
        from ogd.catalog.publishing import index_dataset

        with Session(engine) as session, session.begin():
            for dataset in session.scalars(select(Dataset)):
                index_dataset(session, dataset)


SessionFactory = sessionmaker[Session]
