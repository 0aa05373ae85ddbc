"""A steward logs in, runs a pipeline from the dashboard, watches it finish, reads the run's
validation and privacy reports and gives the dataset a French title."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
PIPELINE = "bevoelkerung-bewegungen"  # of einwohnerdienste; the fixture has not run it yet
FRENCH_TITLE = "Mouvements de la population (titre de test)"
RUN_TIMEOUT_MS = 120_000


def test_steward_runs_a_pipeline_reads_its_reports_and_edits_a_french_title(page: Page) -> None:
    page.goto("/steward/")
    expect(page).to_have_url(re.compile(r"/user/login"))
    log_in(page)
    expect(page).to_have_url(re.compile(r"/steward/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht der Pipelines")
    expect(page.get_by_role("button", name="Abmelden (anna)")).to_be_visible()

    row = page.get_by_role("row").filter(has=page.get_by_text(PIPELINE, exact=True))
    expect(row).to_contain_text("noch nie")
    row.get_by_role("button", name="Jetzt ausführen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lauf von {PIPELINE}")
    to_run = page.get_by_role("link", name="Zum Lauf mit allen Berichten")
    expect(to_run).to_be_visible(timeout=RUN_TIMEOUT_MS)  # the page follows the run
    expect(page.get_by_role("status")).to_contain_text("beendet")
    expect(page.get_by_text("Ergebnis")).to_contain_text("veröffentlicht")

    to_run.click()
    expect(page).to_have_url(re.compile(r"/steward/runs/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lauf von {PIPELINE}")
    validation = page.get_by_role("region", name="Befunde der Validierung")
    expect(validation).to_be_visible()
    expect(validation).to_contain_text(re.compile(r"Keine Befunde|Fehlerart"))
    privacy = page.get_by_role("region", name="Datenschutzbericht")
    expect(privacy).to_be_visible()
    expect(privacy).to_contain_text("Entfernte Identifikatoren")
    expect(privacy).to_contain_text("ahv_nummer")  # identifiers are dropped first
    expect(privacy).to_contain_text("Gesperrte Zellen in anzahl")

    page.get_by_role("navigation", name="Bereich Datenverantwortliche").get_by_role(
        "link", name="Übersicht"
    ).click()
    row = page.get_by_role("row").filter(has=page.get_by_text(PIPELINE, exact=True))
    expect(row).to_contain_text("veröffentlicht")
    row.get_by_role("link", name="Metadaten bearbeiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Metadaten bearbeiten")
    french = page.get_by_role("group", name="Français")
    french.get_by_label("Titel").fill(FRENCH_TITLE)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_have_text("Die Metadaten sind gespeichert.")
    expect(page.get_by_role("alert")).to_have_count(0)

    page.goto(f"/dataset/{PIPELINE}?lang=fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(FRENCH_TITLE)
    page.goto(f"/dataset/{PIPELINE}?lang=de")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(FRENCH_TITLE)
