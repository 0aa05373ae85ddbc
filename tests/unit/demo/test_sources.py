"""Tests for `generate_demo_sources`: every source, written atomically."""

from pathlib import Path

from ogd.demo import BFS_SOURCE_FILE, SOURCE_FILES, _write_atomically
from ogd.demo.facts import DEFAULT_SEED, PARKING_PAGES
from ogd.demo.municipalities import has_register
from ogd.demo.parking import write_parking_pages
from ogd.demo.waste import write_waste_tours

EXPECTED = (
    "einwohnerregister.csv",
    "personalregister.xlsx",
    "einwohnerbewegungen.csv",
    "baugesuche.sqlite",
    "parkleitsystem",
    "abfallmengen.csv",
    "online-dienste.csv",
    "digitalstrategie.xlsx",
    "luftqualitaet.parquet",
    "baustellen.json",
    "gemeinden.txt",
)


def test_every_source_is_written_and_nothing_else(demo_sources: Path) -> None:
    assert SOURCE_FILES == EXPECTED
    expected = [n for n in SOURCE_FILES if n != BFS_SOURCE_FILE or has_register()]
    assert sorted(p.name for p in demo_sources.iterdir()) == sorted(expected)
    assert (demo_sources / "parkleitsystem").is_dir()
    assert len(list((demo_sources / "parkleitsystem").iterdir())) == PARKING_PAGES


def test_atomic_write_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "abfallmengen.csv"
    target.write_text("old")
    _write_atomically(write_waste_tours, target, DEFAULT_SEED)
    assert target.read_bytes().startswith(b"\xef\xbb\xbftour_nr;")
    assert [p.name for p in tmp_path.iterdir()] == ["abfallmengen.csv"]


def test_atomic_write_replaces_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "parkleitsystem"
    target.mkdir()
    (target / "seite-99.json").write_text("{}")
    (target / "notiz.txt").write_text("old")
    _write_atomically(write_parking_pages, target, DEFAULT_SEED)
    assert [p.name for p in tmp_path.iterdir()] == ["parkleitsystem"]
    assert len(list(target.iterdir())) == PARKING_PAGES
    assert not (target / "notiz.txt").exists()
