"""Runs a non-aggregating pipeline over a generated N-row CSV in a subprocess, measuring RSS.

Shared by the memory test in `make test` (2 million rows) and the benchmark (10 million).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.conftest import ROOT

PIPELINE = """\
source:
  kind: csv
  path: grosse-quelle.csv
  encoding: utf-8
  delimiter: ";"
  schema: grosse-quelle
privacy:
  personal_data: false
steps:
  - kind: column_derive
    column: jahr
    expression: "year(datum)"
  - kind: row_filter
    expression: "betrag >= 0"
  - kind: column_map
    column: kategorie
    mapping: {A: Abfall, B: Bildung, C: Kultur, D: Digital}
  - kind: column_select
    columns: [id, datum, jahr, kategorie, betrag, bemerkung]
schema: grosse-tabelle
metadata:
  title: {de: Grosse Tabelle, en: Large table}
  organization: digital
  license: terms_open
outputs: [csv, parquet]
"""

SOURCE_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "datum", "type": "date", "format": "%d.%m.%Y"},
        {"name": "kategorie", "type": "string", "constraints": {"enum": ["A", "B", "C", "D"]}},
        {"name": "betrag", "type": "number", "groupChar": "'"},
        {"name": "bemerkung", "type": "string"},
    ]
}
OUTPUT_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "datum", "type": "date"},
        {"name": "jahr", "type": "integer"},
        {"name": "kategorie", "type": "string"},
        {"name": "betrag", "type": "number"},
        {"name": "bemerkung", "type": "string"},
    ]
}

RUNNER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"rc": proc.returncode, "seconds": seconds, "peak_rss": peak,
                  "stdout": proc.stdout[-3000:], "stderr": proc.stderr[-3000:]}))
"""


@dataclass(frozen=True)
class StreamingRun:
    """What one measured run gave."""

    rows: int
    returncode: int
    seconds: float
    peak_rss: int
    csv_bytes: int
    output: str


def write_project(root: Path, rows: int) -> None:
    """A project folder with the pipeline, its schemas, the catalogue and an N-row source."""
    for folder in ("pipelines", "schemas", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "catalog").symlink_to(ROOT / "catalog")
    (root / "web").symlink_to(ROOT / "web")
    (root / "pipelines" / "grosse-tabelle.yaml").write_text(PIPELINE, encoding="utf-8")
    (root / "schemas" / "grosse-quelle.schema.json").write_text(json.dumps(SOURCE_SCHEMA))
    (root / "schemas" / "grosse-tabelle.schema.json").write_text(json.dumps(OUTPUT_SCHEMA))
    target = root / "sources" / "grosse-quelle.csv"
    duckdb.sql(
        f"""COPY (SELECT i AS id,
                  strftime(DATE '2015-01-01' + CAST(i % 3650 AS INTEGER), '%d.%m.%Y') AS datum,
                  ['A', 'B', 'C', 'D'][1 + i % 4] AS kategorie,
                  CASE WHEN i % 7 = 0 THEN '1''234.50' ELSE CAST((i % 1000) / 4 AS VARCHAR) END
                    AS betrag,
                  'Zeile ' || i || ' – Bemerkung mit Umlauten äöü' AS bemerkung
              FROM range({rows}) t(i))
           TO '{target}' (HEADER, DELIMITER ';')"""
    )


def run_streaming(root: Path, rows: int) -> StreamingRun:
    """Generate the source and run `ogd run` in a child process; measure its peak RSS."""
    write_project(root, rows)
    toml = root / "ogd.toml"
    toml.write_text(
        f'root = "{root}"\nsources_dir = "sources"\ninstance_dir = "var"\nruns_dir = "var/runs"\n'
        'duckdb_memory_limit = "256MB"\n'
    )
    command = [sys.executable, "-m", "ogd", "--config", str(toml), "run", "--quiet"]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        timeout=1800,
    )
    measured = json.loads(result.stdout)
    csv_files = list((root / "var" / "storage").rglob("grosse-tabelle.csv"))
    return StreamingRun(
        rows=rows,
        returncode=measured["rc"],
        seconds=measured["seconds"] or time.perf_counter() - started,
        peak_rss=measured["peak_rss"],
        csv_bytes=csv_files[0].stat().st_size if csv_files else 0,
        output=measured["stdout"] + measured["stderr"],
    )
