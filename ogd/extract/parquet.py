"""Parquet reader: streams row groups as record batches, types as the file stores them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from ogd.errors import SourceInvalid
from ogd.extract.checksum import file_sha256
from ogd.extract.records import Options

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest


def _batches(
    handle: pq.ParquetFile, columns: list[str] | None, size: int, where: str
) -> Iterator[pa.RecordBatch]:
    try:
        yield from handle.iter_batches(batch_size=size, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        raise SourceInvalid(f"cannot read the file: {type(exc).__name__}", where=where) from None
    finally:
        handle.close()


def read_parquet(request: SourceRequest) -> Extract:
    """Read a Parquet file as lazy batches of at most `batch_rows` rows.

    Args:
        request: options `path` and optionally `columns` (a list; default all).

    Returns:
        The extract, with the column types of the file.

    Raises:
        SourceInvalid: not a Parquet file, or `columns` names a column it does not have.
    """
    from ogd.extract import Extract, source_file

    path, options = source_file(request), Options.of(request)
    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise SourceInvalid(
            f"not a Parquet file ({type(exc).__name__})",
            where=path.name,
            hint="write the extract as Parquet, or use the source kind that fits it",
        ) from None
    available = handle.schema_arrow.names
    columns = options.names("columns")
    unknown = [c for c in columns or [] if c not in available]
    if unknown:
        handle.close()
        raise options.error(
            "columns",
            f"no column(s) {', '.join(unknown)} in {path.name}",
            f"columns: {', '.join(available)}",
        )
    return Extract(
        labels=list(columns if columns is not None else available),
        batches=_batches(handle, columns, request.batch_rows, path.name),
        first_row_number=2,
        name=path.name,
        fingerprint=file_sha256(path),
    )
