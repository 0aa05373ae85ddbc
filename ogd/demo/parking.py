"""A recorded sample of the parking guidance system's JSON API (synthetic occupancy).

The demo serves the API from files: `parkleitsystem/seite-1.json`, `seite-2.json` …,
each page `{"status": "success", "data": [...], "next": "seite-2.json"}` as the
feed pages through its readings (the last page has no `next`). A record holds
`parking_id`, `description`, `capacity`, `vacancy` (free spaces) and `datestamp`
(ISO 8601 with the `+01:00` offset of Central European Time).

The car parks, their names and capacities are the real ones (`facts.CAR_PARKS`);
the vacancies are invented: shopping car parks fill on weekday afternoons and most on
Saturday, the station car parks with commuters on working days, the sports centre on
two event evenings, with day-to-day variation and minute-to-minute noise.
"""

import datetime
import json
import random
from pathlib import Path
from types import MappingProxyType

from ogd.demo.facts import (
    CAR_PARKS,
    DEFAULT_SEED,
    PARKING_DAYS,
    PARKING_FIRST_DAY,
    PARKING_INTERVAL_MINUTES,
    PARKING_PAGE_SIZE,
)

RECORD_KEYS = ("parking_id", "description", "capacity", "vacancy", "datestamp")
"""Keys of every record, in this order."""

_OFFSET = "+01:00"

_PROFILE_TABLE = """
centre weekday   10  8  6  5  5  6 10 22 45 62 74 82 84 83 82 80 78 72 60 50 42 34 24 15
centre saturday  12 10  8  6  6  6  8 14 30 55 78 90 94 95 95 93 88 78 64 54 46 38 28 18
centre sunday    14 11  8  6  6  6  6  8 12 20 30 40 46 48 48 46 42 36 30 26 22 18 14 12
hotel weekday    38 36 35 35 35 35 36 42 55 66 72 76 78 78 76 74 72 68 62 56 50 46 42 40
hotel saturday   40 38 36 36 36 36 36 38 46 60 72 82 86 88 88 86 80 72 64 58 52 48 44 42
hotel sunday     42 40 38 38 38 38 38 38 40 46 52 56 58 58 56 54 50 46 44 42 42 42 42 42
station weekday  12 10  9  9  9 12 30 62 82 88 90 90 88 88 88 86 80 66 48 36 28 22 16 13
station saturday 14 12 10 10 10 10 14 24 38 52 62 68 70 70 68 64 58 50 42 36 30 26 20 16
station sunday   14 12 10 10 10 10 12 18 28 40 48 52 54 54 52 50 46 40 34 28 22 18 16 14
sport weekday     3  2  2  2  2  3  8 14 18 20 22 22 24 22 20 22 28 38 44 40 30 16  8  4
sport saturday    4  3  2  2  2  2  4 10 22 34 40 42 40 38 38 36 32 28 22 16 10  6  4  4
sport sunday      4  3  2  2  2  2  4  8 18 30 36 38 36 34 32 28 24 18 12  8  6  4  4  4
quarter weekday  42 42 42 42 42 40 38 40 52 62 66 68 66 64 64 62 58 52 48 46 45 44 43 42
quarter saturday 44 44 44 44 44 44 42 40 42 48 54 58 60 60 58 54 50 48 46 45 45 44 44 44
quarter sunday   46 46 46 46 46 46 44 42 42 44 48 50 52 52 50 48 46 46 46 46 46 46 46 46
"""
"""Occupancy in percent at each full hour 00-23, per profile and kind of day."""
_DAY_KINDS = ("weekday", "saturday", "sunday")


def _profiles(table: str) -> MappingProxyType[tuple[str, str], tuple[int, ...]]:
    """Read `_PROFILE_TABLE` into {(profile, kind of day): 24 percentages}."""
    rows = (line.split() for line in table.strip().splitlines())
    return MappingProxyType({(row[0], row[1]): tuple(int(v) for v in row[2:]) for row in rows})


_PROFILES = _profiles(_PROFILE_TABLE)
_PROFILE_OF = MappingProxyType(
    {
        "AP01": "sport",
        "AP02": "sport",
        "NP07": "hotel",
        "NP13": "hotel",
        "SP05": "station",
        "SP06": "station",
        "SP01": "quarter",
        "SP09": "quarter",
    }
)
_LEVEL = MappingProxyType({"SP01": 0.7, "PKF": 1.05, "NP08": 0.95, "SP04": 0.9, "SP06": 0.92})
# Event evenings at the sports centre: (day offset from the first day, from hour, to hour).
_EVENTS = ((5, 17.5, 22.5), (9, 18.5, 22.75))


def _hourly_share(profile: str, day: datetime.date, hour: float) -> float:
    """Occupancy share of a profile at a time of day, interpolated between hours."""
    week = _PROFILES[profile, _DAY_KINDS[{5: 1, 6: 2}.get(day.weekday(), 0)]]
    low = int(hour)
    frac = hour - low
    return (week[low] * (1 - frac) + week[(low + 1) % 24] * frac) / 100


def _event_share(day_index: int, hour: float) -> float:
    """Extra occupancy at the sports centre on event evenings (0 otherwise)."""
    for event_day, start, end in _EVENTS:
        if day_index == event_day and start - 1.5 <= hour <= end:
            return 0.9 if hour >= start - 0.5 else 0.5
    return 0.0


def _readings(
    rng: random.Random, park_id: str, capacity: int
) -> list[tuple[datetime.datetime, int]]:
    """Every reading of one car park: (local time of the reading, free spaces)."""
    profile = _PROFILE_OF.get(park_id, "centre")
    level = _LEVEL.get(park_id, 1.0)
    per_day = 24 * 60 // PARKING_INTERVAL_MINUTES
    readings: list[tuple[datetime.datetime, int]] = []
    noise = 0.0
    for day_index in range(PARKING_DAYS):
        day = PARKING_FIRST_DAY + datetime.timedelta(days=day_index)
        day_factor = rng.gauss(1.0, 0.06)
        for slot in range(per_day):
            hour = slot * PARKING_INTERVAL_MINUTES / 60
            noise = 0.8 * noise + rng.gauss(0, 0.015)
            share = _hourly_share(profile, day, hour) * level * day_factor + noise
            if profile == "sport":
                share = max(share, _event_share(day_index, hour) + noise)
            occupied = round(min(1.0, max(0.0, share)) * capacity)
            minute = slot * PARKING_INTERVAL_MINUTES
            stamp = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60))
            stamp += datetime.timedelta(seconds=rng.randrange(60))
            readings.append((stamp, capacity - occupied))
    return readings


def build_records(seed: int = DEFAULT_SEED) -> list[dict[str, object]]:
    """Draw every reading as an API record, ordered by reading slot and car park.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal records.

    Returns:
        `facts.PARKING_READINGS` records with the keys of `RECORD_KEYS`.
    """
    rng = random.Random(seed)
    by_park = [_readings(rng, park_id, capacity) for park_id, _, capacity in CAR_PARKS]
    records: list[dict[str, object]] = []
    for slot in range(len(by_park[0])):
        for (park_id, name, capacity), readings in zip(CAR_PARKS, by_park, strict=True):
            stamp, vacancy = readings[slot]
            values = (park_id, name, capacity, vacancy, stamp.isoformat() + _OFFSET)
            records.append(dict(zip(RECORD_KEYS, values, strict=True)))
    return records


def page_name(number: int) -> str:
    """File name of page `number` (1-based)."""
    return f"seite-{number}.json"


def write_parking_pages(folder: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the pages of the recorded API into `folder` (created; old pages removed).

    Args:
        folder: the folder to hold `seite-1.json` … (becomes `parkleitsystem/`).
        seed: the generator seed; the same seed gives byte-identical pages.

    Returns:
        `folder`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("seite-*.json"):
        old.unlink()
    records = build_records(seed)
    starts = range(0, len(records), PARKING_PAGE_SIZE)
    for number, start in enumerate(starts, 1):
        page: dict[str, object] = {
            "status": "success",
            "data": records[start : start + PARKING_PAGE_SIZE],
        }
        if start + PARKING_PAGE_SIZE < len(records):
            page["next"] = page_name(number + 1)
        (folder / page_name(number)).write_text(json.dumps(page), encoding="utf-8")
    return folder
