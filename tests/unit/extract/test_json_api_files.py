"""JSON API reader without network: recorded `file:` pages and option checks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ogd.errors import SourceInvalid
from ogd.extract.json_api import read_json_api, safe_url
from tests.unit.extract.helpers import EXTRACT_DATA, make_request, rows


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    shutil.copytree(EXTRACT_DATA / "parkleitsystem", tmp_path / "parkleitsystem")
    return tmp_path


def test_recorded_pages_follow_relative_next_links(recorded: Path) -> None:
    request = make_request(
        recorded,
        url="file:parkleitsystem/page-1.json",
        record_path="data.parkings",
        record_key="parking_id",
        paging={"mode": "next_link"},
    )
    extract = read_json_api(request)
    assert extract.labels == ["parking_id", "description", "vacancy", "capacity", "opened"]
    assert extract.name == "file:parkleitsystem/page-1.json"
    assert extract.fingerprint is None
    found = rows(extract)
    assert [r["parking_id"] for r in found] == ["SP02", "PKF", "NP07", "AP01"]
    assert found[3]["description"] == "Parkhaus Sportgebäude"
    assert extract.details["ignored_keys"] == {"note": 1}
    assert extract.details["pages"] == 2


def test_recorded_page_without_paging_reads_one_page(recorded: Path) -> None:
    request = make_request(
        recorded,
        url="file:parkleitsystem/page-1.json",
        record_path="data.parkings",
        record_key="parking_id",
    )
    assert len(rows(read_json_api(request))) == 2


def test_file_url_may_not_leave_the_sources_folder(recorded: Path) -> None:
    with pytest.raises(SourceInvalid, match="not a path inside"):
        read_json_api(make_request(recorded, url="file:../secret.json"))


def test_recorded_page_linking_to_the_network_is_refused(recorded: Path) -> None:
    page = recorded / "parkleitsystem" / "page-1.json"
    page.write_text(
        page.read_text().replace('"page-2.json"', '"https://api.example.org/p2?key=abc"')
    )
    request = make_request(
        recorded,
        url="file:parkleitsystem/page-1.json",
        record_path="data.parkings",
        record_key="parking_id",
        paging={"mode": "next_link"},
    )
    extract = read_json_api(request)
    with pytest.raises(SourceInvalid) as error:
        list(extract.batches)
    assert "key=abc" not in error.value.message


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": "https://example.org/x", "paging": {"mode": "cursor"}}, "paging.mode"),
        ({"url": "https://example.org/x", "paging": {"pages": 3}}, "paging"),
        ({"url": "https://example.org/x", "timeout": "soon"}, "timeout"),
        ({"url": "file:parkleitsystem/page-1.json", "paging": {"mode": "page"}}, "paging"),
    ],
)
def test_bad_options_name_their_key(recorded: Path, options: dict[str, Any], key: str) -> None:
    with pytest.raises(SourceInvalid) as error:
        read_json_api(make_request(recorded, **options))
    assert error.value.where == f"pipelines/t.yaml source.{key}"


def test_safe_url_drops_credentials_and_query() -> None:
    assert (
        safe_url("https://user:pw@api.example.org:8443/v1/data?token=abc#x")
        == "https://api.example.org:8443/v1/data"
    )
