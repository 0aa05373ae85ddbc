"""Parquet reader: column subsets, bounded batches, non-Parquet files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ogd.errors import SourceInvalid
from ogd.extract.parquet import read_parquet
from tests.unit.extract.helpers import make_request, table


@pytest.fixture
def parquet(tmp_path: Path) -> str:
    data = pa.table(
        {
            "id": pa.array(range(1000), pa.int64()),
            "ort": [f"Ort {i}" for i in range(1000)],
            "tag": [dt.date(2024, 1, 1)] * 1000,
            "wert": [i / 3 for i in range(1000)],
        }
    )
    pq.write_table(data, tmp_path / "data.parquet", row_group_size=300)
    return "data.parquet"


def test_batches_are_bounded_and_typed(tmp_path: Path, parquet: str) -> None:
    extract = read_parquet(make_request(tmp_path, batch_rows=128, path=parquet))
    batches = list(extract.batches)
    assert max(b.num_rows for b in batches) <= 128
    assert sum(b.num_rows for b in batches) == 1000
    assert batches[0].schema.field("tag").type == pa.date32()
    assert extract.labels == ["id", "ort", "tag", "wert"]
    assert extract.fingerprint and extract.name == "data.parquet"


def test_column_subset_in_the_asked_order(tmp_path: Path, parquet: str) -> None:
    extract = read_parquet(make_request(tmp_path, path=parquet, columns=["wert", "id"]))
    assert extract.labels == ["wert", "id"]
    assert table(extract).column_names == ["wert", "id"]


def test_unknown_column_is_named(tmp_path: Path, parquet: str) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_parquet(make_request(tmp_path, path=parquet, columns=["id", "nope"]))
    assert "nope" in error.value.message
    assert error.value.where.endswith(".columns")


def test_not_a_parquet_file(tmp_path: Path) -> None:
    (tmp_path / "fake.parquet").write_text("a,b\n1,2\n")
    with pytest.raises(SourceInvalid, match="not a Parquet file"):
        read_parquet(make_request(tmp_path, path="fake.parquet"))
