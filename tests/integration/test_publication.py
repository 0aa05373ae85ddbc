"""Publication in-process: no identifiers leave, bad sources publish nothing, reruns idempotent."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ogd.config import Settings
from ogd.instance import open_instance
from ogd.pipeline.runner import run_pipeline
from ogd.pipeline.spec import load_pipeline
from tests.conftest import ROOT
from tests.integration.server import ogd_env, run_ogd

pytestmark = pytest.mark.integration
POPULATION = ROOT / "pipelines" / "bevoelkerung-quartier.yaml"
STAFF = ROOT / "pipelines" / "personal-kennzahlen.yaml"


def _run(settings: Settings, path: Path, **kw: bool):  # type: ignore[no-untyped-def]
    instance = open_instance(settings)
    return run_pipeline(
        load_pipeline(path, ROOT), settings, instance.sessions, instance.storage, **kw
    )


def _snapshot(settings: Settings) -> tuple[list[str], str]:
    instance = open_instance(settings)
    from ogd.catalog.actions import Context, package_list, package_show

    with instance.sessions() as session:
        ctx = Context(session, settings)
        shows = [package_show(ctx, {"id": name}) for name in package_list(ctx, {})]
    return instance.storage.list(), repr(shows)


def _published_texts(settings: Settings) -> list[str]:
    storage = open_instance(settings).storage
    texts = []
    for key in storage.list():
        with storage.open(key) as handle:
            data = handle.read()
        if key.endswith(".parquet"):
            buffer = io.StringIO()
            table = pq.read_table(io.BytesIO(data))
            csv.writer(buffer).writerows(
                table.to_pylist() and [list(r.values()) for r in table.to_pylist()]
            )
            texts.append(buffer.getvalue())
        else:
            texts.append(data.decode("utf-8"))
    return texts


def test_no_direct_identifier_reaches_a_published_file(settings: Settings, sources: Path) -> None:
    assert _run(settings, POPULATION).outcome == "published"
    assert _run(settings, STAFF).outcome == "published"
    with (sources / "einwohnerregister.csv").open(encoding="cp1252", newline="") as handle:
        register = list(csv.DictReader(handle, delimiter=";"))
    texts = _published_texts(settings)
    blob = "\n".join(texts)
    assert not re.search(r"756\.\d{4}\.\d{4}\.\d{2}", blob), "an AHV number was published"
    addresses = {row["adresse"] for row in register}
    assert not [a for a in addresses if a in blob], "a street address was published"
    cells = {cell.strip() for text in texts for cell in re.split(r"[,\n\"]", text)}
    surnames = {row["name"] for row in register}
    assert not surnames & cells, f"surnames published: {sorted(surnames & cells)[:5]}"
    assert not {row["personen_id"] for row in register} & cells


def _corrupt(path: Path, row_number: int, column: str, value: str) -> None:
    with path.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    rows[row_number - 1][rows[0].index(column)] = value
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)


def _drop_column(path: Path, column: str) -> None:
    with path.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    index = rows[0].index(column)
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(
            [r[:index] + r[index + 1 :] for r in rows]
        )


def test_bad_date_fails_naming_file_row_and_field_and_changes_nothing(
    settings: Settings, sources: Path
) -> None:
    assert _run(settings, POPULATION).outcome == "published"
    before = _snapshot(settings)
    _corrupt(sources / "einwohnerregister.csv", 1234, "geburtsdatum", "31.02.1990")
    result = _run(settings, POPULATION, force=True)
    assert result.outcome == "failed"
    text = str(result.error)
    assert "einwohnerregister.csv" in text
    assert "1234" in text and "geburtsdatum" in text and "31.02.1990" in text
    assert _snapshot(settings) == before


def test_missing_column_fails_naming_it_and_publishes_nothing(
    settings: Settings, sources: Path
) -> None:
    _drop_column(sources / "einwohnerregister.csv", "zuzugsdatum")
    result = _run(settings, POPULATION)
    assert result.outcome == "failed"
    assert "zuzugsdatum" in str(result.error) and "einwohnerregister.csv" in str(result.error)
    assert _snapshot(settings) == ([], "[]")


def test_unchanged_source_publishes_no_new_release(settings: Settings) -> None:
    first = _run(settings, POPULATION)
    second = _run(settings, POPULATION)
    forced = _run(settings, POPULATION, force=True)
    assert (first.outcome, second.outcome, forced.outcome) == (
        "published",
        "unchanged",
        "published",
    )


def test_cli_reports_bad_source_and_exits_1(tmp_path: Path, sources: Path) -> None:
    _corrupt(sources / "einwohnerregister.csv", 17, "geburtsdatum", "1990-13-45")
    result = run_ogd(["run", "bevoelkerung-quartier"], ogd_env(tmp_path / "var", sources), ROOT)
    assert result.returncode == 1
    assert "einwohnerregister.csv" in result.stderr
    assert "row 17" in result.stderr and "geburtsdatum" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_dataset_page_explains_the_privacy_protection(settings: Settings) -> None:
    from ogd.web.app import create_app

    assert _run(settings, POPULATION).outcome == "published"
    client = create_app(settings).test_client()
    html = client.get("/dataset/bevoelkerung-quartier").get_data(as_text=True)
    assert "Datenschutz" in html
    suppressed = re.search(r"(\d+) Zellen sind deshalb leer", html)
    assert suppressed and int(suppressed.group(1)) > 0
    package = client.get("/api/3/action/package_show?id=bevoelkerung-quartier").get_json()
    datapackage_url = next(
        r["url"] for r in package["result"]["resources"] if r["url"].endswith("datapackage.json")
    )
    descriptor = client.get(datapackage_url.removeprefix(settings.site_url)).get_json()
    assert descriptor["resources"][0]["schema"]["fields"][0]["name"] == "quartier"


def test_published_data_package_is_valid_for_frictionless(settings: Settings) -> None:
    import frictionless

    assert _run(settings, STAFF).outcome == "published"
    storage = open_instance(settings).storage
    key = next(k for k in storage.list() if k.endswith("datapackage.json"))
    folder = storage.local_path(key)
    assert folder is not None
    package = frictionless.Package(str(folder))
    formats = sorted(r.format for r in package.resources)
    assert formats == ["csv"] * 4 + ["parquet"] * 4
    assert all(r.schema.fields and r.bytes and r.hash for r in package.resources)
    assert package.licenses[0]["name"] == "terms_by"
    assert package.licenses[0]["path"] == "http://dcat-ap.ch/vocabulary/licenses/terms_by"
    assert package.sources and package.sources[0]["title"].startswith("Personal, Stadt Luzern")
    roles = {c.get("role") for c in package.contributors}
    assert {"publisher", "maintainer"} <= roles
    # the whole package as a consumer checks it: descriptor, every table (CSV and Parquet,
    # the Parquet through our frictionless plugin), byte counts and hashes
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(cli), "validate", "--json", folder.name],
        cwd=folder.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], report
    checked = {task["name"]: task["stats"] for task in report["tasks"]}
    assert len(checked) == 8 and all(stats["rows"] > 0 for stats in checked.values())
    parquet = [t for t in report["tasks"] if t["place"].endswith(".parquet")]
    assert len(parquet) == 4 and all(t["stats"]["bytes"] > 0 for t in parquet)


def test_source_options_take_secrets_from_the_environment(
    tmp_path: Path, settings: Settings, sources: Path
) -> None:
    import dataclasses

    text = POPULATION.read_text(encoding="utf-8").replace(
        "path: einwohnerregister.csv", 'path: {"$env": "OGD_TEST_REGISTER"}'
    )
    pipeline = tmp_path / "pipelines" / "bevoelkerung-quartier.yaml"
    pipeline.parent.mkdir()
    pipeline.write_text(text, encoding="utf-8")
    spec = load_pipeline(pipeline, tmp_path)
    instance = open_instance(settings)
    missing = run_pipeline(spec, settings, instance.sessions, instance.storage, environ={})
    assert missing.outcome == "failed"
    assert "OGD_TEST_REGISTER" in missing.error.message  # type: ignore[union-attr]
    ok = run_pipeline(
        spec,
        settings,
        instance.sessions,
        instance.storage,
        environ={"OGD_TEST_REGISTER": "einwohnerregister.csv"},
    )
    assert ok.outcome == "published", ok.error
    assert dataclasses.asdict(spec.source)["options"]["path"] == {"$env": "OGD_TEST_REGISTER"}


@pytest.mark.parametrize("policy", ["drop", "quarantine"])
def test_invalid_rows_are_dropped_or_quarantined_by_policy(
    tmp_path: Path, settings: Settings, sources: Path, policy: str
) -> None:
    import json
    import stat

    _corrupt(sources / "einwohnerregister.csv", 1234, "geburtsdatum", "31.02.1990")
    _corrupt(sources / "einwohnerregister.csv", 77, "geschlecht", "x")
    text = POPULATION.read_text(encoding="utf-8").replace(
        "  schema: einwohnerregister\n", f"  schema: einwohnerregister\n  on_invalid: {policy}\n"
    )
    pipeline = tmp_path / "pipelines" / "bevoelkerung-quartier.yaml"
    pipeline.parent.mkdir()
    pipeline.write_text(text, encoding="utf-8")
    instance = open_instance(settings)
    result = run_pipeline(
        load_pipeline(pipeline, tmp_path), settings, instance.sessions, instance.storage
    )
    assert result.outcome == "published", result.error
    report = result.reports["source_validation"]
    assert report["rows_dropped"] == 2 and report["policy"] == policy
    assert result.rows_in == 83_000
    runs = settings.path(settings.runs_dir) / "bevoelkerung-quartier" / "steward"
    quarantined = list(runs.glob("*.quarantine.csv"))
    if policy == "drop":
        assert quarantined == []
    else:
        [path] = quarantined
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        content = path.read_text(encoding="utf-8")
        assert "31.02.1990" in content and content.count("\n") == 3  # header + 2 rows
    [full] = list(runs.glob("*.validation.json"))
    rows = {e["rowNumber"] for e in json.loads(full.read_text(encoding="utf-8"))["errors"]}
    assert rows == {77, 1234}
    published = json.dumps(result.reports)
    assert "31.02.1990" not in published  # cell values stay with the steward


def test_validate_and_infer_commands(tmp_path: Path, sources: Path) -> None:
    env = ogd_env(tmp_path / "var", sources)
    schema = ROOT / "schemas" / "einwohnerregister.schema.json"
    good = run_ogd(
        ["validate", str(sources / "einwohnerregister.csv"), "--schema", str(schema)], env, ROOT
    )
    assert good.returncode == 0 and "valid (83'000 rows)" in good.stdout
    _corrupt(sources / "einwohnerregister.csv", 17, "geburtsdatum", "31.02.1990")
    bad = run_ogd(
        ["validate", str(sources / "einwohnerregister.csv"), "--schema", str(schema), "--json"],
        env,
        ROOT,
    )
    assert bad.returncode == 1
    import json

    errors = json.loads(bad.stdout)["errors"]
    assert [(e["rowNumber"], e["fieldName"], e["type"]) for e in errors] == [
        (17, "geburtsdatum", "type-error")
    ]
    out = tmp_path / "inferred.schema.json"
    inferred = run_ogd(
        [
            "schema",
            "infer",
            str(ROOT / "tests" / "data" / "lookups" / "gemeinden.csv"),
            "-o",
            str(out),
        ],
        env,
        ROOT,
    )
    assert inferred.returncode == 0, inferred.stderr
    fields = json.loads(out.read_text(encoding="utf-8"))["fields"]
    assert [(f["name"], f["type"]) for f in fields] == [
        ("code", "integer"),
        ("name", "string"),
        ("kanton", "string"),
    ]


def test_steward_page_lists_runs_with_findings_but_no_cells(
    settings: Settings, sources: Path
) -> None:
    from ogd.catalog import authz
    from ogd.web.app import create_app
    from tests.unit.web.test_login import log_in

    _corrupt(sources / "einwohnerregister.csv", 1234, "geburtsdatum", "31.02.1990")
    assert _run(settings, POPULATION).outcome == "failed"
    instance = open_instance(settings)
    with instance.sessions() as session, session.begin():
        steward = authz.create_user(session, "steward", sysadmin=True)
        authz.set_password(steward, "Pilatus-Rigi-2024")
    client = create_app(settings, instance).test_client()
    assert client.get("/steward/runs").status_code == 302  # behind the login
    log_in(client, "steward", "Pilatus-Rigi-2024")
    html = client.get("/steward/runs").get_data(as_text=True)
    assert "bevoelkerung-quartier" in html and "fehlgeschlagen" in html
    assert "type-error:geburtsdatum: 1" in html
    assert "31.02.1990" not in html
