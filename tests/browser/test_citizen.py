"""A citizen looks for population figures: search, dataset page, filtered preview, chart,
download of the filtered rows, French and back; once by mouse, once by keyboard only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import Portal
from tests.browser.journeys import (
    CHART_NUMBERS,
    DATASET,
    DOWNLOAD,
    FILTER_DETAILS,
    QUARTER,
    TITLE,
    chart_numbers,
    check_chart,
    check_download,
    check_filtered_preview,
    check_rows_in_quarter,
    preview_columns,
    tab_to,
)

pytestmark = pytest.mark.browser


def french_title(portal: Portal) -> str:
    shown = requests.get(
        f"{portal.url}/api/3/action/package_show", params={"id": DATASET}, timeout=10
    ).json()
    title: str = shown["result"]["title_translated"]["fr"]
    assert title and title != TITLE
    return title


def test_citizen_searches_filters_charts_downloads_and_switches_language(
    page: Page, portal: Portal, tmp_path: Path
) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="Datensätze durchsuchen").fill("Bevölkerung")
    page.get_by_role("button", name="Suchen").click()
    expect(
        page.get_by_role("heading", name=re.compile("gefunden für «Bevölkerung»"))
    ).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.get_by_text(FILTER_DETAILS).click()
    page.get_by_label("quartier", exact=True).fill(QUARTER)
    page.get_by_role("button", name="Filtern").click()
    count = check_filtered_preview(page)

    page.get_by_label("x-Achse (Kategorie)").select_option("altersgruppe")
    page.get_by_label("y-Achse (Summe)").select_option("anzahl")
    page.get_by_role("radio", name="Balken").check()
    page.get_by_role("button", name="Diagramm zeigen").click()
    check_chart(page)
    assert check_filtered_preview(page) == count, "the chart keeps the filter"
    page.get_by_text(CHART_NUMBERS).click()
    sums = chart_numbers(page)

    with page.expect_download() as info:
        page.get_by_role("link", name=DOWNLOAD).click()
    check_download(info.value, tmp_path, preview_columns(page), count, sums)

    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(french_title(portal))
    expect(page.get_by_text(DOWNLOAD)).to_have_count(0)  # the interface is French too
    check_rows_in_quarter(page)  # the filter survives the language switch
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert check_filtered_preview(page) == count


def test_citizen_journey_by_keyboard_only(page: Page, portal: Portal, tmp_path: Path) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("e => e === document.activeElement"), "the first Tab stop is the skip link"

    tab_to(page, page.get_by_role("searchbox", name="Datensätze durchsuchen"))
    page.keyboard.type("Bevölkerung")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name=re.compile("gefunden für «Bevölkerung»"))
    ).to_be_visible()
    tab_to(page, page.get_by_role("link", name=TITLE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    tab_to(page, page.get_by_role("link", name="Français"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(french_title(portal))
    tab_to(page, page.get_by_role("link", name="Deutsch"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    tab_to(page, page.get_by_text(FILTER_DETAILS))
    page.keyboard.press("Enter")  # opens the per-column filters
    tab_to(page, page.get_by_label("quartier", exact=True))
    page.keyboard.type(QUARTER)
    tab_to(page, page.get_by_role("button", name="Filtern"))
    page.keyboard.press("Space")
    count = check_filtered_preview(page)

    x_axis = page.get_by_label("x-Achse (Kategorie)")
    tab_to(page, x_axis)
    page.keyboard.type("altersgruppe")  # type-ahead picks the option
    expect(x_axis).to_have_value("altersgruppe")
    y_axis = page.get_by_label("y-Achse (Summe)")
    tab_to(page, y_axis)
    page.keyboard.type("anzahl")
    expect(y_axis).to_have_value("anzahl")
    bars = page.get_by_role("radio", name="Balken")
    tab_to(page, bars)
    page.keyboard.press("Space")
    expect(bars).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Diagramm zeigen"))
    page.keyboard.press("Enter")
    check_chart(page)
    assert check_filtered_preview(page) == count, "the chart keeps the filter"
    tab_to(page, page.get_by_text(CHART_NUMBERS))
    page.keyboard.press("Space")
    sums = chart_numbers(page)

    tab_to(page, page.get_by_role("link", name=DOWNLOAD), backwards=True)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    check_download(info.value, tmp_path, preview_columns(page), count, sums)
