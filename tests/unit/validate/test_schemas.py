"""Tests for ogd.validate.schemas: loading Table Schemas and mapping them to Arrow."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from frictionless import Schema

from ogd.errors import SchemaError
from ogd.validate import arrow_schema, load_schema

VALID = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "geburtsdatum", "type": "date", "format": "%d.%m.%Y"},
    ],
    "primaryKey": ["id"],
    "missingValues": ["", "NA"],
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_valid_json(tmp_path: Path) -> None:
    path = write(tmp_path / "people.schema.json", json.dumps(VALID))
    schema = load_schema(path)
    assert [field.name for field in schema.fields] == ["id", "geburtsdatum"]
    assert schema.primary_key == ["id"]
    assert schema.missing_values == ["", "NA"]


def test_loads_valid_yaml(tmp_path: Path) -> None:
    text = "fields:\n  - name: id\n    type: integer\n  - name: name\n    type: string\n"
    schema = load_schema(write(tmp_path / "people.schema.yaml", text))
    assert [field.type for field in schema.fields] == ["integer", "string"]


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        (
            {"fields": [{"name": "a", "type": "foo"}]},
            'field type "foo" is not supported',
        ),
        (
            {"fields": [{"name": "a", "type": "integer", "constraints": {"minLength": 2}}]},
            'constraint "minLength" is not supported by type "integer"',
        ),
        (
            {"fields": [{"name": "a", "type": "integer"}], "primaryKey": ["b"]},
            "primary key",
        ),
        ({"fields": [{"name": "a"}, {"name": "a"}]}, "not unique"),
        ({"fields": "a"}, "'a' is not of type 'array'"),
        ([1, 2], "must be an object"),
    ],
)
def test_rejects_invalid_descriptor(tmp_path: Path, descriptor: object, expected: str) -> None:
    path = write(tmp_path / "bad.schema.json", json.dumps(descriptor))
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    assert expected in caught.value.message
    assert caught.value.where == str(path)
    assert caught.value.hint


def test_rejects_non_json_file(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.schema.json", "fields: [this is not json")
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    assert caught.value.where == str(path)
    assert "JSON" in caught.value.message
    assert str(path) in str(caught.value)


def test_rejects_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.schema.json"
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    assert caught.value.where == str(path)


@pytest.mark.parametrize(
    ("field_type", "arrow_type"),
    [
        ("string", pa.string()),
        ("integer", pa.int64()),
        ("number", pa.float64()),
        ("boolean", pa.bool_()),
        ("date", pa.date32()),
        ("datetime", pa.timestamp("us")),
        ("time", pa.time64("us")),
        ("year", pa.int32()),
        ("yearmonth", pa.string()),
        ("duration", pa.string()),
        ("geopoint", pa.string()),
        ("geojson", pa.string()),
        ("object", pa.string()),
        ("array", pa.string()),
        ("list", pa.string()),
        ("any", pa.string()),
    ],
)
def test_arrow_schema_maps_types(field_type: str, arrow_type: pa.DataType) -> None:
    schema = Schema.from_descriptor({"fields": [{"name": "f", "type": field_type}]})
    assert arrow_schema(schema) == pa.schema([pa.field("f", arrow_type)])


def test_arrow_schema_keeps_field_order() -> None:
    schema = Schema.from_descriptor(VALID)
    assert arrow_schema(schema).names == ["id", "geburtsdatum"]
