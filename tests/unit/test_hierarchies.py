"""The generalisation hierarchies in `pipelines/hierarchies/` (ARX CSV layout).

Each file has no header, `;` between cells, the original value in column 0, its
generalisation at level i in column i and `*` in the last column. A privacy search
that meets a value its hierarchy lacks cannot generalise it, so every value the demo
generators (and the source schemas) can produce must be in column 0.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from ogd.demo.facts import QUARTERS
from ogd.demo.permits import BUILDING_TYPES, PERMIT_COLUMNS, build_permits
from ogd.demo.population import POPULATION_COLUMNS, build_population
from ogd.demo.staff import build_staff
from ogd.demo.vocab import FOREIGN_COUNTRIES, QUARTER_PLACES, SWISS
from ogd.pipeline.spec import load_pipeline

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "pipelines" / "hierarchies"
FILES = sorted(FOLDER.glob("*.csv"))

Rows = list[list[str]]


def read(path: Path) -> Rows:
    """The rows of a hierarchy file, as the ARX layout has them."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def originals(name: str) -> set[str]:
    """Column 0 of a hierarchy file."""
    return {row[0] for row in read(FOLDER / name)}


def schema_enum(schema: str, field: str) -> set[str]:
    """The `enum` constraint of a field of `schemas/<schema>.schema.json`."""
    descriptor = json.loads((ROOT / "schemas" / f"{schema}.schema.json").read_text("utf-8"))
    (found,) = [f for f in descriptor["fields"] if f["name"] == field]
    return set(found["constraints"]["enum"])


@cache
def population_values(column: str) -> frozenset[str]:
    index = POPULATION_COLUMNS.index(column)
    return frozenset(row[index] for row in build_population())


@cache
def permit_values(column: str) -> frozenset[str]:
    index = PERMIT_COLUMNS.index(column)
    return frozenset(str(row[index]) for row in build_permits())


def staff_nationalities(seeds: Iterable[int] = (1061, 1, 2)) -> set[str]:
    return {member.nationalitaet for seed in seeds for member in build_staff(seed)}


def test_the_hierarchies_are_there() -> None:
    assert {p.name for p in FILES} >= {
        "quartiere.csv",
        "nationalitaeten.csv",
        "gebaeudearten.csv",
        "geschlecht.csv",
        "bereiche.csv",
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_arx_layout(path: Path) -> None:
    rows = read(path)
    assert rows, "empty hierarchy"
    width = len(rows[0])
    assert width >= 2
    for row in rows:
        assert len(row) == width, f"{row[0]}: {len(row)} levels, the first row has {width}"
        assert row[-1] == "*", f"{row[0]}: the last level is `{row[-1]}`, not `*`"
        assert "*" not in row[:-1], f"{row[0]}: `*` before the last level"
        assert all(cell and cell == cell.strip() for cell in row), f"empty or padded cell: {row}"
    values = [row[0] for row in rows]
    assert len(values) == len(set(values)), "a value is listed twice"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_levels_nest(path: Path) -> None:
    """Each level is a function of the one below it, so generalising never splits a
    group (the monotonicity the search relies on), and no level gets finer."""
    rows = read(path)
    for level in range(1, len(rows[0])):
        parent: dict[str, str] = {}
        for row in rows:
            assert parent.setdefault(row[level - 1], row[level]) == row[level], (
                f"`{row[level - 1]}` has two parents at level {level}"
            )
        finer = {row[level - 1] for row in rows}
        coarser = {row[level] for row in rows}
        assert len(coarser) <= len(finer)


def test_quarters_cover_every_quarter() -> None:
    covered = originals("quartiere.csv")
    assert covered == set(QUARTERS) == {q.name for q in QUARTER_PLACES}
    assert covered == schema_enum("einwohnerregister", "quartier")
    assert covered == schema_enum("baugesuchsregister", "quartier")
    assert population_values("quartier") <= covered
    assert permit_values("quartier") <= covered


def test_quarters_group_into_districts_and_parts_of_the_city() -> None:
    rows = read(FOLDER / "quartiere.csv")
    assert len(rows[0]) == 4  # quarter; Stadtteil; Stadtkreis; *
    assert 6 <= len({row[1] for row in rows}) <= 12
    assert {row[2] for row in rows} == {"Rechtes Ufer", "Linkes Ufer", "Littau"}
    littau = {"Reussbühl", "Littau Dorf", "Ruopigen", "Fluhmühle", "Udelboden"}
    assert {row[0] for row in rows if row[2] == "Littau"} == littau


def test_nationalities_cover_every_country_of_the_generators() -> None:
    covered = originals("nationalitaeten.csv")
    assert covered == {SWISS} | {country.name for country in FOREIGN_COUNTRIES}
    assert population_values("nationalitaet") <= covered
    assert staff_nationalities() <= covered


def test_switzerland_stays_apart_until_the_top() -> None:
    rows = {row[0]: row for row in read(FOLDER / "nationalitaeten.csv")}
    assert rows[SWISS][1:-1] == [SWISS] * (len(rows[SWISS]) - 2)
    foreign = [row for name, row in rows.items() if name != SWISS]
    assert all(SWISS not in row for row in foreign)
    assert {row[-2] for row in foreign} == {"Ausland"}
    assert {row[-3] for row in foreign} == {"Europa", "Afrika", "Asien", "Amerika"}


def test_building_types_cover_every_type() -> None:
    covered = originals("gebaeudearten.csv")
    assert covered == {t.name for t in BUILDING_TYPES}
    assert covered == schema_enum("baugesuchsregister", "gebaeudeart")
    assert permit_values("gebaeudeart") <= covered


def test_sexes_and_areas_cover_the_registers() -> None:
    assert originals("geschlecht.csv") == schema_enum("einwohnerregister", "geschlecht")
    assert originals("geschlecht.csv") == schema_enum("personalregister", "geschlecht")
    assert population_values("geschlecht") <= originals("geschlecht.csv")
    assert originals("bereiche.csv") == schema_enum("personalregister", "bereich")
    staff = build_staff()
    assert {m.geschlecht for m in staff} <= originals("geschlecht.csv")
    assert {m.bereich for m in staff} <= originals("bereiche.csv")


def test_pipelines_name_existing_hierarchies() -> None:
    named = set()
    for path in sorted((ROOT / "pipelines").glob("*.yaml")):
        microdata = load_pipeline(path, ROOT).privacy.microdata
        if microdata is None:
            continue
        for column, rule in microdata.quasi_identifiers.items():
            if "hierarchy" in rule:
                assert (FOLDER / rule["hierarchy"]).is_file(), f"{path.name}: {column}"
                named.add(rule["hierarchy"])
    assert named == {p.name for p in FILES}  # and no file lies unused


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_engine_reads_them(path: Path) -> None:
    hierarchy = pytest.importorskip("ogd.anonymise.hierarchy")
    hierarchy.load_hierarchy(path, path.stem)
