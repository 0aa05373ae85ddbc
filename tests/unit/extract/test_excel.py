"""Excel reader: sheets, ranges, merged two-row headers, dates, typed columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from openpyxl import Workbook

from ogd.errors import SourceInvalid
from ogd.extract.excel import read_excel
from tests.unit.extract.helpers import make_request, rows, table


def save(book: Workbook, folder: Path, name: str = "book.xlsx") -> str:
    book.save(folder / name)
    return name


def simple_book(folder: Path) -> str:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Info"
    first.append(["Dieses Blatt erklärt die Daten"])
    data = book.create_sheet("Daten")
    data.append(["nr", "ort", "einwohner", "anteil", "stichtag", "aktiv", "erfasst"])
    data.append(
        [1, "Luzern", 82_000, 0.5, dt.datetime(2023, 12, 31), True, dt.datetime(2024, 1, 2, 8, 30)]
    )
    data.append(
        [2, "Kriens", 27_000, 1, dt.datetime(2023, 12, 31), False, dt.datetime(2024, 1, 3, 9, 0)]
    )
    data.append([None] * 7)
    data.append([None] * 7)
    return save(book, folder)


def test_named_sheet_keeps_types_and_dates(tmp_path: Path) -> None:
    extract = read_excel(make_request(tmp_path, path=simple_book(tmp_path), sheet="Daten"))
    assert extract.labels == ["nr", "ort", "einwohner", "anteil", "stichtag", "aktiv", "erfasst"]
    result = table(extract)
    assert result.schema.field("nr").type == pa.int64()
    assert result.schema.field("ort").type == pa.string()
    assert result.schema.field("anteil").type == pa.float64()
    assert result.schema.field("stichtag").type == pa.date32()
    assert result.schema.field("aktiv").type == pa.bool_()
    assert pa.types.is_timestamp(result.schema.field("erfasst").type)
    assert result.num_rows == 2  # trailing empty rows dropped
    assert result.to_pylist()[1]["stichtag"] == dt.date(2023, 12, 31)
    assert extract.first_row_number == 2
    assert extract.name == "book.xlsx" and extract.fingerprint


def test_first_sheet_is_the_default(tmp_path: Path) -> None:
    extract = read_excel(make_request(tmp_path, path=simple_book(tmp_path)))
    assert extract.labels == ["Dieses Blatt erklärt die Daten"]


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_excel(make_request(tmp_path, path=simple_book(tmp_path), sheet="Tabelle1"))
    assert error.value.where.endswith(".sheet")
    assert "Info, Daten" in error.value.hint


def test_range_reads_only_its_cells(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Titel der Tabelle"
    cells: list[list[Any]] = [["ort", "wert", "notiz"], ["Luzern", 1, "a"], ["Emmen", 2, "b"]]
    for r, values in enumerate(cells, 3):
        for c, value in enumerate(values, 2):
            sheet.cell(row=r, column=c, value=value)
    sheet["B6"] = "Total"
    sheet["C6"] = 3
    sheet["E4"] = "daneben"
    path = save(book, tmp_path)
    extract = read_excel(make_request(tmp_path, path=path, range="B3:C5"))
    assert extract.labels == ["ort", "wert"]
    assert extract.first_row_number == 4
    assert rows(extract) == [{"ort": "Luzern", "wert": 1}, {"ort": "Emmen", "wert": 2}]


def test_header_row_below_a_title(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Bevölkerung 2023"])
    sheet.append([])
    sheet.append(["ort", "total"])
    sheet.append(["Luzern", 82_000])
    path = save(book, tmp_path)
    extract = read_excel(make_request(tmp_path, path=path, header_row=3))
    assert extract.first_row_number == 4
    assert rows(extract) == [{"ort": "Luzern", "total": 82_000}]


def test_merged_two_row_header_is_spread_and_joined(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ort", "Einwohner", None, None, "Bemerkung"])
    sheet.append([None, "Total", "Männer", "Frauen", None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("E1:E2")
    sheet.append(["Luzern", 82_000, 40_000, 42_000, "Stadt"])
    path = save(book, tmp_path)
    extract = read_excel(make_request(tmp_path, path=path, header_rows=2))
    assert extract.labels == [
        "Ort",
        "Einwohner Total",
        "Einwohner Männer",
        "Einwohner Frauen",
        "Bemerkung",
    ]
    assert extract.first_row_number == 3
    assert rows(extract)[0]["Einwohner Frauen"] == 42_000


def test_mixed_column_becomes_text_and_blank_rows_inside_stay(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["wert"])
    sheet.append([1])
    sheet.append([None])
    sheet.append(["k.A."])
    extract = read_excel(make_request(tmp_path, path=save(book, tmp_path)))
    assert table(extract).column("wert").to_pylist() == ["1", None, "k.A."]


def test_formula_cells_give_their_cached_value(tmp_path: Path) -> None:
    # openpyxl writes no cached values; a workbook without them reads the formula as null
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b"])
    sheet.append([1, "=A2*2"])
    extract = read_excel(make_request(tmp_path, path=save(book, tmp_path)))
    assert rows(extract) == [{"a": 1, "b": None}]


def test_value_outside_the_header_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b"])
    sheet.append([1, 2, "ohne Spalte"])
    extract = read_excel(make_request(tmp_path, path=save(book, tmp_path)))
    with pytest.raises(SourceInvalid, match="cell C2"):
        list(extract.batches)


def test_column_names_without_header(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Luzern", 1])
    extract = read_excel(
        make_request(tmp_path, path=save(book, tmp_path), header_rows=0, column_names=["ort", "n"])
    )
    assert extract.first_row_number == 1
    assert rows(extract) == [{"ort": "Luzern", "n": 1}]


def test_duplicate_header_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b", "a"])
    with pytest.raises(SourceInvalid, match="`a` at columns 1, 3"):
        read_excel(make_request(tmp_path, path=save(book, tmp_path)))


def test_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_text("a,b\n1,2\n")
    with pytest.raises(SourceInvalid, match="not a readable .xlsx"):
        read_excel(make_request(tmp_path, path="fake.xlsx"))


def test_batches_are_bounded(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["i"])
    for i in range(25):
        sheet.append([i])
    extract = read_excel(make_request(tmp_path, batch_rows=10, path=save(book, tmp_path)))
    assert [b.num_rows for b in extract.batches] == [10, 10, 5]
