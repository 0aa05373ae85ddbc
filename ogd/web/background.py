"""Pipeline runs started from the portal: one background thread per run, progress in a file.

The steward's request only starts the thread and returns; the thread runs the pipeline
with the same runner as `ogd run` and writes its progress (stage, rows, outcome, the id
of the run record) to `<runs_dir>/_jobs/<job>.state`, which every web worker can read.
The file holds JSON but is not named `*.json`, so `list_runs` never takes it for a run
record. One run per pipeline at a time: a lock file made with `O_EXCL` refuses a second
start while the first is alive. A run that stops reporting for `STALE` (its worker was
killed) counts as abandoned; it published nothing, as every failed run.

Sources whose options name `$env` secrets get an empty environment here and fail with a
clear message: such pipelines run from `ogd run` (cron), not from the portal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ogd.config import Settings
from ogd.instance import Instance
from ogd.pipeline.history import list_runs
from ogd.pipeline.runner import run_pipeline
from ogd.pipeline.spec import PipelineSpec

log = logging.getLogger(__name__)
JOBS_FOLDER = "_jobs"
STALE = dt.timedelta(hours=1)
WRITE_EVERY = 0.5  # seconds between progress writes within one stage
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Job:
    """A run started from the portal, as its progress file tells it.

    Attributes:
        id: 16 hex digits.
        pipeline: the pipeline's slug.
        user: the steward who started it.
        started: UTC start, ISO 8601.
        updated: UTC time of the last progress write, ISO 8601.
        state: `running` or `done`.
        stage: the runner's current stage (`extract`, `validate`, `table x`, `publish` …).
        rows: rows processed in that stage.
        outcome: the run's outcome once done (published, unchanged, failed).
        run_id: the id of the run record once done.
        error: the first line of the error of a failed run.
    """

    id: str
    pipeline: str
    user: str
    started: str
    updated: str
    state: str = "running"
    stage: str = "queued"
    rows: int = 0
    outcome: str | None = None
    run_id: str | None = None
    error: str | None = None

    @property
    def is_done(self) -> bool:
        """The run ended (or was abandoned)."""
        return self.state == "done"

    def seen(self, now: dt.datetime) -> Job:
        """The job as of `now`: a running job silent for longer than `STALE` is abandoned."""
        if self.state == "running" and now - dt.datetime.fromisoformat(self.updated) > STALE:
            return replace(self, state="done", outcome="abandoned")
        return self

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON values (the progress endpoint's answer)."""
        return asdict(self)


class JobRunning(Exception):
    """The pipeline runs already; `job` is the running one."""

    def __init__(self, job: Job) -> None:
        super().__init__(f"{job.pipeline} runs already (job {job.id})")
        self.job = job


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def jobs_dir(settings: Settings) -> Path:
    """The folder of the progress files: `<runs_dir>/_jobs`."""
    return settings.path(settings.runs_dir) / JOBS_FOLDER


def read_job(settings: Settings, job_id: str) -> Job | None:
    """The job with this id, or None (unknown or malformed id)."""
    if not _JOB_ID.match(job_id):
        return None
    path = jobs_dir(settings) / f"{job_id}.state"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Job(**data).seen(_now())


def _write(folder: Path, job: Job) -> None:
    path = folder / f"{job.id}.state"
    tmp = path.with_name(f"{job.id}.tmp")
    tmp.write_text(json.dumps(job.to_dict(), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _take_lock(settings: Settings, pipeline: str, job_id: str) -> None:
    """Make `<pipeline>.lock` naming the job, or raise JobRunning for a live run."""
    lock = jobs_dir(settings) / f"{pipeline}.lock"
    for _attempt in range(2):
        try:
            descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            holder = read_job(settings, lock.read_text(encoding="utf-8").strip())
            if holder is not None and not holder.is_done:
                raise JobRunning(holder) from None
            lock.unlink(missing_ok=True)  # the holder ended or was abandoned
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(job_id)
        return
    raise JobRunning(Job(job_id, pipeline, "", "", ""))  # pragma: no cover - lost a race twice


def start_run(instance: Instance, spec: PipelineSpec, user: str) -> Job:
    """Start a run of `spec` in a background thread and return its job at once.

    Args:
        instance: the web app's instance (settings, sessions, storage).
        spec: the pipeline to run.
        user: the steward starting it (recorded in the run record).

    Returns:
        The job, state `running`.

    Raises:
        JobRunning: the pipeline runs already.
    """
    settings = instance.settings
    folder = jobs_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _now().isoformat()
    job = Job(secrets.token_hex(8), spec.slug, user, stamp, stamp)
    _take_lock(settings, spec.slug, job.id)
    _write(folder, job)
    thread = threading.Thread(
        target=_work, args=(instance, spec, job), name=f"ogd-run-{spec.slug}", daemon=True
    )
    thread.start()
    return job


class _Reporter:
    """The runner's progress callback: writes the job file, at most every WRITE_EVERY s."""

    def __init__(self, folder: Path, job: Job) -> None:
        self.folder, self.job, self.last = folder, job, 0.0

    def progress(self, _pipeline: str, stage: str, rows: int) -> None:
        now = time.monotonic()
        if stage == self.job.stage and now - self.last < WRITE_EVERY:
            return
        self.last = now
        self.job = replace(self.job, stage=stage, rows=rows, updated=_now().isoformat())
        _write(self.folder, self.job)

    def finish(self, outcome: str, run_id: str | None, error: str | None) -> None:
        self.job = replace(
            self.job,
            state="done",
            stage="done",
            outcome=outcome,
            run_id=run_id,
            error=error.splitlines()[0] if error else None,
            updated=_now().isoformat(),
        )
        _write(self.folder, self.job)


def _run_id(instance: Instance, job: Job) -> str | None:
    """The id of the run record this job made: the first of its user since its start."""
    started = dt.datetime.fromisoformat(job.started)
    with instance.sessions() as session:
        records = list_runs(session, job.pipeline, 50)
    for record in reversed(records):
        if record.user == job.user and dt.datetime.fromisoformat(record.started) >= started:
            return record.id
    return None


def _work(instance: Instance, spec: PipelineSpec, job: Job) -> None:
    settings = instance.settings
    reporter = _Reporter(jobs_dir(settings), job)
    try:
        result = run_pipeline(
            spec,
            settings,
            instance.sessions,
            instance.storage,
            user=job.user,
            environ={},
            progress=reporter.progress,
        )
        error = str(result.error) if result.error else None
        reporter.finish(result.outcome, _run_id(instance, job), error)
    except Exception:  # a thread has nobody to raise to: record the failure instead
        log.exception("run of %s started by %s failed", spec.slug, job.user)
        reporter.finish("failed", _run_id(instance, job), "internal error (see the server log)")
    finally:
        (jobs_dir(settings) / f"{spec.slug}.lock").unlink(missing_ok=True)
