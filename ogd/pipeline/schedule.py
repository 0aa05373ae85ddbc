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


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day_token(token: str) -> str:
    value, _, step = token.partition("/")
    parts = [_DAY_NAMES[int(p)] if p.isdigit() else p for p in value.split("-")]
    return "-".join(parts) + (f"/{step}" if step else "")


def trigger_fields(schedule: str) -> dict[str, str]:
    """The five cron fields as APScheduler `CronTrigger` keywords, with cron's day numbers.

    Cron (and croniter, which `--due` uses) counts days of the week from 0 = Sunday;
    APScheduler counts from 0 = Monday, so numbers are turned into day names.
    """
    minute, hour, day, month, day_of_week = schedule.split()
    days = ",".join(_day_token(t) for t in day_of_week.split(","))
    return {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": days}
