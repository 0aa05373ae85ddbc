"""Tests for ogd.catalog.locks: one run of a pipeline at a time, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ogd.catalog.db import make_engine
from ogd.catalog.locks import RunBusy, run_lock
from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url)
    yield made
    made.dispose()


def test_a_second_run_of_the_same_pipeline_is_refused_at_once(
    engine: Engine, tmp_path: Path
) -> None:
    with run_lock(engine, tmp_path, "baustellen"):
        with pytest.raises(RunBusy) as refused, run_lock(engine, tmp_path, "baustellen"):
            pass
        assert "pipeline baustellen is already running" in refused.value.message
        assert "ogd runs baustellen" in refused.value.hint
        if engine.dialect.name == "sqlite":  # the holder is named
            assert f"process {os.getpid()}" in refused.value.message
        with run_lock(engine, tmp_path, "luftqualitaet"):  # other pipelines run alongside
            pass
    with run_lock(engine, tmp_path, "baustellen"):  # released at the end of the block
        pass


def test_the_lock_is_released_when_the_run_fails(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), run_lock(engine, tmp_path, "baustellen"):
        _ = 1 / 0
    with run_lock(engine, tmp_path, "baustellen"):
        pass
