"""Hierarchies: ARX files, rule hierarchies, generalisation, level codes."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from ogd.anonymise import generalise as gen
from ogd.anonymise.hierarchy import (
    Hierarchy,
    encode_levels,
    encode_values,
    load_hierarchy,
    rule_hierarchy,
)
from ogd.errors import PrivacyError

AGE_ROWS = "17;15-19;10-19;*\n18;15-19;10-19;*\n25;25-29;20-29;*\n27;25-29;20-29;*"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "h.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_load_hierarchy_reads_arx_layout(tmp_path: Path) -> None:
    h = load_hierarchy(write(tmp_path, AGE_ROWS), "age")
    assert h.column == "age"
    assert h.values == ("17", "18", "25", "27")
    assert h.height == 3
    assert h.labels[1] == ("15-19", "15-19", "25-29", "25-29")
    assert h.labels[3] == ("*",) * 4


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Zürich;ZH;*\nLuzern;LU;*", "utf-8"), ("Zürich;ZH;*\nLuzern;LU;*", "latin-1")],
)
def test_load_hierarchy_reads_utf8_and_latin1(tmp_path: Path, text: str, encoding: str) -> None:
    h = load_hierarchy(write(tmp_path, text, encoding), "ort")
    assert h.values == ("Zürich", "Luzern")


def test_load_hierarchy_skips_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    h = load_hierarchy(write(tmp_path, "\ufeffa;x;*\r\nb;x;*\r\n\r\n", "utf-8"), "c")
    assert h.values == ("a", "b")


def test_load_hierarchy_rejects_ragged_rows(tmp_path: Path) -> None:
    with pytest.raises(PrivacyError, match="row 2 has 2 fields"):
        load_hierarchy(write(tmp_path, "a;x;*\nb;*"), "c")


def test_hierarchy_rejects_a_label_with_two_parents() -> None:
    with pytest.raises(PrivacyError, match="`x` on level 1 has two parents"):
        Hierarchy("c", (("a", "b"), ("x", "x"), ("p", "q"), ("*", "*")), ("a", "b"))


def test_hierarchy_rejects_duplicate_values_and_bad_level_zero() -> None:
    with pytest.raises(PrivacyError, match="`a` appears twice"):
        Hierarchy("c", (("a", "a"), ("*", "*")), ("a", "a"))
    with pytest.raises(PrivacyError, match="level 0"):
        Hierarchy("c", (("x", "y"), ("*", "*")), ("a", "b"))


def test_generalise_is_vectorised_over_numbers_and_text(tmp_path: Path) -> None:
    h = load_hierarchy(write(tmp_path, AGE_ROWS), "age")
    assert h.generalise(pa.array([27, 17, 27]), 2).to_pylist() == ["20-29", "10-19", "20-29"]
    column = pa.chunked_array([["25"], ["18"]])
    assert h.generalise(column, 0).to_pylist() == ["25", "18"]


def test_generalise_names_the_unknown_value_and_column(tmp_path: Path) -> None:
    h = load_hierarchy(write(tmp_path, AGE_ROWS), "age")
    with pytest.raises(PrivacyError, match=r"`99`.*column `age`"):
        h.generalise(pa.array([17, 99]), 1)
    with pytest.raises(PrivacyError, match="null"):
        h.generalise(pa.array([17, None]), 1)
    with pytest.raises(PrivacyError, match="level 4"):
        h.generalise(pa.array([17]), 4)


def test_bands_with_top_and_bottom_coding() -> None:
    values = pa.array(["17", "18", "20", "24", "25", "89", "90", "101"])
    h = rule_hierarchy("alter", values, {"bands": [[18, 20, 25, 90], [18, 90]]})
    assert h.height == 3
    label = dict(zip(h.values, h.labels[1], strict=True))
    assert [label[v] for v in ["17", "18", "20", "24", "25", "89", "90", "101"]] == [
        "<18",
        "18-19",
        "20-24",
        "20-24",
        "25-89",
        "25-89",
        "90+",
        "90+",
    ]
    assert set(h.labels[2]) == {"<18", "18-89", "90+"}
    assert set(h.labels[3]) == {"*"}


def test_bands_of_fractional_numbers_use_half_open_labels() -> None:
    assert gen.bands(pa.array([1.5, 20.0]), [0, 10]).to_pylist() == ["0-<10", "10+"]


def test_band_edges_must_nest() -> None:
    with pytest.raises(PrivacyError, match=r"edge\(s\) \[7\] of level 2"):
        rule_hierarchy("a", pa.array([1, 2]), {"bands": [[0, 5, 10], [0, 7]]})
    with pytest.raises(PrivacyError, match="not increasing"):
        rule_hierarchy("a", pa.array([1, 2]), {"bands": [[10, 5]]})


def test_date_levels() -> None:
    values = pa.array(["2024-03-15", "2024-01-02", "2023-12-31", None])
    h = rule_hierarchy("datum", values, {"dates": ["month", "quarter", "year"]})
    assert h.values == ("2023-12-31", "2024-01-02", "2024-03-15")
    assert h.labels[1:] == (
        ("2023-12", "2024-01", "2024-03"),
        ("2023-Q4", "2024-Q1", "2024-Q1"),
        ("2023", "2024", "2024"),
        ("*", "*", "*"),
    )
    dates = pa.array([datetime.date(2024, 3, 15)])
    assert h.generalise(dates, 2).to_pylist() == ["2024-Q1"]


def test_truncation_masks_from_the_right() -> None:
    h = rule_hierarchy("plz", pa.array([6003, 6004, 6010]), {"truncate": [1, 2, 3]})
    assert h.generalise(pa.array([6003]), 1).to_pylist() == ["600*"]
    assert [h.generalise(pa.array([6003]), lv).to_pylist()[0] for lv in range(5)] == [
        "6003",
        "600*",
        "60**",
        "6***",
        "*",
    ]
    assert gen.mask_right(pa.array(["12"]), 3).to_pylist() == ["**"]


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"levels": [[1]]},
        {"bands": [[1]], "dates": ["year"]},
        {"dates": ["year", "month"]},
        {"truncate": [2, 1]},
        {"bands": []},
    ],
)
def test_bad_rules_are_refused(rule: dict[str, object]) -> None:
    with pytest.raises(PrivacyError):
        rule_hierarchy("c", pa.array(["2024-01-01"]), rule)


def test_rule_hierarchy_refuses_text_in_bands() -> None:
    with pytest.raises(PrivacyError, match="not numbers"):
        rule_hierarchy("c", pa.array(["a", "b"]), {"bands": [[0, 5]]})


def test_rule_hierarchy_from_numbers_generalises_the_number_column() -> None:
    column = pa.array([34, 35, 36, 34])
    h = rule_hierarchy("alter", column, {"bands": [[30, 35, 40]]})
    assert h.generalise(column, 1).to_pylist() == ["30-34", "35-39", "35-39", "30-34"]


def test_encode_levels_codes_present_values_with_monotone_up_maps(tmp_path: Path) -> None:
    h = load_hierarchy(write(tmp_path, AGE_ROWS), "age")
    levels = encode_levels(h, pa.array([27, 17, 27, 25]))
    assert levels.sizes == (3, 2, 2, 1)  # 18 is absent
    for step in levels.up:
        assert np.all(np.diff(step) >= 0)
    assert levels.counts[0].sum() == 4
    assert levels.at(2)[levels.codes].tolist() == [1, 0, 1, 1]


def test_encode_values_sorts_numbers_numerically() -> None:
    values = encode_values(pa.array([10, 9, 100, None]))
    assert values.codes.tolist() == [1, 0, 2, 3]
    assert values.ordered and values.size == 4
    assert not encode_values(pa.array(["b", "a"])).ordered
