"""Shared fixtures: settings for a temporary instance, demo sources generated once."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ogd.config import Settings

ROOT = Path(__file__).resolve().parent.parent
TEST_KEY = "7e" * 32  # a test-only pseudonymisation key (32 bytes, hex)


def make_settings(instance: Path, sources: Path, **extra: object) -> Settings:
    """Settings of a temporary instance using the repository's pipelines and catalogue."""
    return Settings(
        root=ROOT,
        instance_dir=instance,
        sources_dir=sources,
        runs_dir=instance / "runs",
        pseudonym_key=TEST_KEY,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def demo_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo extracts, generated once per test session (read-only for tests)."""
    from ogd.demo import generate_demo_sources

    folder = tmp_path_factory.mktemp("demo-sources")
    generate_demo_sources(folder, seed=1061)
    return folder


@pytest.fixture
def sources(tmp_path: Path, demo_sources: Path) -> Path:
    """A private copy of the demo sources that a test may change."""
    target = tmp_path / "sources"
    shutil.copytree(demo_sources, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, sources: Path) -> Settings:
    """Settings of an empty temporary instance with the demo sources."""
    return make_settings(tmp_path / "var", sources)


PG_DSN = os.environ.get("OGD_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


def postgres_schema_url() -> Iterator[str]:
    """A catalogue URL on the PostgreSQL test server, in a fresh schema dropped afterwards.

    Under CI=true an unreachable server fails the test; elsewhere it skips it."""
    import psycopg

    try:
        conn = psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL at {PG_DSN} is not reachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    schema = f"ogd_test_{uuid.uuid4().hex[:12]}"
    with conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            url = PG_DSN.replace("postgresql://", "postgresql+psycopg://", 1)
            yield f"{url}?options=-csearch_path%3D{schema}"
        finally:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


ON_BOTH_BACKENDS = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
"""Module mark (`pytestmark = ON_BOTH_BACKENDS`): run the module on SQLite and PostgreSQL."""


@pytest.fixture(scope="module", params=BACKENDS)
def catalogue_env(request: pytest.FixtureRequest) -> Iterator[Callable[[], dict[str, str]]]:
    """For modules that start live `ogd` processes: once on SQLite, once on PostgreSQL.
    Each call gives the environment of a new instance's catalogue (on PostgreSQL a fresh
    schema, dropped when the module ends)."""
    with contextlib.ExitStack() as stack:

        def new() -> dict[str, str]:
            if request.param == "sqlite":
                return {}
            urls = postgres_schema_url()
            url = next(urls)
            stack.callback(urls.close)
            return {"OGD_DATABASE_URL": url}

        yield new


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The catalogue URL of a test: SQLite (the embedded default), or, in modules marked
    ON_BOTH_BACKENDS, once on SQLite and once on PostgreSQL."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalog.db'}"
    else:
        yield from postgres_schema_url()
