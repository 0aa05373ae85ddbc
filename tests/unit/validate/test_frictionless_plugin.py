"""Tests for the frictionless-py Parquet plugin (ogd.validate.frictionless_plugin)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq

from ogd.validate.frictionless_plugin import ParquetParser

SCHEMA = {
    "fields": [
        {"name": "quartier", "type": "string", "constraints": {"required": True}},
        {"name": "anzahl", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "anteil", "type": "number"},
        {"name": "stichtag", "type": "date"},
        {"name": "erfasst", "type": "datetime"},
        {"name": "aktiv", "type": "boolean"},
    ]
}


def _write(
    folder: Path, anzahl: list[int | None], *, bytes_delta: int = 0, salt: bytes = b""
) -> Path:
    rows = len(anzahl)
    table = pa.table(
        {
            "quartier": pa.array([f"Q{i}" for i in range(rows)]),
            "anzahl": pa.array(anzahl, pa.int64()),
            "anteil": pa.array([None if i % 3 == 0 else i / 10 for i in range(rows)]),
            "stichtag": pa.array([dt.date(2024, 12, 31)] * rows),
            "erfasst": pa.array([dt.datetime(2025, 1, 2, 3, 4, 5)] * rows, pa.timestamp("us")),
            "aktiv": pa.array([i % 2 == 0 for i in range(rows)]),
        }
    )
    pq.write_table(table, folder / "table.parquet")
    data = (folder / "table.parquet").read_bytes()
    resource: dict[str, Any] = {
        "name": "table",
        "path": "table.parquet",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "bytes": len(data) + bytes_delta,
        "hash": "sha256:" + hashlib.sha256(data + salt).hexdigest(),
        "schema": SCHEMA,
    }
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": "pkg", "resources": [resource]}), encoding="utf-8")
    return descriptor


def _errors(descriptor: Path) -> list[tuple[Any, ...]]:
    report = frictionless.validate(descriptor.name, basepath=str(descriptor.parent))
    return [tuple(e) for e in report.flatten(["rowNumber", "fieldName", "type"])]


def test_frictionless_reads_parquet_with_our_parser(tmp_path: Path) -> None:
    _write(tmp_path, [1, 2])
    resource = frictionless.Resource("table.parquet", basepath=str(tmp_path))
    assert isinstance(frictionless.system.create_parser(resource), ParquetParser)


def test_null_integers_are_missing_values_not_type_errors(tmp_path: Path) -> None:
    descriptor = _write(tmp_path, [5, None, 7, None, 0])
    assert _errors(descriptor) == []
    resource = frictionless.Resource(
        "table.parquet", basepath=str(tmp_path), schema=frictionless.Schema.from_descriptor(SCHEMA)
    )
    with resource:
        rows = [row.to_dict() for row in resource.row_stream]
    assert [r["anzahl"] for r in rows] == [5, None, 7, None, 0]
    assert rows[0]["stichtag"] == dt.date(2024, 12, 31)
    assert rows[0]["erfasst"] == dt.datetime(2025, 1, 2, 3, 4, 5)
    assert rows[0]["anteil"] is None and rows[1]["aktiv"] is False


def test_constraint_errors_are_still_found(tmp_path: Path) -> None:
    descriptor = _write(tmp_path, [5, None, -1])
    assert _errors(descriptor) == [(4, "anzahl", "constraint-error")]


def test_byte_count_and_hash_are_checked(tmp_path: Path) -> None:
    descriptor = _write(tmp_path, [1, 2, 3], bytes_delta=1)
    assert _errors(descriptor) == [(None, None, "byte-count")]
    descriptor = _write(tmp_path, [1, 2, 3], salt=b"changed")
    assert _errors(descriptor) == [(None, None, "hash-count")]
    assert _errors(_write(tmp_path, [1, 2, 3])) == []


def test_json_tables_have_their_bytes_counted(tmp_path: Path) -> None:
    data = b'[\n{"quartier": "Altstadt", "anzahl": 3},\n{"quartier": "Bruch", "anzahl": null}\n]\n'
    (tmp_path / "table.json").write_bytes(data)
    schema = {"fields": SCHEMA["fields"][:2]}
    resource = {
        "name": "t",
        "profile": "tabular-data-resource",
        "path": "table.json",
        "format": "json",
        "schema": schema,
    }
    descriptor = tmp_path / "datapackage.json"
    for declared, expected in [(len(data), []), (len(data) + 1, [(None, None, "byte-count")])]:
        resource |= {"bytes": declared, "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
        descriptor.write_text(json.dumps({"name": "p", "resources": [resource]}), "utf-8")
        assert _errors(descriptor) == expected
    data = data.replace(b"3}", b"-3}")
    (tmp_path / "table.json").write_bytes(data)
    resource |= {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    descriptor.write_text(json.dumps({"name": "p", "resources": [resource]}), "utf-8")
    assert _errors(descriptor) == [(2, "anzahl", "constraint-error")]
