"""A 2-million-row source streams through a non-aggregating pipeline in under 600 MB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.streaming_harness import run_streaming

pytestmark = pytest.mark.integration
ROWS = 2_000_000
LIMIT = 600 * 1024 * 1024


def test_two_million_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    run = run_streaming(tmp_path, ROWS)
    assert run.returncode == 0, run.output
    assert run.csv_bytes > 100_000_000  # the whole table was written
    assert run.peak_rss < LIMIT, f"peak RSS {run.peak_rss / 2**20:.0f} MB"
