"""Schedules: a pipeline is due when its cron fired since its last run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ogd.pipeline.schedule import is_due, next_fire

ZURICH = ZoneInfo("Europe/Zurich")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZURICH)


@pytest.mark.parametrize(
    ("schedule", "last", "now", "due"),
    [
        ("0 6 * * *", None, "2026-01-10T05:00", True),
        ("0 6 * * *", "2026-01-10T06:00:05", "2026-01-10T09:00", False),
        ("0 6 * * *", "2026-01-09T06:00:05", "2026-01-10T06:30", True),
        ("0 6 * * *", "2026-01-09T06:00:05", "2026-01-10T05:59", False),
        ("0 6 15 1 *", "2025-01-15T06:01", "2026-01-15T06:00", True),
        ("0 6 15 1 *", "2026-01-15T06:01", "2026-06-01T00:00", False),
        (None, None, "2026-01-10T05:00", False),
    ],
)
def test_is_due(schedule: str | None, last: str | None, now: str, due: bool) -> None:
    assert is_due(schedule, at(last) if last else None, at(now)) is due


def test_last_run_in_utc_compares_with_local_schedule() -> None:
    last = dt.datetime(2026, 1, 10, 5, 0, 5, tzinfo=dt.UTC)  # 06:00:05 in Zurich
    assert not is_due("0 6 * * *", last, at("2026-01-10T09:00"))


def test_next_fire() -> None:
    assert next_fire("30 2 * * 1", at("2026-11-29T12:00")) == at("2026-11-30T02:30")


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("0 6 * * 1", "mon"),
        ("0 6 * * 0", "sun"),
        ("0 6 * * 7", "sun"),
        ("0 6 * * 1-5", "mon-fri"),
        ("0 6 * * 0,6", "sun,sat"),
        ("0 6 * * *", "*"),
        ("0 6 * * tue", "tue"),
    ],
)
def test_apscheduler_gets_cron_day_numbers(schedule: str, expected: str) -> None:
    from apscheduler.triggers.cron import CronTrigger

    from ogd.pipeline.schedule import trigger_fields

    fields = trigger_fields(schedule)
    assert fields["day_of_week"] == expected
    trigger = CronTrigger(**fields, timezone=ZURICH)
    fire = trigger.get_next_fire_time(None, at("2026-11-29T12:00"))  # a Sunday
    assert fire is not None
    assert fire == next_fire(schedule, at("2026-11-29T12:00"))
