"""Tests for the synthetic web-analytics export `online-dienste.csv`."""

import collections
import csv
import datetime
from pathlib import Path

import pytest

from ogd.demo.eservices import (
    ESERVICE_COLUMNS,
    MISSING,
    SERVICES,
    lookup_rows,
    write_usage,
)
from ogd.demo.facts import (
    DEFAULT_SEED,
    ONLINE_APP_LAUNCH,
    ONLINE_OUTAGE_DAYS_PER_YEAR,
    ONLINE_ROWS,
    ONLINE_SERVICES,
    ONLINE_TRANSACTIONS,
)

ROOT = Path(__file__).resolve().parents[3]
LOOKUP = ROOT / "pipelines" / "lookups" / "online-dienste.csv"

Row = dict[str, str]


@pytest.fixture(scope="module")
def export(demo_sources: Path) -> Path:
    return demo_sources / "online-dienste.csv"


@pytest.fixture(scope="module")
def rows(export: Path) -> list[Row]:
    with export.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_utf8_comma_lf_without_bom(export: Path, rows: list[Row]) -> None:
    data = export.read_bytes()
    assert data.startswith(b"dienst_code,kanal,datum,")
    assert b"\r" not in data
    assert list(rows[0]) == list(ESERVICE_COLUMNS)
    assert len(rows) == ONLINE_ROWS


def test_services_channels_and_days(rows: list[Row]) -> None:
    assert len({row["dienst_code"] for row in rows}) == ONLINE_SERVICES == len(SERVICES)
    in_app = {service.code for service in SERVICES if service.in_app}
    app = [row for row in rows if row["kanal"] == "app"]
    assert {row["dienst_code"] for row in app} == in_app
    assert min(datetime.date.fromisoformat(row["datum"]) for row in app) == ONLINE_APP_LAUNCH
    keys = [(row["dienst_code"], row["kanal"], row["datum"]) for row in rows]
    assert len(set(keys)) == len(keys)


def test_missing_values_are_dashes_on_outage_days(rows: list[Row]) -> None:
    missing_days = {row["datum"] for row in rows if row["sitzungen"] == MISSING}
    per_year = collections.Counter(day[:4] for day in missing_days)
    assert per_year == {"2024": ONLINE_OUTAGE_DAYS_PER_YEAR, "2025": ONLINE_OUTAGE_DAYS_PER_YEAR}
    for row in rows:
        if row["datum"] in missing_days:
            assert row["sitzungen"] == row["abgeschlossene_transaktionen"] == MISSING
        elif row["dienst_code"] == "ABK":
            assert row["abgeschlossene_transaktionen"] == MISSING
            assert int(row["sitzungen"]) >= 0
        else:
            assert int(row["sitzungen"]) >= int(row["abgeschlossene_transaktionen"]) >= 0


def test_transactions_per_year_are_the_facts(rows: list[Row]) -> None:
    totals: collections.Counter[int] = collections.Counter()
    for row in rows:
        if row["abgeschlossene_transaktionen"] != MISSING:
            totals[int(row["datum"][:4])] += int(row["abgeschlossene_transaktionen"])
    assert totals == ONLINE_TRANSACTIONS


def test_tax_extensions_peak_in_march(rows: list[Row]) -> None:
    months: collections.Counter[str] = collections.Counter()
    for row in rows:
        if row["dienst_code"] == "STF" and row["abgeschlossene_transaktionen"] != MISSING:
            months[row["datum"][5:7]] += int(row["abgeschlossene_transaktionen"])
    assert months.most_common(1)[0][0] == "03"


def test_lookup_table_names_every_code() -> None:
    with LOOKUP.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["code", "name"]
    assert [tuple(row) for row in table[1:]] == lookup_rows()
    assert {code for code, _ in lookup_rows()} == {service.code for service in SERVICES}


def test_same_seed_same_bytes_other_seed_other_bytes(export: Path, tmp_path: Path) -> None:
    assert write_usage(tmp_path / "a.csv", DEFAULT_SEED).read_bytes() == export.read_bytes()
    assert write_usage(tmp_path / "b.csv", DEFAULT_SEED + 1).read_bytes() != export.read_bytes()
