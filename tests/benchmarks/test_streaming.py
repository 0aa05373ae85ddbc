"""Benchmark: 10 million rows through a non-aggregating pipeline; rows/s and peak RSS."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.conftest import Bench
from tests.streaming_harness import run_streaming

pytestmark = pytest.mark.benchmark
LIMIT = int(1.5 * 1024**3)


def test_ten_million_rows(tmp_path: Path, bench: Bench) -> None:
    run = run_streaming(tmp_path, 10_000_000)
    assert run.returncode == 0, run.output
    print("\n| rows | seconds | rows/s | peak RSS (MB) | limit (MB) |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {run.rows:,} | {run.seconds:.1f} | {run.rows / run.seconds:,.0f} | "
        f"{run.peak_rss / 2**20:,.0f} | {LIMIT / 2**20:,.0f} |"
    )
    bench.record(
        "pipeline, 10M rows streamed",
        f"{run.seconds:.1f} s, {run.rows / run.seconds:,.0f} rows/s, "
        f"{run.peak_rss / 2**20:,.0f} MB",
        required=f"< {LIMIT // 2**20:,} MB",
        passed=run.peak_rss < LIMIT,
    )
    assert run.peak_rss < LIMIT
