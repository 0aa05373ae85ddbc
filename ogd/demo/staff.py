"""The synthetic staff register `personalregister.xlsx` (invented employees only).

One sheet `Mitarbeitende` as an HR system exports it. The counts in `ogd.demo.facts`
hold exactly because they are built in: headcounts, nationalities, job titles,
apprentices and the number of older administration staff are assigned first and
only the remaining details are drawn.

The last two columns are the pay: `lohnklasse` (salary grade 1 to 25; 1 is the
apprentices' grade, every other job title has a grade of its own, some staff one grade
above or below it) and `jahreslohn` (annual full-time salary in whole CHF, within the
grade's range of `SALARY_SCALE` and rising with experience). They are drawn after all
other columns, from a generator of their own, so the other columns are the same as
without them; the median salary is built in like the counts.
"""

import datetime
import io
import random
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ogd.demo.facts import (
    ADMINISTRATION_OLDER_THAN_51,
    APPRENTICE_TITLE,
    APPRENTICES,
    APPRENTICES_PER_PROFESSION_MIN,
    DEFAULT_SEED,
    REFERENCE_DATE,
    SALARY_GRADE_APPRENTICE,
    SALARY_GRADES,
    SALARY_MAX,
    SALARY_MEDIAN,
    SALARY_MIN,
    STAFF,
    STAFF_NATIONALITIES,
    STAFF_SCHOOL,
)
from ogd.demo.population import draw_birth_date, draw_name
from ogd.demo.vocab import (
    DEPARTMENTS,
    FOREIGN_COUNTRIES,
    PROFESSIONS,
    SCHOOL_DEPARTMENT,
    SCHOOL_TITLES,
    SWISS,
    Department,
)
from ogd.demo.xlsx import repack

STAFF_COLUMNS = (
    "personalnummer",
    "name",
    "vorname",
    "geburtsdatum",
    "geschlecht",
    "nationalitaet",
    "bereich",
    "departement",
    "funktion",
    "beschaeftigungsgrad",
    "eintrittsdatum",
    "lehrberuf",
    "lohnklasse",
    "jahreslohn",
)
"""Header of the sheet, in column order."""

SHEET_NAME = "Mitarbeitende"
ADMINISTRATION = "Verwaltung"
SCHOOL = "Volksschule"
MIN_PER_SEX = 3
"""Fewest people of each sex in every Verwaltung department."""

_EXPORTED_AT = datetime.datetime(2026, 1, 5, 6, 30)
_FEMALE_SHARE = MappingProxyType(
    {
        "Bildungsdirektion": 0.6,
        "Finanzdirektion": 0.5,
        "Sozial- und Sicherheitsdirektion": 0.62,
        "Umwelt- und Mobilitätsdirektion": 0.22,
        "Baudirektion": 0.35,
        "Stadtkanzlei": 0.55,
        SCHOOL: 0.8,
    }
)
_SWISS_SHARE = 0.84
_OLD_AGES = tuple(range(52, 66))
_OLD_WEIGHTS = (10, 10, 10, 10, 10, 10, 9, 9, 9, 8, 8, 7, 5, 3)
_YOUNG_AGES = tuple(range(19, 52))
_APPRENTICE_AGES = tuple(range(15, 23))
_APPRENTICE_WEIGHTS = (14, 22, 22, 18, 10, 6, 4, 4)
_SCHOOL_AGES = tuple(range(22, 66))
_GRADES = (100, 90, 85, 80, 75, 70, 60, 50, 40, 30, 20, 10)
_GRADE_WEIGHTS = MappingProxyType(
    {
        ADMINISTRATION: (40, 10, 3, 20, 3, 7, 8, 7, 4, 2, 1, 1),
        SCHOOL: (20, 8, 3, 15, 4, 10, 12, 12, 9, 7, 4, 3),
    }
)

_SALARY_GRADE_TABLE = """
2: Reinigungsmitarbeiter/in
3: Mitarbeiter/in Strassenreinigung
4: Klassenassistenz, Chauffeur/in Entsorgung
5: Betreuer/in Tagesstrukturen, Sportanlagenwart/in, Koch/Köchin, Gärtner/in Stadtgrün
5: Forstwart/in, Strassenbauer/in, Logistiker/in Werkhof
6: Fachperson Betreuung Kita, Hauswart/in, Baumpfleger/in
7: Mitarbeiter/in Sicherheit Intervention Prävention, Fachfrau/Fachmann Gesundheit
7: Mitarbeiter/in Strasseninspektorat, Mechaniker/in Werkhof, Stadtweibel/in
8: Schulsekretär/in, Sachbearbeiter/in Schuladministration
8: Sachbearbeiter/in Betreuungsgutscheine, Sachbearbeiter/in Debitorenbuchhaltung
8: Sachbearbeiter/in Einwohnerdienste, Sachbearbeiter/in Parkraumbewirtschaftung
8: Sachbearbeiter/in Bauverwaltung, Sachbearbeiter/in Stadtkanzlei
9: Sachbearbeiter/in Kultur und Sport, Sachbearbeiter/in Steuern
9: Sachbearbeiter/in Sozialversicherungen, Sachbearbeiter/in wirtschaftliche Sozialhilfe
9: Sachbearbeiter/in Einbürgerungen, Angehörige/r Berufsfeuerwehr
9: Sachbearbeiter/in Gewerbepolizei, Zeichner/in Fachrichtung Architektur, Geomatiker/in
9: Mediamatiker/in
10: Leiter/in Tagesstrukturen, Lohnbuchhalter/in, ICT-Supporter/in
10: Sachbearbeiter/in Baubewilligungen, Webpublisher/in, Sachbearbeiter/in Parlamentsdienste
10: Grafiker/in
11: Buchhalter/in, Personalfachfrau/Personalfachmann, Pflegefachfrau/Pflegefachmann HF
11: Baukontrolleur/in, Assistent/in Stadtrat
12: Fachperson Schulgesundheit, Immobilienbewirtschafter/in, Jugendarbeiter/in
12: Quartierarbeiter/in, Förster/in, Fachperson Siedlungsentwässerung
13: Lehrperson Kindergarten, Fachlehrperson Deutsch als Zweitsprache
13: Fachlehrperson Textiles und Technisches Gestalten, Fachlehrperson Musik
13: Fachlehrperson Sport, Schulsozialarbeiter/in, Musiklehrperson Musikschule
13: Steuerkommissär/in, Sozialpädagoge/Sozialpädagogin, Fachperson Integration
13: Energieberater/in, Archivar/in
14: Lehrperson Primarstufe, Projektleiter/in Kultur, Leiter/in Kinderbetreuung
14: ICT-Systemtechniker/in, Sozialarbeiter/in, Fachspezialist/in Gebäudetechnik
14: Bauleiter/in
15: Logopäde/Logopädin, Psychomotoriktherapeut/in, Lehrperson Integrative Förderung
15: Fachspezialist/in Schulraumplanung, HR-Business-Partner/in
15: Applikationsverantwortliche/r, Berufsbeistand/Berufsbeiständin
15: Fachperson Kindes- und Erwachsenenschutz, Fachspezialist/in Umweltschutz
15: Vermessungsingenieur/in, Kommunikationsverantwortliche/r
15: Fachspezialist/in Statistik, Fachspezialist/in Open Government Data
16: Lehrperson Sekundarstufe I, Schulische/r Heilpädagoge/in, Finanzcontroller/in
16: Datenanalyst/in, Mobilitätsplaner/in, Bauingenieur/in, Architekt/in, Stadtplaner/in
17: Projektleiter/in Verkehrsplanung, Projektleiter/in Klima und Energie
17: Projektleiter/in Hochbau, Projektleiter/in Tiefbau
18: Jurist/in
19: Schulleiter/in, Datenschutzbeauftragte/r
20: Leiter/in Musikschule, Leiter/in Stadtgrün
21: Leiter/in Sozialdienste
22: Vizestadtschreiber/in, Leiter/in Stadtplanung
23: Direktionssekretär/in Bildung, Leiter/in Finanzverwaltung
24: Rektor/in Volksschule
25: Stadtschreiber/in
"""
"""`grade: title, title`: the salary grade of each job title (a grade may take several lines)."""


def _salary_grades_of_titles(table: str) -> Mapping[str, int]:
    """Read `_SALARY_GRADE_TABLE` into title -> grade."""
    grades: dict[str, int] = {}
    for line in table.strip().splitlines():
        grade, titles = line.split(":", 1)
        for title in titles.split(","):
            grades[title.strip()] = int(grade)
    grades[APPRENTICE_TITLE] = SALARY_GRADE_APPRENTICE
    return MappingProxyType(grades)


TITLE_GRADES = _salary_grades_of_titles(_SALARY_GRADE_TABLE)
"""The salary grade of every job title (`Lernende/r`: grade 1)."""

_SALARY_SPREAD = 0.35
"""The top of a grade is its minimum plus 35 % (reached after about 25 years)."""
_ADULT_SALARY_GRADES = range(SALARY_GRADE_APPRENTICE + 1, SALARY_GRADES + 1)
_SALARY_GRADE_STEP = (SALARY_MAX / (1 + _SALARY_SPREAD) / SALARY_MIN) ** (
    1 / (len(_ADULT_SALARY_GRADES) - 1)
)


def _salary_scale() -> Mapping[int, tuple[int, int]]:
    """Grades 2 to 25: the minimum grows geometrically from `SALARY_MIN`, to the
    hundred francs; the maximum is 35 % above it and at most `SALARY_MAX`."""
    scale = {}
    for n, grade in enumerate(_ADULT_SALARY_GRADES):
        low = round(SALARY_MIN * _SALARY_GRADE_STEP**n, -2)
        scale[grade] = (int(low), int(min(SALARY_MAX, round(low * (1 + _SALARY_SPREAD), -2))))
    return MappingProxyType(scale)


SALARY_SCALE = _salary_scale()
"""Annual full-time salary range (CHF, both ends included) of grades 2 to 25."""

APPRENTICE_PAY = MappingProxyType({1: 9_100, 2: 11_700, 3: 14_300, 4: 17_550})
"""Annual apprentice pay (13 monthly wages) by year of apprenticeship."""


@dataclass(frozen=True)
class Role:
    """A post before a person is drawn for it."""

    bereich: str
    departement: str
    funktion: str
    lehrberuf: str | None
    geschlecht: str


@dataclass(frozen=True)
class StaffMember:
    """One row of the staff register, fields in `STAFF_COLUMNS` order."""

    personalnummer: int
    name: str
    vorname: str
    geburtsdatum: datetime.date
    geschlecht: str
    nationalitaet: str
    bereich: str
    departement: str
    funktion: str
    beschaeftigungsgrad: int
    eintrittsdatum: datetime.date
    lehrberuf: str | None
    lohnklasse: int
    jahreslohn: int


def _young_weight(age: int) -> int:
    """Relative headcount of non-apprentice administration staff aged 19 to 51."""
    return 3 if age < 25 else (8 if age < 45 else 7)


def _school_weight(age: int) -> int:
    """Relative headcount of Volksschule staff by age."""
    return 6 if age < 30 else (8 if age < 60 else (4 if age < 64 else 2))


def _titles(rng: random.Random, titles: Sequence[tuple[str, int]], n: int) -> list[str]:
    """Every title once, the other posts by weight, in shuffled order."""
    names = [title for title, _ in titles]
    weights = [weight for _, weight in titles]
    drawn = names + rng.choices(names, weights=weights, k=n - len(names))
    rng.shuffle(drawn)
    return drawn


def _sexes(rng: random.Random, n: int, female_share: float) -> list[str]:
    """`n` sexes, at least `MIN_PER_SEX` of each, the rest by `female_share`."""
    sexes = ["m", "w"] * MIN_PER_SEX
    sexes += ["w" if rng.random() < female_share else "m" for _ in range(n - len(sexes))]
    rng.shuffle(sexes)
    return sexes


def _apprenticeships(rng: random.Random) -> list[tuple[str, str]]:
    """(profession, department) of every apprentice: a minimum each, rest by weight."""
    minimum = [p for p in PROFESSIONS for _ in range(APPRENTICES_PER_PROFESSION_MIN)]
    weights = [p.weight for p in PROFESSIONS]
    extra = rng.choices(PROFESSIONS, weights=weights, k=APPRENTICES - len(minimum))
    return [(p.name, rng.choice(p.departments)) for p in minimum + extra]


def _department_roles(
    rng: random.Random, department: Department, professions: list[str]
) -> list[Role]:
    """All posts of one department: its apprentices, then every title at least once."""
    titles = [APPRENTICE_TITLE] * len(professions)
    titles += _titles(rng, department.titles, department.size - len(professions))
    trades: list[str | None] = [
        *professions,
        *[None] * (len(titles) - len(professions)),
    ]
    sexes = _sexes(rng, department.size, _FEMALE_SHARE[department.name])
    posts = zip(titles, trades, sexes, strict=True)
    return [Role(ADMINISTRATION, department.name, *post) for post in posts]


def _administration_roles(rng: random.Random) -> list[Role]:
    """The Verwaltung posts, department by department."""
    apprenticeships = _apprenticeships(rng)
    roles: list[Role] = []
    for department in DEPARTMENTS:
        trades = [p for p, d in apprenticeships if d == department.name]
        roles += _department_roles(rng, department, trades)
    return roles


def _school_roles(rng: random.Random) -> list[Role]:
    """The Volksschule posts: every title at least once."""
    titles = _titles(rng, SCHOOL_TITLES, STAFF_SCHOOL)
    sexes = _sexes(rng, STAFF_SCHOOL, _FEMALE_SHARE[SCHOOL])
    posts = zip(titles, sexes, strict=True)
    return [Role(SCHOOL, SCHOOL_DEPARTMENT, title, None, sex) for title, sex in posts]


def _administration_ages(rng: random.Random, roles: list[Role]) -> list[int]:
    """Ages of the Verwaltung posts: exactly the set number of them 52 or older."""
    regular = [i for i, role in enumerate(roles) if role.lehrberuf is None]
    older = set(rng.sample(regular, ADMINISTRATION_OLDER_THAN_51))
    young_weights = [_young_weight(age) for age in _YOUNG_AGES]
    ages = []
    for i, role in enumerate(roles):
        if role.lehrberuf is not None:
            ages += rng.choices(_APPRENTICE_AGES, weights=_APPRENTICE_WEIGHTS)
        elif i in older:
            ages += rng.choices(_OLD_AGES, weights=_OLD_WEIGHTS)
        else:
            ages += rng.choices(_YOUNG_AGES, weights=young_weights)
    return ages


def _nationalities(rng: random.Random, n: int) -> list[str]:
    """`n` nationalities with exactly `STAFF_NATIONALITIES` distinct values."""
    countries = FOREIGN_COUNTRIES[: STAFF_NATIONALITIES - 1]
    names = [country.name for country in countries]
    weights = [country.weight for country in countries]
    drawn = [SWISS, *names]
    for _ in range(n - len(drawn)):
        swiss = rng.random() < _SWISS_SHARE
        drawn += [SWISS] if swiss else rng.choices(names, weights=weights)
    rng.shuffle(drawn)
    return drawn


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February moves to 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _birth_date(rng: random.Random, age: int) -> datetime.date:
    """A birth date for `age` whose 15th birthday lies before the reference date."""
    birth = draw_birth_date(rng, age)
    if _years_after(birth, 15) >= REFERENCE_DATE:
        birth -= datetime.timedelta(days=1)  # leave a day to start work after it
    return birth


def _entry_date(rng: random.Random, birth: datetime.date, role: Role) -> datetime.date:
    """Entry after the 15th birthday and not after the reference date."""
    after_fifteen = _years_after(birth, 15) + datetime.timedelta(days=1)
    if role.lehrberuf is not None:
        years = rng.randint(0, min(3, REFERENCE_DATE.year - after_fifteen.year))
        start = datetime.date(REFERENCE_DATE.year - years, 8, 1)
        return max(start, after_fifteen)
    adult_years = 22 if role.bereich == SCHOOL else 18
    earliest = max(after_fifteen, _years_after(birth, adult_years))
    window = (REFERENCE_DATE - earliest).days
    gap = int(rng.expovariate(1 / (9 * 365.25)))
    if gap > window:
        gap = rng.randint(0, window)
    return REFERENCE_DATE - datetime.timedelta(days=gap)


def _member(rng: random.Random, number: int, role: Role, age: int, nationality: str) -> StaffMember:
    """Draw the person who fills `role`."""
    birth = _birth_date(rng, age)
    surname, first_name = draw_name(rng, nationality, role.geschlecht)
    grade = 100
    if role.lehrberuf is None:
        grade = rng.choices(_GRADES, weights=_GRADE_WEIGHTS[role.bereich])[0]
    return StaffMember(
        number,
        surname,
        first_name,
        birth,
        role.geschlecht,
        nationality,
        role.bereich,
        role.departement,
        role.funktion,
        grade,
        _entry_date(rng, birth, role),
        role.lehrberuf,
        0,
        0,  # the pay is drawn once every other column is (`_with_pay`)
    )


def _age(member: StaffMember) -> int:
    """Age in completed years at the reference date."""
    birth = member.geburtsdatum
    before = (REFERENCE_DATE.month, REFERENCE_DATE.day) < (birth.month, birth.day)
    return REFERENCE_DATE.year - birth.year - before


def _salary_grade(rng: random.Random, member: StaffMember, first: bool) -> int:
    """The title's grade; from the second holder of a title on, one above or below it
    for some (more often below when young, above with age), within grades 2 to 25."""
    grade = TITLE_GRADES[member.funktion]
    if first or member.lehrberuf is not None:
        return grade
    age = _age(member)
    below, above = (0.3, 0.1) if age < 30 else ((0.15, 0.2) if age < 45 else (0.1, 0.3))
    draw = rng.random()
    step = -1 if draw < below else (1 if draw < below + above else 0)
    return min(max(grade + step, _ADULT_SALARY_GRADES[0]), _ADULT_SALARY_GRADES[-1])


def _salary(rng: random.Random, member: StaffMember, grade: int) -> int:
    """Apprentices: the pay of their year. Others: up the grade's range with the years
    of experience (half the years since 22, half the years of service), plus noise."""
    if member.lehrberuf is not None:
        year = min(REFERENCE_DATE.year - member.eintrittsdatum.year + 1, len(APPRENTICE_PAY))
        return APPRENTICE_PAY[year]
    service = (REFERENCE_DATE - member.eintrittsdatum).days / 365.25
    experience = 0.5 * max(0, _age(member) - 22) + 0.5 * service
    position = min(max(experience / 25 + rng.gauss(0, 0.1), 0.0), 1.0)
    low, high = SALARY_SCALE[grade]
    return round(low + position * (high - low))


def _pin_median(grades: list[int], salaries: list[int], apprentice: list[bool]) -> None:
    """Make `SALARY_MEDIAN` the exact median, changing few salaries, and little.

    The salaries nearest the median whose grade range holds it (two for an even
    count) become the median; then, while one side of it holds more than half of the
    others, its salaries nearest the median are mirrored to the other side (to 2 x
    median - salary) where their grade's range allows.
    """
    n = len(salaries)

    def fits(i: int, value: int) -> bool:
        low, high = SALARY_SCALE.get(grades[i], (0, -1))
        return not apprentice[i] and low <= value <= high

    def distance(i: int) -> tuple[int, int]:
        return abs(salaries[i] - SALARY_MEDIAN), i

    middle = 2 - n % 2
    nearest = sorted((i for i in range(n) if fits(i, SALARY_MEDIAN)), key=distance)
    for i in nearest[:middle]:
        salaries[i] = SALARY_MEDIAN
    half = (n - middle) // 2
    for sign in (-1, 1):
        side = sorted(
            (i for i in range(n) if (salaries[i] - SALARY_MEDIAN) * sign > 0), key=distance
        )
        surplus = len(side) - half
        for i in side:
            if surplus <= 0:
                break
            if fits(i, 2 * SALARY_MEDIAN - salaries[i]):
                salaries[i] = 2 * SALARY_MEDIAN - salaries[i]
                surplus -= 1
        if surplus > 0:  # pragma: no cover - the scale leaves ample room near the median
            raise ValueError("cannot centre the staff salaries on SALARY_MEDIAN")


def _with_pay(members: list[StaffMember], seed: int) -> list[StaffMember]:
    """Add `lohnklasse` and `jahreslohn`, drawn from a generator of their own.

    The first holder of each title (by `personalnummer`) has the title's grade, so the
    grades used are exactly those of `TITLE_GRADES`, whatever the seed.
    """
    rng = random.Random(f"jahreslohn-{seed}")
    seen: set[str] = set()
    grades: list[int] = []
    for member in members:
        grades.append(_salary_grade(rng, member, member.funktion not in seen))
        seen.add(member.funktion)
    salaries = [_salary(rng, m, g) for m, g in zip(members, grades, strict=True)]
    _pin_median(grades, salaries, [m.lehrberuf is not None for m in members])
    pay = zip(members, grades, salaries, strict=True)
    return [replace(m, lohnklasse=g, jahreslohn=s) for m, g, s in pay]


def build_staff(seed: int = DEFAULT_SEED) -> list[StaffMember]:
    """Draw the whole staff register, ordered by `personalnummer`.

    Args:
        seed: the seed of the generators (one for the people, one for their pay); equal
            seeds give equal rows.

    Returns:
        `STAFF` members for which every count in `ogd.demo.facts` holds exactly.
    """
    rng = random.Random(seed)
    administration = _administration_roles(rng)
    ages = _administration_ages(rng, administration)
    school = _school_roles(rng)
    school_weights = [_school_weight(age) for age in _SCHOOL_AGES]
    ages += rng.choices(_SCHOOL_AGES, school_weights, k=len(school))
    nationalities = _nationalities(rng, STAFF)
    posts = list(zip(administration + school, ages, nationalities, strict=True))
    rng.shuffle(posts)
    numbers = sorted(rng.sample(range(100_000, 1_000_000), STAFF))
    members = [_member(rng, n, *post) for n, post in zip(numbers, posts, strict=True)]
    return _with_pay(members, seed)


def _cells(sheet: Any, member: StaffMember) -> list[object]:
    """One sheet row: dates as Excel date cells shown dd.mm.yyyy, and an empty
    `lehrberuf` as a formatted blank cell, so every row spans all columns."""
    row: list[object] = []
    for value in astuple(member):
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD.MM.YYYY"
            value = cell
        elif value is None:
            value = WriteOnlyCell(sheet, value=None)
            value.number_format = "@"
        row.append(value)
    return row


def write_staff_register(path: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write `personalregister.xlsx` as the HR system exports it.

    Args:
        path: the file to write (overwritten if it exists).
        seed: the generator seed; the same seed gives the same cells (and bytes).

    Returns:
        `path`.
    """
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "HR-System Stadt Luzern (synthetisch)"
    workbook.properties.created = _EXPORTED_AT
    sheet = workbook.create_sheet(SHEET_NAME)
    sheet.append(STAFF_COLUMNS)
    for member in build_staff(seed):
        sheet.append(_cells(sheet, member))
    buffer = io.BytesIO()
    workbook.save(buffer)
    repack(buffer.getvalue(), path, _EXPORTED_AT)
    return path
