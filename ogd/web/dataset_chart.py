"""The dataset page's chart: rows → sums per x value → the geometry of a bar or line SVG.

Pure: `aggregate` sums y per x value, `layout` places bars or line points, axis ticks
and labels in a fixed view box. The template `portal/_dataset_chart_svg.html` draws it
(with `<title>`, `<desc>` and `role="img"`), and the page shows the same points as a
table, so the chart is never the only way to read the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

POINTS_MAX = 60
WIDTH = 720
HEIGHT = 360
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 88
LABELS_MAX = 20


@dataclass(frozen=True)
class Point:
    """One x value and the sum of y over its rows."""

    label: str
    value: float


@dataclass(frozen=True)
class Mark:
    """A bar (x, y, width, height) or a line vertex (x, y) with its label and value."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    show_label: bool


@dataclass(frozen=True)
class Tick:
    """A y-axis grid line at `y` with its label."""

    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template needs."""

    kind: str
    x: str
    y: str
    points: list[Point]
    marks: list[Mark]
    ticks: list[Tick]
    baseline: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM
    truncated: bool = False

    @property
    def path(self) -> str:
        """The `points` attribute of the line's polyline."""
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.marks)

    @property
    def lowest(self) -> str:
        """The smallest sum, formatted."""
        return number(min(p.value for p in self.points)) if self.points else ""

    @property
    def highest(self) -> str:
        """The largest sum, formatted."""
        return number(max(p.value for p in self.points)) if self.points else ""


def number(value: float) -> str:
    """A number the Swiss way: `12'345` or `1'234.5` (at most two decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "'")
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "'")


def _label(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def aggregate(rows: Iterable[Sequence[Any]]) -> tuple[list[Point], bool]:
    """Sum y per x value (rows come sorted by x; empty y values are skipped).

    Returns the first `POINTS_MAX` points and whether there were more."""
    sums: dict[str, float] = {}
    for x, y in rows:
        label = _label(x)
        if label not in sums and len(sums) == POINTS_MAX:
            return [Point(k, v) for k, v in sums.items()], True
        sums[label] = sums.get(label, 0.0) + (float(y) if y is not None else 0.0)
    return [Point(k, v) for k, v in sums.items()], False


def _step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _ticks(low: float, high: float) -> list[float]:
    step = _step(high - low)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    count = round((stop - start) / step)
    return [start + i * step for i in range(count + 1)] if count else [start, start + step]


def layout(points: Sequence[Point], kind: str, x: str, y: str, truncated: bool) -> Chart:
    """Place the marks, ticks and labels of a bar or line chart of the points."""
    values = [p.value for p in points] or [0.0]
    ticks = _ticks(min(0.0, *values), max(0.0, *values))
    low, high = ticks[0], ticks[-1]
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT

    def at(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    slot = plot_w / max(1, len(points))
    every = max(1, math.ceil(len(points) / LABELS_MAX))
    zero = at(0.0)
    marks = []
    for i, p in enumerate(points):
        top = at(p.value)
        if kind == "bar":
            box = (LEFT + i * slot + slot * 0.15, min(top, zero), slot * 0.7, abs(zero - top))
        else:
            box = (LEFT + i * slot + slot / 2, top, 0.0, 0.0)
        marks.append(Mark(*box, label=p.label, value=number(p.value), show_label=i % every == 0))
    return Chart(
        kind=kind,
        x=x,
        y=y,
        points=list(points),
        marks=marks,
        ticks=[Tick(at(t), number(t)) for t in ticks],
        baseline=zero,
        truncated=truncated,
    )
