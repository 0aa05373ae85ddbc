"""Records -> Arrow: typing by the values, stable types across batches, flattening."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pyarrow as pa
import pytest

from ogd.errors import SourceInvalid
from ogd.extract.records import Columns, check_labels, chunks, flatten, to_array

UTC = dt.UTC


@pytest.mark.parametrize(
    ("values", "arrow_type"),
    [
        ([1, None, 3], pa.int64()),
        ([1, 2.5], pa.float64()),
        ([True, None], pa.bool_()),
        (["a", None], pa.string()),
        ([dt.date(2024, 1, 1)], pa.date32()),
        ([dt.datetime(2024, 1, 1, 8)], pa.timestamp("us")),
        ([dt.datetime(2024, 1, 1, 8, tzinfo=UTC)], pa.timestamp("us", tz="UTC")),
        ([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 8)], pa.timestamp("us")),
        ([dt.time(8, 30)], pa.time64("us")),
        ([decimal.Decimal("1.50"), decimal.Decimal("2")], pa.decimal128(38, 2)),
        ([decimal.Decimal("NaN")], pa.string()),
        ([1, "a"], pa.string()),
        ([{"a": 1}], pa.string()),
        ([2**70], pa.string()),
        ([None, None], pa.null()),
    ],
)
def test_to_array_types_by_the_values(values: list[Any], arrow_type: pa.DataType) -> None:
    assert to_array(values).type == arrow_type


def test_mixed_values_become_readable_text() -> None:
    values = [1, "a", True, dt.date(2024, 1, 31), {"k": "ü"}, None]
    assert to_array(values).to_pylist() == ["1", "a", "true", "2024-01-31", '{"k": "ü"}', None]


def test_columns_keep_the_first_batch_types() -> None:
    columns = Columns(["n", "leer", "x"])
    first = columns.batch([[1, 2], [None, None], [1, 2]])
    second = columns.batch([[None, 3], [5, None], ["a", "b"]])
    third = columns.batch([[2.0, 4.0], [None, None], [3, 4]])
    assert first.schema.types == [pa.int64(), pa.string(), pa.int64()]
    assert second.schema.types == [pa.int64(), pa.string(), pa.string()]
    assert second.column(1).to_pylist() == ["5", None]
    assert third.column(0).to_pylist() == [2, 4]  # whole floats fit the integer column
    assert columns.mixed == ["x"]


def test_columns_widen_int_to_float() -> None:
    columns = Columns(["v"])
    columns.batch([[0.5]])
    assert columns.batch([[1, 2]]).column(0).type == pa.float64()


def test_flatten_nested_objects_and_lists() -> None:
    record = {"a": 1, "b": {"c": {"d": 2}, "e": [1, 2]}, "f": {}}
    assert flatten(record) == {"a": 1, "b.c.d": 2, "b.e": "[1, 2]", "f": "{}"}
    assert flatten(record, nested=False)["b"] == '{"c": {"d": 2}, "e": [1, 2]}'


def test_chunks_are_bounded() -> None:
    assert [len(c) for c in chunks(range(7), 3)] == [3, 3, 1]


def test_check_labels_names_positions() -> None:
    with pytest.raises(SourceInvalid) as error:
        check_labels(["a", "", "a", "b", "b"], "x.csv header")
    assert "empty label at column(s) 2" in error.value.message
    assert "`a` at columns 1, 3" in error.value.message
    assert "`b` at columns 4, 5" in error.value.message
    assert error.value.where == "x.csv header"
