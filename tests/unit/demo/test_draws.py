"""Tests for the helpers the demo generators share (`ogd.demo.draws`)."""

import datetime
import random

import pytest

from ogd.demo.draws import (
    apportion,
    days_between,
    easter_sunday,
    is_working_day,
    lucerne_holidays,
    noisy,
    swiss_date,
)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [1, 1], [5, 5]),
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [0, 3, 4], [0, 3, 4]),
        (0, [2, 5], [0, 0]),
        (100, [0.333, 0.333, 0.334], [33, 33, 34]),
    ],
)
def test_apportion_adds_up_exactly(total: int, weights: list[float], expected: list[int]) -> None:
    assert apportion(total, weights) == expected
    assert sum(apportion(total, weights)) == total


def test_apportion_large_random() -> None:
    rng = random.Random(3)
    weights = [rng.random() for _ in range(5000)]
    parts = apportion(1_234_567, weights)
    assert sum(parts) == 1_234_567
    assert all(part >= 0 for part in parts)


def test_noisy_keeps_weights_positive() -> None:
    weights = noisy(random.Random(1), [1.0] * 1000, 2.0)
    assert min(weights) >= 0.05


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2016, (3, 27)), (2019, (4, 21)), (2024, (3, 31)), (2025, (4, 20)), (2026, (4, 5))],
)
def test_easter_sunday(year: int, easter: tuple[int, int]) -> None:
    assert easter_sunday(year) == datetime.date(year, *easter)


def test_lucerne_holidays_2025() -> None:
    holidays = lucerne_holidays(2025)
    expected = {
        (1, 1), (1, 2), (4, 18), (4, 21), (5, 29), (6, 9), (6, 19),
        (8, 1), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26),
    }  # fmt: skip
    assert holidays == {datetime.date(2025, m, d) for m, d in expected}


def test_working_days() -> None:
    assert is_working_day(datetime.date(2025, 12, 30))
    assert not is_working_day(datetime.date(2025, 12, 25))  # Christmas, a Thursday
    assert not is_working_day(datetime.date(2025, 12, 27))  # Saturday


def test_swiss_date_and_days_between() -> None:
    assert swiss_date(datetime.date(2025, 3, 7)) == "07.03.2025"
    days = list(days_between(datetime.date(2024, 2, 27), datetime.date(2024, 3, 1)))
    assert [d.day for d in days] == [27, 28, 29, 1]
