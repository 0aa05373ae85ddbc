"""Run records: who, when, source checksum, rows in and out, reports, outcome.

They live in the catalogue (table `pipeline_run`), so every web worker and host sees
every run. Records that earlier versions wrote as JSON files (`<runs_dir>/<pipeline>/
<id>.json`) are imported once when an instance opens (`import_files`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ogd.catalog.models import PipelineRun

IMPORTED_MARK = ".imported-into-catalogue"
log = logging.getLogger(__name__)


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


# RunRecord's fields are the table's columns, except `user` (a reserved word in SQL)
_COLUMN = {"user": "user_name"}


def _row(record: RunRecord) -> PipelineRun:
    return PipelineRun(**{_COLUMN.get(k, k): v for k, v in asdict(record).items()})


def _record(row: PipelineRun) -> RunRecord:
    return RunRecord(
        **{f.name: getattr(row, _COLUMN.get(f.name, f.name)) for f in fields(RunRecord)}
    )


def save_run(session: Session, record: RunRecord) -> bool:
    """Store a run record (commits); False, with a warning in the log, when the catalogue
    refused it: the run itself is over either way."""
    try:
        session.merge(_row(record))
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        log.warning("run %s: the run record was not saved: %s", record.id, str(exc).splitlines()[0])
        return False
    return True


def list_runs(
    session: Session, pipeline: str | None = None, limit: int | None = None
) -> list[RunRecord]:
    """Run records, newest first."""
    query = select(PipelineRun).order_by(PipelineRun.started.desc(), PipelineRun.id.desc())
    if pipeline is not None:
        query = query.where(PipelineRun.pipeline == pipeline)
    if limit is not None:
        query = query.limit(limit)
    return [_record(row) for row in session.scalars(query)]


def find_run(session: Session, run_id: str) -> RunRecord | None:
    """The run record with this id, if any."""
    row = session.get(PipelineRun, run_id)
    return None if row is None else _record(row)


def last_run_start(session: Session, pipeline: str) -> dt.datetime | None:
    """Start (UTC, aware) of the newest run of `pipeline` that published or found no change."""
    started = session.scalars(
        select(PipelineRun.started)
        .where(PipelineRun.pipeline == pipeline)
        .where(PipelineRun.outcome.in_(("published", "unchanged")))
        .order_by(PipelineRun.started.desc())
        .limit(1)
    ).first()
    return None if started is None else dt.datetime.fromisoformat(started)


def import_files(session: Session, runs_dir: Path) -> int:
    """Import the JSON run records of earlier versions once; how many were new."""
    mark = runs_dir / IMPORTED_MARK
    if mark.exists() or not runs_dir.is_dir():
        return 0
    new = 0
    for path in sorted(runs_dir.glob("*/*.json")):
        try:
            record = RunRecord(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            continue  # not a run record
        if session.get(PipelineRun, record.id) is None:
            session.add(_row(record))
            new += 1
    session.commit()
    mark.write_text("run records are in the catalogue (table pipeline_run)\n", encoding="utf-8")
    return new
