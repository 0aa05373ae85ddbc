"""The register extract of the validation benchmark: generate it, and time one validator on it.

13 columns of a synthetic residents' register (no real person): ids, an AHV number with
a pattern, names, dates with ranges, enums and decimals; constraints on 9 fields. About
110 bytes a row, so 1 million rows make a ~110 MB CSV. Values are drawn with a seeded
hash in DuckDB and written with COPY (no Python loop per row). One row in
`PLANT_EVERY` carries a planted error of one of 12 kinds (type, constraint, unique and
primary-key errors).

    python -m tests.benchmarks.register generate OUT.csv --rows 1000000 --seed 1061
    python -m tests.benchmarks.register run ours|frictionless|pyarrow OUT.csv

`run` validates in this process and prints JSON: seconds (schema loading to report; the
interpreter start and the imports are left out), rows, and the findings as
(rowNumber, fieldName, type).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
from frictionless import Resource, Schema

from ogd.extract import READERS, SourceRequest
from ogd.validate import TableValidator, load_schema

PLANT_EVERY = 3_333

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {
            "name": "ahv",
            "type": "string",
            "constraints": {"pattern": r"756\.\d{4}\.\d{4}\.\d{2}", "unique": True},
        },
        {"name": "name", "type": "string", "constraints": {"required": True, "maxLength": 40}},
        {"name": "vorname", "type": "string"},
        {
            "name": "geburtsdatum",
            "type": "date",
            "format": "%d.%m.%Y",
            "constraints": {"minimum": "01.01.1900", "maximum": "31.12.2024"},
        },
        {"name": "zuzugsdatum", "type": "date", "constraints": {"minimum": "1950-01-01"}},
        {"name": "geschlecht", "type": "string", "constraints": {"enum": ["m", "w", "d"]}},
        {
            "name": "zivilstand",
            "type": "string",
            "constraints": {
                "enum": ["ledig", "verheiratet", "geschieden", "verwitwet", "eingetragen"]
            },
        },
        {"name": "nationalitaet", "type": "string"},
        {"name": "plz", "type": "integer", "constraints": {"minimum": 6000, "maximum": 6999}},
        {"name": "einkommen", "type": "number", "constraints": {"minimum": 0}},
        {"name": "steuerbetrag", "type": "number"},
        {"name": "quartier", "type": "string"},
    ],
    "primaryKey": ["id"],
}

NAMES = ["Meier", "Müller", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Steiner"]
FIRST = ["Anna", "Luca", "Mia", "Noah", "Lea", "Elias", "Sofia", "Leon", "Laura", "Jan"]
QUARTIERE = ["LU-Altstadt", "LU-Wesemlin", "LU-Maihof", "LU-Tribschen", "LU-Hirschmatt",
             "LU-Würzenbach", "LU-Littau", "LU-Reussbühl", "LU-Obergrund", "LU-Säli"]  # fmt: skip

# A planted error: (column, SQL of the bad value).
PLANTED = [
    ("geburtsdatum", "'31.02.1990'"),  # type-error (no such day)
    ("geburtsdatum", "'01.01.1899'"),  # constraint minimum
    ("plz", "'60O3'"),  # type-error
    ("plz", "'999'"),  # constraint minimum
    ("geschlecht", "'x'"),  # constraint enum
    ("ahv", "'756.12.34'"),  # constraint pattern (and repeats: unique-error)
    ("ahv", "ahv_of(i - 1000)"),  # unique-error: an earlier row's number
    ("id", "CAST(i - 1000 AS VARCHAR)"),  # primary-key: an earlier row's id
    ("name", "''"),  # constraint required
    ("einkommen", "'-5.50'"),  # constraint minimum
    ("einkommen", "'12.000,50'"),  # type-error
    ("zuzugsdatum", "'2020-13-01'"),  # type-error
]

COLUMNS = {
    "id": "CAST(i AS VARCHAR)",
    "ahv": "ahv_of(i)",
    "name": "pick({names}, 1)",
    "vorname": "pick({first}, 2)",
    "geburtsdatum": "strftime(DATE '1920-01-01' + CAST(rnd(i, 3) % 36500 AS INTEGER), '%d.%m.%Y')",
    "zuzugsdatum": "strftime(DATE '1960-01-01' + CAST(rnd(i, 4) % 23000 AS INTEGER), '%Y-%m-%d')",
    "geschlecht": "pick(['m', 'w', 'd'], 5)",
    "zivilstand": "pick(['ledig', 'verheiratet', 'geschieden', 'verwitwet'], 6)",
    "nationalitaet": "pick(['CHE', 'CHE', 'CHE', 'DEU', 'ITA', 'PRT', 'XKX'], 7)",
    "plz": "CAST(6000 + rnd(i, 8) % 1000 AS VARCHAR)",
    "einkommen": "CAST(round((rnd(i, 9) % 100000000) / 100.0, 2) AS VARCHAR)",
    "steuerbetrag": "CAST(round((rnd(i, 10) % 10000000) / 100.0, 2) AS VARCHAR)",
    "quartier": "pick({quartiere}, 11)",
}  # fmt: skip


def _column_sql(name: str) -> str:
    clean = COLUMNS[name].format(names=NAMES, first=FIRST, quartiere=QUARTIERE)
    cases = [
        f"WHEN planted AND kind = {k} THEN {value}"
        for k, (column, value) in enumerate(PLANTED)
        if column == name
    ]
    if not cases:
        return f"{clean} AS {name}"
    return f"CASE {' '.join(cases)} ELSE {clean} END AS {name}"


def generate(path: Path, rows: int, seed: int = 1061) -> None:
    """Write the register extract as CSV (UTF-8, comma, header) and its schema beside it.

    Args:
        path: the CSV file to write; `<stem>.schema.json` is written next to it.
        rows: number of data rows.
        seed: salt of the hash that draws values and planted errors.
    """
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"CREATE MACRO rnd(n, salt) AS CAST(hash(n, {seed}, salt) % 1000000007 AS BIGINT)")
    con.execute("CREATE MACRO pick(items, salt) AS items[1 + rnd(i, salt) % len(items)]")
    con.execute(
        "CREATE MACRO ahv_of(n) AS '756.' || lpad(CAST(n // 10000 % 10000 AS VARCHAR), 4, '0')"
        " || '.' || lpad(CAST(n % 10000 AS VARCHAR), 4, '0') || '.'"
        " || lpad(CAST(n // 100000000 AS VARCHAR), 2, '0')"
    )
    columns = ", ".join(_column_sql(name) for name in COLUMNS)
    query = f"""
        SELECT {columns} FROM (
            SELECT i, i > 2000 AND rnd(i, 99) % {PLANT_EVERY} = 0 AS planted,
                   rnd(i, 98) % {len(PLANTED)} AS kind
            FROM range(1, {rows + 1}) t(i)
        ) ORDER BY i
    """
    con.execute(f"COPY ({query}) TO '{path}' (HEADER, DELIMITER ',')")
    con.close()
    schema_path(path).write_text(json.dumps(SCHEMA, indent=2), encoding="utf-8")


def schema_path(path: Path) -> Path:
    """Where `generate` writes the schema of the CSV at `path`."""
    return path.with_name(f"{path.stem}.schema.json")


Findings = list[tuple[int | None, str | None, str]]


def run_ours(path: Path) -> tuple[int, Findings]:
    """The project's CSV reader and TableValidator, batch by batch, as a pipeline runs."""
    schema = load_schema(schema_path(path))
    request = SourceRequest(options={"path": path.name}, sources_dir=path.parent, where=path.name)
    extract = READERS["csv"].read(request)
    validator = TableValidator(schema, source=extract.name, fields_match="exact")
    validator.check_labels(extract.labels)
    row = extract.first_row_number
    for batch in extract.batches:
        validator.validate(batch, row)
        row += batch.num_rows
    report = validator.finish()
    return report.rows, [(e.row_number, e.field_name or None, e.type) for e in report.errors]


def run_frictionless(path: Path) -> tuple[int, Findings]:
    """frictionless-py's validate on the same file and schema."""
    schema = Schema.from_descriptor(json.loads(schema_path(path).read_text()))
    report = Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()
    task = report.tasks[0]
    found = [
        (e.get("rowNumber"), e.get("fieldName") or None, e["type"])
        for e in (error.to_descriptor() for error in task.errors)
    ]
    return int(task.stats["rows"] or 0), found


def run_pyarrow(path: Path) -> tuple[int, Findings]:
    """A bare pyarrow read of the same file (text columns, batch by batch): the floor."""
    names = path.open(encoding="utf-8").readline().strip().split(",")
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    rows = 0
    with path.open("rb") as handle:
        for batch in pacsv.open_csv(handle, convert_options=convert):
            rows += batch.num_rows
    return rows, []


RUNS: dict[str, Callable[[Path], tuple[int, Findings]]] = {
    "ours": run_ours,
    "frictionless": run_frictionless,
    "pyarrow": run_pyarrow,
}


def preload() -> None:
    """Import what the runs would import on first use, so `seconds` leaves imports out for
    every run alike: frictionless's plugins (each of its formats, found by scanning the
    whole sys.path) and jsonschema (descriptor checks), ~0.3 s in a fresh process."""
    import jsonschema  # noqa: F401
    from frictionless import system

    assert system.methods


def main() -> None:
    """Command line: generate an extract, or time one run on it."""
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate")
    make.add_argument("path", type=Path)
    make.add_argument("--rows", type=int, default=1_000_000)
    make.add_argument("--seed", type=int, default=1061)
    timed = commands.add_parser("run")
    timed.add_argument("mode", choices=sorted(RUNS))
    timed.add_argument("path", type=Path)
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.path, args.rows, args.seed)
        return
    preload()
    started = time.perf_counter()
    rows, findings = RUNS[args.mode](args.path)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": rows, "findings": findings}))


if __name__ == "__main__":
    main()
