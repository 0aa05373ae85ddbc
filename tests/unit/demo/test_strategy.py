"""Tests for the digital strategy's portfolio `digitalstrategie.xlsx`."""

import collections
import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from ogd.demo.facts import (
    DEFAULT_SEED,
    REFERENCE_DATE,
    STRATEGY_BUDGET_APPROVED,
    STRATEGY_FIELDS,
    STRATEGY_MEASURES,
    STRATEGY_RANGE,
    STRATEGY_SHEET,
    STRATEGY_STATUS,
)
from ogd.demo.strategy import write_strategy


def read_cells(path: Path) -> tuple[list[tuple[Any, ...]], set[str]]:
    """All rows of the sheet (values) and its merged ranges."""
    workbook = openpyxl.load_workbook(path)
    try:
        assert workbook.sheetnames == [STRATEGY_SHEET]
        sheet = workbook[STRATEGY_SHEET]
        rows = list(sheet.iter_rows(values_only=True))
        return rows, {str(cells) for cells in sheet.merged_cells.ranges}
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def workbook(demo_sources: Path) -> Path:
    return demo_sources / "digitalstrategie.xlsx"


@pytest.fixture(scope="module")
def sheet(workbook: Path) -> tuple[list[tuple[Any, ...]], set[str]]:
    return read_cells(workbook)


@pytest.fixture(scope="module")
def measures(sheet: tuple[list[tuple[Any, ...]], set[str]]) -> list[tuple[Any, ...]]:
    _, top, _, bottom = range_boundaries(STRATEGY_RANGE)
    assert top is not None and bottom is not None
    return sheet[0][top + 1 : bottom]  # rows 5 … 40 (0-based list, two header rows)


def test_title_and_two_row_header_with_merged_cells(
    sheet: tuple[list[tuple[Any, ...]], set[str]],
) -> None:
    rows, merged = sheet
    assert str(rows[0][0]).startswith("Digitalstrategie Stadt Luzern")
    assert rows[2] == ("ID", "Handlungsfeld", "Massnahme", "Federführung", "Status",
                       "Zeitraum", None, "Budget (CHF)", None)  # fmt: skip
    assert rows[3] == (None, None, None, None, None, "Start", "Ende", "bewilligt", "beansprucht")
    assert {"F3:G3", "H3:I3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "A1:I1"} <= merged


def test_data_rows_fill_the_range_and_the_total_lies_outside(
    sheet: tuple[list[tuple[Any, ...]], set[str]], measures: list[tuple[Any, ...]]
) -> None:
    rows, _ = sheet
    assert STRATEGY_RANGE == "A3:I40"
    assert len(measures) == STRATEGY_MEASURES
    assert all(row[0] for row in measures)
    assert rows[40] == (None,) * 9  # row 41 blank
    assert rows[41][0] == "Total" and rows[41][7] == STRATEGY_BUDGET_APPROVED


def test_measures_are_the_facts(measures: list[tuple[Any, ...]]) -> None:
    assert len({row[0] for row in measures}) == STRATEGY_MEASURES
    fields = collections.Counter(row[1] for row in measures)
    assert len(fields) == STRATEGY_FIELDS and set(fields.values()) == {6}
    assert collections.Counter(row[4] for row in measures) == STRATEGY_STATUS
    assert sum(row[7] for row in measures) == STRATEGY_BUDGET_APPROVED
    assert all(isinstance(row[7], int) and isinstance(row[8], int) for row in measures)


def test_dates_fit_the_status(measures: list[tuple[Any, ...]]) -> None:
    reference = datetime.datetime.combine(REFERENCE_DATE, datetime.time())
    for row in measures:
        status, start, end = row[4], row[5], row[6]
        assert isinstance(start, datetime.datetime)  # a real Excel date
        if status == "sistiert":
            assert end is None
            continue
        assert isinstance(end, datetime.datetime) and start < end
        if status == "abgeschlossen":
            assert end <= reference and row[8] > 0
        elif status == "in Umsetzung":
            assert start <= reference < end
        else:
            assert start > reference and row[8] == 0


def test_same_seed_same_bytes_other_seed_other_cells(
    workbook: Path, sheet: tuple[list[tuple[Any, ...]], set[str]], tmp_path: Path
) -> None:
    again = write_strategy(tmp_path / "again.xlsx", DEFAULT_SEED)
    assert again.read_bytes() == workbook.read_bytes()
    assert read_cells(write_strategy(tmp_path / "other.xlsx", DEFAULT_SEED + 1)) != sheet
