"""The DataStore: published Parquet tables searched in place through DuckDB.

`search` answers `datastore_search`, `info` answers `datastore_info`, `dump` streams a
table or a search, and `Sandbox` runs `datastore_search_sql`. `open_table` finds the
local file of a stored Parquet resource (copying it into the cache when storage is
remote).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ogd.config import Settings
from ogd.datastore.query import (
    INDEX_MIN_ROWS,
    ROWS_MAX,
    Field,
    Search,
    SearchResult,
    Table,
    dump,
    info,
    prepare,
    search,
)
from ogd.datastore.sandbox import Sandbox, SqlResult
from ogd.publish.storage import Storage

__all__ = [
    "ROWS_MAX",
    "Field",
    "Sandbox",
    "Search",
    "SearchResult",
    "SqlResult",
    "Table",
    "dump",
    "info",
    "cache_dir",
    "open_table",
    "prepare",
    "prepare_published",
    "search",
]


def open_table(
    storage: Storage, storage_key: str, content_hash: str, cache_dir: Path, memory_limit: str
) -> Table:
    """The table of a stored Parquet file.

    Args:
        storage: where published files live.
        storage_key: the Parquet file's key.
        content_hash: its sha256 (`sha256:` prefix allowed); names its caches, so every
            worker finds the same ones. Empty: derived from the key and file size.
        cache_dir: folder of sidecar indexes and of local copies of remote files.
        memory_limit: DuckDB memory limit.

    Returns:
        The Table (a local file DuckDB can read).
    """
    key = content_hash.removeprefix("sha256:")
    if not key:
        key = hashlib.sha256(f"{storage_key}:{storage.size(storage_key)}".encode()).hexdigest()
    local = storage.local_path(storage_key)
    if local is not None:
        return Table(local, key, cache_dir, Path(storage.root), memory_limit)
    copy = cache_dir / f"{key}.parquet"
    if not copy.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_suffix(f".{os.getpid()}.tmp")
        with storage.open(storage_key) as source, tmp.open("wb") as target:
            shutil.copyfileobj(source, target)
        os.replace(tmp, copy)
    return Table(copy, key, cache_dir, cache_dir, memory_limit)


def cache_dir(settings: Settings) -> Path:
    """Where the DataStore keeps its sidecar indexes and copies of remote files."""
    return settings.path(settings.instance_dir) / "cache" / "datastore"


def prepare_published(
    settings: Settings, storage: Storage, storage_key: str, sha256: str, rows: int
) -> bool:
    """Build the full-text index of a just-published table that is large enough to use one.

    Runs before the release is switched on, so the first `q` search after a release does
    not wait for the index. Returns whether an index was built.
    """
    if rows < INDEX_MIN_ROWS:
        return False
    table = open_table(
        storage, storage_key, f"sha256:{sha256}", cache_dir(settings), settings.duckdb_memory_limit
    )
    prepare(table)
    return True
