"""Tests for ogd.validate.patterns: RE2 (and numpy) match exactly where Python's re does."""

from __future__ import annotations

import re
import warnings

import pyarrow as pa
import pytest

from ogd.validate.patterns import Pattern, fixed_width

PATTERNS = [
    "a|b",
    "[A-Z]{2}",
    r"756\.\d{4}\.\d{4}\.\d{2}",
    r"^([013-9]\d|2[AB1-9])\d{3}$",
    "x{,3}",
    r"a\Z",
    "[[:alpha:]]+",
    "(?=a)b",
    r"(a)\1",
    r"\w+\s\w+",
    ".*",
    "é+",
    "(?i:ab)c",
    "a*?b",
    "[^x]+",
    r"\bfoo\b",
    "(ab)+",
    "(?:a|b){2}",
    r"[\s\S]{2}",
    r"\D\W.",
    "(?s:.)+",
    "(.*?)((\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})|24/7)",
    "(?:(?:^|,)(^[A-Z]{2}[A-Z0-9]{4,33}$|Non concerné))+$",
]
CELLS = [
    "", "a", "b", "ab", "xb", "ax", "LU", "Lu", "LUZ", "756.1234.5678.90", "756.1234.5678",
    "75014", "2A123", "ABC", "aBc", "abC", "xx", "xxxx", "a\n", "x\n", "\n", "[a]", "alpha",
    "ab cd", "éé", "É", "٣٣", "a\x0bb", "a\x1cb", "a\tb", "foo", "foo bar", "ab ab", "08:00-12:00",
    "24/7", "FRA68P68021001", "FRA68P68021001,Non concerné", "1 2", "_x.", "bb", "aab",
]  # fmt: skip


def python_misses(pattern: str, cells: list[str]) -> list[bool]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        compiled = re.compile(f"^{pattern}$")
    return [compiled.match(cell) is None for cell in cells]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_matches_like_python(pattern: str) -> None:
    found = Pattern(pattern).mismatches(pa.array([*CELLS, None])).to_pylist()
    assert found == [*python_misses(pattern, CELLS), None]


def test_translation_keeps_re2_where_it_can() -> None:
    assert Pattern("[A-Z]{2}").re2 == "^(?:^[A-Z]{2}$)"
    assert Pattern("(?=a)b").re2 is None  # look-ahead: Python
    assert Pattern(r"(a)\1").re2 is None  # back-reference: Python


def test_fixed_width_patterns_become_byte_tables() -> None:
    tables = fixed_width(r"756\.\d{4}")
    assert tables is not None and len(tables) == 8
    assert tables[3][ord(".")] and not tables[3][ord("x")]
    assert fixed_width("a|b") is None  # frictionless reads it as ^a|b$
    assert fixed_width("[a-z]+") is None


def test_bad_pattern_raises_pythons_error() -> None:
    with pytest.raises(re.error):
        Pattern("[a-")
