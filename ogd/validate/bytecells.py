"""The bytes of Arrow string cells as numpy rows, for parsers of fixed-width text.

`byte_rows(text, width)` gathers byte k of every cell into row k, straight from the
Arrow buffers; with the cells' lengths, a reader checks and converts a column of dates,
codes or numbers with a handful of vector operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ogd.validate.hashing import string_parts

Matrix = np.ndarray[Any, Any]


@dataclass(frozen=True)
class ByteRows:
    """Bytes of string cells by position.

    Attributes:
        rows: (width, cells) uint8; row k holds byte k of each cell (past a cell's
            end: whatever follows it; readers look at `lengths`).
        lengths: (cells,) int64 byte length of each cell (0 for null).
        present: (cells,) bool, False for null cells.
    """

    rows: Matrix
    lengths: Matrix
    present: Matrix


def byte_rows(text: pa.Array, width: int) -> ByteRows:
    """Gather the first `width` bytes of each cell of a string array."""
    count = len(text)
    starts, lengths, data = string_parts(text)
    if count and len(data) == count * width and (lengths == width).all():  # a fixed width
        rows = np.ascontiguousarray(data.reshape(count, width).T)
    else:
        data = np.concatenate([data, np.zeros(width, np.uint8)])
        rows = np.empty((width, count), np.uint8)
        for position in range(width):
            rows[position] = data[starts + position]
    if text.null_count == 0:
        present = np.ones(count, bool)
    else:
        present = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), bool)
    return ByteRows(rows, np.where(present, lengths, 0), present)
