"""Browser tests: a small demo instance on `ogd serve`, driven by Debian's headless Chromium.

One instance and one server for the whole session (the demo sources, three pipelines run
with `ogd run`, a steward of `einwohnerdienste`); every test gets fresh browser contexts.
German first: contexts ask for `de-CH`, as a browser in Luzern does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    StorageState,
    expect,
    sync_playwright,
)

from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd, serve

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = HERE / "output"  # screenshots (git-ignored)
PIPELINES = ("bevoelkerung-quartier", "abfall-quartier", "gemeinden-kanton-luzern")
STEWARD = "anna"
PASSWORD = "Pilatus-Rigi-2024"
TIMEOUT_MS = 10_000  # a missing element fails in seconds, not Playwright's 30 s
WIDE, NARROW = 1280, 375

# The pages every page-wide check visits: name -> path. `run` is the steward page of the
# fixture's run of bevoelkerung-quartier (its id is only known once the instance exists).
PUBLIC_PAGES = {
    "home": "/",
    "search": "/dataset/?q=Bevölkerung",
    "dataset": "/dataset/bevoelkerung-quartier",
    "dataset-chart": (
        "/dataset/bevoelkerung-quartier?f.quartier=Altstadt&x=altersgruppe&y=anzahl&chart=bar"
    ),
    "organisation": "/organization/einwohnerdienste",
    "api": "/api-docs/",
    "login": "/user/login",
}
STEWARD_PAGES = ("dashboard", "run")
PAGES = (*PUBLIC_PAGES, *STEWARD_PAGES)


def missing(message: str) -> None:
    """A missing tool skips the test here, but fails it under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Portal:
    """The running demo portal."""

    url: str
    env: dict[str, str]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory, demo_sources: Path) -> Iterator[Portal]:
    """The demo sources (`ogd demo`, generated once per session), three pipelines run with
    `ogd run`, a steward with a password, and `ogd serve` on a free port."""
    base = tmp_path_factory.mktemp("browser-portal")
    env = ogd_env(base / "var", demo_sources)
    for args in (
        ["run", *PIPELINES],
        ["user", "create", STEWARD, "--org", "einwohnerdienste", "--role", "editor"],
    ):
        done = run_ogd(args, env, ROOT)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    password = subprocess.run(
        [sys.executable, "-m", "ogd", "user", "password", STEWARD, "--stdin"],
        input=PASSWORD + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert password.returncode == 0, password.stderr
    log = base / "serve.log"
    with serve(env, ROOT, log) as url:
        yield Portal(url, env, log)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright's own browser download does not work here)."""
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"{CHROMIUM} is missing: `make install` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, portal: Portal) -> Iterator[NewContext]:
    """Make browser contexts on the portal (German, 1280 px wide); closed after the test."""
    made: list[BrowserContext] = []

    def make(width: int = WIDE, **options: Any) -> BrowserContext:
        settings: dict[str, Any] = {
            "base_url": portal.url,
            "locale": "de-CH",
            "viewport": {"width": width, "height": 900},
            "accept_downloads": True,
        }
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    """A page in a fresh German context."""
    return new_context().new_page()


def log_in(page: Page, name: str = STEWARD, password: str = PASSWORD) -> None:
    """Fill and send the login form the page shows."""
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


@pytest.fixture(scope="session")
def steward_state(browser: Browser, portal: Portal) -> StorageState:
    """The cookies of a steward logged in through the login form."""
    context = browser.new_context(base_url=portal.url, locale="de-CH")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/steward/")  # sends to the login form, and back after it
        log_in(page)
        expect(page).to_have_url(re.compile(r"/steward/$"))
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture(scope="session")
def run_path(browser: Browser, portal: Portal, steward_state: StorageState) -> str:
    """The steward page of the fixture's run of bevoelkerung-quartier, from the dashboard."""
    context = browser.new_context(base_url=portal.url, locale="de-CH", storage_state=steward_state)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/steward/")
        row = page.get_by_role("row").filter(has_text="bevoelkerung-quartier")
        link = row.locator('a[href*="/steward/runs/"]').first
        href = link.get_attribute("href")
        assert href, "the dashboard links the last run of bevoelkerung-quartier"
        return href
    finally:
        context.close()


@pytest.fixture
def page_path(portal: Portal, request: pytest.FixtureRequest) -> Callable[[str], str]:
    """The path of a page of PAGES (the steward ones need the run fixture)."""

    def path(name: str) -> str:
        if name == "dashboard":
            return "/steward/"
        if name == "run":
            return str(request.getfixturevalue("run_path"))
        return PUBLIC_PAGES[name]

    return path


@pytest.fixture
def open_page(
    new_context: NewContext,
    page_path: Callable[[str], str],
    portal: Portal,
    request: pytest.FixtureRequest,
) -> Callable[..., Page]:
    """Open a page of PAGES in a fresh context (logged in for the steward pages); the
    context options (bypass_csp, width, ...) are passed through. `before` runs on the new
    page before it loads (to attach listeners); the page is returned once loaded."""

    def open_(
        name: str,
        before: Callable[[Page], None] | None = None,
        wait_until: Literal["load", "networkidle"] = "load",
        **options: Any,
    ) -> Page:
        if name in STEWARD_PAGES:
            options["storage_state"] = request.getfixturevalue("steward_state")
        page = new_context(**options).new_page()
        if before:
            before(page)
        response = page.goto(page_path(name), wait_until=wait_until)
        status = response.status if response else None
        assert status == 200, f"{name}: status {status}; server log:\n{portal.log_tail()}"
        return page

    return open_


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if OUTPUT.is_dir() and any(OUTPUT.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {OUTPUT}")
