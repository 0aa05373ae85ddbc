"""The long-lived scheduler of the embedded default: runs each pipeline on its cron schedule."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from ogd.config import Settings
from ogd.instance import open_instance
from ogd.pipeline.history import last_run_start
from ogd.pipeline.runner import run_pipeline
from ogd.pipeline.schedule import is_due, trigger_fields
from ogd.pipeline.spec import PipelineSpec

log = logging.getLogger(__name__)


def _job(
    settings: Settings, spec: PipelineSpec, environ: Mapping[str, str], echo: Callable[[str], None]
) -> None:
    instance = open_instance(settings)
    result = run_pipeline(
        spec, settings, instance.sessions, instance.storage, user="scheduler", environ=environ
    )
    error = f": {result.error}" if result.error else ""
    echo(
        f"{dt.datetime.now(ZoneInfo(settings.timezone)):%Y-%m-%d %H:%M} "
        f"{spec.slug} {result.outcome}{error}"
    )


def run_scheduler(
    settings: Settings,
    specs: Sequence[PipelineSpec],
    environ: Mapping[str, str],
    *,
    once: bool = False,
    echo: Callable[[str], None] = log.info,
) -> None:
    """Run due pipelines now, then (unless `once`) each one whenever its schedule fires."""
    zone = ZoneInfo(settings.timezone)
    now = dt.datetime.now(zone)
    instance = open_instance(settings, sync=False)
    try:
        with instance.sessions() as session:
            due = [s for s in specs if is_due(s.schedule, last_run_start(session, s.slug), now)]
    finally:
        instance.engine.dispose()
    for spec in due:
        _job(settings, spec, environ, echo)
    if once:
        return
    scheduler = BlockingScheduler(timezone=zone)
    for spec in specs:
        if spec.schedule:
            trigger = CronTrigger(**trigger_fields(spec.schedule), timezone=zone)
            scheduler.add_job(
                _job,
                trigger,
                args=(settings, spec, environ, echo),
                id=spec.slug,
                max_instances=1,
                coalesce=True,
            )
            echo(f"{spec.slug}: next run {trigger.get_next_fire_time(None, now):%Y-%m-%d %H:%M}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
