"""One run of a pipeline at a time: an advisory lock on PostgreSQL, a file lock otherwise.

Two runs of the same pipeline (cron and a steward's "run now", or two hosts) would
read the same source and race to publish. The second one fails at once with a message
naming the run that holds the lock; runs of different pipelines never wait for each
other. PostgreSQL's session-level advisory lock spans hosts and is released when its
connection ends (a killed run frees it); the embedded default's `flock` on
`<instance_dir>/locks/<pipeline>.lock` is released by the kernel the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text

from ogd.errors import OgdError


class RunBusy(OgdError):
    """Another run of the same pipeline holds its lock."""

    code = "run-busy"


def _key(slug: str) -> int:
    """A stable signed 64-bit key per pipeline for pg_try_advisory_lock."""
    digest = hashlib.blake2b(f"ogd-run:{slug}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _busy(slug: str, holder: str) -> RunBusy:
    return RunBusy(
        f"pipeline {slug} is already running{holder}",
        hint=f"wait for that run to finish (`ogd runs {slug}`), then run it again",
    )


@contextlib.contextmanager
def run_lock(engine: Engine, lock_dir: Path, slug: str) -> Iterator[None]:
    """Hold the run lock of pipeline `slug` for the block.

    Raises:
        RunBusy: another run holds it (raised at once, never waiting).
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(slug)})
            if not got.scalar():
                raise _busy(slug, " (on this or another host)")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(slug)})
                connection.commit()
        return
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{slug}.lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise _busy(slug, f" ({holder})" if holder else "") from None
        try:
            handle.seek(0)
            handle.truncate()
            started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            handle.write(f"process {os.getpid()}, started {started}")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
