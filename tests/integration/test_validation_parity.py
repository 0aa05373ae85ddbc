"""Parity with frictionless-py: the same errors, row by row, on the corpus and on random tables.

Every table of `tests/data/validation` (a CSV or TXT file and `<stem>.schema.json`, with
an optional `<stem>.case.json` giving a shared schema file, reader options, lookup tables
and documented deviations) is validated with frictionless-py and with `validate_file`;
both must find the same set of (rowNumber, fieldName, type) and give the same verdict. Where
frictionless-py is wrong by the Table Schema spec, or where we deliberately differ, the
case file names the reason and the exact differing findings, and the test checks that
difference, no more and no less. A hypothesis test does the same with random schemas
and random cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import Package, Resource
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ogd.validate import Report, validate_file

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).resolve().parents[1] / "data" / "validation"
RESOURCE_V2 = "https://datapackage.org/profiles/2.0/dataresource.json"
PACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
SCHEMA_V2 = "https://datapackage.org/profiles/2.0/tableschema.json"

Finding = tuple[int | None, str | None, str]


@dataclass(frozen=True)
class Case:
    """One corpus table: data, schema and its case options."""

    data: Path
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def schema(self) -> Path:
        shared = self.config.get("schema")  # several tables may share one schema file
        return CORPUS / shared if shared else self.data.with_name(f"{self.data.stem}.schema.json")

    @property
    def lookups(self) -> dict[str, tuple[Path, Path]]:
        found = self.config.get("lookups", {})
        return {name: (CORPUS / data, CORPUS / schema) for name, (data, schema) in found.items()}


def corpus() -> list[Case]:
    cases = []
    for data in sorted(CORPUS.glob("*")):
        if data.suffix not in (".csv", ".txt"):
            continue
        config = data.with_name(f"{data.stem}.case.json")
        cases.append(Case(data, json.loads(config.read_text()) if config.exists() else {}))
    return cases


def theirs(data: Path, schema: dict[str, Any], config: dict[str, Any]) -> tuple[bool, set[Finding]]:
    """frictionless's verdict and findings for the table (a package when it has lookups)."""
    resource = {
        "$schema": RESOURCE_V2,
        "name": "data",
        "path": data.name,
        "schema": schema,
        **config.get("frictionless", {}),
    }
    lookups = config.get("lookups", {})
    if lookups:
        others = [
            {"name": name, "path": path, "schema": json.loads((data.parent / spec).read_text())}
            for name, (path, spec) in lookups.items()
        ]
        descriptor = {"$schema": PACKAGE_V2, "resources": [resource, *others]}
        report = Package.from_descriptor(descriptor, basepath=str(data.parent)).validate()
        tasks = [task for task in report.tasks if task.name == "data"]
    else:
        report = Resource.from_descriptor(resource, basepath=str(data.parent)).validate()
        tasks = list(report.tasks)
    errors = [error for task in tasks for error in task.errors] + list(report.errors)
    found = {_finding(error.to_descriptor()) for error in errors}
    return all(task.valid for task in tasks) and not report.errors, found


def _finding(error: dict[str, Any]) -> Finding:
    return error.get("rowNumber"), error.get("fieldName") or None, error["type"]


def ours(report: Report) -> tuple[bool, set[Finding]]:
    """Our verdict and findings, in the same shape."""
    found = {(e.row_number, e.field_name or None, e.type) for e in report.errors}
    return report.valid, found


def check(case: Case) -> None:
    """Assert parity for one case, allowing exactly the documented deviation."""
    schema = json.loads(case.schema.read_text(encoding="utf-8"))
    their_valid, their_findings = theirs(case.data, schema, case.config)
    report = validate_file(
        case.data, case.schema, options=case.config.get("options"), lookups=case.lookups
    )
    our_valid, our_findings = ours(report)
    assert report.error_count == len(report.errors), "the corpus stays below max_errors"
    deviation = case.config.get("deviation")
    if deviation is None:
        assert our_findings == their_findings
        assert our_valid == their_valid
        return
    assert deviation["reason"]
    only_theirs = {tuple(item) for item in deviation["frictionless_only"]}
    only_ours = {tuple(item) for item in deviation["ours_only"]}
    assert their_findings - our_findings == only_theirs
    assert our_findings - their_findings == only_ours


@pytest.mark.parametrize("case", corpus(), ids=lambda case: case.data.stem)
def test_corpus_matches_frictionless(case: Case) -> None:
    check(case)


def test_corpus_is_big_enough() -> None:
    cases = corpus()
    assert len(cases) >= 40
    assert sum(1 for case in cases if case.data.stem.startswith("real-")) >= 8
    invalid = [case for case in cases if not validate_file(
        case.data, case.schema, options=case.config.get("options"), lookups=case.lookups
    ).valid]  # fmt: skip
    assert len(invalid) >= 40


# Typed sources: an Excel workbook and a Parquet file built here (binary fixtures are
# built by code, never stored).

TYPED_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "nr", "type": "integer", "constraints": {"unique": True}},
        {"name": "betrag", "type": "number", "constraints": {"minimum": 0}},
        {"name": "datum", "type": "date"},
        {"name": "aktiv", "type": "boolean"},
        {"name": "name", "type": "string", "constraints": {"maxLength": 6}},
    ],
    "primaryKey": ["nr"],
}
TYPED_ROWS: list[list[Any]] = [
    [1, 12.5, dt.datetime(2024, 1, 5), True, "Meier"],
    [2, -3, dt.datetime(2024, 1, 6, 10, 30), False, "Keller"],
    [2, "viel", dt.datetime(2024, 1, 7), "ja", "Zimmermann"],
    [4.5, 7, "gestern", True, None],
    [5, None, None, None, "Huber"],
]


def test_excel_matches_frictionless(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([f["name"] for f in TYPED_SCHEMA["fields"]])
    for row in TYPED_ROWS:
        sheet.append(row)
    path = tmp_path / "typed.xlsx"
    book.save(path)
    assert ours(validate_file(path, TYPED_SCHEMA)) == theirs(path, TYPED_SCHEMA, {})


def test_parquet_matches_frictionless(tmp_path: Path) -> None:
    table = pa.table(
        {
            "nr": pa.array([1, 2, 2, 4, 5], pa.int64()),
            "betrag": pa.array([12.5, -3.0, 1.0, 7.0, None]),
            "datum": pa.array([dt.date(2024, 1, 5), dt.date(2024, 1, 6), None, None, None]),
            "aktiv": pa.array([True, False, None, True, None]),
            "name": pa.array(["Meier", "Keller", "Zimmermann", None, "Huber"]),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    our_valid, our_findings = ours(validate_file(path, TYPED_SCHEMA))
    their_valid, their_findings = theirs(path, TYPED_SCHEMA, {})
    # frictionless-py's own Parquet reader (through pandas) turns a null float into NaN,
    # which then fails `minimum`; our frictionless plugin (frictionless_ogd) reads nulls as
    # missing, as Table Schema says, so the two agree cell for cell
    assert their_findings == our_findings
    assert (4, "nr", "unique-error") in our_findings
    assert our_valid == their_valid


# Random schemas and cells: hypothesis draws a schema (types, formats, constraints) and
# cells that are valid, nearly valid or junk for it, and both validators judge them.

FORMATS: dict[str, list[str]] = {
    "string": ["default", "email", "uri", "uuid", "binary"],
    "date": ["default", "%d.%m.%Y", "%d/%m/%y", "any"],
    "time": ["default", "%H:%M"],
    "datetime": ["default", "%d.%m.%Y %H:%M"],
    "geopoint": ["default", "array"],
}
SAMPLES: dict[str, list[str]] = {
    "string": ["Luzern", "Kriens", "a@b.ch", "https://lu.ch", "756.1234.5678.97", "LU", "x y"],
    "integer": ["0", "1", "-5", "007", "+3", " 4", "1.0", "12a", "99999", "1_000", "١٢"],
    "number": [
        "0",
        "1.5",
        "-2.25",
        ".5",
        "5.",
        "1e3",
        "nan",
        "inf",
        "1,5",
        "12'000.50",
        "x",
        "1e-400",
        "1e400",
        "-0",
        "Infinity",
        "0.1000000000000000055511",
        " 2 ",
    ],
    "boolean": ["true", "false", "True", "0", "1", "ja", "yes"],
    "date": [
        "2024-01-05",
        "05.01.2024",
        "05/01/24",
        "2024-02-30",
        "2024-1-5",
        "Jan 5 2024",
        "0000-01-01",
        "29.02.2023",
    ],
    "time": ["10:30:00", "10:30", "24:00:00", "9:05", "10:30:00.5", "25:00"],
    "datetime": ["2024-01-05T10:30:00", "2024-01-05 10:30:00", "05.01.2024 10:30", "2024-01-05"],
    "year": ["2024", "0999", "999", "+202", "20241"],
    "yearmonth": ["2024-01", "2024-1", "2024-13", "2024"],
    "duration": ["P1D", "PT1H30M", "1h", "P"],
    "geopoint": ["8.3, 47.05", "[8.3, 47.05]", "200, 10", "x"],
    "object": ['{"a": 1}', "[1]", "x"],
    "array": ["[1, 2]", '{"a": 1}', "x"],
    "list": ["a,b", "a", "a,,b"],
    "any": ["x", "1", ""],
}
CONSTRAINTS: dict[str, list[dict[str, Any]]] = {
    "string": [
        {"minLength": 2},
        {"maxLength": 6},
        {"pattern": "[A-Z][a-z]+"},
        {"enum": ["LU", "Luzern"]},
    ],
    "integer": [{"minimum": 0}, {"maximum": 100}, {"enum": [0, 1, 7]}, {"exclusiveMinimum": 0}],
    "number": [{"minimum": 0}, {"maximum": 2.5}, {"exclusiveMaximum": 1.5}, {"enum": [0.5, 1.5]}],
    "date": [{"minimum": "2024-01-05"}, {"maximum": "2024-01-05"}],
    "year": [{"minimum": 2000}, {"maximum": 2024}],
    "boolean": [{"enum": [True]}],
}
# frictionless-py keeps unique values and keys in a dict: it raises on dict and list
# values, so these types never get `unique` or a primary key here.
UNHASHABLE = ("object", "array", "list", "geojson")
TEXT = st.text(alphabet=string.ascii_letters + string.digits + " .,:-+'/@éü", max_size=12)


Table = tuple[dict[str, Any], list[str], list[tuple[str, ...]]]


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """A random schema of 1-4 fields, a header for it and up to 8 rows of cells.

    The header may swap, drop, add or blank a label (under a random `fieldsMatch`),
    and a row may be one cell short or long.
    """
    count = draw(st.integers(1, 4))
    fields = [draw(fields_of(f"f{i}")) for i in range(count)]
    schema: dict[str, Any] = {"$schema": SCHEMA_V2, "fields": fields}
    keyed = [f["name"] for f in fields if f["type"] not in UNHASHABLE]
    if draw(st.booleans()) and keyed:
        schema["primaryKey"] = keyed[: draw(st.integers(1, min(2, len(keyed))))]
    if draw(st.booleans()):
        schema["missingValues"] = ["", "NA"]
    labels = draw(headers([f["name"] for f in fields]))
    if len(set(labels)) == len(labels) and all(labels) and draw(st.booleans()):
        schema["fieldsMatch"] = draw(st.sampled_from(["exact", "equal", "subset", "superset"]))
    cells = [cells_for(spec) for spec in fields]
    row = st.one_of(
        st.tuples(*cells),
        st.tuples(*cells[:-1]),
        st.tuples(*cells, st.sampled_from(["x", ""])),
    )
    rows = draw(st.lists(row, max_size=8))
    return schema, labels, rows


@st.composite
def headers(draw: st.DrawFn, names: list[str]) -> list[str]:
    """The field names, mostly as they are, sometimes changed."""
    labels = list(names)
    change = draw(st.integers(0, 9))
    if change == 0 and len(labels) > 1:
        labels[0], labels[1] = labels[1], labels[0]
    elif change == 1 and len(labels) > 1:
        labels.pop()
    elif change == 2:
        labels.append("extra")
    elif change == 3:
        labels[-1] = ""
    elif change == 4 and len(labels) > 1:
        labels[-1] = labels[0]
    return labels


@st.composite
def fields_of(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """A field of a random type, format, type options and constraints."""
    kind = draw(st.sampled_from(sorted(SAMPLES)))
    spec: dict[str, Any] = {"name": name, "type": kind}
    if kind in FORMATS:
        spec["format"] = draw(st.sampled_from(FORMATS[kind]))
    constraints: dict[str, Any] = {}
    # frictionless-py reads a bound with the field's format and raises when it does
    # not fit (a date minimum "2024-01-05" for format %d.%m.%Y): such schemas are left out.
    if kind in CONSTRAINTS and spec.get("format", "default") in ("default", "any"):
        if draw(st.booleans()):
            constraints.update(draw(st.sampled_from(CONSTRAINTS[kind])))
    if draw(st.integers(0, 3)) == 0:
        constraints["required"] = True
    if draw(st.integers(0, 3)) == 0 and kind not in UNHASHABLE:
        constraints["unique"] = True
    if constraints:
        spec["constraints"] = constraints
    if kind == "number" and draw(st.booleans()):
        options = [{"groupChar": "'"}, {"decimalChar": ","}, {"bareNumber": False}]
        spec.update(draw(st.sampled_from(options)))
    if kind == "boolean" and draw(st.booleans()):
        spec.update({"trueValues": ["ja", "true"], "falseValues": ["nein", "false"]})
    return spec


def cells_for(spec: dict[str, Any]) -> st.SearchStrategy[str]:
    """Cells for a field: its typical spellings, missing values, or any short text."""
    return st.one_of(st.sampled_from([*SAMPLES[spec["type"]], "", "NA"]), TEXT)


def _csv(names: list[str], rows: list[tuple[str, ...]]) -> str:
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return handle.getvalue()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=tables())
def test_random_tables_match_frictionless(tmp_path: Path, table: Table) -> None:
    schema, labels, rows = table
    path = tmp_path / "random.csv"
    path.write_text(_csv(labels, rows), encoding="utf-8")
    # The file is UTF-8 with its header in row 1; frictionless-py guesses both from a few
    # rows (the header from row widths), and with ragged rows it sometimes guesses wrong.
    told = {"frictionless": {"encoding": "utf-8", "dialect": {"header": True}}}
    assert ours(validate_file(path, schema)) == theirs(path, schema, told)
