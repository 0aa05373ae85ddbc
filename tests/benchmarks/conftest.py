"""The one benchmark table: every benchmark records its figures here; at the end of
`make bench` they are printed as one table (work, ours, anchor measured in the same run,
ratio, what is required, pass/fail) and written to `bench-results.json` (git-ignored)."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import pytest

from tests.conftest import ROOT

RESULTS_FILE = ROOT / "bench-results.json"


@dataclass(frozen=True)
class Figure:
    """One line of the table."""

    work: str
    ours: str
    anchor: str
    ratio: str
    required: str
    passed: bool


class Bench:
    """What the benchmarks of one `make bench` measured."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.started = time.time()

    def record(
        self,
        work: str,
        ours: str,
        *,
        anchor: str = "",
        ratio: float | None = None,
        required: str,
        passed: bool,
    ) -> None:
        """Add a line (before the benchmark asserts, so a failing figure is shown too)."""
        shown = "" if ratio is None else (f"{ratio:,.1f}x" if ratio >= 1 else f"{ratio:.2f}x")
        self.figures.append(Figure(work, ours, anchor, shown, required, passed))


_BENCH = Bench()


@pytest.fixture(scope="session")
def bench() -> Iterator[Bench]:
    """The session's figure collector."""
    yield _BENCH


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the one table and write bench-results.json."""
    figures = _BENCH.figures
    if not figures:
        return
    header = ("work", "ours", "anchor (same run)", "ratio", "required", "result")
    rows = [header] + [
        (f.work, f.ours, f.anchor, f.ratio, f.required, "pass" if f.passed else "FAIL")
        for f in figures
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    write = terminalreporter.write_line
    write("")
    write(f"The benchmark table ({len(figures)} figures, {time.time() - _BENCH.started:,.0f} s)")
    for number, row in enumerate(rows):
        write("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if number == 0:
            write("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    RESULTS_FILE.write_text(
        json.dumps(
            {
                "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "seconds": round(time.time() - _BENCH.started),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "figures": [asdict(f) for f in figures],
                "passed": all(f.passed for f in figures),
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    write(f"written to {RESULTS_FILE.name}")
