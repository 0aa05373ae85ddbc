"""`datastore_search_sql` is a security boundary: each escape is refused and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from ogd.datastore import Sandbox
from ogd.errors import ValidationError
from ogd.instance import Instance
from tests.unit.datastore.conftest import ROWS, Published

ESCAPES = [
    ("COPY (SELECT 42) TO '{out}/copy.csv'", 409),
    ("COPY \"{table}\" TO '{out}/copy.parquet' (FORMAT parquet)", 409),
    ("EXPORT DATABASE '{out}/export'", 409),
    ("ATTACH '{out}/attached.db' AS other", 409),
    ("INSTALL httpfs", 409),
    ("LOAD httpfs", 409),
    ("SET enable_external_access = true", 409),
    ("PRAGMA database_list", 409),
    ("CALL pragma_version()", 409),
    ("CREATE TABLE t AS SELECT 1", 409),
    ("SELECT * FROM read_csv('/etc/passwd')", 403),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", 403),
    ("SELECT * FROM read_text('/etc/passwd')", 403),
    ("SELECT * FROM read_parquet('{other}')", 403),
    ("SELECT * FROM glob('/etc/*')", 403),
    ("SELECT 1; COPY (SELECT 42) TO '{out}/second.csv'", 409),
    ('SELECT 1 FROM "{table}"; SELECT 2', 409),
    ('WITH gone AS (DELETE FROM "{table}" RETURNING *) SELECT * FROM gone', 409),
    ("WITH x AS (INSERT INTO y VALUES (1) RETURNING *) SELECT * FROM x", 409),
    ("SELECT * FROM duckdb_settings()", 403),
    ("SELECT * FROM duckdb_tables", 403),
    ("SELECT * FROM information_schema.tables", 403),
    ("SELECT * FROM pg_catalog.pg_tables", 403),
    ("SELECT * FROM sqlite_master", 403),
    ('SELECT * FROM main."{table}"', 403),
    ("SELECT * FROM (DESCRIBE SELECT 1)", 403),
    ("SELECT * FROM query('SELECT 1')", 403),
    ("SELECT getenv('HOME')", 403),
    ("SELECT current_setting('threads')", 403),
    ("SELECT * FROM '{other}'", 409),
    ('SELECT * FROM "{private}"', 403),
]


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """A Parquet file no resource points at."""
    path = tmp_path / "other.parquet"
    path.write_bytes(b"PAR1")
    return path


def sql_call(client: FlaskClient, sql: str) -> tuple[int, Any]:
    response = client.post("/api/3/action/datastore_search_sql", json={"sql": sql})
    body = response.get_json()
    return response.status_code, body.get("result", body.get("error"))


@pytest.mark.parametrize(("template", "status"), ESCAPES)
def test_every_escape_is_refused_and_writes_nothing(
    client: FlaskClient,
    ids: Published,
    instance: Instance,
    other: Path,
    tmp_path: Path,
    template: str,
    status: int,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    storage = instance.settings.path(instance.settings.instance_dir)
    before = sorted(p for p in storage.rglob("*") if "cache" not in p.parts)
    sql = template.format(out=out, table=ids.parquet, other=other, private=ids.private_parquet)
    code, error = sql_call(client, sql)
    assert code == status, error
    if status == 403:
        assert error["__type"] == "Authorization Error"
        assert "Not authorized" in error["message"] or "not authorized" in error["message"]
    else:
        assert error["__type"] == "Validation Error" and error["query"]
    assert list(out.iterdir()) == []
    assert sorted(p for p in storage.rglob("*") if "cache" not in p.parts) == before
    ok, result = sql_call(client, f'SELECT count(*) AS n FROM "{ids.parquet}"')
    assert ok == 200 and result["records"] == [{"n": ROWS}]


def test_functions_and_system_tables_name_the_reason(client: FlaskClient) -> None:
    code, error = sql_call(client, "SELECT * FROM read_csv('/etc/passwd')")
    assert code == 403
    assert error["message"] == "Access denied: Not authorized to call function read_csv"
    code, error = sql_call(client, "SELECT * FROM information_schema.tables")
    assert error["message"] == "Access denied: Not authorized to access system tables"


def test_a_select_over_resources_returns_typed_records(client: FlaskClient, ids: Published) -> None:
    sql = (
        f'WITH t AS (SELECT * FROM "{ids.csv}") '
        "SELECT jahr, sum(anzahl) AS total, max(stichtag) AS bis, count(*) AS n, "
        f'(SELECT count(*) FROM "{ids.parquet}") AS alle '
        "FROM t WHERE quartier ILIKE 'w%' GROUP BY jahr ORDER BY jahr"
    )
    code, result = sql_call(client, sql)
    assert code == 200, result
    assert result["sql"] == sql
    assert result["fields"] == [
        {"id": "jahr", "type": "int8"},
        {"id": "total", "type": "numeric"},
        {"id": "bis", "type": "timestamp"},
        {"id": "n", "type": "int8"},
        {"id": "alle", "type": "int8"},
    ]
    assert result["records"][0]["bis"].startswith("2025-01-01T") or result["records"][0]["bis"]
    assert sum(r["n"] for r in result["records"]) == 12
    assert "records_truncated" not in result


def test_unknown_tables_and_sql_errors_are_409(client: FlaskClient, ids: Published) -> None:
    code, error = sql_call(client, 'SELECT * FROM "nope"')
    assert code == 409 and error["query"] == ['relation "nope" does not exist']
    code, error = sql_call(client, f'SELECT nope FROM "{ids.parquet}"')
    assert code == 409 and error["query"] and error["info"]["orig"]
    code, error = sql_call(client, "SELEC 1")
    assert code == 409 and error["query"]
    code, error = sql_call(client, "")
    assert code == 409 and error["sql"] == ["Missing value"]


def test_rows_are_capped(client: FlaskClient) -> None:
    code, result = sql_call(client, "SELECT range AS i FROM range(40000)")
    assert code == 200
    assert len(result["records"]) == 32000 and result["records_truncated"] is True


def test_slow_queries_are_interrupted() -> None:
    sql = "SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b"
    with Sandbox() as sandbox:
        assert sandbox.tables(sql) == []
        with pytest.raises(ValidationError) as caught:
            sandbox.run(sql, {}, timeout=0.3)
    assert caught.value.errors == {"query": ["Query took too long"]}
