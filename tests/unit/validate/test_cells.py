"""Tests for ogd.validate.cells, temporal and numeric: the fast path reads as frictionless."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import frictionless
import pyarrow as pa
import pytest

from ogd.validate.cells import FieldReader, cell_reader, convert, to_arrow_value
from ogd.validate.numeric import read_decimals, read_integers
from ogd.validate.temporal import date_reader, datetime_reader, layout, time_reader


def field(**descriptor: Any) -> frictionless.Field:
    return frictionless.Field.from_descriptor({"name": "f", **descriptor})


def frictionless_values(spec: frictionless.Field, cells: list[str]) -> list[Any]:
    read = spec.create_value_reader()
    return [to_arrow_value(spec, read(cell), cell) for cell in cells]


def random_cells(alphabet: str, count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(count)]


@pytest.mark.parametrize(
    ("descriptor", "alphabet"),
    [
        ({"type": "date"}, "0123456789-"),
        ({"type": "date", "format": "%d.%m.%Y"}, "0123456789."),
        ({"type": "date", "format": "%d/%m/%y"}, "0123456789/"),
        ({"type": "datetime"}, "0123456789-T: ."),
        ({"type": "datetime", "format": "%d.%m.%Y %H:%M"}, "0123456789.: "),
        ({"type": "time"}, "0123456789:."),
        ({"type": "time", "format": "%H:%M"}, "0123456789:"),
        ({"type": "integer"}, "0123456789-+ ."),
        ({"type": "number"}, "0123456789-+.e"),
        ({"type": "number", "decimalChar": ",", "groupChar": "'"}, "0123456789-,.'"),
        ({"type": "number", "bareNumber": False}, "0123456789-.CHF %"),
        ({"type": "year"}, "0123456789+-"),
        ({"type": "yearmonth"}, "0123456789-"),
        ({"type": "boolean"}, "truefalseTRUE01"),
    ],
)
def test_reader_values_are_frictionless_values(descriptor: dict[str, Any], alphabet: str) -> None:
    spec = field(**descriptor)
    cells = random_cells(alphabet, 3000, seed=len(alphabet))
    cells += ["2024-01-05", "05.01.2024", "05/01/24", "2024-01-05T10:30:00", "10:30:00", "12.5"]
    cells = [cell for cell in cells if cell != ""]  # "" is a missing value
    read = FieldReader(spec).read(pa.array(cells))
    ours = read.values.to_pylist()
    theirs = frictionless_values(spec, cells)
    assert ours == theirs
    type_errors = {read.slow[i] for i, notes in enumerate(read.notes) if "type" in notes}
    assert type_errors == {i for i, value in enumerate(theirs) if value is None}


def test_fast_readers_take_the_plain_spellings() -> None:
    dates = date_reader("%d.%m.%Y")
    assert dates is not None
    assert dates(pa.array(["05.01.2024", "31.02.2024", "5.1.2024", None])).to_pylist() == [
        dt.date(2024, 1, 5), None, None, None,
    ]  # fmt: skip
    stamps = datetime_reader("", iso=True)
    assert stamps is not None
    assert stamps(pa.array(["2024-01-05 10:30:00.25"])).to_pylist() == [
        dt.datetime(2024, 1, 5, 10, 30, 0, 250000)
    ]
    clock = time_reader("%H:%M")
    assert clock is not None and clock(pa.array(["23:59", "24:00"])).to_pylist() == [
        dt.time(23, 59), None,
    ]  # fmt: skip
    assert layout("%d. %B %Y") is None  # month names: frictionless reads them
    assert read_integers(pa.array(["007", "-5", "+5", ""])).to_pylist() == [7, -5, None, None]
    plain = read_decimals(pa.array(["1.5", ".5", "5.", "1e3", "x"]))  # x: no clean cast
    assert plain.to_pylist() == [1.5, 0.5, 5.0, None, None]
    clean = read_decimals(pa.array(["1e3", "+5", "1e-400", "1e400", "0.00"]))
    assert clean.to_pylist() == [1000.0, 5.0, None, None, 0.0]


def test_values_with_a_time_zone_are_utc_and_marked() -> None:
    read = FieldReader(field(type="datetime")).read(
        pa.array(["2024-01-05T10:00:00+01:00", "2024-01-05T09:00:00"])
    )
    assert read.values.to_pylist() == [dt.datetime(2024, 1, 5, 9), dt.datetime(2024, 1, 5, 9)]
    assert read.aware == (0,)


def test_missing_values_are_not_present() -> None:
    spec = frictionless.Schema.from_descriptor(
        {"fields": [{"name": "f", "type": "integer"}], "missingValues": ["", "x"]}
    ).fields[0]
    read = FieldReader(spec).read(pa.array(["1", "x", "", None, "y"]))
    assert read.present.to_pylist() == [True, False, False, False, True]
    assert read.values.to_pylist() == [1, None, None, None, None]
    assert read.slow == (4,) and "type" in read.notes[0]


def test_cell_reader_and_convert_keep_their_contract() -> None:
    reader = cell_reader(field(type="number", decimalChar=","))
    assert reader(pa.array(["1,5", None, "x"])).to_pylist() == [1.5, None, None]
    assert convert("integer", pa.array([1.0, 2.5]), pa.int64()).to_pylist() == [1, None]
    assert convert("date", pa.array([dt.datetime(2024, 1, 5)]), pa.date32()).to_pylist() == [
        dt.date(2024, 1, 5)
    ]


def test_typed_cells_go_to_frictionless_when_unusual() -> None:
    read = FieldReader(field(type="number")).read(
        pa.array([Decimal("1.5"), None], pa.decimal128(5, 2))
    )
    assert read.values.to_pylist() == [1.5, None]
    read = FieldReader(field(type="integer")).read(pa.array([True, False]))
    assert [notes.get("type") for notes in read.notes] == ['type is "integer/default"'] * 2
