"""A frictionless-py plugin that reads Parquet as it is written, so published packages validate.

frictionless-py 5 reads Parquet through pandas: an integer column with nulls becomes a
float column whose nulls are NaN, and its pandas reader only recognises the `np.nan`
object itself as missing, so every null integer is reported as a `type-error` ("nan").
It also never reads the file through its byte loader, so a resource that declares
`bytes` or `hash` always fails with `byte-count` ("actual is None").

This parser reads the file through frictionless's loader (so `bytes` and `hash` are
counted as for any other format) and its rows with pyarrow's own conversion to Python
objects: nulls are `None`, integers `int`, dates `date`, timestamps `datetime`.

frictionless finds plugins by module name: the top-level module `frictionless_ogd`
(installed with this package) exposes `OgdPlugin`, so `frictionless validate
datapackage.json` uses this reader wherever `ogd` is installed.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import Any, cast

import pyarrow.parquet as pq
from frictionless import Plugin, Resource
from frictionless.system.parser import Parser

FORMATS = ("parquet", "parq")
CHUNK = 1 << 20
BATCH_ROWS = 10_000


class ParquetParser(Parser):
    """Rows of a Parquet file, nulls as None, read through frictionless's loader."""

    requires_loader = True
    supported_types = [
        "any", "array", "boolean", "date", "datetime", "duration", "integer", "number",
        "object", "string", "time", "year",
    ]  # fmt: skip

    def read_cell_stream_create(self) -> Iterator[list[Any]]:
        """The header, then each row; the bytes pass the loader's counters on the way."""
        with tempfile.TemporaryFile() as copy:
            # read1, not read: frictionless counts bytes and hashes in read1 only
            stream = cast(io.BufferedIOBase, self.loader.byte_stream)
            while chunk := stream.read1(CHUNK):
                copy.write(chunk)
            copy.seek(0)
            parquet = pq.ParquetFile(copy)
            yield list(parquet.schema_arrow.names)
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                columns = [column.to_pylist() for column in batch.columns]
                yield from (list(row) for row in zip(*columns, strict=True))


class OgdPlugin(Plugin):
    """Registers the Parquet reader ahead of frictionless's own."""

    def create_parser(self, resource: Resource) -> Parser | None:
        """Our parser for Parquet resources, none for other formats."""
        if resource.format in FORMATS:
            return ParquetParser(resource)
        return None
