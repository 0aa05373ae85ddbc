"""The synthetic building-permit database `baugesuche.sqlite` (invented applications).

One SQLite table `baugesuche` as the permit management system keeps it: one row per
application submitted 2018-2025, with dossier number, submission and decision dates
(ISO text, as SQLite stores dates), decision, quarter, building type, construction
cost in whole CHF, the applicant (a person or a company: personal data) and the
parcel. The counts per year and per decision are the exact values of `ogd.demo.facts`;
pending applications are mostly the recent ones, and solar installations grow from
year to year.
"""

import datetime
import math
import random
import sqlite3
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType

from ogd.demo.draws import is_working_day
from ogd.demo.facts import (
    BUILDING_PERMITS_BY_YEAR,
    BUILDING_PERMITS_PENDING,
    BUILDING_PERMITS_REJECTED,
    BUILDING_PERMITS_WITHDRAWN,
    DEFAULT_SEED,
    PERMIT_DECISIONS,
    REFERENCE_DATE,
)
from ogd.demo.population import draw_name
from ogd.demo.vocab import FOREIGN_COUNTRIES, QUARTER_PLACES, SWISS

TABLE = "baugesuche"
"""The table holding the applications."""

PERMIT_COLUMNS = (
    "id",
    "dossier_nr",
    "eingangsdatum",
    "entscheiddatum",
    "entscheid",
    "quartier",
    "gebaeudeart",
    "baukosten_chf",
    "gesuchsteller",
    "parzelle",
)
"""Columns of the table, in table order."""

_CREATE = f"""
CREATE TABLE {TABLE} (
    id INTEGER PRIMARY KEY,
    dossier_nr TEXT NOT NULL UNIQUE,
    eingangsdatum TEXT NOT NULL,
    entscheiddatum TEXT,
    entscheid TEXT NOT NULL CHECK (entscheid IN ({", ".join(f"'{d}'" for d in PERMIT_DECISIONS)})),
    quartier TEXT NOT NULL,
    gebaeudeart TEXT NOT NULL,
    baukosten_chf INTEGER NOT NULL,
    gesuchsteller TEXT NOT NULL,
    parzelle TEXT NOT NULL
)"""
APPROVED, REJECTED, WITHDRAWN, PENDING = PERMIT_DECISIONS


@dataclass(frozen=True)
class BuildingType:
    """A kind of project: its weight, median cost (CHF) and share of companies applying."""

    name: str
    weight: float
    median_cost: int
    company_share: float


BUILDING_TYPES = (
    BuildingType("Einfamilienhaus", 4, 1_300_000, 0.2),
    BuildingType("Mehrfamilienhaus", 9, 9_000_000, 0.85),
    BuildingType("Wohn- und Geschäftshaus", 3, 14_000_000, 0.95),
    BuildingType("Umbau/Sanierung", 30, 350_000, 0.45),
    BuildingType("Anbau/Aufstockung", 8, 900_000, 0.35),
    BuildingType("Gewerbe-/Industriebaute", 4, 4_000_000, 1.0),
    BuildingType("Öffentliche Baute", 3, 12_000_000, 1.0),
    BuildingType("Nebenbaute", 8, 60_000, 0.15),
    BuildingType("Solaranlage", 10, 45_000, 0.3),
    BuildingType("Reklameanlage", 8, 15_000, 1.0),
    BuildingType("Abbruch", 3, 150_000, 0.6),
    BuildingType("Balkon/Wintergarten", 6, 80_000, 0.2),
)
"""Every `gebaeudeart`, with the weights of 2018 (solar installations then grow)."""

_LITTAU = frozenset(("Reussbühl", "Littau Dorf", "Ruopigen", "Fluhmühle", "Udelboden"))
_RIGHT_BANK = frozenset(
    ("Altstadt", "Wey", "Hochwacht", "Zürichstrasse", "Maihof", "Rotsee", "Wesemlin")
    + ("Dreilinden", "Halde", "Würzenbach", "Schädrüti", "St. Karli")
)
_GROWTH = MappingProxyType(
    {"Littau Dorf": 1.6, "Ruopigen": 1.4, "Tribschen": 1.5, "Reussbühl": 1.4}
)
_QUARTER_NAMES = tuple(q.name for q in QUARTER_PLACES)
_QUARTER_CUM = tuple(accumulate(q.size * _GROWTH.get(q.name, 1.0) for q in QUARTER_PLACES))
_COMPANY_FORMS = (
    "{surname} Immobilien AG",
    "{surname} Bau AG",
    "{surname} + Partner Architekten AG",
    "Wohnbaugenossenschaft {quarter}",
    "Immobilienfonds Zentralschweiz",
    "Stockwerkeigentümergemeinschaft {street}",
    "{surname} Solartechnik GmbH",
    "Stadt Luzern, Immobilien",
)
_PUBLIC_APPLICANTS = ("Stadt Luzern, Immobilien", "Kanton Luzern, Dienststelle Immobilien")
_FOREIGN_NAMES = tuple(c.name for c in FOREIGN_COUNTRIES[:12])


@dataclass(frozen=True)
class Application:
    """One row of the table (dates as `datetime.date`)."""

    submitted: datetime.date
    quarter: str
    building_type: str
    cost: int
    applicant: str
    parcel: str


def _type_cum(year: int) -> tuple[float, ...]:
    """Cumulative building-type weights of a year: solar triples from 2018 to 2025."""
    growth = 1 + (year - 2018) * 2 / 7
    return tuple(
        accumulate(t.weight * (growth if t.name == "Solaranlage" else 1.0) for t in BUILDING_TYPES)
    )


def _working_days(year: int) -> list[datetime.date]:
    first = datetime.date(year, 1, 1)
    days = (first + datetime.timedelta(days=n) for n in range(366))
    return [d for d in days if d.year == year and is_working_day(d)]


def _applicant(rng: random.Random, kind: BuildingType, quarter: str) -> str:
    """A person (or a couple) or a company, by the building type's company share."""
    if kind.name == "Öffentliche Baute":
        return rng.choice(_PUBLIC_APPLICANTS)
    nationality = SWISS if rng.random() < 0.8 else rng.choice(_FOREIGN_NAMES)
    surname, first_name = draw_name(rng, nationality, rng.choice("mw"))
    if rng.random() < kind.company_share:
        place = next(q for q in QUARTER_PLACES if q.name == quarter)
        form = rng.choice(_COMPANY_FORMS)
        return form.format(surname=surname, quarter=quarter, street=rng.choice(place.streets))
    if rng.random() < 0.25:
        _, partner = draw_name(rng, nationality, rng.choice("mw"))
        return f"{first_name} und {partner} {surname}"
    return f"{first_name} {surname}"


def _parcel(rng: random.Random, quarter: str) -> str:
    """Parcel number and land-register district (Grundbuchkreis)."""
    if quarter in _LITTAU:
        district = "Littau"
    else:
        district = "Luzern " + ("rechtes" if quarter in _RIGHT_BANK else "linkes") + " Ufer"
    return f"{rng.randint(1, 4999)}, GB {district}"


def _application(
    rng: random.Random, day: datetime.date, type_cum: tuple[float, ...]
) -> Application:
    quarter = rng.choices(_QUARTER_NAMES, cum_weights=_QUARTER_CUM)[0]
    kind = rng.choices(BUILDING_TYPES, cum_weights=type_cum)[0]
    cost = kind.median_cost * math.exp(rng.gauss(0, 0.7))
    step = 1000 if cost < 1_000_000 else 10_000
    cost_chf = max(step, round(cost / step) * step)
    applicant = _applicant(rng, kind, quarter)
    return Application(day, quarter, kind.name, cost_chf, applicant, _parcel(rng, quarter))


def _processing_end(rng: random.Random, submitted: datetime.date) -> datetime.date:
    """When the application would be decided: median about two months, long tail."""
    return submitted + datetime.timedelta(days=max(7, round(55 * math.exp(rng.gauss(0, 0.6)))))


def _decisions(rng: random.Random, ends: list[datetime.date]) -> list[str]:
    """Exactly the facts' counts: the latest processing ends pending, the rest drawn."""
    by_end = sorted(range(len(ends)), key=lambda i: (ends[i], i), reverse=True)
    pending = set(by_end[:BUILDING_PERMITS_PENDING])
    decided = [i for i in range(len(ends)) if i not in pending]
    chosen = rng.sample(decided, BUILDING_PERMITS_REJECTED + BUILDING_PERMITS_WITHDRAWN)
    decisions = [APPROVED] * len(ends)
    for i in pending:
        decisions[i] = PENDING
    for n, i in enumerate(chosen):
        decisions[i] = REJECTED if n < BUILDING_PERMITS_REJECTED else WITHDRAWN
    return decisions


def _decision_date(rng: random.Random, submitted: datetime.date, end: datetime.date) -> str:
    """The decision day: the processing end, or a day by 31.12.2025; a working day."""
    day = end
    if day > REFERENCE_DATE:
        earliest = min(submitted + datetime.timedelta(days=7), REFERENCE_DATE)
        day = earliest + datetime.timedelta(days=rng.randint(0, (REFERENCE_DATE - earliest).days))
    while not is_working_day(day) and day > submitted:
        day -= datetime.timedelta(days=1)
    return day.isoformat()


def build_permits(seed: int = DEFAULT_SEED) -> list[tuple[object, ...]]:
    """Draw the whole table as rows in `PERMIT_COLUMNS` order, by id.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal rows.

    Returns:
        `facts.BUILDING_PERMITS` rows: ids 1, 2, …, dates as ISO text.
    """
    rng = random.Random(seed)
    applications: list[Application] = []
    for year, count in BUILDING_PERMITS_BY_YEAR.items():
        type_cum = _type_cum(year)
        days = sorted(rng.choices(_working_days(year), k=count))
        applications += [_application(rng, day, type_cum) for day in days]
    ends = [_processing_end(rng, app.submitted) for app in applications]
    decisions = _decisions(rng, ends)
    rows: list[tuple[object, ...]] = []
    numbers: dict[int, int] = {}
    for number, (app, end, decision) in enumerate(zip(applications, ends, decisions, strict=True)):
        year = app.submitted.year
        numbers[year] = numbers.get(year, 0) + 1
        decided = None if decision == PENDING else _decision_date(rng, app.submitted, end)
        dossier = f"BG {year}-{numbers[year]:04d}"
        values = (app.submitted.isoformat(), decided, decision, app.quarter, app.building_type)
        rows.append((number + 1, dossier, *values, app.cost, app.applicant, app.parcel))
    return rows


def write_permits(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `baugesuche.sqlite`: the table, an index on the submission date, the rows.

    Args:
        path: the database file to write (replaced if it exists).
        seed: the generator seed; the same seed gives the same rows.

    Returns:
        `path`.
    """
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(_CREATE)
            connection.execute(f"CREATE INDEX {TABLE}_eingang ON {TABLE} (eingangsdatum)")
            marks = ", ".join("?" * len(PERMIT_COLUMNS))
            connection.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", build_permits(seed))
    finally:
        connection.close()
    return path
