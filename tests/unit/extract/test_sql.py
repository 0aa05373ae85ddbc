"""SQL reader on SQLite: params, types, batching, read-only refusal of writes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest

from ogd.errors import SourceInvalid
from ogd.extract.sql import check_query, read_sql
from tests.unit.extract.helpers import make_request, rows, table


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER, ort TEXT, anteil REAL, seit TEXT, leer TEXT)")
        conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?, NULL)",
            [(i, f"Ort {i}", i / 4, f"2023-01-{i % 28 + 1:02d}") for i in range(1, 101)],
        )
    conn.close()
    return path


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])
    finally:
        conn.close()


def test_select_with_params_streams_typed_batches(tmp_path: Path, db: Path) -> None:
    request = make_request(
        tmp_path,
        batch_rows=30,
        path=db.name,
        query="SELECT id, ort, anteil, leer FROM t WHERE id > :low ORDER BY id",
        params={"low": 10},
    )
    extract = read_sql(request)
    assert extract.labels == ["id", "ort", "anteil", "leer"]
    assert extract.name == "register.sqlite" and extract.fingerprint is None
    batches = list(extract.batches)
    assert [b.num_rows for b in batches] == [30, 30, 30]
    result = pa.Table.from_batches(batches)
    assert result.schema.field("id").type == pa.int64()
    assert result.schema.field("ort").type == pa.string()
    assert result.schema.field("anteil").type == pa.float64()
    assert result.column("id").to_pylist()[0] == 11


def test_with_select_is_allowed(tmp_path: Path, db: Path) -> None:
    query = "WITH k AS (SELECT id FROM t WHERE id <= 2) SELECT id FROM k ORDER BY id"
    assert rows(read_sql(make_request(tmp_path, path=db.name, query=query))) == [
        {"id": 1},
        {"id": 2},
    ]


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM t",
        "SELECT 1; DROP TABLE t",
        "UPDATE t SET ort = 'x'",
        "INSERT INTO t (id) SELECT 1",
        "CREATE TABLE u AS SELECT * FROM t",
        "PRAGMA writable_schema = 1",
        "ATTACH DATABASE 'x.db' AS x",
    ],
)
def test_write_statements_are_refused_before_running(tmp_path: Path, db: Path, query: str) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_sql(make_request(tmp_path, path=db.name, query=query))
    assert error.value.where == "pipelines/t.yaml source.query"
    assert "SELECT" in error.value.hint
    assert count(db) == 100


@pytest.mark.parametrize(
    ("query", "dialect"),
    [
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "postgres"),
        ("SELECT * INTO copy FROM t", "postgres"),
        ("SELECT * FROM t FOR UPDATE", "postgres"),
        ("SELECT 1; SELECT 2", None),
    ],
)
def test_check_query_refuses_hidden_writes(query: str, dialect: str | None) -> None:
    with pytest.raises(SourceInvalid):
        check_query(query, dialect, "q")


@pytest.mark.parametrize(
    "query",
    ["SELECT a FROM t WHERE b = :b", "SELECT 1 UNION ALL SELECT 2", "select * from t;"],
)
def test_check_query_accepts_selects(query: str) -> None:
    check_query(query, "sqlite", "q")


def test_database_error_is_source_invalid(tmp_path: Path, db: Path) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_sql(make_request(tmp_path, path=db.name, query="SELECT nope FROM t"))
    assert "nope" in error.value.message


def test_missing_param_names_params(tmp_path: Path, db: Path) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_sql(make_request(tmp_path, path=db.name, query="SELECT id FROM t WHERE id = :id"))
    assert "params" in error.value.hint


def test_url_and_path_are_exclusive(tmp_path: Path, db: Path) -> None:
    with pytest.raises(SourceInvalid, match="exactly one"):
        read_sql(make_request(tmp_path, path=db.name, url="sqlite://", query="SELECT 1"))
    with pytest.raises(SourceInvalid, match="exactly one"):
        read_sql(make_request(tmp_path, query="SELECT 1"))


def test_duplicate_column_names_are_refused(tmp_path: Path, db: Path) -> None:
    with pytest.raises(SourceInvalid, match="duplicate"):
        read_sql(make_request(tmp_path, path=db.name, query="SELECT id, id FROM t"))


def test_mixed_sqlite_column_becomes_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.sqlite"
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE m (v)")
        conn.executemany("INSERT INTO m VALUES (?)", [(1,), ("zwei",), (None,)])
    conn.close()
    extract = read_sql(make_request(tmp_path, path=path.name, query="SELECT v FROM m"))
    assert table(extract).column("v").to_pylist() == ["1", "zwei", None]


def test_unknown_driver_is_source_invalid(tmp_path: Path) -> None:
    request = make_request(tmp_path, url="nosuchdb://h/x", query="SELECT 1")
    with pytest.raises(SourceInvalid) as error:
        read_sql(request)
    assert error.value.where.endswith(".url")


def test_dates_from_sqlite_text_stay_text(tmp_path: Path, db: Path) -> None:
    extract = read_sql(make_request(tmp_path, path=db.name, query="SELECT seit FROM t LIMIT 1"))
    assert table(extract).column("seit").to_pylist() == ["2023-01-02"]
    assert dt.date(2023, 1, 2).isoformat() == "2023-01-02"
