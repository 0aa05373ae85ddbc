"""The synthetic population register `einwohnerregister.csv` (invented persons only).

The file looks like a register system's export: semicolon-separated, Windows-1252,
CRLF line endings, one header row, every value text. Ages follow a Swiss city's
pyramid, the civil status fits the age, nationality and names fit each other, and
quarters differ widely in size so that fine aggregates have cells of 1 or 2.

The person-level draws (`draw_birth_date`, `draw_name`) are shared with the staff
register in `ogd.demo.staff`.
"""

import csv
import datetime
import random
from bisect import bisect
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType

from ogd.demo.facts import DEFAULT_SEED, POPULATION, REFERENCE_DATE
from ogd.demo.vocab import (
    FOREIGN_COUNTRIES,
    NAME_GROUPS,
    QUARTER_PLACES,
    SWISS,
    SWISS_NAME_GROUPS,
    Quarter,
)

POPULATION_COLUMNS = (
    "personen_id",
    "ahv_nummer",
    "name",
    "vorname",
    "geburtsdatum",
    "geschlecht",
    "nationalitaet",
    "zivilstand",
    "adresse",
    "plz",
    "quartier",
    "zuzugsdatum",
)
"""Header of `einwohnerregister.csv`, in file order."""

CIVIL_STATUSES = (
    "ledig",
    "verheiratet",
    "geschieden",
    "verwitwet",
    "in eingetragener Partnerschaft",
)
"""Every `zivilstand` value the register uses."""

_MAX_AGE = 104
# Percent of residents per 5-year band 0-4 … 100-104: 15 % under 20, 19 % 65+.
_AGE_BAND_PERCENT = (4.1, 3.7, 3.5, 3.7, 6.4, 8.8, 9.4, 8.6, 7.0, 6.2, 6.4, 7.0, 6.2)
_AGE_BAND_PERCENT_OLD = (5.0, 4.3, 3.8, 3.0, 1.8, 0.8, 0.25, 0.05)
# Within the last band, centenarians thin out year by year.
_LAST_BAND_SHARES = (0.45, 0.25, 0.15, 0.1, 0.05)
# Civil-status weights (order of CIVIL_STATUSES) from this age on: (men, women).
_CIVIL_WEIGHTS = (
    (0, (1, 0, 0, 0, 0), (1, 0, 0, 0, 0)),
    (18, (96, 3.8, 0.1, 0, 0.1), (95, 4.8, 0.1, 0, 0.1)),
    (25, (66, 31, 2, 0.05, 0.6), (62, 35, 2.5, 0.1, 0.5)),
    (35, (32, 53, 13, 0.4, 0.8), (28, 56, 14, 0.8, 0.6)),
    (50, (18, 57, 21, 1.5, 0.8), (15, 55, 24, 4, 0.5)),
    (65, (11, 67, 15, 6, 0.4), (10, 50, 18, 21, 0.2)),
    (80, (6, 65, 8, 21, 0.1), (9, 22, 9, 60, 0.05)),
)
_BORN_HERE_SWISS = 0.46
_BORN_HERE_FOREIGN = 0.2
_MOVE_IN_MEAN_DAYS = 8 * 365.25


def _age_weights() -> tuple[float, ...]:
    """Weight of each single year of age 0 … _MAX_AGE."""
    weights = [pct / 5 for pct in _AGE_BAND_PERCENT + _AGE_BAND_PERCENT_OLD[:-1]]
    weights = [w for w in weights for _ in range(5)]
    last = _AGE_BAND_PERCENT_OLD[-1]
    return tuple(weights + [last * share for share in _LAST_BAND_SHARES])


def _female_share(age: int) -> float:
    """Share of women at this age: women outlive men."""
    if age < 65:
        return 0.5
    return 0.55 if age < 80 else (0.64 if age < 90 else 0.74)


def _foreign_share(age: int) -> float:
    """Share of foreign nationals at this age, before the quarter's factor."""
    if age < 20:
        return 0.22
    if age < 45:
        return 0.31
    return 0.21 if age < 65 else (0.1 if age < 80 else 0.04)


def _civil_cum_weights(age: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Cumulative civil-status weights (men, women) for one age."""
    row = [entry for entry in _CIVIL_WEIGHTS if entry[0] <= age][-1]
    return tuple(accumulate(row[1])), tuple(accumulate(row[2]))


_AGE_CUM = tuple(accumulate(_age_weights()))
_FEMALE = tuple(_female_share(age) for age in range(_MAX_AGE + 1))
_FOREIGN = tuple(_foreign_share(age) for age in range(_MAX_AGE + 1))
_CIVIL_CUM = tuple(_civil_cum_weights(age) for age in range(_MAX_AGE + 1))
_FOREIGN_NAMES = tuple(country.name for country in FOREIGN_COUNTRIES)
_FOREIGN_CUM = tuple(accumulate(country.weight for country in FOREIGN_COUNTRIES))
_SWISS_GROUPS = tuple(group for group, _ in SWISS_NAME_GROUPS)
_SWISS_GROUP_CUM = tuple(accumulate(weight for _, weight in SWISS_NAME_GROUPS))
_GROUP_OF = MappingProxyType({c.name: c.group for c in FOREIGN_COUNTRIES})


def _pick(rng: random.Random, items: tuple[str, ...], cum: tuple[float, ...]) -> str:
    """Draw one item by cumulative weights (cheaper than `rng.choices` per row)."""
    return items[bisect(cum, rng.random() * cum[-1])]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def draw_birth_date(
    rng: random.Random, age: int, reference: datetime.date = REFERENCE_DATE
) -> datetime.date:
    """Draw a birth date uniformly among those giving `age` completed years.

    Args:
        rng: the generator to draw from.
        age: the age in completed years at `reference`.
        reference: the day the age is counted to.

    Returns:
        A date d with (d + age years) <= reference < (d + age + 1 years).
    """
    latest = _years_before(reference, age)
    earliest = _years_before(reference, age + 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))


def draw_name(rng: random.Random, nationality: str, sex: str) -> tuple[str, str]:
    """Draw a surname and a first name that fit a nationality and sex.

    Swiss citizens mostly get Swiss names, some the names of naturalised families.

    Args:
        rng: the generator to draw from.
        nationality: a German country name, `Schweiz` or one of `FOREIGN_COUNTRIES`.
        sex: `m` or `w`.

    Returns:
        (surname, first name).
    """
    if nationality == SWISS:
        group = NAME_GROUPS[_pick(rng, _SWISS_GROUPS, _SWISS_GROUP_CUM)]
    else:
        group = NAME_GROUPS[_GROUP_OF[nationality]]
    first_names = group.female if sex == "w" else group.male
    return rng.choice(group.surnames), rng.choice(first_names)


def format_ahv_number(body: int) -> str:
    """Format a 9-digit body as `756.XXXX.XXXX.XC` with its EAN-13 check digit.

    Args:
        body: 0 <= body < 10**9, the digits between the 756 prefix and the check.

    Returns:
        The AHV number in its printed 3.4.4.2 form.
    """
    digits = f"756{body:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    check = (10 - total % 10) % 10
    return f"{digits[:3]}.{digits[3:7]}.{digits[7:11]}.{digits[11]}{check}"


def _format_date(day: datetime.date) -> str:
    """Swiss date form `dd.mm.yyyy`."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _assign_quarters(rng: random.Random) -> list[Quarter]:
    """One quarter per person: exact sizes by largest remainder, in shuffled order."""
    total = sum(q.size for q in QUARTER_PLACES)
    shares = [q.size * POPULATION / total for q in QUARTER_PLACES]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: POPULATION - sum(counts)]:
        counts[i] += 1
    quarters = [q for q, n in zip(QUARTER_PLACES, counts, strict=True) for _ in range(n)]
    rng.shuffle(quarters)
    return quarters


def _draw_move_in(rng: random.Random, birth: datetime.date, swiss: bool) -> str:
    """Move-in date: the birth date for those born here, else a recent-leaning day."""
    if rng.random() < (_BORN_HERE_SWISS if swiss else _BORN_HERE_FOREIGN):
        return _format_date(birth)
    days_alive = (REFERENCE_DATE - birth).days
    gap = int(rng.expovariate(1 / _MOVE_IN_MEAN_DAYS))
    if gap > days_alive:
        gap = rng.randint(0, days_alive)
    return _format_date(REFERENCE_DATE - datetime.timedelta(days=gap))


def _draw_address(rng: random.Random, quarter: Quarter) -> str:
    """A street of the quarter and a house number, low numbers more common."""
    number = 1 + int(rng.random() ** 2 * 70)
    suffix = "a" if rng.random() < 0.04 else ""
    return f"{rng.choice(quarter.streets)} {number}{suffix}"


def _person_row(
    rng: random.Random, person_id: int, ahv_body: int, age: int, quarter: Quarter
) -> tuple[str, ...]:
    """Draw one person living in `quarter`, aged `age`, as a row of text values."""
    female = rng.random() < _FEMALE[age]
    sex = "w" if female else "m"
    birth = draw_birth_date(rng, age)
    foreign = rng.random() < _FOREIGN[age] * quarter.foreign_factor
    nationality = _pick(rng, _FOREIGN_NAMES, _FOREIGN_CUM) if foreign else SWISS
    surname, first_name = draw_name(rng, nationality, sex)
    civil_status = _pick(rng, CIVIL_STATUSES, _CIVIL_CUM[age][female])
    return (
        str(person_id),
        format_ahv_number(ahv_body),
        surname,
        first_name,
        _format_date(birth),
        sex,
        nationality,
        civil_status,
        _draw_address(rng, quarter),
        quarter.plz,
        quarter.name,
        _draw_move_in(rng, birth, not foreign),
    )


def build_population(seed: int = DEFAULT_SEED) -> list[tuple[str, ...]]:
    """Draw the whole register as rows of text, ordered by `personen_id`.

    Args:
        seed: the seed of the one `random.Random` used; equal seeds give equal rows.

    Returns:
        `POPULATION` rows with the values of `POPULATION_COLUMNS`.
    """
    rng = random.Random(seed)
    person_ids = sorted(rng.sample(range(1_000_000, 10_000_000), POPULATION))
    ahv_bodies = rng.sample(range(10**9), POPULATION)
    ages = rng.choices(range(_MAX_AGE + 1), cum_weights=_AGE_CUM, k=POPULATION)
    quarters = _assign_quarters(rng)
    people = zip(person_ids, ahv_bodies, ages, quarters, strict=True)
    return [_person_row(rng, *person) for person in people]


def write_population_register(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `einwohnerregister.csv` as the register system exports it.

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives byte-identical files.

    Returns:
        `path`.
    """
    rows = build_population(seed)
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(POPULATION_COLUMNS)
        writer.writerows(rows)
    return path
