"""The facts the demo extracts hold by construction: the numbers tests compare against.

Every value here is immutable. The generators in `ogd.demo.population` and
`ogd.demo.staff` build these counts in exactly; the pipelines' tests can rely on them.
"""

import datetime

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
