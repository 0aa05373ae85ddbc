"""Tests for the copy of the real BFS municipality register (`gemeinden.txt`)."""

import csv
import io
from pathlib import Path

import pytest

from ogd.demo.facts import (
    BFS_COLUMNS,
    BFS_LU_MUNICIPALITIES,
    BFS_LU_VALID_VERSIONS,
    BFS_LU_VERSIONS,
    LUZERN_BFS_NUMBER,
    LUZERN_VERSIONS,
)
from ogd.demo.municipalities import REGISTER_COPY, copy_register, has_register, register_source

needs_register = pytest.mark.skipif(
    not has_register(), reason=f"the BFS register is not in the repository yet ({REGISTER_COPY})"
)


def test_copy_is_byte_for_byte(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    source = root / REGISTER_COPY
    source.parent.mkdir(parents=True)
    source.write_bytes("1\t2\tLU\t1061\tLuzern\r\nä".encode("latin-1"))
    assert has_register(root) and not has_register(tmp_path / "elsewhere")
    copied = copy_register(tmp_path / "gemeinden.txt", root=root)
    assert copied.read_bytes() == source.read_bytes()


def test_generate_skips_a_missing_register(demo_sources: Path) -> None:
    assert (demo_sources / "gemeinden.txt").exists() == has_register()


@needs_register
def test_register_is_latin1_tab_separated_without_header(demo_sources: Path) -> None:
    data = (demo_sources / "gemeinden.txt").read_bytes()
    assert data == register_source().read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.count(b"\n") == data.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("latin-1"), newline=""), delimiter="\t"))
    assert {len(row) for row in rows} == {len(BFS_COLUMNS)}
    assert not rows[0][0].isalpha()  # no header row
    assert {row[2] for row in rows} == {"LU", "OW", "NW", "ZG"}
    lucerne = [row for row in rows if row[2] == "LU"]
    assert len(lucerne) == BFS_LU_VERSIONS
    assert sum(row[13] == "" for row in lucerne) == BFS_LU_VALID_VERSIONS
    assert len({row[3] for row in lucerne}) == BFS_LU_MUNICIPALITIES
    assert sum(row[3] == str(LUZERN_BFS_NUMBER) for row in rows) == LUZERN_VERSIONS
