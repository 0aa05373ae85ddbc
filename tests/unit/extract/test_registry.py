"""The reader registry: the six kinds and their option keys."""

from __future__ import annotations

from ogd.extract import READERS


def test_kinds_are_registered() -> None:
    assert sorted(READERS) == ["csv", "excel", "json", "json_api", "parquet", "sql"]


def test_required_keys() -> None:
    required = {kind: sorted(d.required) for kind, d in READERS.items()}
    assert required == {
        "csv": ["path"],
        "excel": ["path"],
        "sql": ["query"],
        "json_api": ["url"],
        "json": ["path"],
        "parquet": ["path"],
    }


def test_optional_keys() -> None:
    assert READERS["csv"].optional == {
        "encoding",
        "delimiter",
        "quote_char",
        "header",
        "header_rows",
        "skip_rows",
        "column_names",
        "missing_values",
    }
    assert READERS["excel"].optional == {
        "sheet",
        "range",
        "header_row",
        "header_rows",
        "column_names",
    }
    assert READERS["sql"].optional == {"url", "path", "password", "params"}
    assert READERS["json_api"].optional == {
        "params",
        "headers",
        "record_path",
        "record_key",
        "paging",
        "timeout",
        "retries",
        "backoff",
        "flatten",
    }
    assert READERS["json"].optional == {"record_path", "record_key", "lines", "flatten"}
    assert READERS["parquet"].optional == {"columns"}
