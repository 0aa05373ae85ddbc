"""Tests for the synthetic waste collection export `abfallmengen.csv`."""

import collections
import csv
import datetime
import re
from pathlib import Path

import pytest

from ogd.demo.draws import is_working_day
from ogd.demo.facts import DEFAULT_SEED, QUARTERS, WASTE_TONNES, WASTE_TONNES_2025, WASTE_TYPES
from ogd.demo.waste import WASTE_COLUMNS, write_waste_tours

Row = dict[str, str]
SWISS_NUMBER = re.compile(r"\d{1,3}('\d{3})*\.\d{2}")


@pytest.fixture(scope="module")
def export(demo_sources: Path) -> Path:
    return demo_sources / "abfallmengen.csv"


@pytest.fixture(scope="module")
def rows(export: Path) -> list[Row]:
    with export.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def kilograms(row: Row) -> int:
    """The weight as whole kilograms (the export writes steps of 10 kg, `.00`)."""
    text = row["gewicht_kg"].replace("'", "")
    assert text.endswith(".00")
    return int(text[:-3])


def day(row: Row) -> datetime.date:
    return datetime.datetime.strptime(row["datum"], "%d.%m.%Y").date()


def test_utf8_with_bom_semicolon_crlf(export: Path, rows: list[Row]) -> None:
    data = export.read_bytes()
    assert data.startswith(b"\xef\xbb\xbftour_nr;datum;")
    assert data.count(b"\r\n") == len(rows) + 1
    assert "Grüngut".encode() in data
    assert list(rows[0]) == list(WASTE_COLUMNS)


def test_weights_in_swiss_number_format(rows: list[Row]) -> None:
    assert all(SWISS_NUMBER.fullmatch(row["gewicht_kg"]) for row in rows)
    assert sum("'" in row["gewicht_kg"] for row in rows) > len(rows) / 2
    assert all(kilograms(row) > 0 and kilograms(row) % 10 == 0 for row in rows)


def test_tonnes_per_year_and_type_are_the_facts(rows: list[Row]) -> None:
    kg: collections.Counter[tuple[int, str]] = collections.Counter()
    for row in rows:
        kg[day(row).year, row["abfallart"]] += kilograms(row)
    for year, per_type in WASTE_TONNES.items():
        for waste, tonnes in per_type.items():
            assert kg[year, waste] == tonnes * 1000
    assert sum(kg[2025, waste] for waste in WASTE_TYPES) == WASTE_TONNES_2025 * 1000


def test_tours_on_working_days_in_every_quarter(rows: list[Row]) -> None:
    days = [day(row) for row in rows]
    assert min(days) >= datetime.date(2024, 1, 1) and max(days) <= datetime.date(2025, 12, 31)
    assert all(is_working_day(d) for d in days)
    pairs = {(row["quartier"], row["abfallart"]) for row in rows}
    assert pairs == {(q, w) for q in QUARTERS for w in WASTE_TYPES}
    numbers = [row["tour_nr"] for row in rows]
    assert len(set(numbers)) == len(rows)


def test_green_waste_follows_the_season(rows: list[Row]) -> None:
    by_month: collections.Counter[int] = collections.Counter()
    for row in rows:
        if row["abfallart"] == "Grüngut":
            by_month[day(row).month] += kilograms(row)
    assert by_month[5] > 3 * by_month[1]
    assert by_month[10] > 2 * by_month[12]


def test_same_seed_same_bytes_other_seed_other_bytes(export: Path, tmp_path: Path) -> None:
    assert write_waste_tours(tmp_path / "a.csv", DEFAULT_SEED).read_bytes() == export.read_bytes()
    assert (
        write_waste_tours(tmp_path / "b.csv", DEFAULT_SEED + 1).read_bytes() != export.read_bytes()
    )
