"""The readers on small pieces of real public-sector files (tests/data/real)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.compute as pc
import pytest

from ogd.demo import facts
from ogd.extract.csv import read_csv
from ogd.extract.jsonfile import read_json
from tests.unit.extract.helpers import REAL_DATA, make_request, rows, table

BFS_COLUMNS = list(facts.BFS_COLUMNS)


@pytest.fixture
def real(tmp_path: Path) -> Path:
    for folder in REAL_DATA.iterdir():
        shutil.copytree(folder, tmp_path / folder.name)
    return tmp_path


def test_bfs_register_latin1_tab_without_header(real: Path) -> None:
    request = make_request(
        real,
        path="bfs-municipality-history/20230101_GDEHist_GDE_LU_OW_NW_ZG.txt",
        encoding="auto",
        delimiter="auto",
        header=False,
        column_names=BFS_COLUMNS,
    )
    extract = read_csv(request)
    assert extract.details["delimiter"] == "\t"
    assert extract.details["encoding"] in ("cp1252", "latin-1")
    assert extract.first_row_number == 1
    data = table(extract)
    assert data.num_rows == 246
    cantons = data.column("CantonAbbreviation").to_pylist()
    assert cantons.count("LU") == 212 and set(cantons) == {"LU", "OW", "NW", "ZG"}
    luzern = [r for r in data.to_pylist() if r["MunicipalityId"] == "1061"]
    assert len(luzern) == 3
    assert [r["MunicipalityAdmissionMode"] for r in luzern] == ["20", "26", "24"]
    assert luzern[2]["MunicipalityAbolitionDate"] == ""  # still valid: empty, not null
    names = set(data.column("MunicipalityLongName").to_pylist())
    assert {"Büron", "Flühli", "Unterägeri", "Vierwaldstättersee (LU)"} <= names


def test_zh_bike_counts_bom_and_trailing_empty_line(real: Path) -> None:
    path = "zh-bike-counts/taz_velozaehlung_stundenwerte_2010_head.csv"
    extract = read_csv(make_request(real, path=path))
    assert extract.details["encoding"] == "utf-8-sig"
    assert extract.labels[0] == "Zs Text"
    assert extract.labels[-1] == "Anzahl"
    data = table(extract)
    assert data.num_rows == 999
    assert data.column("Zaehlstellezeit2")[0].as_py() == "2010-09-23"


def test_tg_population_suppression_marker_becomes_null(real: Path) -> None:
    path = "tg-population/tg_einwohner_ortschaften_a.csv"
    extract = read_csv(make_request(real, path=path, missing_values=["x"]))
    assert extract.details["delimiter"] == ";"
    data = table(extract)
    assert data.num_rows == 247 and data.num_columns == 18
    nulls = sum(col.null_count for col in data.columns)
    assert nulls == 547
    first = data.slice(0, 1).to_pylist()[0]
    assert first["einwohner_schweizer"] is None and first["einwohner_total"] == "52"
    assert data.column("bezirk_name")[0].as_py() == "Münchwilen"
    plain = table(read_csv(make_request(real, path=path)))
    assert pc.sum(pc.equal(plain.column("einwohner_schweizer"), "x")).as_py() > 0


def test_luzern_parking_sample_object_of_objects(real: Path) -> None:
    request = make_request(
        real,
        path="luzern-parking/sample_raw_2026-01-02T08-07-02.json",
        record_path="data.parkings",
        record_key="parking_id",
    )
    extract = read_json(request)
    assert extract.labels[0] == "parking_id"
    assert set(extract.labels) >= {"description", "vacancy", "capacity", "datestamp", "opened"}
    found = rows(extract)
    assert len(found) == 15
    assert len({r["parking_id"] for r in found}) == 15
    assert {"Löwencenter", "Parkplatz Sportgebäude"} <= {r["description"] for r in found}
    assert all(isinstance(r["vacancy"], int) and r["opened"] is True for r in found)
