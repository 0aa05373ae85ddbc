"""Tests for the synthetic movement register `einwohnerbewegungen.csv`."""

import collections
import csv
import datetime
import random
import re
from pathlib import Path

import pytest

from ogd.demo.facts import (
    DEFAULT_SEED,
    MOVEMENT_EVENTS,
    MOVEMENT_TYPES,
    MOVEMENTS,
    MOVEMENTS_2025_FOREIGN,
    QUARTERS,
)
from ogd.demo.movements import MOVEMENT_COLUMNS, ahv_number, write_movements
from ogd.demo.population import format_ahv_number

EXPECTED_COLUMNS = [
    "personen_id",
    "ahv_nummer",
    "name",
    "vorname",
    "ereignisart",
    "ereignisdatum",
    "quartier",
    "nationalitaet",
    "geschlecht",
    "geburtsjahr",
]

Row = dict[str, str]


@pytest.fixture(scope="module")
def register(demo_sources: Path) -> Path:
    return demo_sources / "einwohnerbewegungen.csv"


@pytest.fixture(scope="module")
def rows(register: Path) -> list[Row]:
    with register.open(encoding="cp1252", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def parse_date(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def test_header_and_row_count(register: Path, rows: list[Row]) -> None:
    with register.open(encoding="cp1252", newline="") as handle:
        assert next(csv.reader(handle, delimiter=";")) == EXPECTED_COLUMNS
    assert list(MOVEMENT_COLUMNS) == EXPECTED_COLUMNS
    assert len(rows) == MOVEMENT_EVENTS == sum(sum(counts) for counts in MOVEMENTS.values())


def test_encoding_is_cp1252_with_crlf(register: Path) -> None:
    data = register.read_bytes()
    assert "ü".encode("cp1252") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.count(b"\r\n") == MOVEMENT_EVENTS + 1
    assert data.count(b"\n") == data.count(b"\r\n")


def test_counts_per_year_and_type_are_the_facts(rows: list[Row]) -> None:
    counts = collections.Counter(
        (parse_date(r["ereignisdatum"]).year, r["ereignisart"]) for r in rows
    )
    for year, per_type in MOVEMENTS.items():
        for kind, count in zip(MOVEMENT_TYPES, per_type, strict=True):
            assert counts[year, kind] == count
    foreign = collections.Counter(
        r["ereignisart"]
        for r in rows
        if r["ereignisdatum"].endswith("2025") and r["nationalitaet"] != "Schweiz"
    )
    assert foreign == MOVEMENTS_2025_FOREIGN


def test_dates_are_in_range_and_sorted(rows: list[Row]) -> None:
    dates = [parse_date(r["ereignisdatum"]) for r in rows]
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", r["ereignisdatum"]) for r in rows)
    assert min(dates) >= datetime.date(2016, 1, 1)
    assert max(dates) <= datetime.date(2025, 12, 31)
    assert dates == sorted(dates)


def test_values_fit_the_events(rows: list[Row]) -> None:
    assert {r["quartier"] for r in rows} == set(QUARTERS)
    assert {r["geschlecht"] for r in rows} == {"m", "w"}
    for row in rows:
        year, born = parse_date(row["ereignisdatum"]).year, int(row["geburtsjahr"])
        assert 1900 <= born <= year
        if row["ereignisart"] == "Geburt":
            assert born == year
    deaths = [int(r["geburtsjahr"]) for r in rows if r["ereignisart"] == "Todesfall"]
    movers = [int(r["geburtsjahr"]) for r in rows if r["ereignisart"] == "Zuzug"]
    assert sum(deaths) / len(deaths) < sum(movers) / len(movers) - 30


def test_ids_and_ahv_numbers_are_unique_and_valid(rows: list[Row]) -> None:
    assert len({r["personen_id"] for r in rows}) == MOVEMENT_EVENTS
    assert len({r["ahv_nummer"] for r in rows}) == MOVEMENT_EVENTS
    assert all(re.fullmatch(r"756\.\d{4}\.\d{4}\.\d{2}", r["ahv_nummer"]) for r in rows)


def test_fast_ahv_numbers_match_the_population_register() -> None:
    rng = random.Random(7)
    for body in [0, 999_999_999, *(rng.randrange(10**9) for _ in range(2000))]:
        assert ahv_number(body) == format_ahv_number(body)


def test_moves_cluster_at_month_ends(rows: list[Row]) -> None:
    move_outs = [parse_date(r["ereignisdatum"]) for r in rows if r["ereignisart"] == "Wegzug"]
    at_end = sum((day + datetime.timedelta(days=1)).day == 1 for day in move_outs)
    assert at_end / len(move_outs) > 0.2
    by_month = collections.Counter(day.month for day in move_outs)
    assert by_month[3] > by_month[2] and by_month[9] > by_month[11]


def test_same_seed_same_bytes_other_seed_other_bytes(register: Path, tmp_path: Path) -> None:
    again = write_movements(tmp_path / "again.csv", DEFAULT_SEED)
    assert again.read_bytes() == register.read_bytes()
    other = write_movements(tmp_path / "other.csv", DEFAULT_SEED + 1)
    assert other.read_bytes() != register.read_bytes()
