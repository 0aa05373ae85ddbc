"""Rule generalisers: numeric bands with top/bottom coding, date truncation, string masking.

Each function maps an Arrow array of original values to an Arrow string array of labels,
one label per value (nulls stay null). `hierarchy.rule_hierarchy` stacks them into levels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ogd.errors import PrivacyError

Floats = npt.NDArray[np.float64]

DATE_UNITS = ("day", "month", "quarter", "year")
_DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def as_text(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The values as text, the way hierarchies store them (`39`, `2024-03-05`, `6003`)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if pa.types.is_string(values.type):
        return values
    return pc.cast(values, pa.string())


def numbers(values: pa.Array | pa.ChunkedArray, column: str = "") -> Floats:
    """The values as float64 (numbers, or text holding numbers); nulls become NaN.

    Raises:
        PrivacyError: a value is not a number.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    try:
        cast = pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise PrivacyError(
            f"column `{column}` holds values that are not numbers ({exc})",
            where=f"column `{column}`",
            hint="numeric bands need a numeric column; use `truncate` or a hierarchy file",
        ) from exc
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64)


def format_number(x: float) -> str:
    """`20` for whole numbers, `2.5` otherwise."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def top_bottom(
    values: pa.Array | pa.ChunkedArray,
    bottom: float | None = None,
    top: float | None = None,
    column: str = "",
) -> pa.Array:
    """Top/bottom coding: `<18` below `bottom`, `90+` from `top` on, other values as text."""
    x = numbers(values, column)
    text = np.asarray(as_text(values).to_numpy(zero_copy_only=False), dtype=object)
    if bottom is not None:
        text = np.where(x < bottom, f"<{format_number(bottom)}", text)
    if top is not None:
        text = np.where(x >= top, f"{format_number(top)}+", text)
    return pa.array(text, type=pa.string(), mask=np.isnan(x))


def band_names(edges: Sequence[float], whole: bool) -> list[str]:
    """Labels of the bands that `edges` cut: below the first edge, between edges, from the last.

    With whole numbers a band [20, 25) reads `20-24`; otherwise `20-<25`.
    """
    names = [f"<{format_number(edges[0])}"]
    for low, high in zip(edges, edges[1:], strict=False):
        if whole:
            names.append(f"{format_number(low)}-{format_number(high - 1)}")
        else:
            names.append(f"{format_number(low)}-<{format_number(high)}")
    names.append(f"{format_number(edges[-1])}+")
    return names


def bands(values: pa.Array | pa.ChunkedArray, edges: Sequence[float], column: str = "") -> pa.Array:
    """Label each number with its band (top and bottom coded at the last and first edge).

    Raises:
        PrivacyError: edges are empty or not strictly increasing, or a value is not a number.
    """
    check_edges(edges, column)
    x = numbers(values, column)
    finite = x[~np.isnan(x)]
    whole = all(float(e).is_integer() for e in edges) and bool(np.all(finite == np.round(finite)))
    names = pa.array(band_names(edges, whole), type=pa.string())
    index = np.searchsorted(np.asarray(edges, dtype=np.float64), x, side="right")
    return names.take(pa.array(index, mask=np.isnan(x)))


def check_edges(edges: Sequence[float], column: str = "") -> None:
    """Band edges are a non-empty, strictly increasing list of finite numbers.

    Raises:
        PrivacyError: they are not.
    """
    ok = (
        len(edges) > 0
        and all(isinstance(e, int | float) and not isinstance(e, bool) for e in edges)
        and all(math.isfinite(e) for e in edges)
        and all(a < b for a, b in zip(edges, edges[1:], strict=False))
    )
    if not ok:
        raise PrivacyError(
            f"band edges {list(edges)} of `{column}` are not increasing numbers",
            where=f"quasi-identifier `{column}`",
            hint="write each level as an increasing list, e.g. [0, 5, 10, 15]",
        )


def _timestamps(values: pa.Array | pa.ChunkedArray, column: str) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_timestamp(values.type):
        return values
    if pa.types.is_date(values.type):
        return pc.cast(values, pa.timestamp("s"))
    try:
        text = as_text(values)
        try:
            return pc.cast(pc.cast(text, pa.date32()), pa.timestamp("s"))
        except pa.ArrowInvalid:
            return pc.cast(text, pa.timestamp("s"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise PrivacyError(
            f"column `{column}` holds values that are not dates ({exc})",
            where=f"column `{column}`",
            hint="date generalisation needs ISO dates (2024-03-15)",
        ) from exc


def dates(values: pa.Array | pa.ChunkedArray, unit: str, column: str = "") -> pa.Array:
    """Truncate dates to `day` (2024-03-15), `month` (2024-03), `quarter` (2024-Q1) or `year`.

    Raises:
        PrivacyError: an unknown unit, or a value that is not a date.
    """
    if unit not in DATE_UNITS:
        raise PrivacyError(
            f"unknown date level `{unit}` for `{column}`",
            where=f"quasi-identifier `{column}`",
            hint=f"date levels: {', '.join(DATE_UNITS)}",
        )
    stamps = _timestamps(values, column)
    if unit == "quarter":
        year = pc.strftime(stamps, format="%Y")
        return pc.binary_join_element_wise(year, pc.cast(pc.quarter(stamps), pa.string()), "-Q")
    return pc.strftime(stamps, format=_DATE_FORMATS[unit])


def mask_right(values: pa.Array | pa.ChunkedArray, masked: int) -> pa.Array:
    """Replace the last `masked` characters by `*` (`6003` -> `60**` for 2); short values: all."""
    text = as_text(values)
    length = pc.utf8_length(text)
    stars = pc.binary_repeat(pa.scalar("*"), pc.min_element_wise(length, masked))
    kept = pc.utf8_slice_codeunits(text, 0, -masked) if masked > 0 else text
    return pc.binary_join_element_wise(kept, stars, "")
