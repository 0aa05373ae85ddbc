"""The synthetic movement register `einwohnerbewegungen.csv` (invented persons only).

One row per event of the population register in 2016-2025: moving in (Zuzug), moving
out (Wegzug), birth, death, and moving within the city. Exported like the population
register: semicolon-separated, Windows-1252, CRLF, one header row, dates `dd.mm.yyyy`.

The counts per year and event type, and the number of foreign nationals among the
2025 events, are the exact values of `ogd.demo.facts`. Moves cluster on the first and
last days of a month and on Lucerne's customary moving dates (end of March and end of
September); deaths peak in winter and in late 2020; movers are mostly young adults.
"""

import csv
import datetime
import random
from bisect import bisect
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType

from ogd.demo.draws import days_between, swiss_date
from ogd.demo.facts import DEFAULT_SEED, MOVEMENT_TYPES, MOVEMENTS
from ogd.demo.population import draw_name
from ogd.demo.vocab import FOREIGN_COUNTRIES, QUARTER_PLACES, SWISS

MOVEMENT_COLUMNS = (
    "personen_id",
    "ahv_nummer",
    "name",
    "vorname",
    "ereignisart",
    "ereignisdatum",
    "quartier",
    "nationalitaet",
    "geschlecht",
    "geburtsjahr",
)
"""Header of `einwohnerbewegungen.csv`, in file order."""

MOVE_IN, MOVE_OUT, BIRTH, DEATH, MOVE_WITHIN = MOVEMENT_TYPES

FOREIGN_SHARE = MappingProxyType(
    {MOVE_IN: 0.42, MOVE_OUT: 0.40, BIRTH: 0.27, DEATH: 0.07, MOVE_WITHIN: 0.33}
)
"""Share of foreign nationals per event type; counts are rounded with `round`."""

_FEMALE_SHARE = MappingProxyType(
    {MOVE_IN: 0.49, MOVE_OUT: 0.49, BIRTH: 0.487, DEATH: 0.53, MOVE_WITHIN: 0.5}
)
_MAX_AGE = 104
_QUARTER_NAMES = tuple(q.name for q in QUARTER_PLACES)
_QUARTER_CUM = tuple(accumulate(q.size for q in QUARTER_PLACES))
_COUNTRY_NAMES = tuple(c.name for c in FOREIGN_COUNTRIES)
_COUNTRY_CUM = tuple(accumulate(c.weight for c in FOREIGN_COUNTRIES))

Row = tuple[str, ...]
Event = tuple[datetime.date, str, str, str, str, str, str, int]
"""date, surname, first name, event type, quarter, nationality, sex, birth year."""


def _mover_weight(age: int) -> float:
    """Relative frequency of moving in or out at an age: students and young workers."""
    if age < 18:
        return 0.6
    if age < 20:
        return 2.0
    if age < 35:
        return 5.0 if 25 <= age < 31 else 4.0
    if age < 45:
        return 2.5
    return 1.0 if age < 65 else (0.4 if age < 80 else 0.15)


def _within_weight(age: int) -> float:
    """Relative frequency of moving within the city: flatter than moving in or out."""
    if age < 18:
        return 0.9
    if age < 25:
        return 2.5
    return 3.5 if age < 40 else (1.5 if age < 65 else 0.6)


def _death_weight(age: int) -> float:
    """Relative frequency of dying at an age in a Swiss city."""
    if age == 0:
        return 0.4
    if age < 40:
        return 0.02
    if age < 60:
        return 0.15 + (age - 40) * 0.04
    if age < 85:
        return 1.0 + (age - 60) * 0.3
    return max(0.3, 8.5 - (age - 85) * 0.45)


_AGE_CUM = MappingProxyType(
    {
        MOVE_IN: tuple(accumulate(_mover_weight(a) for a in range(_MAX_AGE + 1))),
        MOVE_OUT: tuple(accumulate(_mover_weight(a) for a in range(_MAX_AGE + 1))),
        MOVE_WITHIN: tuple(accumulate(_within_weight(a) for a in range(_MAX_AGE + 1))),
        DEATH: tuple(accumulate(_death_weight(a) for a in range(_MAX_AGE + 1))),
    }
)


def _is_month_end(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=1)).day == 1


def _day_weight(kind: str, day: datetime.date) -> float:
    """Relative frequency of an event of `kind` on `day`."""
    month = day.month
    if kind == BIRTH:
        return 1.05 if month in (7, 8, 9) else 1.0
    if kind == DEATH:
        late_2020 = day.year == 2020 and month >= 11
        return 1.6 if late_2020 else (1.2 if month in (12, 1, 2) else 1.0)
    weight = 0.4 if day.weekday() >= 5 else 1.0
    moving_date = (month, day.day) in ((3, 31), (9, 30))
    key_day = _is_month_end(day) if kind == MOVE_OUT else day.day == 1
    if kind == MOVE_WITHIN:
        key_day = day.day == 1 or _is_month_end(day)
    if key_day:
        weight *= 12.0
    if moving_date or (kind != MOVE_OUT and (month, day.day) in ((4, 1), (10, 1))):
        weight *= 4.0
    if kind == MOVE_IN and month in (8, 9):
        weight *= 1.4
    return weight


def _events(rng: random.Random, year: int, kind: str, count: int) -> list[Event]:
    """Draw `count` events of one kind in one year (without ids), unsorted."""
    days = list(days_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    day_cum = list(accumulate(_day_weight(kind, day) for day in days))
    dates = rng.choices(days, cum_weights=day_cum, k=count)
    if kind == BIRTH:
        ages = [0] * count
    else:
        ages = rng.choices(range(_MAX_AGE + 1), cum_weights=_AGE_CUM[kind], k=count)
    quarters = rng.choices(_QUARTER_NAMES, cum_weights=_QUARTER_CUM, k=count)
    foreign_count = round(count * FOREIGN_SHARE[kind])
    foreign = [True] * foreign_count + [False] * (count - foreign_count)
    rng.shuffle(foreign)
    events: list[Event] = []
    for day, age, quarter, is_foreign in zip(dates, ages, quarters, foreign, strict=True):
        sex = "w" if rng.random() < _FEMALE_SHARE[kind] else "m"
        if is_foreign:
            nationality = _COUNTRY_NAMES[bisect(_COUNTRY_CUM, rng.random() * _COUNTRY_CUM[-1])]
        else:
            nationality = SWISS
        surname, first_name = draw_name(rng, nationality, sex)
        born = day.year - age - (1 if age and rng.random() < 0.5 else 0)
        events.append((day, surname, first_name, kind, quarter, nationality, sex, born))
    return events


def build_movements(seed: int = DEFAULT_SEED) -> list[Row]:
    """Draw every event of 2016-2025 as rows of text, ordered by date and person id.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal rows.

    Returns:
        `facts.MOVEMENT_EVENTS` rows with the values of `MOVEMENT_COLUMNS`.
    """
    rng = random.Random(seed)
    events = [
        event
        for year, counts in MOVEMENTS.items()
        for kind, count in zip(MOVEMENT_TYPES, counts, strict=True)
        for event in _events(rng, year, kind, count)
    ]
    person_ids = rng.sample(range(1_000_000, 10_000_000), len(events))
    ahv_bodies = rng.sample(range(10**9), len(events))
    keyed = sorted(zip(events, person_ids, ahv_bodies, strict=True), key=_date_and_id)
    return [_row(event, pid, body) for event, pid, body in keyed]


def _digit_sums(weights: tuple[int, int, int]) -> tuple[int, ...]:
    """Weighted digit sum of every 3-digit block 000-999."""
    return tuple(
        sum(int(digit) * weight for digit, weight in zip(f"{n:03d}", weights, strict=True))
        for n in range(1000)
    )


_SUM_313 = _digit_sums((3, 1, 3))
_SUM_131 = _digit_sums((1, 3, 1))
_PREFIX_SUM = 7 * 1 + 5 * 3 + 6 * 1  # the 756 prefix


def ahv_number(body: int) -> str:
    """`population.format_ahv_number`, by lookup tables (this register has many rows).

    Args:
        body: 0 <= body < 10**9, the digits between the 756 prefix and the check.

    Returns:
        The AHV number `756.XXXX.XXXX.XC` with its EAN-13 check digit.
    """
    high, rest = divmod(body, 1_000_000)
    middle, low = divmod(rest, 1000)
    total = _PREFIX_SUM + _SUM_313[high] + _SUM_131[middle] + _SUM_313[low]
    digits = f"{body:09d}"
    return f"756.{digits[:4]}.{digits[4:8]}.{digits[8]}{-total % 10}"


def _date_and_id(item: tuple[Event, int, int]) -> tuple[datetime.date, int]:
    return item[0][0], item[1]


def _row(event: Event, person_id: int, ahv_body: int) -> Row:
    day, surname, first_name, kind, quarter, nationality, sex, born = event
    ahv = ahv_number(ahv_body)
    return (str(person_id), ahv, surname, first_name, kind, swiss_date(day), *event[4:7], str(born))


def write_movements(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `einwohnerbewegungen.csv` as the register system exports it.

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives byte-identical files.

    Returns:
        `path`.
    """
    rows = build_movements(seed)
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(MOVEMENT_COLUMNS)
        writer.writerows(rows)
    return path
