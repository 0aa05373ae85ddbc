"""The spine end to end: pipelines run, `ogd serve` answers ckanapi, files download intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import ckanapi
import pyarrow.parquet as pq
import pytest
import requests

from ogd.demo import facts
from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd, serve

pytestmark = pytest.mark.integration


def _download(url: str) -> bytes:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, url
    return response.content


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def _parquet_rows(content: bytes) -> list[dict[str, str]]:
    table = pq.read_table(io.BytesIO(content))
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in table.to_pylist()]


def test_published_population_is_found_and_downloaded_with_ckanapi(
    tmp_path: Path, sources: Path
) -> None:
    env = ogd_env(tmp_path / "var", sources)
    result = run_ogd(["run"], env, ROOT)
    assert result.returncode == 0, result.stderr
    assert "bevoelkerung-quartier" in result.stdout and "published" in result.stdout

    with serve(env, ROOT) as url:
        ckan = ckanapi.RemoteCKAN(url)
        found = ckan.action.package_search(q="Bevölkerung", rows=5)
        assert "bevoelkerung-quartier" in [p["name"] for p in found["results"]]
        pkg = ckan.action.package_show(id="bevoelkerung-quartier")
        assert pkg["organization"]["name"] == "einwohnerdienste"
        assert pkg["license_id"] == "terms_by"
        by_format = {r["format"]: r for r in pkg["resources"]}
        assert {"CSV", "Parquet", "JSON"} <= set(by_format)

        csv_bytes = _download(by_format["CSV"]["url"])
        parquet_bytes = _download(by_format["Parquet"]["url"])
        assert len(csv_bytes) == by_format["CSV"]["size"]

    csv_rows, parquet_rows = _csv_rows(csv_bytes), _parquet_rows(parquet_bytes)
    assert csv_rows == parquet_rows
    assert list(csv_rows[0]) == [
        "quartier",
        "altersgruppe",
        "geschlecht",
        "herkunft",
        "anzahl",
    ]
    counts = [row["anzahl"] for row in csv_rows]
    assert "" in counts, "some cells below 3 must be suppressed"
    assert not any(c in {"1", "2"} for c in counts), "no published count may be 1 or 2"
    published = sum(int(c) for c in counts if c)
    # Blanks hide small counts and the secondary cells that protect them: most persons
    # are still counted, never more than there are.
    assert 0.9 * facts.POPULATION < published <= facts.POPULATION
    assert {row["quartier"] for row in csv_rows} == set(facts.QUARTERS)


def test_staff_key_figures_reproduce_the_generator(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    assert run_ogd(["run", "personal-kennzahlen"], env, ROOT).returncode == 0
    with serve(env, ROOT) as url:
        pkg = ckanapi.RemoteCKAN(url).action.package_show(id="personal-kennzahlen")
        files = {r["url"].rsplit("/", 1)[1]: r["url"] for r in pkg["resources"]}
        figures = {
            row["kennzahl"]: int(row["wert"])
            for row in _csv_rows(_download(files["personal-kennzahlen-kennzahlen.csv"]))
        }
        apprentices = _csv_rows(_download(files["personal-kennzahlen-lernende.csv"]))
        nationalities = _csv_rows(_download(files["personal-kennzahlen-nationalitaeten.csv"]))
    assert figures["mitarbeitende_verwaltung"] == facts.STAFF_ADMINISTRATION
    assert figures["mitarbeitende_volksschule"] == facts.STAFF_SCHOOL
    assert figures["mitarbeitende_total"] == facts.STAFF_ADMINISTRATION + facts.STAFF_SCHOOL
    assert figures["nationalitaeten"] == facts.STAFF_NATIONALITIES
    assert figures["funktionen"] == facts.JOB_TITLES
    assert figures["lernende"] == facts.APPRENTICES
    assert figures["lehrberufe"] == facts.APPRENTICE_PROFESSIONS
    assert figures["verwaltung_aelter_als_51"] == facts.ADMINISTRATION_OLDER_THAN_51
    assert len(apprentices) == facts.APPRENTICE_PROFESSIONS
    assert sum(int(r["anzahl"]) for r in apprentices) == facts.APPRENTICES
    assert len(nationalities) == facts.STAFF_NATIONALITIES
