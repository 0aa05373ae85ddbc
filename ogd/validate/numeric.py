"""Vectorised readers for the plain spellings of integers and decimal numbers.

A column Arrow casts whole is taken as cast (Arrow and Python agree on those
spellings, apart from the exponent limits handled below). Otherwise `-?[0-9]+` (at most
18 digits) is read digit by digit from the cells' bytes with numpy, and
`-?([0-9]+.?[0-9]*|.[0-9]+)` (at most 15 characters, so at most 15 significant digits,
which float64 keeps apart) is checked with Arrow's string kernels and cast. Any other
spelling (" 7 ", "1_000", "1,5") is left null for frictionless's reader.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate.bytecells import byte_rows

Reader = Callable[[pa.Array], pa.Array]

INTEGER_DIGITS = 18
DECIMAL_CHARS = 15
RETRY = 8  # batches read without the whole-column cast after it failed
_MINUS, _ZERO = ord("-"), ord("0")


class CastFirst:
    """Whether to try casting a whole column first: not for a while after it failed.

    A column with an unreadable cell in one batch often has one in the next; the
    failed cast would only cost time. Either way the values are the same.
    """

    def __init__(self) -> None:
        """Start by trying."""
        self._skip = 0

    def worth(self) -> bool:
        """Whether to try the cast for this batch."""
        if self._skip:
            self._skip -= 1
            return False
        return True

    def failed(self) -> None:
        """The cast failed: skip it for the next `RETRY` batches."""
        self._skip = RETRY


def read_integers(text: pa.Array, first: CastFirst | None = None) -> pa.Array:
    """int64 values of cells spelled `-?[0-9]{1,18}` (null elsewhere)."""
    if first is None or first.worth():
        try:  # a clean column: Arrow takes exactly these spellings (and up to 19 digits)
            return text.cast(pa.int64())
        except pa.ArrowInvalid:
            if first is not None:
                first.failed()
    found = byte_rows(text, _width(text, INTEGER_DIGITS + 1))
    negative = found.rows[0] == _MINUS if len(found.rows) else np.zeros(len(text), bool)
    start = negative.astype(np.int64)
    ok = found.present & (found.lengths > start) & (found.lengths - start <= INTEGER_DIGITS)
    value = np.zeros(len(ok), np.int64)
    for position, row in enumerate(found.rows):
        inside = (position >= start) & (position < found.lengths)
        digit = row - np.uint8(_ZERO)  # below '0' wraps past 9
        ok &= ~inside | (digit <= 9)
        value = np.where(inside, value * 10 + digit, value)
    return pa.array(np.where(negative, -value, value), pa.int64(), mask=~ok)


def read_decimals(text: pa.Array, first: CastFirst | None = None) -> pa.Array:
    """float64 values of cells spelled `-?(d+.?d*|.d+)`, at most 15 characters.

    A clean column is cast at once: Arrow reads "+5", "1e3", "nan" too, to the value
    Python's `float(Decimal(cell))` gives, except where the exponent over- or
    underflows, which is left to frictionless. Otherwise the spelling is checked with
    Arrow's string kernels and the plain cells are cast (Arrow rounds correctly).
    """
    if first is not None and not first.worth():
        return _plain_decimals(text)
    try:
        values = text.cast(pa.float64())
    except pa.ArrowInvalid:
        if first is not None:
            first.failed()
        return _plain_decimals(text)
    long = pc.greater(pc.binary_length(text), DECIMAL_CHARS)
    extreme = pc.or_(pc.is_inf(values), pc.equal(values, 0.0))
    if extreme.true_count:  # 1e400 is no inf for Decimal, nor 1e-400 a zero
        scaled = pc.match_substring(pc.utf8_lower(text), "e")
        long = pc.or_(long, pc.and_(extreme, scaled))
    return pc.if_else(pc.fill_null(long, False), pa.scalar(None, pa.float64()), values)


def _plain_decimals(text: pa.Array) -> pa.Array:
    unsigned = pc.if_else(pc.starts_with(text, "-"), pc.utf8_slice_codeunits(text, 1), text)
    digits = pc.replace_substring(unsigned, ".", "", max_replacements=1)
    plain = pc.and_(pc.ascii_is_decimal(digits), pc.greater(pc.binary_length(digits), 0))
    short = pc.less_equal(pc.binary_length(text), DECIMAL_CHARS)
    ok = pc.fill_null(pc.and_(plain, short), False)
    return pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.float64())


def _width(text: pa.Array, most: int) -> int:
    """The bytes to look at: the longest cell, but no more than `most` + 1."""
    if len(text) == 0:
        return 0
    offsets = np.frombuffer(text.buffers()[1], np.int32, len(text) + 1, text.offset * 4)
    return int(min(np.max(np.diff(offsets)), most + 1))
