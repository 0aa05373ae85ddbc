"""Tests for ogd.validate.files: validate_file end to end, bad input, drop and quarantine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from ogd.errors import SchemaError, SourceInvalid
from ogd.validate import TableValidator, read_typed, validate_file
from ogd.validate.schemas import schema_from_descriptor

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "name", "type": "string"},
        {"name": "ort", "type": "string"},
    ],
    "primaryKey": ["id"],
}


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def findings(path: Path, schema: Any = SCHEMA, **options: Any) -> list[tuple[Any, ...]]:
    report = validate_file(path, schema, **options)
    return [(e.type, e.row_number, e.field_name) for e in report.errors]


def test_valid_csv(tmp_path: Path) -> None:
    path = write(tmp_path / "leute.csv", "id,name,ort\n1,Meier,Luzern\n2,Keller,Kriens\n")
    report = validate_file(path, SCHEMA)
    assert report.valid and report.rows == 2 and report.source == "leute.csv"


def test_schema_file_is_loaded(tmp_path: Path) -> None:
    schema = write(tmp_path / "leute.schema.json", json.dumps(SCHEMA))
    path = write(tmp_path / "leute.csv", "id,name,ort\nx,Meier,Luzern\n")
    assert findings(path, schema) == [("type-error", 2, "id"), ("primary-key", 2, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "not a valid JSON document"),
        ("{fields: [", "not a valid JSON document"),
        ('{"fields": [{"name": "a", "type": "zahl"}]}', 'field type "zahl" is not supported'),
        # frictionless-py 5 does not support the v2 jsonSchema constraint: it says so
        (
            '{"fields": [{"name": "a", "type": "object", "constraints": {"jsonSchema": {}}}]}',
            'constraint "jsonSchema" is not supported by type "object"',
        ),
        ('{"fields": [{"name": "a"}], "primaryKey": ["b"]}', "primary key"),
    ],
)
def test_bad_schema_is_a_schema_error(tmp_path: Path, text: str, expected: str) -> None:
    schema = write(tmp_path / "x.schema.json", text)
    data = write(tmp_path / "x.csv", "a\n1\n")
    with pytest.raises(SchemaError) as caught:
        validate_file(data, schema)
    assert caught.value.where == str(schema) and caught.value.hint
    assert expected in caught.value.message


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", b"id,name,ort\n1,Meier,Luzern\n2,M\xfcller,Kriens\n")
    with pytest.raises(SourceInvalid) as caught:
        validate_file(path, SCHEMA, options={"encoding": "utf-8"})
    assert caught.value.where == "x.csv line 3"
    assert "utf-8" in caught.value.message and caught.value.hint
    report = validate_file(path, SCHEMA)  # detected as Windows-1252: readable
    assert report.valid


def test_undecodable_bytes_late_in_a_file(tmp_path: Path) -> None:
    rows = "".join(f"{i},Meier,Luzern\n" for i in range(1, 120_000))
    path = write(tmp_path / "x.csv", ("id,name,ort\n" + rows).encode() + b"0,M\xfcller,X\n")
    with pytest.raises(SourceInvalid) as caught:
        validate_file(path, SCHEMA)
    assert caught.value.where == "x.csv line 120001"


def test_wrong_delimiter_is_a_header_finding(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id;name;ort\n1;Meier;Luzern\n")
    assert findings(path, options={"delimiter": ","}) == [
        ("missing-label", None, "name"),
        ("missing-label", None, "ort"),
        ("incorrect-label", None, "id"),
        ("type-error", 2, "id"),
        ("primary-key", 2, None),  # the key is empty once its cell is unreadable
    ]
    assert validate_file(path, SCHEMA).valid  # sniffed


def test_ragged_rows_are_missing_and_extra_cells(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id,name,ort\n1,Meier,Luzern\n2,Keller\n\n3,Huber,Emmen,LU\n")
    assert findings(path) == [
        ("missing-cell", 3, "ort"),
        ("blank-row", 4, None),  # instead of its cell errors (id is required)
        ("primary-key", 4, None),
        ("extra-cell", 5, ""),
    ]


def test_huge_cell_is_read(tmp_path: Path) -> None:
    big = "x" * (50 * 1024 * 1024)
    path = write(tmp_path / "x.csv", f"id,name,ort\n1,{big},Luzern\n2,Keller,Kriens\n")
    report = validate_file(path, SCHEMA)
    assert report.valid and report.rows == 2


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = write(tmp_path / "leer.csv", "")
    report = validate_file(empty, SCHEMA)
    assert not report.valid
    assert [(e.type, e.note) for e in report.errors] == [("source-error", "the source is empty")]
    header = write(tmp_path / "kopf.csv", "id,name,ort\n")
    assert validate_file(header, SCHEMA).valid


def test_unusable_header_is_a_finding(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id,name,name\n1,Meier,Luzern\n")
    assert findings(path) == [("duplicate-label", None, "ort")]
    blank = write(tmp_path / "y.csv", "id,,ort\n1,Meier,Luzern\n")
    assert findings(blank) == [("blank-label", None, "name")]


def test_missing_file_and_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(SourceInvalid, match="no file"):
        validate_file(tmp_path / "fehlt.csv", SCHEMA)
    odd = write(tmp_path / "x.ods", "x")
    with pytest.raises(SourceInvalid, match="cannot validate"):
        validate_file(odd, SCHEMA)


def test_parquet_and_excel(tmp_path: Path) -> None:
    table = pa.table({"id": [1, 1], "name": ["Meier", "Keller"], "ort": ["Luzern", None]})
    pq.write_table(table, tmp_path / "x.parquet")
    assert findings(tmp_path / "x.parquet") == [("primary-key", 3, None)]
    book = Workbook()
    book.active.append(["id", "name", "ort"])
    book.active.append([1.5, "Meier", "Luzern"])
    book.save(tmp_path / "x.xlsx")
    assert findings(tmp_path / "x.xlsx") == [("type-error", 2, "id"), ("primary-key", 2, None)]


def test_foreign_keys_use_lookup_files(tmp_path: Path) -> None:
    gemeinden = write(tmp_path / "gemeinden.csv", "code,name\n1061,Luzern\n1024,Emmen\n")
    lookup_schema = {"fields": [{"name": "code", "type": "integer"}, {"name": "name"}]}
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "gemeinde", "type": "integer"}],
        "foreignKeys": [
            {"fields": ["gemeinde"], "reference": {"resource": "gemeinden", "fields": ["code"]}}
        ],
    }
    path = write(tmp_path / "x.csv", "id,gemeinde\n1,1061\n2,9999\n3,\n")
    lookups = {"gemeinden": (gemeinden, schema_from_descriptor(lookup_schema, where="x"))}
    report = validate_file(path, schema, lookups=lookups)
    assert [(e.type, e.row_number) for e in report.errors] == [("foreign-key", 3)]
    assert "9999" in report.errors[0].message and "Fremdschlüssel" in report.errors[0].message_de
    assert read_typed(gemeinden, lookups["gemeinden"][1]).column("code").to_pylist() == [1061, 1024]


def test_drop_policy_returns_valid_rows_and_exposes_rejected_ones(tmp_path: Path) -> None:
    schema = schema_from_descriptor(SCHEMA, where="x")
    validator = TableValidator(schema, source="x.csv", policy="drop")
    validator.check_labels(["id", "name", "ort"])
    first = pa.record_batch(
        {"id": ["1", "x", "3"], "name": ["a", "b", "c"], "ort": ["L", "K", "E"]}
    )
    kept = validator.validate(first, 2)
    assert kept.column("id").to_pylist() == [1, 3]
    rejected = validator.rejected()
    assert rejected is not None
    assert rejected.schema.names == ["id", "name", "ort", "_row", "_errors"]
    assert rejected.to_pylist() == [
        {"id": "x", "name": "b", "ort": "K", "_row": 3, "_errors": ["type-error", "primary-key"]}
    ]
    second = pa.record_batch({"id": ["1", "4"], "name": ["d", "e"], "ort": ["", ""]})
    assert validator.validate(second, 5).column("id").to_pylist() == [4]
    again = validator.rejected()
    assert again is not None and again.to_pylist()[0]["_errors"] == ["primary-key"]
    clean = pa.record_batch({"id": ["7"], "name": ["f"], "ort": ["L"]})
    validator.validate(clean, 7)
    none = validator.rejected()
    assert none is not None and none.num_rows == 0
    assert validator.finish().error_count == 3
