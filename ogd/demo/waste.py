"""The synthetic waste collection export `abfallmengen.csv` (invented tours).

One row per collection tour in 2024-2025 as the waste logistics system exports it:
semicolon-separated, UTF-8 with a byte-order mark, CRLF, dates `dd.mm.yyyy`, and the
weighbridge's net weight in kilograms in Swiss number format (`12'340.00`; the
weighbridge weighs in steps of 10 kg).

Every quarter has its collection weekday: household waste weekly (twice a week in the
centre), paper and cardboard every four weeks in alternation, green waste weekly from
March to November and fortnightly in winter, glass fortnightly, metal every four
weeks; a tour falling on a public holiday moves to the next working day. The weights
follow the quarter's size and the season (green waste in spring and autumn, packaging
after Christmas), and add up to exactly the tonnes of `facts.WASTE_TONNES`.
"""

import csv
import datetime
import random
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ogd.demo.draws import apportion, is_working_day, noisy, swiss_date
from ogd.demo.facts import DEFAULT_SEED, QUARTERS, WASTE_TONNES, WASTE_TYPES
from ogd.demo.vocab import QUARTER_PLACES

WASTE_COLUMNS = ("tour_nr", "datum", "quartier", "abfallart", "fahrzeug", "gewicht_kg")
"""Header of `abfallmengen.csv`, in file order."""

_STEP_KG = 10  # the weighbridge's division
_STEPS_PER_TONNE = 1000 // _STEP_KG
_CENTRE = ("Altstadt", "Hirschmatt", "Neustadt")
_GREEN = ("Würzenbach", "Halde", "Dreilinden", "Schädrüti", "Wesemlin", "Littau Dorf")
_DENSE = ("Altstadt", "Hirschmatt", "Neustadt", "Bruch", "Basel-/Bernstrasse", "Säli")
_SEASON = MappingProxyType(
    {
        "Kehricht": (1.05, 0.95, 1.0, 1.0, 1.0, 1.0, 0.93, 0.93, 1.0, 1.0, 1.02, 1.12),
        "Papier": (1.1, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.9, 1.0, 1.0, 1.02, 1.1),
        "Karton": (1.3, 1.0, 0.95, 0.95, 0.95, 0.9, 0.85, 0.85, 0.95, 1.0, 1.1, 1.35),
        "Grüngut": (0.3, 0.3, 0.8, 1.4, 1.6, 1.4, 1.1, 1.0, 1.1, 1.5, 1.2, 0.4),
        "Glas": (1.3, 0.9, 0.9, 0.95, 1.0, 1.1, 1.1, 1.05, 1.0, 0.95, 0.95, 1.25),
        "Metall": (1.0,) * 12,
    }
)
_VEHICLES = MappingProxyType(
    {
        "Kehricht": ("KF 01", "KF 02", "KF 03", "KF 04", "KF 05", "KF 06", "KF 07"),
        "Papier": ("PK 11", "PK 12", "PK 13"),
        "Karton": ("PK 11", "PK 12", "PK 13"),
        "Grüngut": ("GG 21", "GG 22", "GG 23"),
        "Glas": ("GL 31", "GL 32"),
        "Metall": ("ME 41",),
    }
)


@dataclass(frozen=True)
class Tour:
    """One collection tour, before its weight is known."""

    day: datetime.date
    quarter: str
    waste: str
    covered_days: int


def _quarter_weight(waste: str, quarter: str, size: int) -> float:
    """How much of a waste type a quarter produces, relative to the others."""
    if waste == "Kehricht":
        return size * (3.0 if quarter == "Altstadt" else 1.3 if quarter in _CENTRE else 1.0)
    if waste == "Grüngut":
        return size * (1.6 if quarter in _GREEN else 0.3 if quarter in _DENSE else 1.0)
    if waste in ("Papier", "Karton"):
        return size * (1.4 if quarter in _CENTRE else 1.0)
    return float(size)


def _is_due(waste: str, day: datetime.date, index: int) -> bool:
    """Whether the quarter with this index is collected on `day` (before holidays)."""
    weekday, week = day.weekday(), day.isocalendar().week
    base = index % 5
    if waste == "Kehricht":
        twice = QUARTERS[index] in _CENTRE
        return weekday == base or (twice and weekday == (base + 3) % 5)
    if waste in ("Papier", "Karton"):
        offset = 0 if waste == "Papier" else 2
        return weekday == (base + 1) % 5 and (week + index + offset) % 4 == 0
    if waste == "Grüngut":
        weekly = 3 <= day.month <= 11
        return weekday == (base + 2) % 5 and (weekly or (week + index) % 2 == 0)
    if waste == "Glas":
        return weekday == (base + 3) % 5 and (week + index) % 2 == 1
    return weekday == (base + 4) % 5 and (week + index) % 4 == 1


def _next_working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _tours(year: int, waste: str) -> list[Tour]:
    """Every tour of a waste type in a year, in date and quarter order."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    tours: list[Tour] = []
    for index, quarter in enumerate(QUARTERS):
        previous = first - datetime.timedelta(days=7)
        day = first
        while day <= last:
            if _is_due(waste, day, index):
                moved = _next_working_day(day)
                if moved.year == year:
                    covered = max(1, (moved - previous).days)
                    tours.append(Tour(moved, quarter, waste, covered))
                    previous = moved
            day += datetime.timedelta(days=1)
    return tours


def _weights(rng: random.Random, year: int, waste: str, tours: list[Tour]) -> list[int]:
    """Exact weights (in weighbridge steps) of the tours, adding up to the year's tonnes."""
    sizes = {place.name: place.size for place in QUARTER_PLACES}
    expected = [
        _quarter_weight(waste, t.quarter, sizes[t.quarter])
        * _SEASON[waste][t.day.month - 1]
        * min(t.covered_days, 28)
        for t in tours
    ]
    return apportion(WASTE_TONNES[year][waste] * _STEPS_PER_TONNE, noisy(rng, expected, 0.12))


def swiss_number(kilograms: int) -> str:
    """Format whole kilograms as the export does, Swiss style: `12'340.00`."""
    return f"{kilograms:,}.00".replace(",", "'")


def build_tours(seed: int = DEFAULT_SEED) -> list[tuple[str, ...]]:
    """Draw every tour of 2024-2025 as rows of text, by date, quarter and waste type.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal rows.

    Returns:
        Rows with the values of `WASTE_COLUMNS`.
    """
    rng = random.Random(seed)
    weighed: list[tuple[Tour, int]] = []
    for year in WASTE_TONNES:
        for waste in WASTE_TYPES:
            tours = _tours(year, waste)
            weighed += zip(tours, _weights(rng, year, waste, tours), strict=True)
    order = {name: i for i, name in enumerate(QUARTERS)}
    kinds = {name: i for i, name in enumerate(WASTE_TYPES)}
    weighed.sort(key=lambda item: (item[0].day, order[item[0].quarter], kinds[item[0].waste]))
    rows: list[tuple[str, ...]] = []
    numbers: dict[int, int] = {}
    for tour, steps in weighed:
        numbers[tour.day.year] = number = numbers.get(tour.day.year, 0) + 1
        vehicle = rng.choice(_VEHICLES[tour.waste])
        tour_nr = f"T{tour.day:%y}-{number:05d}"
        quarter, waste = tour.quarter, tour.waste
        weight = swiss_number(steps * _STEP_KG)
        rows.append((tour_nr, swiss_date(tour.day), quarter, waste, vehicle, weight))
    return rows


def write_waste_tours(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `abfallmengen.csv` as the waste logistics system exports it.

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives byte-identical files.

    Returns:
        `path`.
    """
    rows = build_tours(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(WASTE_COLUMNS)
        writer.writerows(rows)
    return path
