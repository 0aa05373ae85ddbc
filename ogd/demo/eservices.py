"""The synthetic web-analytics export `online-dienste.csv` (invented usage figures).

One row per online service, channel and day in 2024-2025, as the analytics tool
exports it: comma-separated UTF-8 without byte-order mark, LF line ends, ISO dates,
service codes instead of names (the names are in `pipelines/lookups/online-dienste.csv`),
and `-` where a figure is missing: on the days the tracking was down, and for the
completed transactions of the waste calendar, which has none. Five services are also
offered in the city's app from its launch (`facts.ONLINE_APP_LAUNCH`).

Weekends and holidays are quiet; moving notices pile up at month ends and around the
customary moving dates, tax-return extensions before the end of March, childcare
vouchers before the school year, kindergarten enrolment in January and February. The
completed transactions add up to exactly `facts.ONLINE_TRANSACTIONS` each year.
"""

import csv
import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from ogd.demo.draws import apportion, days_between, is_working_day, noisy
from ogd.demo.facts import (
    DEFAULT_SEED,
    ONLINE_APP_LAUNCH,
    ONLINE_FIRST_DAY,
    ONLINE_LAST_DAY,
    ONLINE_OUTAGE_DAYS_PER_YEAR,
)

ESERVICE_COLUMNS = ("dienst_code", "kanal", "datum", "sitzungen", "abgeschlossene_transaktionen")
"""Header of `online-dienste.csv`, in file order."""

MISSING = "-"
"""How the export writes a missing figure."""

CHANNELS = ("web", "app")


@dataclass(frozen=True)
class Service:
    """An online service: code, German name, yearly transactions (2024, 2025), app."""

    code: str
    name: str
    transactions: tuple[int, int]
    in_app: bool
    season: tuple[float, ...] = (1.0,) * 12


SERVICES = (
    Service("UMZ", "Umzug melden (eUmzugCH)", (9_800, 10_900), True),
    Service("WBS", "Wohnsitzbestätigung bestellen", (5_200, 5_600), False),
    Service("HUN", "Hund an- und abmelden", (900, 950), False),
    Service("APK", "Anwohnerparkkarte beantragen", (3_400, 3_600), True),
    Service("EBG", "Baugesuch elektronisch einreichen (eBaugesuch)", (380, 470), False),
    Service(
        "STF",
        "Fristerstreckung Steuererklärung",
        (7_800, 8_400),
        False,
        (0.8, 1.6, 2.6, 1.2, 0.7, 0.6, 0.6, 0.6, 0.7, 0.7, 0.6, 0.5),
    ),
    Service("SPG", "Sperrgut-Abholung bestellen", (4_100, 4_500), True),
    Service("FUN", "Fundbüro: Verlust melden", (2_300, 2_500), True),
    Service("BRA", "Betreibungsregisterauszug bestellen", (6_200, 6_500), False),
    Service(
        "BGS",
        "Betreuungsgutscheine beantragen",
        (1_100, 1_250),
        False,
        (0.8, 0.8, 0.8, 0.9, 1.0, 1.6, 1.8, 1.8, 1.0, 0.8, 0.8, 0.6),
    ),
    Service(
        "ABK",
        "Abfallkalender",
        (0, 0),
        True,
        (1.3, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 1.4),
    ),
    Service(
        "KGA",
        "Anmeldung Kindergarten",
        (1_300, 1_350),
        False,
        (2.6, 2.2, 0.6, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.2, 0.8),
    ),
)
"""The services, in the order of the lookup table; `ABK` counts sessions only."""

_CALENDAR_SESSIONS = (118_000, 131_000)
_APP_WEIGHT = 0.35


@dataclass(frozen=True)
class Cell:
    """One row before its figures: service, channel, day, and whether data are missing."""

    service: Service
    channel: str
    day: datetime.date
    missing: bool


def _day_weight(service: Service, channel: str, day: datetime.date) -> float:
    """Expected share of a service's yearly use falling on one channel and day."""
    weight = 1.0 if is_working_day(day) else (0.45 if day.weekday() == 5 else 0.5)
    weight *= service.season[day.month - 1] * (0.95 + 0.1 * day.timetuple().tm_yday / 366)
    if service.code == "UMZ":
        weight *= 1.6 if day.day >= 25 else 1.0
        weight *= 1.4 if day.month in (3, 9) else 1.0
    if service.code == "ABK" and not is_working_day(day):
        weight *= 1.4  # people look up the calendar at the weekend
    return weight * (_APP_WEIGHT if channel == "app" else 1.0)


def _cells(rng: random.Random, year: int) -> list[Cell]:
    """Every row of a year, with the tracking outages drawn, by day, service, channel."""
    first = max(ONLINE_FIRST_DAY, datetime.date(year, 1, 1))
    last = min(ONLINE_LAST_DAY, datetime.date(year, 12, 31))
    days = list(days_between(first, last))
    outages = set(rng.sample(days, ONLINE_OUTAGE_DAYS_PER_YEAR))
    return [
        Cell(service, channel, day, day in outages)
        for day in days
        for service in SERVICES
        for channel in CHANNELS
        if channel == "web" or (service.in_app and day >= ONLINE_APP_LAUNCH)
    ]


def _figures(rng: random.Random, cells: list[Cell], index: int) -> dict[Cell, tuple[str, str]]:
    """(sessions, transactions) as text for each cell of a year (`index` 0 or 1)."""
    figures: dict[Cell, tuple[str, str]] = {}
    for service in SERVICES:
        own = [c for c in cells if c.service is service and not c.missing]
        weights = noisy(rng, [_day_weight(service, c.channel, c.day) for c in own], 0.25)
        if service.code == "ABK":
            for cell, sessions in zip(
                own, apportion(_CALENDAR_SESSIONS[index], weights), strict=True
            ):
                figures[cell] = (str(sessions), MISSING)
            continue
        done = apportion(service.transactions[index], weights)
        for cell, count in zip(own, done, strict=True):
            sessions = round(count * rng.uniform(2.2, 3.8) + rng.expovariate(1 / 3))
            figures[cell] = (str(sessions), str(count))
    return figures


def build_usage(seed: int = DEFAULT_SEED) -> list[tuple[str, ...]]:
    """Draw every row of 2024-2025 as text, by day, service code and channel.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal rows.

    Returns:
        `facts.ONLINE_ROWS` rows with the values of `ESERVICE_COLUMNS`.
    """
    rng = random.Random(seed)
    rows: list[tuple[str, ...]] = []
    for index, year in enumerate(range(ONLINE_FIRST_DAY.year, ONLINE_LAST_DAY.year + 1)):
        cells = _cells(rng, year)
        figures = _figures(rng, cells, index)
        for cell in cells:
            sessions, done = figures.get(cell, (MISSING, MISSING))
            rows.append((cell.service.code, cell.channel, cell.day.isoformat(), sessions, done))
    return rows


def write_usage(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `online-dienste.csv` as the analytics tool exports it.

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives byte-identical files.

    Returns:
        `path`.
    """
    rows = build_usage(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ESERVICE_COLUMNS)
        writer.writerows(rows)
    return path


def lookup_rows() -> list[tuple[str, str]]:
    """The rows of `pipelines/lookups/online-dienste.csv` (code, name), header excluded."""
    return [(service.code, service.name) for service in SERVICES]
