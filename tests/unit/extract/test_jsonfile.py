"""JSON file reader: arrays, nested record paths, objects of objects, NDJSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from ogd.errors import SourceInvalid
from ogd.extract.jsonfile import read_json
from tests.unit.extract.helpers import make_request, rows, table


def write(folder: Path, document: Any, name: str = "data.json") -> str:
    (folder / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return name


def test_array_of_records_keeps_types_and_flattens(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {"id": 1, "ort": "Luzern", "geo": {"lat": 47.05, "lon": 8.3}, "tags": ["see"]},
            {"id": 2, "ort": "Kriens", "geo": {"lat": 47.03, "lon": 8.28}, "aktiv": False},
        ],
    )
    extract = read_json(make_request(tmp_path, path=path))
    assert extract.labels == ["id", "ort", "geo.lat", "geo.lon", "tags", "aktiv"]
    result = table(extract)
    assert result.schema.field("id").type == pa.int64()
    assert result.schema.field("geo.lat").type == pa.float64()
    assert result.schema.field("aktiv").type == pa.bool_()
    assert result.to_pylist()[0]["tags"] == '["see"]'
    assert result.to_pylist()[0]["aktiv"] is None
    assert extract.first_row_number == 2


def test_flatten_false_keeps_objects_as_json_text(tmp_path: Path) -> None:
    path = write(tmp_path, [{"id": 1, "geo": {"lat": 47.05}}])
    extract = read_json(make_request(tmp_path, path=path, flatten=False))
    assert rows(extract) == [{"id": 1, "geo": '{"lat": 47.05}'}]


def test_nested_record_path(tmp_path: Path) -> None:
    path = write(tmp_path, {"meta": {"n": 2}, "result": {"records": [{"a": 1}, {"a": 2}]}})
    extract = read_json(make_request(tmp_path, path=path, record_path="result.records"))
    assert rows(extract) == [{"a": 1}, {"a": 2}]


def test_record_key_reads_an_object_of_objects(tmp_path: Path) -> None:
    path = write(tmp_path, {"data": {"SP02": {"vacancy": 354}, "PKF": {"vacancy": 38}}})
    extract = read_json(
        make_request(tmp_path, path=path, record_path="data", record_key="parking_id")
    )
    assert extract.labels == ["parking_id", "vacancy"]
    assert rows(extract) == [
        {"parking_id": "SP02", "vacancy": 354},
        {"parking_id": "PKF", "vacancy": 38},
    ]


def test_an_object_without_record_key_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, {"data": {"SP02": {"vacancy": 354}}})
    with pytest.raises(SourceInvalid) as error:
        read_json(make_request(tmp_path, path=path, record_path="data"))
    assert "record_key" in error.value.hint


def test_missing_record_path_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, {"data": []})
    with pytest.raises(SourceInvalid, match="no value at `result`"):
        read_json(make_request(tmp_path, path=path, record_path="result"))


def test_ndjson_is_streamed_line_by_line(tmp_path: Path) -> None:
    lines = [json.dumps({"i": i, "wert": i / 2}) for i in range(25)]
    lines.insert(3, "")
    lines.append(json.dumps({"i": 25, "wert": 12.5, "neu": "spät"}))
    (tmp_path / "data.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    extract = read_json(make_request(tmp_path, batch_rows=10, path="data.ndjson", lines=True))
    assert extract.labels == ["i", "wert", "neu"]
    batches = list(extract.batches)
    assert [b.num_rows for b in batches] == [10, 10, 6]
    assert pa.Table.from_batches(batches).column("neu").to_pylist()[-1] == "spät"


def test_ndjson_bad_line_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "data.ndjson").write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(SourceInvalid) as error:
        read_json(make_request(tmp_path, path="data.ndjson", lines=True))
    assert error.value.where == "data.ndjson line 2"


def test_invalid_json_document(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text('[{"a": 1},', encoding="utf-8")
    with pytest.raises(SourceInvalid, match="not valid JSON"):
        read_json(make_request(tmp_path, path="data.json"))


def test_record_that_is_not_an_object(tmp_path: Path) -> None:
    path = write(tmp_path, [{"a": 1}, 2])
    with pytest.raises(SourceInvalid, match="record 2 is not an object"):
        read_json(make_request(tmp_path, path=path))
