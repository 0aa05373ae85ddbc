"""Schema migrations of the catalogue with Alembic: `upgrade`, `current`, `head`.

The catalogue tables are owned by the revisions in `ogd/catalog/migrations/versions`;
the full-text index (SQLite FTS5 or PostgreSQL tsvector), the search change log and
their triggers are derived objects that `ogd.catalog.search.create_index` creates after
every upgrade, idempotently. A catalogue made before migrations existed (tables created
by the models, no `alembic_version`) is stamped with the baseline revision first, then
upgraded. Opening an instance upgrades it (`ogd.catalog.db.init_db`) under a lock: a
file lock beside a SQLite database, an advisory lock on PostgreSQL, so several workers
starting at once migrate once.

Alembic is imported only when something is asked of it: the check made at every start
(`up_to_date`) compares the database's version with the newest revision file's name
(`NNNN_name.py`, revision NNNN; a test holds the files to that) in one query.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from ogd.errors import CatalogError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"
_LOCK_KEY = 72_640_002  # pg_advisory_lock key of schema upgrades


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head() -> str:
    """The newest revision of the code, as Alembic reads the revisions."""
    from alembic.script import ScriptDirectory

    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


@functools.cache
def code_revision() -> str:
    """The newest revision of the code from the file names alone (no Alembic import)."""
    files = (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    return max(path.name.split("_", 1)[0] for path in files)


def current(engine: Engine) -> str | None:
    """The revision of the database (None: not under migrations, or empty)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def history() -> list[tuple[str, str]]:
    """(revision, message) of every revision, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config())
    return [(s.revision, s.doc) for s in reversed(list(scripts.walk_revisions()))]


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the database to `revision`; (revision before, revision after).

    An empty database gets every revision; a catalogue from before migrations (tables,
    no version) is stamped with the baseline first."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with _locked(engine), engine.begin() as connection:
        context = MigrationContext.configure(connection)
        before = context.get_current_revision()
        config = _config(connection)
        if before is None and inspect(connection).has_table("dataset"):
            command.stamp(config, BASELINE)
            before = BASELINE
        command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
    return before, after


def up_to_date(engine: Engine) -> bool:
    """Whether the database is at the code's newest revision (one query)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return found == code_revision()


@contextlib.contextmanager
def _locked(engine: Engine) -> Iterator[None]:
    """One upgrade at a time: a file lock beside SQLite, an advisory lock on PostgreSQL."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def database(url: str) -> Iterator[Engine]:
    """An engine on the catalogue at `url` for one command (disposed after); a database
    that cannot be reached or a revision that does not exist becomes a `CatalogError`
    naming the URL without its password.

    Raises:
        ConfigError: the URL cannot be parsed.
        CatalogError: the database cannot be opened, or a migration failed.
    """
    from alembic.util.exc import CommandError

    from ogd.catalog.db import make_engine

    engine = make_engine(url)
    try:
        yield engine
    except SQLAlchemyError as exc:
        raise unavailable(engine, exc) from None
    except CommandError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise CatalogError(str(exc), where=where, hint="see `ogd db history`") from None
    finally:
        engine.dispose()


def unavailable(engine: Engine, exc: SQLAlchemyError) -> CatalogError:
    """The error to show for a database that failed: its URL without the password, the
    driver's first line (no SQL parameters, no traceback)."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return CatalogError(
        f"cannot open the catalogue database: {reason}",
        where=engine.url.render_as_string(hide_password=True),
        hint="check the setting database_url and that the server runs",
    )
