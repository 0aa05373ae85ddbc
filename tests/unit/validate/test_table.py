"""Tests for ogd.validate.table: batch validation, checked against frictionless-py."""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from frictionless import Resource, Schema

from ogd.errors import SchemaError
from ogd.validate import (
    Report,
    TableValidator,
    ValidationErrorEntry,
    arrow_schema,
    validate_table,
)

V2 = "https://datapackage.org/profiles/2.0/tableschema.json"


def text_table(**columns: Sequence[str | None]) -> pa.Table:
    return pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})


def one_field(descriptor: dict[str, Any], **schema: Any) -> Schema:
    return Schema.from_descriptor({"fields": [{"name": "f", **descriptor}], **schema})


# Each case: a field and its cells ("|"-separated); frictionless's Field.read_cell is
# the oracle for which cells are type errors and which constraints fail.
READ_CASES = [
    ({"type": "integer"}, "1|-5|+5| 7 |007|1.0|1e3|abc|1 000|"),
    ({"type": "integer", "bareNumber": False}, "CHF 100|100 %|-5$|abc|1.5"),
    ({"type": "number"}, "1|1.5|.5|5.|-1e3|+.5|nan|inf|1,5|1 000|abc| 2 "),
    (
        {"type": "number", "decimalChar": ",", "groupChar": "'"},
        "1'000,50|1.5|1,5|-3'000",
    ),
    ({"type": "number", "bareNumber": False}, "CHF 10.50|10.5%|EUR -3.2|abc"),
    ({"type": "boolean"}, "true|True|TRUE|1|false|0|yes|t"),
    (
        {"type": "boolean", "trueValues": ["ja"], "falseValues": ["nein"]},
        "ja|nein|true|Ja",
    ),
    (
        {"type": "date"},
        "2020-01-05|2020-1-5|2020-02-30|2020-02-29|2019-02-29|20200105"
        "|2020-01-05T00:00|05.01.2020| 2020-01-05",
    ),
    (
        {"type": "date", "format": "%d.%m.%Y"},
        "05.01.2020|5.1.2020|31.02.1990|29.02.2000|29.02.1900|32.01.2020"
        "|2020-01-05|05.01.20|31.04.2020|30.04.2020",
    ),
    ({"type": "date", "format": "%d/%m/%y"}, "05/01/20|31/04/99|5/1/20"),
    (
        {"type": "datetime"},
        "2020-01-05T10:00:00|2020-01-05 10:00:00|2020-01-05T10:00:00Z"
        "|2020-01-05T10:00:00+01:00|2020-01-05T10:00:00.123|2020-02-30T10:00:00"
        "|2020-01-05T25:00:00|2020-01-05T10:00|2020-01-05",
    ),
    (
        {"type": "datetime", "format": "%d.%m.%Y %H:%M"},
        "05.01.2020 10:30|31.02.2020 10:30|05.01.2020 24:00|05.01.2020",
    ),
    ({"type": "time"}, "10:30:00|10:30|25:00:00|10:30:00.5|10:30:00Z|10:60:00|1:30:00"),
    ({"type": "time", "format": "%H:%M"}, "10:30|24:00|9:05|10:30:00"),
    ({"type": "year"}, "2020|0999|999|+202|-202|20201|abc"),
    ({"type": "yearmonth"}, "2020-01|2020-1|2020-13|x"),
    ({"type": "string", "format": "email"}, "a@b.ch|a@b|not an email|a b@c.ch"),
    (
        {"type": "string", "format": "uuid"},
        "2bc1c94f-0deb-43e9-92a1-4775189ec9f8|2bc1c94f0deb43e992a14775189ec9f8|xyz",
    ),
    ({"type": "string", "format": "uri"}, "https://example.ch/x|mailto:a@b.ch|example"),
    (
        {
            "type": "string",
            "constraints": {"minLength": 2, "maxLength": 4, "pattern": "[a-z]+"},
        },
        "a|ab|abcd|abcde|AB|ab1",
    ),
    ({"type": "string", "constraints": {"pattern": "a|b"}}, "a|b|ab|xb|ax"),
    (
        {
            "type": "integer",
            "constraints": {"minimum": 0, "maximum": 10, "enum": [1, 3, 11]},
        },
        "0|1|3|4|11|-1",
    ),
    (
        {
            "type": "number",
            "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 1},
        },
        "0|0.5|1|nan",
    ),
    (
        {
            "type": "date",
            "constraints": {"minimum": "2000-01-01", "maximum": "2020-12-31"},
        },
        "1999-12-31|2000-01-01|2021-01-01",
    ),
    (
        {
            "type": "date",
            "format": "%d.%m.%Y",
            "constraints": {"minimum": "01.01.2000"},
        },
        "31.12.1999|01.01.2000",
    ),
    ({"type": "string", "constraints": {"enum": ["a", "b"], "required": True}}, "a|c|"),
    ({"type": "year", "constraints": {"minimum": 1900}}, "1899|1900"),
]


def frictionless_findings(schema: Schema, cells: list[str]) -> list[tuple[int, str]]:
    field = schema.fields[0]
    found = []
    for row, cell in enumerate(cells, start=2):
        _, notes = field.read_cell(cell)
        for name in notes or {}:
            found.append((row, "type-error" if name == "type" else f"constraint:{name}"))
    return sorted(found)


def our_findings(report: Report, *, required: bool) -> list[tuple[int, str]]:
    found = []
    for entry in report.errors:
        assert entry.row_number is not None
        if entry.type == "blank-row":
            # In a one-field table an empty cell is a blank row; read_cell, which sees
            # only the cell, reports it as "required" when the field is required.
            if required:
                found.append((entry.row_number, "constraint:required"))
        elif entry.type == "type-error":
            found.append((entry.row_number, "type-error"))
        else:
            found.append((entry.row_number, "constraint:" + entry.note.split('"')[1]))
    return sorted(found)


@pytest.mark.parametrize(("descriptor", "cells"), READ_CASES)
def test_cells_read_like_frictionless(descriptor: dict[str, Any], cells: str) -> None:
    extra = {"$schema": V2} if "exclusiveMinimum" in str(descriptor) else {}
    schema = one_field(descriptor, **extra)
    texts = cells.split("|")
    _, report = validate_table(text_table(f=texts), schema, source="x.csv")
    found = our_findings(report, required=schema.fields[0].required)
    assert found == frictionless_findings(schema, texts)


@pytest.mark.parametrize(
    ("descriptor", "cells", "expected"),
    [
        ({"type": "integer"}, ["12", " 3", "x"], [12, 3, None]),
        ({"type": "number", "decimalChar": ","}, ["1,5", "-2"], [1.5, -2.0]),
        ({"type": "boolean"}, ["1", "FALSE", "nope"], [True, False, None]),
        ({"type": "date", "format": "%d.%m.%Y"}, ["5.1.2020"], [dt.date(2020, 1, 5)]),
        (
            {"type": "datetime"},
            ["2020-01-05T10:00:00+01:00", "2020-01-05 10:00:00.25"],
            [dt.datetime(2020, 1, 5, 9), dt.datetime(2020, 1, 5, 10, 0, 0, 250000)],
        ),
        ({"type": "time"}, ["10:30:05"], [dt.time(10, 30, 5)]),
        ({"type": "year"}, ["2020"], [2020]),
        ({"type": "geopoint"}, ["8.3, 47.05"], ["8.3, 47.05"]),
    ],
)
def test_text_cells_become_typed_values(
    descriptor: dict[str, Any], cells: list[str], expected: list[Any]
) -> None:
    table, _ = validate_table(text_table(f=cells), one_field(descriptor), source="x.csv")
    assert table.column("f").to_pylist() == expected


EXCEL = Schema.from_descriptor(
    {
        "fields": [
            {"name": "nr", "type": "integer"},
            {"name": "betrag", "type": "number"},
            {"name": "datum", "type": "date"},
            {"name": "zeit", "type": "datetime"},
            {"name": "aktiv", "type": "boolean"},
            {"name": "plz", "type": "string"},
            {"name": "jahr", "type": "year"},
        ]
    }
)


def test_typed_columns_are_accepted_and_cast() -> None:
    table = pa.table(
        {
            "nr": pa.array([1.0, 2.0], pa.float64()),
            "betrag": pa.array([3, 4], pa.int32()),
            "datum": pa.array([dt.datetime(2020, 1, 5), None], pa.timestamp("ms")),
            "zeit": pa.array([dt.datetime(2020, 1, 5, 10), None], pa.timestamp("s")),
            "aktiv": pa.array([True, False]),
            "plz": pa.array([6003, 6004]),
            "jahr": pa.array([2020, 1999], pa.int64()),
        }
    )
    result, report = validate_table(table, EXCEL, source="x.xlsx")
    assert report.valid, report.summary()
    assert result.schema == arrow_schema(EXCEL)
    assert result.to_pylist()[0] == {
        "nr": 1,
        "betrag": 3.0,
        "datum": dt.date(2020, 1, 5),
        "zeit": dt.datetime(2020, 1, 5, 10),
        "aktiv": True,
        "plz": "6003",
        "jahr": 2020,
    }


@pytest.mark.parametrize(
    ("name", "column", "rows", "last_cell"),
    [
        ("nr", pa.array([1.0, 2.5]), [3], "2.5"),
        ("nr", pa.array([True, False]), [2, 3], "False"),
        ("betrag", pa.array(["1", "y"], pa.large_string()), [3], "y"),
        (
            "datum",
            pa.array([dt.datetime(2020, 1, 5), dt.datetime(2020, 1, 5, 10)]),
            [3],
            "10:00",
        ),
        ("aktiv", pa.array([1, 0]), [2, 3], "0"),
        ("jahr", pa.array([2020, 10000]), [3], "10000"),
    ],
)
def test_typed_column_of_wrong_kind_is_type_error(
    name: str, column: pa.Array, rows: list[int], last_cell: str
) -> None:
    schema = Schema.from_descriptor(
        {"fields": [f for f in EXCEL.to_descriptor()["fields"] if f["name"] == name]}
    )
    _, report = validate_table(pa.table({name: column}), schema, source="x.xlsx")
    assert [(e.type, e.row_number) for e in report.errors] == [("type-error", r) for r in rows]
    assert last_cell in (report.errors[-1].cell or "")


def test_missing_values_from_schema_are_null_not_errors() -> None:
    schema = Schema.from_descriptor(
        {
            "fields": [
                {"name": "f", "type": "integer", "constraints": {"required": True}},
                {"name": "g", "type": "string"},
            ],
            "missingValues": ["", "NA", "-99"],
        }
    )
    table = text_table(f=["1", "NA", "-99", "", ""], g=["a", "b", "c", "d", "NA"])
    result, report = validate_table(table, schema, source="x.csv")
    assert result.column("f").to_pylist() == [1, None, None, None, None]
    assert [(e.type, e.row_number) for e in report.errors] == [
        ("constraint-error", 3),
        ("constraint-error", 4),
        ("constraint-error", 5),
        ("blank-row", 6),
    ]
    assert report.errors[0].note == 'constraint "required" is "True"'
    typed = pa.table({"f": pa.array([5, -99]), "g": pa.array(["a", "b"])})
    _, report = validate_table(typed, schema, source="x.xlsx")
    assert [e.row_number for e in report.errors] == [3]


GEBURTEN = Schema.from_descriptor(
    {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "name", "type": "string"},
            {"name": "geburtsdatum", "type": "date", "format": "%d.%m.%Y"},
            {"name": "ort", "type": "string"},
            {"name": "zivilstand", "type": "string"},
        ]
    }
)


def test_messages_for_stewards() -> None:
    dates = ["01.01.1990"] * 15 + ["31.02.1990"]
    table = text_table(
        id=[str(i) for i in range(16)],
        name=["x"] * 16,
        geburtsdatum=dates,
        ort=["Luzern"] * 16,
        zivilstand=["ledig"] * 16,
    )
    _, report = validate_table(table, GEBURTEN, source="einwohnerregister.csv")
    (entry,) = report.errors
    assert entry == ValidationErrorEntry(
        type="type-error",
        title="Type Error",
        message='Type error in the cell "31.02.1990" in row "17" and field '
        '"geburtsdatum" at position "3": type is "date/%d.%m.%Y"',
        message_de="Zeile 17, Feld «geburtsdatum»: «31.02.1990» ist kein gültiges "
        "Datum (Format TT.MM.JJJJ)",
        row_number=17,
        field_name="geburtsdatum",
        field_number=3,
        cell="31.02.1990",
        note='type is "date/%d.%m.%Y"',
    )
    assert report.summary() == (
        "einwohnerregister.csv row 17, field geburtsdatum: '31.02.1990' is not a "
        "valid date (format %d.%m.%Y)"
    )


PEOPLE = Schema.from_descriptor(
    {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"required": True}},
            {"name": "ahv", "type": "string", "constraints": {"unique": True}},
            {"name": "wert", "type": "number", "constraints": {"maximum": 10}},
        ],
        "primaryKey": ["id"],
    }
)


def people(n: int, **override: Sequence[str | None]) -> pa.Table:
    columns = {
        "id": [str(i) for i in range(n)],
        "ahv": [f"756.{i:04d}" for i in range(n)],
        "wert": ["1"] * n,
    }
    return text_table(**{**columns, **override})


def test_drop_policy_leaves_out_bad_rows_and_reports_them() -> None:
    table = people(5, wert=["1", "x", "11", "2", "3"], id=["0", "1", "2", "0", "4"])
    result, report = validate_table(table, PEOPLE, source="x.csv", policy="drop")
    assert result.column("id").to_pylist() == [0, 4]
    assert result.schema == arrow_schema(PEOPLE)
    assert Counter(e.type for e in report.errors) == {
        "type-error": 1,
        "constraint-error": 1,
        "primary-key": 1,
    }
    kept, _ = validate_table(table, PEOPLE, source="x.csv", policy="fail")
    assert kept.column("wert").to_pylist() == [1.0, None, 11.0, 2.0, 3.0]


def test_unique_and_primary_key_across_batches() -> None:
    validator = TableValidator(PEOPLE, source="x.csv", policy="drop")
    first = people(3).to_batches()[0]
    second = people(3, id=["5", "2", "2"], ahv=["756.0001", "756.9", "756.9"])
    out1 = validator.validate(first, 2)
    out2 = validator.validate(second.to_batches()[0], 5)
    report = validator.finish()
    found = [(e.type, e.row_number, e.field_name, e.note) for e in report.errors]
    assert found == [
        ("unique-error", 5, "ahv", "the same as in the row at position 3"),
        ("primary-key", 6, None, "the same as in the row at position 4"),
        ("unique-error", 7, "ahv", "the same as in the row at position 6"),
        ("primary-key", 7, None, "the same as in the row at position 6"),
    ]
    assert report.errors[1].message_de == (
        "Zeile 6: der Primärschlüssel (id) «2» kommt schon in Zeile 4 vor"
    )
    assert out1.num_rows == 3 and out2.num_rows == 0
    assert report.rows == 6


def test_composite_primary_key() -> None:
    schema = Schema.from_descriptor(
        {
            "fields": [
                {"name": "jahr", "type": "year"},
                {"name": "ort", "type": "string"},
            ],
            "primaryKey": ["jahr", "ort"],
        }
    )
    table = text_table(
        jahr=["2020", "2020", "2021", "2020", "", "2020"],
        ort=["Luzern", "Kriens", "Luzern", "Luzern", "", ""],
    )
    _, report = validate_table(table, schema, source="x.csv")
    found = [(e.type, e.row_number, e.cell) for e in report.errors]
    assert found == [
        ("primary-key", 5, "2020, Luzern"),
        ("blank-row", 6, None),
        ("primary-key", 6, None),
    ]


def test_labels_are_matched_by_name() -> None:
    table = people(2).select(["wert", "id", "ahv"]).append_column("extra", pa.array(["a", "b"]))
    result, report = validate_table(table, PEOPLE, source="x.csv")
    assert result.schema.names == ["id", "ahv", "wert"]
    assert [(e.type, e.cell, e.field_number) for e in report.errors] == [
        ("extra-label", "extra", 4)
    ]
    assert not report.valid


def test_missing_label_is_reported_and_its_field_stays_empty() -> None:
    # As frictionless (fieldsMatch "equal"): the other columns are still checked.
    validator = TableValidator(PEOPLE, source="x.csv")
    validator.check_labels(["id", "wert"])
    batch = people(2, wert=["1", "x"]).select(["id", "wert"]).to_batches()[0]
    result = validator.validate(batch, 2)
    report = validator.finish()
    assert result.schema == arrow_schema(PEOPLE)
    assert result.column("ahv").to_pylist() == [None, None]
    assert [(e.type, e.field_name, e.row_number) for e in report.errors] == [
        ("missing-label", "ahv", None),
        ("type-error", "wert", 3),
    ]
    assert report.summary(limit=1).splitlines()[0] == (
        "x.csv header, field ahv: column is missing (the schema expects it)"
    )


def test_row_numbers_start_where_told() -> None:
    _, report = validate_table(
        people(3, wert=["1", "1", "x"]), PEOPLE, source="x.csv", first_row_number=5
    )
    assert [e.row_number for e in report.errors] == [7]


def test_errors_are_counted_beyond_max_errors() -> None:
    validator = TableValidator(PEOPLE, source="x.csv", max_errors=3)
    for start in (2, 12):
        validator.validate(people(10, wert=["x"] * 10).to_batches()[0], start)
    report = validator.finish()
    assert (len(report.errors), report.error_count, report.truncated) == (3, 40, True)
    assert [e.row_number for e in report.errors] == [2, 3, 4]
    shape = report.to_dict()
    assert shape["stats"] == {"errors": 40, "rows": 20}
    assert shape["valid"] is False and shape["truncated"] is True
    assert set(shape["errors"][0]) == {
        "type",
        "title",
        "message",
        "messageDe",
        "rowNumber",
        "fieldName",
        "fieldNumber",
        "cell",
        "note",
    }
    assert report.summary(limit=2).splitlines()[-1] == "… and 38 more error(s) in x.csv"


def test_valid_report() -> None:
    result, report = validate_table(people(4), PEOPLE, source="x.csv")
    assert report.valid and report.error_count == 0 and not report.truncated
    assert report.summary() == "x.csv: valid, 4 rows"
    assert result.num_rows == 4


@pytest.mark.parametrize(
    "constraints",
    [{"pattern": "[a-"}, {"pattern": "(?i)x"}, {"minimum": "not a number"}],
)
def test_constraints_that_cannot_apply_raise(constraints: dict[str, Any]) -> None:
    field = {"type": "integer" if "pattern" not in constraints else "string"}
    with pytest.raises(SchemaError) as caught:
        TableValidator(one_field({**field, "constraints": constraints}), source="x.csv")
    assert "field 'f'" in caught.value.where
    assert caught.value.hint


def test_patterns_without_re2_form_are_matched_with_python() -> None:
    schema = one_field({"type": "string", "constraints": {"pattern": "(?=a)[a-z]+|(b)\\1"}})
    _, report = validate_table(text_table(f=["abc", "bb", "xyz", "b"]), schema, source="x.csv")
    assert [e.row_number for e in report.errors] == [4, 5]


def test_enum_items_of_another_type_match_nothing() -> None:
    schema = one_field({"type": "integer", "constraints": {"enum": [1, "x"]}})
    _, report = validate_table(text_table(f=["1", "2"]), schema, source="x.csv")
    assert [e.row_number for e in report.errors] == [3]


# The comparison with frictionless.validate: a small register with planted errors.

REGISTER = {
    "fields": [
        {"name": "id", "type": "integer"},
        {
            "name": "name",
            "type": "string",
            "constraints": {"required": True, "minLength": 2},
        },
        {
            "name": "geburtsdatum",
            "type": "date",
            "format": "%d.%m.%Y",
            "constraints": {"minimum": "01.01.1900"},
        },
        {
            "name": "plz",
            "type": "integer",
            "constraints": {"minimum": 1000, "maximum": 9999},
        },
        {"name": "kanton", "type": "string", "constraints": {"pattern": "[A-Z]{2}"}},
        {
            "name": "zivilstand",
            "type": "string",
            "constraints": {"enum": ["ledig", "verheiratet", "geschieden", "verwitwet"]},
        },
        {"name": "ahv", "type": "string", "constraints": {"unique": True}},
        {"name": "einkommen", "type": "number", "groupChar": "'"},
        {"name": "aktiv", "type": "boolean"},
        {"name": "erfasst", "type": "datetime"},
    ],
    "primaryKey": ["id"],
    "missingValues": ["", "NA"],
}

PLANTED = {
    3: {"geburtsdatum": "31.02.1990"},
    5: {"plz": "60O3"},
    6: {"plz": "999"},
    8: {"kanton": "Lu"},
    9: {"zivilstand": "unbekannt"},
    11: {"name": ""},
    12: {"name": "X"},
    13: {"ahv": "756.0002"},
    14: {"id": "4"},
    15: {"id": ""},
    17: {"geburtsdatum": "01.01.1899", "aktiv": "ja"},
    19: {"einkommen": "12.000.50", "erfasst": "2024-02-30T10:00:00"},
    21: {"id": "x1", "plz": "NA"},
    23: {"erfasst": "2024-01-05"},
}


def register_rows(n: int) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": str(i),
                "name": f"Person {i}",
                "geburtsdatum": f"{i % 28 + 1:02d}.{i % 12 + 1:02d}.19{50 + i}",
                "plz": str(6000 + i),
                "kanton": "LU",
                "zivilstand": "ledig",
                "ahv": f"756.{i:04d}",
                "einkommen": f"{50 + i}'000.50",
                "aktiv": "true" if i % 2 else "false",
                "erfasst": f"2024-01-{i % 28 + 1:02d}T08:30:00",
            }
        )
    for row_number, cells in PLANTED.items():
        rows[row_number - 2].update(cells)
    rows[25 - 2] = dict.fromkeys(rows[0], "")  # a blank row
    return rows


def test_same_errors_as_frictionless(tmp_path: Path) -> None:
    rows = register_rows(30)
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    schema = Schema.from_descriptor(REGISTER)

    resource = Resource(path="register.csv", basepath=str(tmp_path), schema=schema)
    expected = frictionless.validate(resource)
    theirs = Counter(
        (e.type, e.to_descriptor().get("rowNumber"), e.to_descriptor().get("fieldName"))
        for e in expected.tasks[0].errors
    )
    their_messages = Counter(e.message for e in expected.tasks[0].errors)

    names = list(rows[0])
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    result, report = validate_table(table, schema, source="register.csv")
    ours = Counter((e.type, e.row_number, e.field_name) for e in report.errors)

    assert ours == theirs
    assert Counter(e.message for e in report.errors) == their_messages
    assert report.rows == expected.tasks[0].stats["rows"] == 30
    assert {t for t, _, _ in ours} == {
        "type-error",
        "constraint-error",
        "unique-error",
        "primary-key",
        "blank-row",
    }
    assert result.num_rows == 30


def test_speed_smoke() -> None:
    n = 200_000
    rnd = random.Random(7)
    table = text_table(
        id=[str(i) for i in range(n)],
        geburtsdatum=[
            f"{rnd.randint(1, 28):02d}.{rnd.randint(1, 12):02d}.19{rnd.randint(10, 99)}"
            for _ in range(n)
        ],
        plz=[str(rnd.randint(1000, 9999)) for _ in range(n)],
        kanton=[rnd.choice(["LU", "ZG", "NW"]) for _ in range(n)],
        einkommen=[f"{rnd.random() * 1e5:.2f}" for _ in range(n)],
    )
    schema = Schema.from_descriptor(
        {
            "fields": [
                {"name": "id", "type": "integer", "constraints": {"required": True}},
                {
                    "name": "geburtsdatum",
                    "type": "date",
                    "format": "%d.%m.%Y",
                    "constraints": {"minimum": "01.01.1900"},
                },
                {
                    "name": "plz",
                    "type": "integer",
                    "constraints": {"minimum": 1000, "maximum": 9999},
                },
                {
                    "name": "kanton",
                    "type": "string",
                    "constraints": {"pattern": "[A-Z]{2}", "enum": ["LU", "ZG", "NW"]},
                },
                {"name": "einkommen", "type": "number", "constraints": {"minimum": 0}},
            ],
            "primaryKey": ["id"],
        }
    )
    started = time.perf_counter()
    result, report = validate_table(table, schema, source="big.csv")
    seconds = time.perf_counter() - started
    assert report.valid, report.summary()
    assert result.num_rows == n
    assert seconds < 5, f"{n} rows took {seconds:.2f} s"


@pytest.mark.parametrize("overlap", [True, False])
def test_overlapping_checks_give_the_same_report(overlap: bool) -> None:
    rows = 5_000
    table = people(
        rows,
        wert=[str(i % 13) if i % 7 else "x" for i in range(rows)],
        ahv=[f"756.{i % 4_000:04d}" for i in range(rows)],
    )
    validator = TableValidator(PEOPLE, source="x.csv", overlap=overlap, max_errors=50)
    start = 2
    for batch in table.to_batches(max_chunksize=700):
        validator.validate(batch, start)
        start += batch.num_rows
    rejected = validator.rejected()
    report = validator.finish()
    _, expected = validate_table(table, PEOPLE, source="x.csv")
    assert report.error_count == expected.error_count
    assert report.errors[:50] == expected.errors[:50]
    assert rejected is not None and rejected.column("_row").to_pylist()[-1] == rows + 1


def test_bounds_frictionless_cannot_compare_are_checked_here() -> None:
    # An ISO bound on a %d.%m.%Y field (as schemas/einwohnerregister.schema.json has),
    # and a time zone against a bound without: frictionless-py raises TypeError there.
    schema = Schema.from_descriptor(
        {
            "fields": [
                {"name": "d", "type": "date", "format": "%d.%m.%Y",
                 "constraints": {"minimum": "2016-01-01"}},
                {"name": "t", "type": "datetime",
                 "constraints": {"minimum": "2020-01-01T00:00:00"}},
            ]
        }
    )  # fmt: skip
    table = text_table(
        d=["05.01.2020", "5.1.2015", "x"],
        t=["2020-01-05T10:00:00Z", "2019-01-05T10:00:00+01:00", "2019-01-01T00:00:00"],
    )
    _, report = validate_table(table, schema, source="x.csv")
    assert [(e.row_number, e.field_name, e.type) for e in report.errors] == [
        (3, "d", "constraint-error"),
        (3, "t", "constraint-error"),
        (4, "d", "type-error"),
        (4, "t", "constraint-error"),
    ]
