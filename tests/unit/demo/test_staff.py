"""Tests for the synthetic staff register `personalregister.xlsx`."""

import collections
import datetime
import statistics
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ogd.demo.facts import (
    ADMINISTRATION_OLDER_THAN_51,
    APPRENTICE_PROFESSIONS,
    APPRENTICE_SALARY_MAX,
    APPRENTICE_SALARY_MIN,
    APPRENTICE_TITLE,
    APPRENTICES,
    APPRENTICES_PER_PROFESSION_MIN,
    DEFAULT_SEED,
    JOB_TITLES,
    REFERENCE_DATE,
    SALARY_GRADE_APPRENTICE,
    SALARY_GRADES,
    SALARY_MAX,
    SALARY_MEDIAN,
    SALARY_MIN,
    STAFF,
    STAFF_ADMINISTRATION,
    STAFF_NATIONALITIES,
    STAFF_SCHOOL,
)
from ogd.demo.staff import (
    APPRENTICE_PAY,
    SALARY_SCALE,
    STAFF_COLUMNS,
    TITLE_GRADES,
    build_staff,
    write_staff_register,
)
from ogd.demo.vocab import DEPARTMENTS as DEPARTMENT_LIST
from ogd.demo.vocab import SCHOOL_TITLES

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
    "lohnklasse",
    "jahreslohn",
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


# --- pay: lohnklasse and jahreslohn -----------------------------------------------------


def test_every_job_title_has_a_salary_grade() -> None:
    titles = {t for t, _ in SCHOOL_TITLES} | {t for d in DEPARTMENT_LIST for t, _ in d.titles}
    assert set(TITLE_GRADES) == titles | {APPRENTICE_TITLE}
    assert len(TITLE_GRADES) == JOB_TITLES
    assert set(TITLE_GRADES.values()) == set(range(1, SALARY_GRADES + 1))


def test_salary_scale() -> None:
    assert sorted(SALARY_SCALE) == list(range(SALARY_GRADE_APPRENTICE + 1, SALARY_GRADES + 1))
    assert SALARY_SCALE[2][0] == SALARY_MIN
    assert SALARY_SCALE[SALARY_GRADES][1] == SALARY_MAX
    for grade in range(3, SALARY_GRADES + 1):
        (low, high), (below_low, below_high) = SALARY_SCALE[grade], SALARY_SCALE[grade - 1]
        assert low > below_low and high > below_high and high > low
    pay = list(APPRENTICE_PAY.values())
    assert pay == sorted(pay)
    assert APPRENTICE_SALARY_MIN <= pay[0] and pay[-1] <= APPRENTICE_SALARY_MAX


def test_salary_grades(rows: list[Row]) -> None:
    grades = [row["lohnklasse"] for row in rows]
    assert all(isinstance(grade, int) for grade in grades)
    assert set(grades) == set(range(1, SALARY_GRADES + 1))
    for row in rows:
        apprentice = row["lehrberuf"] is not None
        assert (row["lohnklasse"] == SALARY_GRADE_APPRENTICE) == apprentice
        assert abs(row["lohnklasse"] - TITLE_GRADES[row["funktion"]]) <= (0 if apprentice else 1)


def test_salary_grades_fit_the_functions(rows: list[Row]) -> None:
    def median_grade(title: str) -> float:
        return float(statistics.median(r["lohnklasse"] for r in rows if r["funktion"] == title))

    teachers = [r["lohnklasse"] for r in rows if r["funktion"].startswith("Lehrperson")]
    assert all(12 <= grade <= 17 for grade in teachers)
    assert median_grade("Reinigungsmitarbeiter/in") <= 3
    assert median_grade("Sachbearbeiter/in Steuern") < median_grade("Lehrperson Primarstufe")
    assert median_grade("Lehrperson Primarstufe") < median_grade("Schulleiter/in")
    assert median_grade("Stadtschreiber/in") >= 24


def test_salaries_fit_the_grades(rows: list[Row]) -> None:
    for row in rows:
        salary = row["jahreslohn"]
        assert isinstance(salary, int)
        if row["lohnklasse"] == SALARY_GRADE_APPRENTICE:
            assert salary in APPRENTICE_PAY.values()
            assert APPRENTICE_SALARY_MIN <= salary <= APPRENTICE_SALARY_MAX
        else:
            low, high = SALARY_SCALE[row["lohnklasse"]]
            assert SALARY_MIN <= low <= salary <= high <= SALARY_MAX


def test_salary_median_and_spread(rows: list[Row]) -> None:
    salaries = [row["jahreslohn"] for row in rows]
    assert statistics.median(salaries) == SALARY_MEDIAN
    assert len(set(salaries)) > 1_000  # drawn, not a table lookup
    by_grade = collections.defaultdict(list)
    for row in rows:
        by_grade[row["lohnklasse"]].append(row["jahreslohn"])
    # The median rises with the grade wherever a grade has enough people to tell.
    medians = [statistics.median(by_grade[g]) for g in sorted(by_grade) if len(by_grade[g]) >= 20]
    assert len(medians) >= 15
    assert medians == sorted(medians)


def test_salary_rises_with_experience(rows: list[Row]) -> None:
    teachers = [r for r in rows if r["funktion"] == "Lehrperson Primarstufe"]
    young = [r["jahreslohn"] for r in teachers if age(r) < 35]
    old = [r["jahreslohn"] for r in teachers if age(r) >= 50]
    assert statistics.mean(old) > statistics.mean(young) * 1.1


def test_apprentice_pay_follows_the_year(rows: list[Row]) -> None:
    for row in rows:
        if row["lehrberuf"] is not None:
            year = min(REFERENCE_DATE.year - row["eintrittsdatum"].year + 1, 4)
            assert row["jahreslohn"] == APPRENTICE_PAY[year]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pay_facts_hold_for_any_seed(seed: int) -> None:
    members = build_staff(seed)
    assert statistics.median(m.jahreslohn for m in members) == SALARY_MEDIAN
    assert {m.lohnklasse for m in members} == set(range(1, SALARY_GRADES + 1))
