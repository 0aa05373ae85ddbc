"""A frictionless-py plugin that reads Parquet and JSON as published, so packages validate.

frictionless-py 5 reads Parquet through pandas: an integer column with nulls becomes a
float column whose nulls are NaN, and its pandas reader only recognises the `np.nan`
object itself as missing, so every null integer is reported as a `type-error` ("nan").
It also never reads the file through its byte loader, so a resource that declares
`bytes` or `hash` always fails with `byte-count` ("actual is None").

frictionless counts bytes and hashes only when a parser reads with `read1`; its JSON
parser reads with `read` (through ijson), so a JSON resource with `bytes` fails the same
way. Our JSON parser is frictionless's own, fed through a reader that calls `read1`.

The Parquet parser reads the file through frictionless's loader (so `bytes` and `hash` are
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
from frictionless import FrictionlessException, Plugin, Resource, errors
from frictionless.formats.inline import InlineControl
from frictionless.formats.json import JsonControl
from frictionless.formats.json.parsers.json import JsonParser
from frictionless.platform import platform
from frictionless.resources import TableResource
from frictionless.system.parser import Parser

PARQUET = ("parquet", "parq")
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


class CountingReader:
    """A file for ijson whose reads pass frictionless's byte and hash counters (read1)."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (all that is left for a negative size)."""
        if size >= 0:
            return self.stream.read1(size)
        return b"".join(iter(lambda: self.stream.read1(CHUNK), b""))

    def drain(self) -> None:
        """Read to the end, so the counters see every byte and store the hashes."""
        while self.stream.read1(CHUNK):
            pass


class CountedJsonParser(JsonParser):
    """frictionless's JSON table parser, with the bytes it reads counted and hashed."""

    def read_cell_stream_create(self) -> Iterator[list[Any]]:
        """As frictionless's own, reading through `CountingReader`."""
        control = JsonControl.from_dialect(self.resource.dialect)
        path = "item" if control.property is None else f"{control.property}.item"
        reader = CountingReader(cast(io.BufferedIOBase, self.loader.byte_stream))
        source = platform.ijson.items(reader, path)
        inline = InlineControl(keys=control.keys)
        with TableResource(data=source, format="inline", control=inline) as resource:
            try:
                yield next(resource.cell_stream)
            except StopIteration:
                note = f'cannot extract JSON tabular data from "{self.resource.normpath}"'
                raise FrictionlessException(errors.SourceError(note=note)) from None
            if InlineControl.from_dialect(resource.dialect).keyed:
                control.keyed = True
            yield from resource.cell_stream
        reader.drain()


class OgdPlugin(Plugin):
    """Registers the Parquet and JSON readers ahead of frictionless's own."""

    def create_parser(self, resource: Resource) -> Parser | None:
        """Our parser for Parquet and JSON tables, none for other formats."""
        if resource.format in PARQUET:
            return ParquetParser(resource)
        if resource.format == "json" and resource.type == "table":
            return CountedJsonParser(resource)
        return None
