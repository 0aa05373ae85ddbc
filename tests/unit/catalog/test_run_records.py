"""Run records in the catalogue (ogd.pipeline.history), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, replace
from pathlib import Path

from ogd.instance import Instance
from ogd.pipeline.history import (
    IMPORTED_MARK,
    RunRecord,
    find_run,
    import_files,
    last_run_start,
    list_runs,
    save_run,
)
from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS

RUN = RunRecord(
    id="20261101T080000000000Z",
    pipeline="baustellen",
    started="2026-11-01T08:00:00+00:00",
    ended="2026-11-01T08:00:05+00:00",
    user="cli",
    pipeline_version="v1",
    source_checksum="abc",
    rows_in=120,
    rows_out=118,
    outcome="published",
    release_id="r1",
    steps=[{"step": "filter", "rows": 118}],
    reports={"source": {"name": "baustellen.csv"}},
)


def _at(hour: int, **changes: object) -> RunRecord:
    started = f"2026-11-01T{hour:02d}:00:00+00:00"
    stamp = f"20261101T{hour:02d}0000000000Z"
    return replace(RUN, id=stamp, started=started, ended=started, **changes)  # type: ignore[arg-type]


def test_runs_are_stored_listed_found_and_ordered(instance: Instance) -> None:
    with instance.sessions() as session:
        for record in (_at(8), _at(10, outcome="failed", error="row 17: bad date"), _at(9)):
            assert save_run(session, record)
        save_run(session, _at(11, pipeline="luftqualitaet"))
        assert [r.id for r in list_runs(session, "baustellen")] == [
            _at(10).id,
            _at(9).id,
            _at(8).id,
        ]
        assert len(list_runs(session)) == 4 and len(list_runs(session, limit=2)) == 2
        found = find_run(session, _at(10).id)
        assert found is not None and found.error == "row 17: bad date"
        assert found.steps == RUN.steps and found.reports == RUN.reports
        assert find_run(session, "20991231T000000000000Z") is None
        # the newest run that published or found nothing new (the failed one does not count)
        assert last_run_start(session, "baustellen") == dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
        assert last_run_start(session, "wahlen") is None


def test_run_files_of_earlier_versions_are_imported_once(
    instance: Instance, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    (runs / "baustellen").mkdir(parents=True)
    (runs / "baustellen" / f"{RUN.id}.json").write_text(json.dumps(asdict(RUN)))
    (runs / "baustellen" / "steward-notes.json").write_text('{"not": "a run"}')
    with instance.sessions() as session:
        assert import_files(session, runs) == 1
        assert (runs / IMPORTED_MARK).exists()
        assert import_files(session, runs) == 0
        assert [r.id for r in list_runs(session, "baustellen")] == [RUN.id]
