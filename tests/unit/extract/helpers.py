"""Helpers of the reader tests: a request on a temporary sources folder, all rows read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from ogd.extract import Extract, SourceRequest

ROOT = Path(__file__).resolve().parents[3]
EXTRACT_DATA = ROOT / "tests" / "data" / "extract"
REAL_DATA = ROOT / "tests" / "data" / "real"


def make_request(folder: Path, batch_rows: int = 65_536, **options: Any) -> SourceRequest:
    """A request for the sources in folder, named `pipelines/t.yaml source` in errors."""
    return SourceRequest(options, folder, "pipelines/t.yaml source", batch_rows)


def table(extract: Extract) -> pa.Table:
    """Every batch of an extract as one table (the labels as column names)."""
    batches = list(extract.batches)
    for batch in batches:
        assert batch.schema.names == extract.labels
    if not batches:
        return pa.table({name: pa.array([], pa.null()) for name in extract.labels})
    return pa.Table.from_batches(batches)


def rows(extract: Extract) -> list[dict[str, Any]]:
    """Every row of an extract as dicts."""
    found: list[dict[str, Any]] = table(extract).to_pylist()
    return found
