"""When a pipeline is due: its cron schedule against its last run (pure functions)."""

from __future__ import annotations

import datetime as dt

from croniter import croniter


def last_fire(schedule: str, now: dt.datetime) -> dt.datetime:
    """The most recent time at or before `now` that the cron expression names."""
    return croniter(schedule, now + dt.timedelta(seconds=1)).get_prev(dt.datetime)  # type: ignore[no-any-return]


def next_fire(schedule: str, now: dt.datetime) -> dt.datetime:
    """The next time after `now` that the cron expression names."""
    return croniter(schedule, now).get_next(dt.datetime)  # type: ignore[no-any-return]


def is_due(schedule: str | None, last_run: dt.datetime | None, now: dt.datetime) -> bool:
    """A pipeline is due when its schedule fired since its last run (or it never ran).

    Args:
        schedule: the cron expression; None means never due (manual runs only).
        last_run: start of the last run that did not fail, in UTC; None if none.
        now: the current time in UTC.
    """
    if schedule is None:
        return False
    if last_run is None:
        return True
    return last_fire(schedule, now) > last_run
