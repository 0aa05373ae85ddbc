"""Publishing builds the DataStore's full-text index of large tables before the switch."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import ogd.datastore
from ogd.datastore import cache_dir, prepare_published
from ogd.publish.storage import Storage
from tests.conftest import make_settings
from tests.unit.datastore.conftest import register_table


def _stored(tmp_path: Path) -> tuple[Storage, str, str]:
    local = tmp_path / "register.parquet"
    pq.write_table(register_table(), local)
    storage = Storage(str(tmp_path / "storage"))
    storage.put(local, "datasets/register/r1/register.parquet")
    return (
        storage,
        "datasets/register/r1/register.parquet",
        hashlib.sha256(local.read_bytes()).hexdigest(),
    )


def test_large_table_gets_its_text_index_at_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path / "var", tmp_path / "sources")
    storage, key, sha = _stored(tmp_path)
    monkeypatch.setattr(ogd.datastore, "INDEX_MIN_ROWS", 10)
    assert prepare_published(settings, storage, key, sha, rows=30) is True
    built = sorted(p.name for p in cache_dir(settings).iterdir())
    assert any(sha in name and name.endswith(".fts.parquet") for name in built), built


def test_small_table_is_left_to_plain_sql(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "var", tmp_path / "sources")
    storage, key, sha = _stored(tmp_path)
    assert prepare_published(settings, storage, key, sha, rows=30) is False
    assert not cache_dir(settings).exists()
