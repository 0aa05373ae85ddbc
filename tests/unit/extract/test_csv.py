"""CSV reader: encodings, delimiters, quoting, header layouts, missing values, errors."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from ogd.errors import SourceInvalid
from ogd.extract.csv import read_csv
from tests.unit.extract.helpers import make_request, rows, table

TEXT = "name;ort\nMüller;Luzern\nBär;Kriens\n"


def write(folder: Path, content: bytes | str, name: str = "data.csv") -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)
    return name


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.replace("Bär", "Bär – €").encode("cp1252"), "cp1252"),
        (TEXT.encode("latin-1") + "Ärger\x8d;Zug\n".encode("latin-1"), "latin-1"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "latin-1"],
)
def test_encoding_auto_detects_and_decodes(tmp_path: Path, data: bytes, encoding: str) -> None:
    extract = read_csv(make_request(tmp_path, path=write(tmp_path, data)))
    assert extract.details["encoding"] == encoding
    assert extract.labels == ["name", "ort"]
    found = rows(extract)
    assert found[0] == {"name": "Müller", "ort": "Luzern"}
    assert found[1]["name"].startswith("Bär")


def test_cp1252_decodes_the_euro_sign(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b\n5 €,x\n".encode("cp1252"))
    assert rows(read_csv(make_request(tmp_path, path=path))) == [{"a": "5 €", "b": "x"}]


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b\nÄ,1\n".encode("latin-1"))
    extract = read_csv(make_request(tmp_path, path=path, encoding="latin1"))
    assert rows(extract) == [{"a": "Ä", "b": "1"}]


def test_unknown_encoding_names_the_option(tmp_path: Path) -> None:
    path = write(tmp_path, "a\n1\n")
    with pytest.raises(SourceInvalid) as error:
        read_csv(make_request(tmp_path, path=path, encoding="klingon"))
    assert error.value.where == "pipelines/t.yaml source.encoding"
    assert "klingon" in error.value.message


@pytest.mark.parametrize(
    "delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"]
)
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = [["id", "name", "wert"], ["1", "Luzern, Stadt", "1,5"], ["2", "Kriens", "2,25"]]
    quoted = [[f'"{c}"' if delimiter in c else c for c in line] for line in lines]
    path = write(tmp_path, "\n".join(delimiter.join(line) for line in quoted) + "\n")
    extract = read_csv(make_request(tmp_path, path=path))
    assert extract.details["delimiter"] == delimiter
    assert extract.labels == ["id", "name", "wert"]
    assert rows(extract)[0] == {"id": "1", "name": "Luzern, Stadt", "wert": "1,5"}


def test_one_column_file_reads(tmp_path: Path) -> None:
    path = write(tmp_path, "name\nLuzern\nKriens\n")
    assert table(read_csv(make_request(tmp_path, path=path))).column("name").to_pylist() == [
        "Luzern",
        "Kriens",
    ]


def test_quoted_fields_keep_newlines_delimiters_and_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, 'a,b,c\r\n1,"zwei\r\nZeilen","x, ""y"""\r\n2,b,c\r\n\r\n')
    extract = read_csv(make_request(tmp_path, path=path))
    assert rows(extract) == [
        {"a": "1", "b": "zwei\r\nZeilen", "c": 'x, "y"'},
        {"a": "2", "b": "b", "c": "c"},
    ]


def test_values_stay_text_and_empty_stays_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "zahl;datum;leer\n1'234,5;31.12.2023;\n")
    extract = read_csv(make_request(tmp_path, path=path))
    result = table(extract)
    assert all(pa.types.is_string(t) for t in result.schema.types)
    assert result.to_pylist() == [{"zahl": "1'234,5", "datum": "31.12.2023", "leer": ""}]


def test_missing_values_become_null(tmp_path: Path) -> None:
    path = write(tmp_path, 'a;b;c\nx;-;..\n1;"x";\n')
    extract = read_csv(make_request(tmp_path, path=path, missing_values=["x", "-", ".."]))
    assert rows(extract) == [
        {"a": None, "b": None, "c": None},
        {"a": "1", "b": None, "c": ""},
    ]


def test_two_header_rows_are_joined(tmp_path: Path) -> None:
    path = write(tmp_path, "Ort;Einwohner;Einwohner;\n;Total;Frauen;Fläche km2\nLuzern;1;2;3\n")
    extract = read_csv(make_request(tmp_path, path=path, header_rows=2))
    assert extract.labels == ["Ort", "Einwohner Total", "Einwohner Frauen", "Fläche km2"]
    assert extract.first_row_number == 3
    assert rows(extract) == [
        {"Ort": "Luzern", "Einwohner Total": "1", "Einwohner Frauen": "2", "Fläche km2": "3"}
    ]


def test_skip_rows_before_the_header(tmp_path: Path) -> None:
    content = 'Statistik Luzern\n"Stand: 2023,\nprovisorisch"\na,b\n1,2\n'
    path = write(tmp_path, content)
    extract = read_csv(make_request(tmp_path, path=path, skip_rows=2, delimiter=","))
    assert extract.labels == ["a", "b"]
    assert extract.first_row_number == 4
    assert rows(extract) == [{"a": "1", "b": "2"}]


def test_no_header_with_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "Titel\n1,Luzern\n2,Kriens\n")
    extract = read_csv(
        make_request(tmp_path, path=path, header=False, skip_rows=1, column_names=["nr", "ort"])
    )
    assert extract.labels == ["nr", "ort"]
    assert extract.first_row_number == 2
    assert rows(extract) == [{"nr": "1", "ort": "Luzern"}, {"nr": "2", "ort": "Kriens"}]


def test_no_header_needs_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "1,2\n")
    with pytest.raises(SourceInvalid) as error:
        read_csv(make_request(tmp_path, path=path, header=False))
    assert error.value.where.endswith(".column_names")


def test_column_names_replace_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "A B,C-D\n1,2\n")
    extract = read_csv(make_request(tmp_path, path=path, column_names=["a_b", "c_d"]))
    assert rows(extract) == [{"a_b": "1", "c_d": "2"}]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("a,b,a,c,b\n", "`a` at columns 1, 3"), ("a,,c, \n", "empty label at column(s) 2, 4")],
    ids=["duplicate", "empty"],
)
def test_bad_header_names_the_positions(tmp_path: Path, header: str, expected: str) -> None:
    path = write(tmp_path, header + "1,2,3,4,5\n")
    with pytest.raises(SourceInvalid) as error:
        read_csv(make_request(tmp_path, path=path))
    assert expected in error.value.message
    assert error.value.hint


@pytest.mark.parametrize(
    ("content", "row", "cells"),
    [
        ("a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n", 3, 4),
        ('a,b,c\n1,"x\ny",3\n4,5,6\n7,8,9,10\n', 4, 4),
        ("a,b,c\n1,2,3\n4,5\n", 3, 2),
    ],
    ids=["extra-cell", "after-quoted-newline", "missing-cell"],
)
def test_ragged_row_is_an_error_with_its_row_number(
    tmp_path: Path, content: str, row: int, cells: int
) -> None:
    path = write(tmp_path, content)
    extract = read_csv(make_request(tmp_path, path=path))
    with pytest.raises(SourceInvalid) as error:
        list(extract.batches)
    assert error.value.message == f"row {row} has {cells} cells, the header has 3"
    assert error.value.where == f"data.csv row {row}"
    assert error.value.hint


def test_ragged_row_after_skipped_rows_counts_them(tmp_path: Path) -> None:
    path = write(tmp_path, "Titel\nLeer\na;b\n1;2\n3;4;5\n")
    extract = read_csv(make_request(tmp_path, path=path, skip_rows=2, delimiter=";"))
    with pytest.raises(SourceInvalid, match="row 5 has 3 cells"):
        list(extract.batches)


def test_file_that_is_not_utf8_with_explicit_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, b"a,b\n1,2\n" + "Ä,3\n".encode("latin-1"))
    extract = read_csv(make_request(tmp_path, path=path, encoding="utf-8"))
    with pytest.raises(SourceInvalid) as error:
        list(extract.batches)
    assert "utf-8" in error.value.message and "encoding" in error.value.hint


def test_empty_file_has_no_header(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    with pytest.raises(SourceInvalid, match="empty"):
        read_csv(make_request(tmp_path, path=path))


def test_missing_file_is_source_invalid(tmp_path: Path) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_csv(make_request(tmp_path, path="nope.csv"))
    assert error.value.where == "pipelines/t.yaml source.path"


def test_large_file_comes_in_bounded_batches(tmp_path: Path) -> None:
    with (tmp_path / "big.csv").open("w") as handle:
        handle.write("id,wert\n")
        handle.writelines(f"{i},{i % 7}\n" for i in range(200_000))
    extract = read_csv(make_request(tmp_path, batch_rows=50_000, path="big.csv"))
    sizes = [batch.num_rows for batch in extract.batches]
    assert sum(sizes) == 200_000
    assert len(sizes) >= 4 and max(sizes) <= 50_000


def test_extract_names_the_file_and_its_checksum(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, "a\n1\n")
    extract = read_csv(make_request(tmp_path, path=path))
    assert extract.name == "data.csv"
    assert extract.fingerprint == hashlib.sha256(b"a\n1\n").hexdigest()
    assert extract.first_row_number == 2
