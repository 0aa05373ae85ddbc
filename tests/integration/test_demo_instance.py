"""The demo instance: every pipeline publishes, figures match the generator, portal lists all."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from ogd.catalog.actions import Context, organization_list, package_list, package_show
from ogd.demo import facts
from ogd.extract import READERS
from ogd.instance import Instance, open_instance
from ogd.pipeline.check import pipeline_files
from ogd.pipeline.runner import run_pipeline
from ogd.pipeline.spec import load_pipeline
from tests.conftest import ROOT, make_settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_sources: Path) -> Iterator[Instance]:
    """An instance with every demo pipeline run once."""
    folder = tmp_path_factory.mktemp("demo-instance")
    settings = make_settings(folder / "var", demo_sources)
    instance = open_instance(settings)
    for path in pipeline_files(settings):
        result = run_pipeline(
            load_pipeline(path, ROOT), settings, instance.sessions, instance.storage
        )
        assert result.outcome == "published", (path.name, str(result.error))
    yield instance


def rows(instance: Instance, filename: str) -> list[dict[str, str]]:
    key = next(k for k in instance.storage.list() if k.endswith("/" + filename))
    with instance.storage.open(key) as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))


def test_every_pipeline_is_listed_with_metadata_in_two_languages(demo: Instance) -> None:
    specs = [load_pipeline(p, ROOT) for p in pipeline_files(demo.settings)]
    assert len(specs) >= 8
    assert {s.source.kind for s in specs} == set(READERS)
    with demo.sessions() as session:
        ctx = Context(session, demo.settings)
        assert package_list(ctx, {}) == sorted(s.slug for s in specs)
        orgs = [
            o
            for o in organization_list(ctx, {"all_fields": True, "limit": 100})
            if o["package_count"]
        ]
        assert len(orgs) >= 5
        for spec in specs:
            pkg = package_show(ctx, {"id": spec.slug})
            assert pkg["title_translated"]["de"] and len(pkg["title_translated"]) >= 2
            assert pkg["notes_translated"]["de"] and len(pkg["notes_translated"]) >= 2


def test_portal_home_lists_every_dataset(demo: Instance) -> None:
    from ogd.web.app import create_app

    client = create_app(demo.settings, demo).test_client()
    html = client.get("/").get_data(as_text=True)
    count = len(pipeline_files(demo.settings))
    assert f"{count} Datensätze" in html
    listing = client.get("/dataset/").get_data(as_text=True)
    assert f"{count} Datensätze gefunden" in listing


def test_waste_tonnes_add_up_to_the_collected_weight(demo: Instance) -> None:
    table = rows(demo, "abfall-quartier.csv")
    for year, by_type in facts.WASTE_TONNES.items():
        for waste_type, tonnes in by_type.items():
            total = sum(
                float(r["tonnen"])
                for r in table
                if r["monat"].startswith(str(year)) and r["abfallart"] == waste_type
            )
            assert total == pytest.approx(tonnes, abs=1e-6)


def test_online_transactions_per_year(demo: Instance) -> None:
    table = rows(demo, "online-dienste.csv")
    for year, expected in facts.ONLINE_TRANSACTIONS.items():
        total = sum(int(r["transaktionen"] or 0) for r in table if r["monat"].startswith(str(year)))
        assert total == expected
    assert len({r["dienst"] for r in table}) == facts.ONLINE_SERVICES


def test_parking_air_roadworks_strategy_and_municipalities(demo: Instance) -> None:
    assert len(rows(demo, "parkhaus-belegung.csv")) == facts.PARKING_HOURS * len(facts.CAR_PARKS)
    air = rows(demo, "luftqualitaet.csv")
    assert len(air) == len(facts.AIR_STATIONS) * 24 * len(facts.AIR_POLLUTANTS)
    assert len(rows(demo, "baustellen.csv")) == facts.ROADWORKS
    measures = rows(demo, "digitalstrategie-massnahmen.csv")
    assert len(measures) == facts.STRATEGY_MEASURES
    assert sum(int(r["budget_bewilligt_chf"]) for r in measures) == facts.STRATEGY_BUDGET_APPROVED
    municipalities = rows(demo, "gemeinden-kanton-luzern.csv")
    assert len(municipalities) == facts.BFS_LU_VERSIONS


def test_population_movements_never_show_small_counts(demo: Instance) -> None:
    table = rows(demo, "bevoelkerung-bewegungen.csv")
    counts = [r["anzahl"] for r in table]
    assert not [c for c in counts if c in {"1", "2"}]
    published = sum(int(c) for c in counts if c)
    assert published <= facts.MOVEMENT_EVENTS
    assert published > 0.99 * facts.MOVEMENT_EVENTS


def test_every_published_package_passes_frictionless(demo: Instance) -> None:
    """Each release's datapackage.json as a whole: descriptor, CSV and Parquet tables,
    byte counts and hashes (Parquet read through our frictionless plugin)."""
    import frictionless

    storage = demo.storage
    packages = [k for k in storage.list() if k.endswith("datapackage.json")]
    assert len(packages) == len(pipeline_files(demo.settings))
    formats: set[str] = set()
    for key in packages:
        path = storage.local_path(key)
        assert path is not None
        report = frictionless.validate(path.name, basepath=str(path.parent))
        assert report.valid, (key, report.flatten(["rowNumber", "fieldName", "type"])[:5])
        formats |= {task.place.rsplit(".", 1)[-1] for task in report.tasks}
    assert {"csv", "parquet"} <= formats


MICRODATA = ["bevoelkerung-mikrodaten", "baugesuche-mikrodaten", "personal-loehne"]


@pytest.mark.parametrize("slug", MICRODATA)
def test_published_microdata_pass_pycanon(demo: Instance, slug: str) -> None:
    """An independent implementation confirms the declared k and l on the published file."""
    import pandas as pd
    from pycanon import anonymity

    spec = load_pipeline(ROOT / "pipelines" / f"{slug}.yaml", ROOT)
    micro = spec.privacy.microdata
    assert micro is not None
    frame = pd.DataFrame(rows(demo, f"{slug}.csv")).reset_index(drop=True)
    qis = list(micro.quasi_identifiers)
    assert len(frame) > 0
    assert anonymity.k_anonymity(frame, qis) >= micro.k
    if micro.l is not None:
        assert anonymity.l_diversity(frame, qis, list(micro.sensitive)) >= micro.l


def test_every_demo_dataset_has_excellent_metadata(demo: Instance) -> None:
    """The MQA score (405 points) of each dataset, its own URLs checked against the portal,
    is stored and shown by package_show as the extra `quality`."""
    import json

    from ogd import cli_quality

    reports = cli_quality.score(demo.settings, demo, None)
    with demo.sessions() as session:
        names = package_list(Context(session, demo.settings), {})
    assert sorted(reports) == names
    low = {n: (r["total"], r["rating"]) for n, r in reports.items() if r["total"] < 351}
    assert low == {}, f"below excellent: {low}"
    for report in reports.values():
        by_id = {i["id"]: i for i in report["indicators"]}
        assert by_id["A1"]["points"] == by_id["A1"]["max"]  # access URLs answer
        assert by_id["A3"]["points"] == by_id["A3"]["max"]  # downloads answer
        assert by_id["I6"]["points"] == 30  # DCAT-AP SHACL shapes pass
    with demo.sessions() as session:
        pkg = package_show(Context(session, demo.settings), {"id": "bevoelkerung-quartier"})
    extra = {e["key"]: e["value"] for e in pkg["extras"]}
    shown = json.loads(extra["quality"])
    assert shown["total"] == reports["bevoelkerung-quartier"]["total"]
    assert shown["rating"] == "excellent" and len(shown["indicators"]) == 23
