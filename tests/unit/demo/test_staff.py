"""Tests for the synthetic staff register `personalregister.xlsx`."""

import collections
import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ogd.demo.facts import (
    ADMINISTRATION_OLDER_THAN_51,
    APPRENTICE_PROFESSIONS,
    APPRENTICE_TITLE,
    APPRENTICES,
    APPRENTICES_PER_PROFESSION_MIN,
    DEFAULT_SEED,
    JOB_TITLES,
    REFERENCE_DATE,
    STAFF,
    STAFF_ADMINISTRATION,
    STAFF_NATIONALITIES,
    STAFF_SCHOOL,
)
from ogd.demo.staff import STAFF_COLUMNS, write_staff_register

EXPECTED_COLUMNS = [
    "personalnummer",
    "name",
    "vorname",
    "geburtsdatum",
    "geschlecht",
    "nationalitaet",
    "bereich",
    "departement",
    "funktion",
    "beschaeftigungsgrad",
    "eintrittsdatum",
    "lehrberuf",
]
DEPARTMENTS = {
    "Bildungsdirektion",
    "Finanzdirektion",
    "Sozial- und Sicherheitsdirektion",
    "Umwelt- und Mobilitätsdirektion",
    "Baudirektion",
    "Stadtkanzlei",
}
PROFESSIONS = {
    "Kauffrau/Kaufmann EFZ",
    "Informatiker/in EFZ",
    "Fachfrau/Fachmann Betreuung EFZ",
    "Gärtner/in EFZ",
    "Fachmann/Fachfrau Betriebsunterhalt EFZ",
    "Mediamatiker/in EFZ",
    "Koch/Köchin EFZ",
    "Zeichner/in EFZ",
    "Forstwart/in EFZ",
    "Strassenbauer/in EFZ",
    "Fachfrau/Fachmann Gesundheit EFZ",
    "Logistiker/in EFZ",
    "Entwickler/in digitales Business EFZ",
}

Row = dict[str, Any]


def read_sheet(path: Path) -> list[tuple[Any, ...]]:
    """All rows of the `Mitarbeitende` sheet, header first, read-only as a consumer."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ["Mitarbeitende"]
        return list(workbook["Mitarbeitende"].iter_rows(values_only=True))
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The staff register, written once for the module with the default seed."""
    return write_staff_register(tmp_path_factory.mktemp("staff") / "personal.xlsx")


@pytest.fixture(scope="module")
def sheet(register: Path) -> list[tuple[Any, ...]]:
    """The sheet's rows, header included."""
    return read_sheet(register)


@pytest.fixture(scope="module")
def rows(sheet: list[tuple[Any, ...]]) -> list[Row]:
    """Data rows keyed by header; dates as `datetime.date`."""
    records = [dict(zip(sheet[0], values, strict=True)) for values in sheet[1:]]
    for record in records:
        for key in ("geburtsdatum", "eintrittsdatum"):
            assert isinstance(record[key], datetime.datetime)  # a real Excel date
            record[key] = record[key].date()
    return records


def completed_years(birth: datetime.date, day: datetime.date) -> int:
    """Age in completed years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age(row: Row) -> int:
    """Age at the reference date."""
    return completed_years(row["geburtsdatum"], REFERENCE_DATE)


def test_header_and_row_counts(sheet: list[tuple[Any, ...]], rows: list[Row]) -> None:
    assert list(sheet[0]) == EXPECTED_COLUMNS == list(STAFF_COLUMNS)
    assert len(rows) == STAFF == STAFF_ADMINISTRATION + STAFF_SCHOOL == 2_700
    areas = collections.Counter(row["bereich"] for row in rows)
    assert areas == {"Verwaltung": STAFF_ADMINISTRATION, "Volksschule": STAFF_SCHOOL}


def test_personnel_numbers_are_unique_ints(rows: list[Row]) -> None:
    numbers = [row["personalnummer"] for row in rows]
    assert all(isinstance(number, int) for number in numbers)
    assert len(set(numbers)) == STAFF


def test_departments(rows: list[Row]) -> None:
    for row in rows:
        if row["bereich"] == "Volksschule":
            assert row["departement"] == "Bildungsdirektion"
        else:
            assert row["departement"] in DEPARTMENTS
    administration = {r["departement"] for r in rows if r["bereich"] == "Verwaltung"}
    assert administration == DEPARTMENTS


def test_every_department_has_three_of_each_sex(rows: list[Row]) -> None:
    assert {row["geschlecht"] for row in rows} == {"m", "w"}
    counts = collections.Counter(
        (row["departement"], row["geschlecht"]) for row in rows if row["bereich"] == "Verwaltung"
    )
    for department in DEPARTMENTS:
        assert counts[department, "m"] >= 3
        assert counts[department, "w"] >= 3


def test_nationalities(rows: list[Row]) -> None:
    nationalities = collections.Counter(row["nationalitaet"] for row in rows)
    assert len(nationalities) == STAFF_NATIONALITIES == 49
    assert nationalities.most_common(1)[0][0] == "Schweiz"
    assert nationalities["Schweiz"] / STAFF > 0.75


def test_job_titles(rows: list[Row]) -> None:
    titles = {row["funktion"] for row in rows}
    assert len(titles) == JOB_TITLES > 100
    assert APPRENTICE_TITLE in titles
    assert {
        "Lehrperson Primarstufe",
        "Hauswart/in",
        "Projektleiter/in Hochbau",
    } <= titles


def test_apprentices(rows: list[Row]) -> None:
    apprentices = [row for row in rows if row["lehrberuf"] is not None]
    assert len(apprentices) == APPRENTICES >= 60
    assert all(row["bereich"] == "Verwaltung" for row in apprentices)
    assert all(row["funktion"] == APPRENTICE_TITLE for row in apprentices)
    assert all(15 <= age(row) <= 22 for row in apprentices)
    assert all(row["beschaeftigungsgrad"] == 100 for row in apprentices)
    others = [row for row in rows if row["lehrberuf"] is None]
    assert all(row["funktion"] != APPRENTICE_TITLE for row in others)


def test_apprentice_professions(rows: list[Row]) -> None:
    professions = collections.Counter(row["lehrberuf"] for row in rows)
    del professions[None]
    assert set(professions) == PROFESSIONS
    assert len(professions) == APPRENTICE_PROFESSIONS == 13
    assert min(professions.values()) >= APPRENTICES_PER_PROFESSION_MIN >= 3


def test_ages(rows: list[Row]) -> None:
    assert all(15 <= age(row) <= 65 for row in rows)
    older = [r for r in rows if r["bereich"] == "Verwaltung" and age(r) >= 52]
    assert len(older) == ADMINISTRATION_OLDER_THAN_51 == 630


def test_employment_grade(rows: list[Row]) -> None:
    grades = [row["beschaeftigungsgrad"] for row in rows]
    assert all(isinstance(grade, int) and 10 <= grade <= 100 for grade in grades)
    assert len(set(grades)) > 5


def test_entry_after_fifteenth_birthday_and_by_reference_date(rows: list[Row]) -> None:
    for row in rows:
        entry = row["eintrittsdatum"]
        assert entry <= REFERENCE_DATE
        day_before = entry - datetime.timedelta(days=1)
        assert completed_years(row["geburtsdatum"], day_before) >= 15


def test_same_seed_same_cells_and_bytes(
    register: Path, sheet: list[tuple[Any, ...]], tmp_path: Path
) -> None:
    again = write_staff_register(tmp_path / "again.xlsx", DEFAULT_SEED)
    assert read_sheet(again) == sheet
    assert again.read_bytes() == register.read_bytes()


def test_other_seed_other_cells(sheet: list[tuple[Any, ...]], tmp_path: Path) -> None:
    other = write_staff_register(tmp_path / "other.xlsx", DEFAULT_SEED + 1)
    assert read_sheet(other) != sheet
