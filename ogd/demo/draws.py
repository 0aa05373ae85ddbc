"""Small helpers the demo generators share: exact apportioning, dates, weighted days.

The generators build their facts in exactly: a total that `ogd.demo.facts` states is
split over rows with `apportion`, so random noise changes the rows but never the sum.
"""

import datetime
import random
from collections.abc import Iterator, Sequence


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split a whole number into parts proportional to weights (largest remainder).

    Args:
        total: the whole number to split, >= 0.
        weights: one non-negative weight per part, not all zero.

    Returns:
        One whole number per weight; they add up to `total` exactly. Ties of the
        remainder go to the earlier part, so the result depends on the weights only.
    """
    scale = sum(weights)
    shares = [total * weight / scale for weight in weights]
    parts = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def noisy(rng: random.Random, weights: Sequence[float], spread: float) -> list[float]:
    """Multiply each weight by a random factor around 1 (Gaussian, clipped at 0.05).

    Args:
        rng: the generator to draw from.
        weights: the weights to perturb.
        spread: the standard deviation of the factor.

    Returns:
        The perturbed weights, never below 5 % of the original.
    """
    return [w * max(0.05, rng.gauss(1.0, spread)) for w in weights]


def swiss_date(day: datetime.date) -> str:
    """Format a date as the Swiss `dd.mm.yyyy`."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def days_between(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """Every day from `first` to `last`, both included."""
    for offset in range((last - first).days + 1):
        yield first + datetime.timedelta(days=offset)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def lucerne_holidays(year: int) -> frozenset[datetime.date]:
    """Public holidays in the canton of Lucerne on which the city administration rests."""
    easter = easter_sunday(year)
    movable = (-2, 1, 39, 50, 60)  # Karfreitag, Ostermontag, Auffahrt, Pfingstmontag, Fronleichnam
    fixed = ((1, 1), (1, 2), (8, 1), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26))
    days = {easter + datetime.timedelta(days=n) for n in movable}
    days.update(datetime.date(year, month, day) for month, day in fixed)
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Lucerne public holiday."""
    return day.weekday() < 5 and day not in lucerne_holidays(day.year)
