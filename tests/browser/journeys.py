"""What the citizen journeys check, by mouse or by keyboard: the filtered preview, the chart
and the downloaded CSV, all read the way a user sees them (roles, labels, German text)."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
from playwright.sync_api import Download, Locator, Page, expect

DATASET = "bevoelkerung-quartier"
TITLE = "Bevölkerung nach Quartier, Altersgruppe, Geschlecht und Herkunft"
ALL_ROWS = 1904  # rows of the published table (demo seed 1061)
QUARTER = "Altstadt"
FILTER_DETAILS = "Filter je Spalte (genauer Wert)"
DOWNLOAD = "Gefilterte Daten herunterladen (CSV)"
CHART_NAME = re.compile(r"^Balkendiagramm: Summe von anzahl nach altersgruppe")
CHART_NUMBERS = "Die Zahlen des Diagramms als Tabelle"


def number(text: str) -> float:
    """A number as the portal prints it (Swiss thousands separators)."""
    cleaned = re.sub(r"['’\u202f\u00a0 ]", "", text.strip())
    return float(cleaned) if cleaned else 0.0


def preview_table(page: Page) -> Locator:
    """The preview table, found by its column `quartier` (a data name: the same in every
    language)."""
    return page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name=re.compile(r"^quartier\b"))
    )


def preview_columns(page: Page) -> list[str]:
    """The column names of the preview (the header links without their sort hint)."""
    headers = preview_table(page).get_by_role("columnheader").all_inner_texts()
    return [re.sub(r"[\s▲▼]*\(.*\)\s*$", "", h).strip() for h in headers]


def preview_rows(page: Page) -> list[list[str]]:
    cells: list[list[str]] = preview_table(page).evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))"
    )
    return cells


def filtered_count(page: Page) -> int:
    """The number of rows the status line reports for the filtered preview."""
    status = page.get_by_role("status").filter(has_text="Zeilen")
    expect(status).to_contain_text("gefunden")
    found = re.search(r"([\d'’]+) Zeilen gefunden", status.inner_text())
    assert found, status.inner_text()
    return int(number(found[1]))


def check_filtered_preview(page: Page) -> int:
    """The preview shows only the quarter filtered on; returns the reported row count."""
    count = filtered_count(page)
    assert 0 < count < ALL_ROWS, count
    check_rows_in_quarter(page)
    return count


def check_rows_in_quarter(page: Page) -> None:
    """Every row of the preview is in the quarter filtered on (any language)."""
    columns = preview_columns(page)
    assert "quartier" in columns, columns
    at = columns.index("quartier")
    rows = preview_rows(page)
    assert rows, "the filtered preview shows rows"
    assert {row[at] for row in rows} == {QUARTER}, rows[:5]


def check_chart(page: Page) -> None:
    """The bar chart of the sum of anzahl per altersgruppe is drawn."""
    expect(page.get_by_role("img", name=CHART_NAME)).to_be_visible()


def chart_numbers(page: Page) -> dict[str, float]:
    """The chart's numbers from its table (the disclosure must be open)."""
    table = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="Summe von anzahl")
    )
    expect(table).to_be_visible()
    rows: list[list[str]] = table.evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))"
    )
    return {label: number(value) for label, value in rows}


def check_download(
    download: Download, folder: Path, columns: list[str], count: int, sums: dict[str, float]
) -> None:
    """The downloaded CSV holds exactly the filtered rows, and they add up to the chart."""
    failure = download.failure()
    assert failure is None, failure
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    target = folder / download.suggested_filename
    download.save_as(target)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == columns, reader.fieldnames
        rows = list(reader)
    assert len(rows) == count, (len(rows), count)
    assert {row["quartier"] for row in rows} == {QUARTER}
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        totals[row["altersgruppe"]] += number(row["anzahl"])
    assert sums, "the chart has numbers"
    for label, value in sums.items():
        assert totals[label] == pytest.approx(value), (label, totals[label], value)


def focused(page: Page) -> str:
    """A short description of the element that has the focus."""
    description: str = page.evaluate(
        """() => {
          const e = document.activeElement;
          if (!e) return '(none)';
          const text = (e.getAttribute('aria-label') || e.innerText || e.value || '').trim();
          return `${e.tagName.toLowerCase()} «${text.slice(0, 40)}»`;
        }"""
    )
    return description


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 250) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user does."""
    expect(target).to_have_count(1)
    key = "Shift+Tab" if backwards else "Tab"
    path: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("e => e === document.activeElement"):
            return
        path.append(focused(page))
    pytest.fail(f"{target} not reached with {key} ({limit} presses); last stops: {path[-12:]}")
