"""Tests for ogd.validate.header: labels against fields under each `fieldsMatch`."""

from __future__ import annotations

import frictionless
import pytest

from ogd.validate.header import FieldsMatch, read_header

SCHEMA = frictionless.Schema.from_descriptor(
    {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "name", "type": "string"},
            {"name": "ort", "type": "string", "constraints": {"required": True}},
        ]
    }
)


def errors(labels: list[str], mode: FieldsMatch) -> list[tuple[str, str | None, int | None]]:
    header = read_header(labels, SCHEMA, mode)
    return [(e.type, e.field_name, e.field_number) for e in header.errors]


@pytest.mark.parametrize(
    ("labels", "mode", "expected"),
    [
        (["id", "name", "ort"], "exact", []),
        (
            ["name", "id", "ort"],
            "exact",
            [("incorrect-label", "id", 1), ("incorrect-label", "name", 2)],
        ),
        (["name", "id", "ort"], "equal", []),
        (["id", "name"], "exact", [("missing-label", "ort", 3)]),
        (["id", "name"], "superset", [("missing-label", "ort", 3)]),
        (["id", "ort"], "superset", []),
        (["id", "name", "ort", "plz"], "exact", [("extra-label", "", 4)]),
        (["id", "name", "ort", "plz"], "subset", []),
        (["plz"], "partial", [("unmatched-header", None, None), ("missing-label", "ort", 2)]),
        (["id", "", "ort"], "exact", [("blank-label", "name", 2)]),
        (["id", "id", "ort"], "exact", [("duplicate-label", "name", 2)]),
    ],
)  # fmt: skip
def test_header_errors(labels: list[str], mode: FieldsMatch, expected: list[object]) -> None:
    assert errors(labels, mode) == expected


def test_columns_without_a_field_are_read_as_any() -> None:
    header = read_header(["ort", "plz", "plz"], SCHEMA, "equal")
    assert [f.name for f in header.fields] == ["ort", "plz", "plz2"]
    assert [f.type for f in header.fields] == ["string", "any", "any"]
    assert header.matched == (True, False, False)
