"""Tests for ogd.validate.report and messages: frictionless's wording, and the German one."""

from __future__ import annotations

import pytest

from ogd.validate.report import TEMPLATES, TITLES, Report, make_entry


@pytest.mark.parametrize(
    ("kind", "details", "english", "german"),
    [
        (
            "type-error",
            {"row": 4, "name": "datum", "number": 2, "cell": "31.02.1990",
             "note": 'type is "date/%d.%m.%Y"'},
            'Type error in the cell "31.02.1990" in row "4" and field "datum" at position "2": '
            'type is "date/%d.%m.%Y"',
            "Zeile 4, Feld «datum»: «31.02.1990» ist kein gültiges Datum (Format TT.MM.JJJJ)",
        ),
        (
            "constraint-error",
            {"row": 5, "name": "kanton", "number": 3, "cell": "Lu",
             "note": 'constraint "enum" is "[\'LU\', \'ZG\']"'},
            'The cell "Lu" in row at position "5" and field "kanton" at position "3" does not '
            "conform to a constraint: constraint \"enum\" is \"['LU', 'ZG']\"",
            "Zeile 5, Feld «kanton»: «Lu» ist kein erlaubter Wert (erlaubt: LU, ZG)",
        ),
        (
            "missing-cell",
            {"row": 3, "name": "ort", "number": 3, "cell": ""},
            'Row at position "3" has a missing cell in field "ort" at position "3"',
            "Zeile 3, Feld «ort»: die Zelle fehlt (die Zeile hat zu wenige Werte)",
        ),
        (
            "extra-cell",
            {"row": 3, "name": "", "number": 4, "cell": "LU"},
            'Row at position "3" has an extra value in field at position "4"',
            "Zeile 3: überzähliger Wert «LU» an Position 4 (die Zeile hat mehr Werte als Spalten)",
        ),
        (
            "duplicate-label",
            {"name": "ort", "number": 3, "cell": "name", "note": 'at position "2"'},
            'Label "name" in the header at position "3" is duplicated to a label: at position "2"',
            "Kopfzeile: der Spaltenname «name» an Position 3 kommt mehrfach vor",
        ),
        (
            "incorrect-label",
            {"name": "id", "number": 1, "cell": "nr"},
            'Label "nr" in field id at position "1" does not match the field name in the schema',
            "Kopfzeile: an Position 1 steht «nr», das Schema erwartet «id»",
        ),
    ],
)  # fmt: skip
def test_messages(kind: str, details: dict[str, object], english: str, german: str) -> None:
    entry = make_entry(kind, **details)  # type: ignore[arg-type]
    assert entry.message == english
    assert entry.message_de == german
    assert entry.title == TITLES[kind]


def test_every_type_has_a_title_and_template() -> None:
    assert set(TITLES) == set(TEMPLATES)
    for kind in TITLES:
        entry = make_entry(kind, row=2, name="f", number=1, cell="x", note="n")
        assert entry.message and entry.message_de


def test_label_errors_carry_the_label() -> None:
    shape = make_entry("blank-label", name="f", number=2, cell="").to_dict()
    assert shape["label"] == "" and shape["fieldName"] == "f"
    assert "label" not in make_entry("blank-row", row=3).to_dict()


def test_summary_says_what_is_wrong() -> None:
    errors = (
        make_entry("extra-cell", row=3, name="", number=4, cell="LU"),
        make_entry("foreign-key", row=4, cell="9999", note="…", fields=("gemeinde",)),
    )
    report = Report("x.csv", False, 5, errors, 2, False)
    assert report.summary().splitlines() == [
        "x.csv row 3: extra value 'LU' (the row has more values than columns)",
        "x.csv row 4: foreign key '9999' is not in the reference table",
    ]
    assert "(gemeinde)" in errors[1].message_de
