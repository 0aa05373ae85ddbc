"""Tests for the recorded parking-guidance API pages `parkleitsystem/seite-N.json`."""

import collections
import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from ogd.demo.facts import (
    CAR_PARKS,
    DEFAULT_SEED,
    PARKING_CAPACITY,
    PARKING_DAYS,
    PARKING_FIRST_DAY,
    PARKING_HOURS,
    PARKING_PAGE_SIZE,
    PARKING_PAGES,
    PARKING_READINGS,
)
from ogd.demo.parking import RECORD_KEYS, page_name, write_parking_pages

Record = dict[str, Any]


@pytest.fixture(scope="module")
def folder(demo_sources: Path) -> Path:
    return demo_sources / "parkleitsystem"


@pytest.fixture(scope="module")
def pages(folder: Path) -> list[dict[str, Any]]:
    return [
        json.loads((folder / page_name(n)).read_text("utf-8")) for n in range(1, PARKING_PAGES + 1)
    ]


@pytest.fixture(scope="module")
def records(pages: list[dict[str, Any]]) -> list[Record]:
    return [record for page in pages for record in page["data"]]


def local(record: Record) -> datetime.datetime:
    stamp = datetime.datetime.fromisoformat(record["datestamp"])
    assert stamp.utcoffset() == datetime.timedelta(hours=1)
    return stamp.replace(tzinfo=None)


def test_pages_chain_with_next_links(folder: Path, pages: list[dict[str, Any]]) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        page_name(n) for n in range(1, PARKING_PAGES + 1)
    )
    for number, page in enumerate(pages, 1):
        assert page["status"] == "success"
        if number < PARKING_PAGES:
            assert page["next"] == page_name(number + 1)
            assert len(page["data"]) == PARKING_PAGE_SIZE
        else:
            assert "next" not in page
            assert 0 < len(page["data"]) <= PARKING_PAGE_SIZE


def test_records_are_the_real_car_parks(records: list[Record]) -> None:
    assert len(records) == PARKING_READINGS == len(CAR_PARKS) * PARKING_DAYS * 96
    assert all(tuple(record) == RECORD_KEYS for record in records)
    parks = {(r["parking_id"], r["description"], r["capacity"]) for r in records}
    assert parks == set(CAR_PARKS)
    assert sum(capacity for _, _, capacity in CAR_PARKS) == PARKING_CAPACITY
    assert all(0 <= r["vacancy"] <= r["capacity"] for r in records)


def test_four_readings_per_car_park_and_hour(records: list[Record]) -> None:
    hours = collections.Counter(
        (r["parking_id"], local(r).replace(minute=0, second=0)) for r in records
    )
    assert set(hours.values()) == {4}
    assert len(hours) == len(CAR_PARKS) * PARKING_HOURS
    days = {local(r).date() for r in records}
    last = PARKING_FIRST_DAY + datetime.timedelta(days=PARKING_DAYS - 1)
    assert min(days) == PARKING_FIRST_DAY and max(days) == last


def occupancy(records: list[Record], park: str, weekday: int, hour: int) -> float:
    shares: list[float] = [
        1 - r["vacancy"] / r["capacity"]
        for r in records
        if r["parking_id"] == park and local(r).weekday() == weekday and local(r).hour == hour
    ]
    return sum(shares) / len(shares)


def test_daily_patterns_are_plausible(records: list[Record]) -> None:
    assert occupancy(records, "SP02", 5, 14) > 0.8 > 0.2 > occupancy(records, "SP02", 5, 3)
    assert occupancy(records, "SP05", 1, 10) > occupancy(records, "SP05", 6, 10) + 0.2
    assert any(r["vacancy"] == 0 for r in records)  # full on Saturday afternoons


def test_same_seed_same_bytes(folder: Path, tmp_path: Path) -> None:
    again = write_parking_pages(tmp_path / "again", DEFAULT_SEED)
    for number in range(1, PARKING_PAGES + 1):
        name = page_name(number)
        assert (again / name).read_bytes() == (folder / name).read_bytes()
    other = write_parking_pages(tmp_path / "other", DEFAULT_SEED + 1)
    assert (other / page_name(1)).read_bytes() != (folder / page_name(1)).read_bytes()
