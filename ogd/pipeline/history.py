"""Run records: who, when, source checksum, rows in and out, reports, outcome (JSON files)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RunRecord:
    """One run of one pipeline."""

    id: str
    pipeline: str
    started: str
    ended: str
    user: str
    pipeline_version: str
    source_checksum: str
    rows_in: int
    rows_out: int
    outcome: str
    release_id: str | None = None
    error: str | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    reports: dict[str, Any] = field(default_factory=dict)


def save_run(runs_dir: Path, record: RunRecord) -> Path:
    """Write a run record as `<runs_dir>/<pipeline>/<id>.json`."""
    folder = runs_dir / record.pipeline
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record.id}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(record), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def list_runs(runs_dir: Path, pipeline: str | None = None) -> list[RunRecord]:
    """Run records, newest first."""
    pattern = f"{pipeline}/*.json" if pipeline else "*/*.json"
    records = [
        RunRecord(**json.loads(p.read_text(encoding="utf-8"))) for p in runs_dir.glob(pattern)
    ]
    return sorted(records, key=lambda r: r.started, reverse=True)


def last_run_start(runs_dir: Path, pipeline: str) -> dt.datetime | None:
    """Start (UTC, aware) of the newest run of `pipeline` that published or found no change."""
    for record in list_runs(runs_dir, pipeline):
        if record.outcome in {"published", "unchanged"}:
            return dt.datetime.fromisoformat(record.started)
    return None
