"""Small-cell suppression of aggregate tables."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc


def suppress_small_cells(
    table: pa.Table, columns: Sequence[str], threshold: int
) -> tuple[pa.Table, int]:
    """Blank every count in `columns` that is below `threshold` (and above zero).

    Returns:
        The table with small cells set to null, and the number of cells suppressed.
    """
    suppressed = 0
    for name in columns:
        if name not in table.column_names:
            continue
        values = table[name]
        small = pc.and_(pc.greater(values, 0), pc.less(values, threshold))
        small = pc.fill_null(small, False)
        suppressed += int(pc.sum(small).as_py() or 0)
        index = table.column_names.index(name)
        table = table.set_column(
            index, name, pc.if_else(small, pa.scalar(None, values.type), values)
        )
    return table, suppressed
