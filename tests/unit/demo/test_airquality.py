"""Tests for the synthetic air-quality export `luftqualitaet.parquet`."""

import collections
import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ogd.demo.airquality import UNIT, write_measurements
from ogd.demo.facts import (
    AIR_FIRST_DAY,
    AIR_LAST_DAY,
    AIR_OUTAGE_DAYS,
    AIR_POLLUTANTS,
    AIR_ROWS,
    AIR_STATIONS,
    DEFAULT_SEED,
)

Row = tuple[str, datetime.date, str, float, str]
"""station, datum, schadstoff, wert, einheit."""


@pytest.fixture(scope="module")
def export(demo_sources: Path) -> Path:
    return demo_sources / "luftqualitaet.parquet"


@pytest.fixture(scope="module")
def table(export: Path) -> pa.Table:
    return pq.read_table(export)


@pytest.fixture(scope="module")
def rows(table: pa.Table) -> list[Row]:
    return list(zip(*(table.column(name).to_pylist() for name in table.schema.names), strict=True))


def mean(rows: list[Row], station: str, pollutant: str, month: int) -> float:
    values = [r[3] for r in rows if (r[0], r[2], r[1].month) == (station, pollutant, month)]
    return sum(values) / len(values)


def test_typed_columns(table: pa.Table) -> None:
    assert table.schema.names == ["station", "datum", "schadstoff", "wert", "einheit"]
    assert table.schema.field("datum").type == pa.date32()
    assert table.schema.field("wert").type == pa.float64()
    assert table.schema.field("station").type == pa.string()
    assert table.num_rows == AIR_ROWS


def test_stations_pollutants_days(rows: list[Row]) -> None:
    assert tuple(dict.fromkeys(r[0] for r in rows)) == AIR_STATIONS
    assert {r[2] for r in rows} == set(AIR_POLLUTANTS)
    assert {r[4] for r in rows} == {UNIT}
    days = [r[1] for r in rows]
    assert min(days) == AIR_FIRST_DAY and max(days) == AIR_LAST_DAY
    all_days = (AIR_LAST_DAY - AIR_FIRST_DAY).days + 1
    per_station = collections.Counter((r[0], r[2]) for r in rows)
    assert set(per_station.values()) == {all_days - AIR_OUTAGE_DAYS}
    assert all(isinstance(r[3], float) and r[3] > 0 for r in rows)
    keys = [(AIR_STATIONS.index(r[0]), r[1], AIR_POLLUTANTS.index(r[2])) for r in rows]
    assert keys == sorted(keys)


def test_seasons_and_stations(rows: list[Row]) -> None:
    for station in AIR_STATIONS:
        assert mean(rows, station, "O3", 7) > 1.5 * mean(rows, station, "O3", 1)
        assert mean(rows, station, "NO2", 1) > mean(rows, station, "NO2", 7)
        assert mean(rows, station, "PM10", 12) > mean(rows, station, "PM10", 6)
    no2 = {s: sum(mean(rows, s, "NO2", m) for m in range(1, 13)) for s in AIR_STATIONS}
    assert max(no2, key=no2.__getitem__) == "Luzern Hirschmatt"
    assert isinstance(rows[0][1], datetime.date)


def test_same_seed_same_table_other_seed_other_table(
    export: Path, table: pa.Table, tmp_path: Path
) -> None:
    again = write_measurements(tmp_path / "again.parquet", DEFAULT_SEED)
    assert pq.read_table(again).equals(table)
    assert again.read_bytes() == export.read_bytes()
    other = write_measurements(tmp_path / "other.parquet", DEFAULT_SEED + 1)
    assert not pq.read_table(other).equals(table)
