"""Tests for the synthetic population register `einwohnerregister.csv`."""

import collections
import csv
import datetime
import re
from pathlib import Path

import pytest

from ogd.demo.facts import DEFAULT_SEED, POPULATION, QUARTERS, REFERENCE_DATE
from ogd.demo.population import (
    CIVIL_STATUSES,
    POPULATION_COLUMNS,
    write_population_register,
)
from ogd.demo.vocab import QUARTER_PLACES

EXPECTED_COLUMNS = [
    "personen_id",
    "ahv_nummer",
    "name",
    "vorname",
    "geburtsdatum",
    "geschlecht",
    "nationalitaet",
    "zivilstand",
    "adresse",
    "plz",
    "quartier",
    "zuzugsdatum",
]
AHV_PATTERN = re.compile(r"^756\.\d{4}\.\d{4}\.\d{2}$")

Row = dict[str, str]


@pytest.fixture(scope="module")
def register(demo_sources: Path) -> Path:
    """The population register written by `generate_demo_sources` (see tests/conftest.py);
    the test of `generate_demo_sources` itself is in test_sources.py."""
    return demo_sources / "einwohnerregister.csv"


@pytest.fixture(scope="module")
def rows(register: Path) -> list[Row]:
    """The register read back as a register consumer would."""
    with register.open(encoding="cp1252", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def parse_date(text: str) -> datetime.date:
    """Parse the register's `dd.mm.yyyy` dates."""
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def completed_years(birth: datetime.date, day: datetime.date) -> int:
    """Age in completed years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def has_valid_check_digit(ahv: str) -> bool:
    """EAN-13 check over the first 12 digits, weights 1, 3, 1, 3 … from the left."""
    digits = [int(d) for d in ahv.replace(".", "")]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]


def test_header_and_row_count(register: Path, rows: list[Row]) -> None:
    with register.open(encoding="cp1252", newline="") as handle:
        header = next(csv.reader(handle, delimiter=";"))
    assert header == EXPECTED_COLUMNS == list(POPULATION_COLUMNS)
    assert len(rows) == POPULATION


def test_encoding_is_cp1252_with_crlf(register: Path) -> None:
    data = register.read_bytes()
    assert "ü".encode("cp1252") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.count(b"\r\n") == POPULATION + 1
    assert data.count(b"\n") == data.count(b"\r\n")


def test_ids_are_unique_and_not_sequential(rows: list[Row]) -> None:
    ids = [int(row["personen_id"]) for row in rows]
    assert len(set(ids)) == POPULATION
    assert max(ids) - min(ids) > 2 * POPULATION


def test_ahv_numbers_are_valid_and_unique(rows: list[Row]) -> None:
    numbers = [row["ahv_nummer"] for row in rows]
    assert all(AHV_PATTERN.match(number) for number in numbers)
    assert all(has_valid_check_digit(number) for number in numbers)
    assert len(set(numbers)) == POPULATION


def test_check_digit_helper_on_a_known_number() -> None:
    # The example number used throughout the AHV documentation.
    assert has_valid_check_digit("756.1234.5678.97")
    assert not has_valid_check_digit("756.1234.5678.90")


def test_dates_are_consistent(rows: list[Row]) -> None:
    for row in rows:
        birth = parse_date(row["geburtsdatum"])
        moved_in = parse_date(row["zuzugsdatum"])
        assert birth <= moved_in <= REFERENCE_DATE
        assert 0 <= completed_years(birth, REFERENCE_DATE) <= 104


def test_age_pyramid_is_plausible(rows: list[Row]) -> None:
    ages = [completed_years(parse_date(r["geburtsdatum"]), REFERENCE_DATE) for r in rows]
    assert 0.13 < sum(age < 20 for age in ages) / POPULATION < 0.17
    assert 0.17 < sum(age >= 65 for age in ages) / POPULATION < 0.21
    assert 0.6 < sum(20 <= age < 65 for age in ages) / POPULATION < 0.7


def test_sex_and_nationality_shares(rows: list[Row]) -> None:
    sexes = collections.Counter(row["geschlecht"] for row in rows)
    nationalities = collections.Counter(row["nationalitaet"] for row in rows)
    assert set(sexes) == {"m", "w"}
    assert 0.5 < sexes["w"] / POPULATION < 0.53
    assert 0.72 < nationalities["Schweiz"] / POPULATION < 0.78
    assert len(nationalities) >= 40
    assert {"Deutschland", "Italien", "Portugal", "Kosovo", "Türkei"} <= set(nationalities)


def test_civil_status_fits_age(rows: list[Row]) -> None:
    statuses: collections.Counter[str] = collections.Counter()
    for row in rows:
        age = completed_years(parse_date(row["geburtsdatum"]), REFERENCE_DATE)
        statuses[row["zivilstand"]] += 1
        if age < 18:
            assert row["zivilstand"] == "ledig"
    assert set(statuses) == set(CIVIL_STATUSES)
    widowed = [r for r in rows if r["zivilstand"] == "verwitwet"]
    old = [r for r in widowed if parse_date(r["geburtsdatum"]).year <= 1960]
    assert len(old) / len(widowed) > 0.8


def test_quarters_postcodes_and_sizes(rows: list[Row]) -> None:
    sizes = collections.Counter(row["quartier"] for row in rows)
    assert set(sizes) == set(QUARTERS)
    assert min(sizes.values()) < 500
    assert max(sizes.values()) > 5_000
    postcodes = {place.name: place.plz for place in QUARTER_PLACES}
    assert tuple(postcodes) == QUARTERS
    assert all(row["plz"] == postcodes[row["quartier"]] for row in rows)
    assert {row["plz"] for row in rows} <= {
        "6003",
        "6004",
        "6005",
        "6006",
        "6014",
        "6015",
    }


def test_addresses_are_streets_of_the_quarter(rows: list[Row]) -> None:
    streets = {place.name: place.streets for place in QUARTER_PLACES}
    for row in rows:
        street, number = row["adresse"].rsplit(" ", 1)
        assert street in streets[row["quartier"]]
        assert re.fullmatch(r"\d+a?", number)


def test_fine_aggregates_have_small_cells(rows: list[Row]) -> None:
    cells = collections.Counter(
        (
            row["quartier"],
            completed_years(parse_date(row["geburtsdatum"]), REFERENCE_DATE) // 5,
            row["geschlecht"],
            row["nationalitaet"] == "Schweiz",
        )
        for row in rows
    )
    assert sum(1 for count in cells.values() if count in (1, 2)) >= 10


def test_about_forty_percent_were_born_here(rows: list[Row]) -> None:
    born_here = sum(row["zuzugsdatum"] == row["geburtsdatum"] for row in rows)
    assert 0.35 < born_here / POPULATION < 0.45


def test_same_seed_same_bytes_other_seed_other_bytes(register: Path, tmp_path: Path) -> None:
    again = write_population_register(tmp_path / "again.csv", DEFAULT_SEED)
    other = write_population_register(tmp_path / "other.csv", DEFAULT_SEED + 1)
    assert again.read_bytes() == register.read_bytes()
    assert other.read_bytes() != register.read_bytes()
