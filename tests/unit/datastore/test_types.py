"""DuckDB types -> PostgreSQL names, and values in CKAN's forms."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import pytest

from ogd.datastore.types import pg_type, plain_value, text_cell


@pytest.mark.parametrize(
    ("duckdb_type", "expected"),
    [
        ("VARCHAR", "text"),
        ("BIGINT", "int8"),
        ("INTEGER", "int4"),
        ("SMALLINT", "int2"),
        ("UBIGINT", "numeric"),
        ("DOUBLE", "float8"),
        ("FLOAT", "float4"),
        ("DECIMAL(18,3)", "numeric"),
        ("BOOLEAN", "bool"),
        ("DATE", "date"),
        ("TIMESTAMP", "timestamp"),
        ("TIMESTAMP_NS", "timestamp"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("TIME", "time"),
        ("UUID", "uuid"),
        ("BLOB", "bytea"),
        ("VARCHAR[]", "_text"),
        ("INTEGER[3]", "_int4"),
        ("INTEGER[][]", "json"),
        ("STRUCT(a INTEGER, b VARCHAR)", "json"),
        ("MAP(VARCHAR, INTEGER)", "json"),
        ("ENUM('a', 'b')", "text"),
    ],
)
def test_pg_type_never_leaks_engine_names(duckdb_type: str, expected: str) -> None:
    assert pg_type(duckdb_type) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2024, 12, 31, 8, 5, 7, 123), "2024-12-31T08:05:07"),
        (
            dt.datetime(2024, 12, 31, 9, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "2024-12-31T08:00:00",
        ),
        (dt.date(2024, 1, 2), "2024-01-02"),
        (decimal.Decimal("3.00"), 3),
        (decimal.Decimal("2.5"), 2.5),
        (float("nan"), None),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (b"\x01\xff", "\\x01ff"),
        ({"a": [dt.date(2024, 1, 1)]}, {"a": ["2024-01-01"]}),
        (None, None),
    ],
)
def test_plain_values(value: Any, expected: Any) -> None:
    assert plain_value(value) == expected


def test_text_cells() -> None:
    assert [text_cell(v) for v in (None, True, 1.5, {"a": "ü"}, "x")] == [
        "",
        "true",
        "1.5",
        '{"a": "ü"}',
        "x",
    ]
