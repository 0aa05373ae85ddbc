"""Tests for the synthetic building-permit database `baugesuche.sqlite`."""

import collections
import datetime
import re
import sqlite3
from pathlib import Path

import pytest

from ogd.demo.facts import (
    BUILDING_PERMITS,
    BUILDING_PERMITS_APPROVED,
    BUILDING_PERMITS_BY_YEAR,
    BUILDING_PERMITS_PENDING,
    BUILDING_PERMITS_REJECTED,
    BUILDING_PERMITS_WITHDRAWN,
    DEFAULT_SEED,
    QUARTERS,
    REFERENCE_DATE,
)
from ogd.demo.permits import BUILDING_TYPES, PERMIT_COLUMNS, TABLE, write_permits

Row = dict[str, object]
# The query of pipelines/baugesuche.yaml, with its parameter.
PIPELINE_QUERY = (
    "SELECT id, dossier_nr, eingangsdatum, entscheiddatum, entscheid, quartier, "
    "gebaeudeart, baukosten_chf, gesuchsteller, parzelle FROM baugesuche "
    "WHERE eingangsdatum >= :since ORDER BY id"
)


def read_rows(path: Path) -> list[Row]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(f"SELECT * FROM {TABLE} ORDER BY id")]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def database(demo_sources: Path) -> Path:
    return demo_sources / "baugesuche.sqlite"


@pytest.fixture(scope="module")
def rows(database: Path) -> list[Row]:
    return read_rows(database)


def day(value: object) -> datetime.date:
    assert isinstance(value, str)
    return datetime.date.fromisoformat(value)


def test_table_columns_and_row_count(database: Path, rows: list[Row]) -> None:
    assert list(rows[0]) == list(PERMIT_COLUMNS)
    assert len(rows) == BUILDING_PERMITS == sum(BUILDING_PERMITS_BY_YEAR.values())
    assert [row["id"] for row in rows] == list(range(1, BUILDING_PERMITS + 1))
    connection = sqlite3.connect(database)
    try:
        selected = connection.execute(PIPELINE_QUERY, {"since": "2018-01-01"}).fetchall()
    finally:
        connection.close()
    assert len(selected) == BUILDING_PERMITS


def test_counts_per_year_and_decision_are_the_facts(rows: list[Row]) -> None:
    years = collections.Counter(day(row["eingangsdatum"]).year for row in rows)
    assert years == BUILDING_PERMITS_BY_YEAR
    decisions = collections.Counter(row["entscheid"] for row in rows)
    assert decisions == {
        "bewilligt": BUILDING_PERMITS_APPROVED,
        "abgelehnt": BUILDING_PERMITS_REJECTED,
        "zurückgezogen": BUILDING_PERMITS_WITHDRAWN,
        "hängig": BUILDING_PERMITS_PENDING,
    }


def test_dates_fit_the_decisions(rows: list[Row]) -> None:
    for row in rows:
        submitted = day(row["eingangsdatum"])
        assert datetime.date(2018, 1, 1) <= submitted <= REFERENCE_DATE
        assert submitted.weekday() < 5
        if row["entscheid"] == "hängig":
            assert row["entscheiddatum"] is None
        else:
            assert submitted <= day(row["entscheiddatum"]) <= REFERENCE_DATE
    pending = [day(r["eingangsdatum"]) for r in rows if r["entscheid"] == "hängig"]
    assert sum(d.year == 2025 for d in pending) / len(pending) > 0.9


def test_dossiers_quarters_types_costs(rows: list[Row]) -> None:
    dossiers = [str(row["dossier_nr"]) for row in rows]
    assert len(set(dossiers)) == BUILDING_PERMITS
    assert all(re.fullmatch(r"BG \d{4}-\d{4}", d) for d in dossiers)
    assert {row["quartier"] for row in rows} == set(QUARTERS)
    assert {row["gebaeudeart"] for row in rows} == {t.name for t in BUILDING_TYPES}
    assert all(isinstance(row["baukosten_chf"], int) and row["baukosten_chf"] > 0 for row in rows)
    assert all(
        re.fullmatch(r"\d+, GB (Littau|Luzern (rechtes|linkes) Ufer)", str(r["parzelle"]))
        for r in rows
    )


def test_applicants_are_people_and_companies(rows: list[Row]) -> None:
    applicants = [str(row["gesuchsteller"]) for row in rows]
    companies = sum(
        bool(re.search(r"\b(AG|GmbH)\b|genossenschaft|Stadt Luzern", a)) for a in applicants
    )
    assert 0.2 < companies / len(applicants) < 0.7


def test_solar_installations_grow(rows: list[Row]) -> None:
    solar = collections.Counter(
        day(r["eingangsdatum"]).year for r in rows if r["gebaeudeart"] == "Solaranlage"
    )
    assert solar[2025] > 2 * solar[2018]


def test_same_seed_same_rows_other_seed_other_rows(
    database: Path, rows: list[Row], tmp_path: Path
) -> None:
    again = write_permits(tmp_path / "again.sqlite", DEFAULT_SEED)
    assert read_rows(again) == rows
    assert again.read_bytes() == database.read_bytes()
    assert read_rows(write_permits(tmp_path / "other.sqlite", DEFAULT_SEED + 1)) != rows
