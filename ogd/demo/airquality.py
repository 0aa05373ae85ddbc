"""The synthetic air-quality export `luftqualitaet.parquet` (invented measurements).

Daily means of NO2, PM10 and O3 at four measuring stations in 2024-2025, as the
measuring network's database exports them: a Parquet file with typed columns
(`station` string, `datum` date32, `schadstoff` string, `wert` float64, `einheit`
string), one row per station, day and pollutant, sorted in that order. On a few
maintenance days per station no value exists and the rows are absent.

The values follow the seasons: NO2 and PM10 are highest in winter, especially under
temperature inversions, and lower at weekends; O3 peaks on sunny summer days and is
lowest where NO2 is highest. The traffic station (Hirschmatt) has the most NO2, the
lakeside one (Tribschen) the most ozone.
"""

import datetime
import math
import random
from pathlib import Path
from types import MappingProxyType

import pyarrow as pa
import pyarrow.parquet as pq

from ogd.demo.draws import days_between
from ogd.demo.facts import (
    AIR_FIRST_DAY,
    AIR_LAST_DAY,
    AIR_OUTAGE_DAYS,
    AIR_POLLUTANTS,
    AIR_STATIONS,
    DEFAULT_SEED,
)

UNIT = "µg/m³"
"""The `einheit` of every row."""

AIR_SCHEMA = pa.schema(
    [
        pa.field("station", pa.string(), nullable=False),
        pa.field("datum", pa.date32(), nullable=False),
        pa.field("schadstoff", pa.string(), nullable=False),
        pa.field("wert", pa.float64(), nullable=False),
        pa.field("einheit", pa.string(), nullable=False),
    ]
)
"""The Arrow schema of the file."""

# Yearly mean per station, in AIR_POLLUTANTS order.
_MEANS = MappingProxyType(
    {
        "Luzern Hirschmatt": (29.0, 15.5, 42.0),
        "Luzern Maihof": (19.0, 13.0, 50.0),
        "Luzern Tribschen": (21.0, 13.0, 56.0),
        "Luzern Littau": (17.0, 14.0, 52.0),
    }
)


def _season(day: datetime.date) -> float:
    """+1 in mid-January, -1 in mid-July (a cosine over the year)."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25)


def _weather(rng: random.Random, days: list[datetime.date]) -> list[float]:
    """A shared daily weather factor: persistent, with winter inversion episodes."""
    factors, state = [], 0.0
    for day in days:
        state = 0.75 * state + rng.gauss(0, 0.16)
        inversion = 0.35 if day.month in (12, 1, 2) and rng.random() < 0.08 else 0.0
        factors.append(state + inversion)
    return factors


def _value(pollutant: str, mean: float, day: datetime.date, weather: float) -> float:
    """The expected daily mean of a pollutant on a day, before station noise."""
    season = _season(day)
    if pollutant == "O3":
        return mean * (1 - 0.45 * season) * math.exp(-0.4 * weather)
    weekend = {5: 0.82, 6: 0.68}.get(day.weekday(), 1.0) if pollutant == "NO2" else 1.0
    spread = 0.3 if pollutant == "NO2" else 0.35
    return mean * (1 + spread * season) * weekend * math.exp(weather)


def build_measurements(seed: int = DEFAULT_SEED) -> pa.Table:
    """Draw every daily mean as an Arrow table with `AIR_SCHEMA`.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal tables.

    Returns:
        `facts.AIR_ROWS` rows, by station, day and pollutant.
    """
    rng = random.Random(seed)
    days = list(days_between(AIR_FIRST_DAY, AIR_LAST_DAY))
    weather = _weather(rng, days)
    columns: dict[str, list[object]] = {field.name: [] for field in AIR_SCHEMA}
    for station in AIR_STATIONS:
        outages = set(rng.sample(days, AIR_OUTAGE_DAYS))
        for day, shared in zip(days, weather, strict=True):
            if day in outages:
                continue
            local = shared + rng.gauss(0, 0.08)
            for pollutant, mean in zip(AIR_POLLUTANTS, _MEANS[station], strict=True):
                value = _value(pollutant, mean, day, local) * math.exp(rng.gauss(0, 0.1))
                for name, cell in zip(
                    columns, (station, day, pollutant, round(value, 1), UNIT), strict=True
                ):
                    columns[name].append(cell)
    return pa.table(columns, schema=AIR_SCHEMA)


def write_measurements(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `luftqualitaet.parquet` with pyarrow (snappy-compressed).

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives the same table (and bytes).

    Returns:
        `path`.
    """
    pq.write_table(build_measurements(seed), path, compression="snappy")
    return path
