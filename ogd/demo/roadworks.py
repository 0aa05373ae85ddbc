"""The synthetic road-works export `baustellen.json` (invented construction sites).

The civil engineering GIS exports the current road works as JSON:
`{"meta": {...}, "features": [{"id": ..., "properties": {...}}, ...]}`, with
`title`, `street`, `quarter`, `start`, `end` (ISO dates; `end` null while open-ended),
`kind` and `traffic_impact` under `properties`, sorted by id.

Sites under way on the export day and planned ones (exact counts in `ogd.demo.facts`);
sites start on working days, streets belong to their quarter, and sewer,
district-heating and utility works last longest and close roads most often.
"""

import datetime
import json
import random
from dataclasses import dataclass
from pathlib import Path

from ogd.demo.draws import is_working_day
from ogd.demo.facts import (
    DEFAULT_SEED,
    ROADWORKS,
    ROADWORKS_EXPORTED,
    ROADWORKS_OPEN_ENDED,
    ROADWORKS_PLANNED,
)
from ogd.demo.vocab import QUARTER_PLACES

PROPERTY_KEYS = ("title", "street", "quarter", "start", "end", "kind", "traffic_impact")
"""Keys under `properties` of every feature, in this order."""

TRAFFIC_IMPACTS = (
    "keine",
    "Trottoir gesperrt",
    "Fahrbahnverengung",
    "einspurig mit Lichtsignal",
    "Umleitung",
    "Vollsperrung",
)
"""Every `traffic_impact` value, from least to most disruptive."""


@dataclass(frozen=True)
class Kind:
    """A kind of site: weight, title pattern, months it lasts, impact weights."""

    name: str
    weight: int
    title: str
    months: tuple[int, int]
    impacts: tuple[int, ...]


KINDS = (
    Kind("Werkleitungsbau", 30, "Werkleitungen {street}", (2, 9), (2, 10, 30, 25, 15, 5)),
    Kind("Kanalisation", 15, "Erneuerung Kanalisation {street}", (4, 14), (1, 5, 20, 25, 25, 15)),
    Kind("Fernwärme", 15, "Fernwärmeausbau {street}", (3, 12), (1, 5, 25, 30, 25, 10)),
    Kind("Belagserneuerung", 12, "Belagserneuerung {street}", (1, 3), (0, 5, 20, 30, 20, 25)),
    Kind("Strassensanierung", 8, "Sanierung {street}", (6, 18), (0, 5, 25, 25, 30, 15)),
    Kind("Glasfaser", 8, "Glasfaserausbau {quarter}", (2, 8), (10, 40, 35, 10, 5, 0)),
    Kind("Velowegbau", 4, "Veloroute {street}", (3, 10), (5, 15, 40, 20, 15, 5)),
    Kind(
        "Bushaltestelle",
        4,
        "Hindernisfreie Bushaltestelle {street}",
        (1, 4),
        (10, 40, 40, 10, 0, 0),
    ),
    Kind(
        "Installationsplatz",
        4,
        "Installationsplatz Neubau {street} {number}",
        (8, 30),
        (20, 50, 25, 5, 0, 0),
    ),
)
"""Every `kind`, with its weight among all sites."""

_EXPORTED_AT = "2026-01-05T06:00:00+01:00"


def _site(rng: random.Random, planned: bool) -> dict[str, object]:
    """One site's properties (dates as `datetime.date`, end filled in later)."""
    kind = rng.choices(KINDS, weights=[k.weight for k in KINDS])[0]
    place = rng.choices(QUARTER_PLACES, weights=[q.size for q in QUARTER_PLACES])[0]
    street = rng.choice(place.streets)
    months = rng.randint(*kind.months)
    if planned:
        start = ROADWORKS_EXPORTED + datetime.timedelta(days=rng.randint(1, 175))
    else:
        start = ROADWORKS_EXPORTED - datetime.timedelta(days=rng.randint(0, min(360, months * 30)))
    step = datetime.timedelta(days=1 if planned else -1)
    while not is_working_day(start):
        start += step
    end = start + datetime.timedelta(days=months * 30 + rng.randint(-10, 10))
    end = max(end, ROADWORKS_EXPORTED + datetime.timedelta(days=rng.randint(3, 40)))
    title = kind.title.format(street=street, quarter=place.name, number=rng.randint(1, 60))
    impact = rng.choices(TRAFFIC_IMPACTS, weights=kind.impacts)[0]
    values = (title, street, place.name, start, end, kind.name, impact)
    return dict(zip(PROPERTY_KEYS, values, strict=True))


def build_features(seed: int = DEFAULT_SEED) -> list[dict[str, object]]:
    """Draw the road works as GIS features, sorted by id.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal features.

    Returns:
        `facts.ROADWORKS` features `{"id": ..., "properties": {...}}`, dates as ISO text.
    """
    rng = random.Random(seed)
    planned = [True] * ROADWORKS_PLANNED + [False] * (ROADWORKS - ROADWORKS_PLANNED)
    rng.shuffle(planned)
    sites = [_site(rng, is_planned) for is_planned in planned]
    for i in rng.sample(range(ROADWORKS), ROADWORKS_OPEN_ENDED):
        sites[i]["end"] = None
    numbers = rng.sample(range(1, 900), ROADWORKS)
    features: list[dict[str, object]] = []
    for site, number in zip(sites, numbers, strict=True):
        start, end = site["start"], site["end"]
        assert isinstance(start, datetime.date)
        site["start"] = start.isoformat()
        site["end"] = end.isoformat() if isinstance(end, datetime.date) else None
        features.append({"id": f"BS-{start.year}-{number:04d}", "properties": site})
    return sorted(features, key=lambda feature: str(feature["id"]))


def write_roadworks(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `baustellen.json` as the GIS exports it (UTF-8, indented).

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives byte-identical files.

    Returns:
        `path`.
    """
    features = build_features(seed)
    meta = {
        "quelle": "GIS Tiefbauamt Stadt Luzern",
        "ebene": "Baustellen (aktuell und geplant)",
        "exportiert": _EXPORTED_AT,
        "anzahl": len(features),
    }
    document = {"meta": meta, "features": features}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path
