"""The facts the demo extracts hold by construction: the numbers tests compare against.

Every value here is immutable. The generators in `ogd.demo` build these counts and
totals in exactly, whatever the seed (the seed changes the rows, never the facts); the
pipelines' tests can compare published figures with them.
"""

import datetime
from types import MappingProxyType

REFERENCE_DATE = datetime.date(2025, 12, 31)
"""The Stichtag of both extracts: ages and dates are counted up to this day."""

DEFAULT_SEED = 1061
"""The seed the demo extracts are generated with unless another is given."""

POPULATION = 83_000
"""Persons in `einwohnerregister.csv`."""

STAFF_ADMINISTRATION = 1_700
"""Staff rows with `bereich` = `Verwaltung` in `personalregister.xlsx`."""

STAFF_SCHOOL = 1_000
"""Staff rows with `bereich` = `Volksschule`."""

STAFF = STAFF_ADMINISTRATION + STAFF_SCHOOL
"""All staff rows."""

STAFF_NATIONALITIES = 49
"""Distinct `nationalitaet` values over all staff."""

JOB_TITLES = 112
"""Distinct `funktion` values over all staff (`Lernende/r` included)."""

APPRENTICE_TITLE = "Lernende/r"
"""The `funktion` of every apprentice."""

APPRENTICES = 64
"""Staff with a `lehrberuf`: all in Verwaltung, aged 15 to 22."""

APPRENTICE_PROFESSIONS = 13
"""Distinct `lehrberuf` values; each has at least `APPRENTICES_PER_PROFESSION_MIN`."""

APPRENTICES_PER_PROFESSION_MIN = 3
"""Fewest apprentices any profession has."""

ADMINISTRATION_OLDER_THAN_51 = 630
"""Verwaltung staff aged 52 or more in completed years at `REFERENCE_DATE`."""

STAFF_AGE_MIN = 15
"""Youngest staff age in completed years at `REFERENCE_DATE`."""

STAFF_AGE_MAX = 65
"""Oldest staff age in completed years at `REFERENCE_DATE`."""

QUARTERS = (
    "Altstadt",
    "Wey",
    "Hochwacht",
    "Zürichstrasse",
    "Maihof",
    "Rotsee",
    "Wesemlin",
    "Dreilinden",
    "Halde",
    "Würzenbach",
    "Schädrüti",
    "Matthof",
    "Tribschen",
    "Langensand",
    "Hirschmatt",
    "Neustadt",
    "Obergrund",
    "Säli",
    "Sternmatt",
    "Bruch",
    "Gütsch",
    "Basel-/Bernstrasse",
    "St. Karli",
    "Reussbühl",
    "Littau Dorf",
    "Ruopigen",
    "Fluhmühle",
    "Udelboden",
)
"""The Luzern quarters of the population register, in this order."""

# --- einwohnerbewegungen.csv (ogd.demo.movements) -----------------------------------

MOVEMENT_TYPES = ("Zuzug", "Wegzug", "Geburt", "Todesfall", "Umzug innerhalb der Stadt")
"""Every `ereignisart` of the movement register, in this order."""

MOVEMENT_FIRST_YEAR = 2016
MOVEMENT_LAST_YEAR = 2025

MOVEMENTS = MappingProxyType(
    {
        2016: (6120, 5980, 842, 768, 7410),
        2017: (6245, 6010, 866, 742, 7385),
        2018: (6310, 6102, 831, 781, 7290),
        2019: (6402, 6150, 818, 759, 7350),
        2020: (5870, 5620, 847, 868, 7620),
        2021: (6188, 5934, 889, 806, 7488),
        2022: (6655, 6212, 823, 812, 7180),
        2023: (6803, 6305, 795, 775, 7025),
        2024: (6712, 6390, 781, 769, 7090),
        2025: (6590, 6344, 772, 788, 6980),
    }
)
"""Events per year (of `ereignisdatum`), counts in `MOVEMENT_TYPES` order."""

MOVEMENT_EVENTS = 213_892
"""Rows of `einwohnerbewegungen.csv`: every event of 2016-2025."""

MOVEMENTS_2025_FOREIGN = MappingProxyType(
    {
        "Zuzug": 2768,
        "Wegzug": 2538,
        "Geburt": 208,
        "Todesfall": 55,
        "Umzug innerhalb der Stadt": 2303,
    }
)
"""Events of 2025 by persons without Swiss citizenship (`nationalitaet` != Schweiz)."""
