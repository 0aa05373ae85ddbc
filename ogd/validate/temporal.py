"""Vectorised readers for date, datetime and time cells in fixed-width spellings.

A format made only of `%Y %y %m %d %H %M %S` and literal characters has one width, so
the bytes of every cell are gathered into a matrix straight from the Arrow buffers
(numpy), digits and separators are checked column by column, and the value is computed
with integer arithmetic; the day is checked against the month. These readers only
accept cells `datetime.strptime` (or dateutil's `isoparse`) reads to the same value;
every other cell is left null for frictionless's own reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from ogd.validate.bytecells import byte_rows

Reader = Callable[[pa.Array], pa.Array]
Matrix = np.ndarray[Any, Any]

# Directive -> (digits, lowest, highest)
_DIGITS = {
    "Y": (4, 0, 9999),
    "y": (2, 0, 99),
    "m": (2, 1, 12),
    "d": (2, 1, 31),
    "H": (2, 0, 23),
    "M": (2, 0, 59),
    "S": (2, 0, 59),
}
_ISO_DATETIME = "%Y-%m-%dT%H:%M:%S"
_ISO_TIME = "%H:%M:%S"
_FRACTION = 6
_DAY_MICROS = 86_400_000_000
_DOT, _ZERO = ord("."), ord("0")


@dataclass(frozen=True)
class Layout:
    """A fixed-width strptime format: literal bytes and where each directive's digits are."""

    literals: dict[int, int]  # byte position -> byte
    offsets: dict[str, int]  # directive -> byte position of its first digit
    width: int  # bytes


def layout(fmt: str) -> Layout | None:
    """Compile a strptime format into a fixed-width layout (None when it has no such form).

    strptime also reads a blank as any run of blanks and letters in any case; taking
    each character as written accepts a subset of what it accepts.
    """
    literals: dict[int, int] = {}
    offsets: dict[str, int] = {}
    width = index = 0
    while index < len(fmt):
        if fmt[index] != "%":
            text = fmt[index].encode()
            index += 1
        elif fmt[index + 1 : index + 2] == "%":
            text = b"%"
            index += 2
        else:
            code = fmt[index + 1 : index + 2]
            if code not in _DIGITS or code in offsets:
                return None
            offsets[code] = width
            width += _DIGITS[code][0]
            index += 2
            continue
        for byte in text:
            literals[width] = byte
            width += 1
    if "Y" in offsets and "y" in offsets:
        return None
    return Layout(literals, offsets, width)


def date_reader(fmt: str) -> Reader | None:
    """Reader of date cells written in `fmt` (None when `fmt` is not fixed-width)."""
    shape = layout(fmt)
    if shape is None:
        return None

    calendar = Calendar.build()

    def read(text: pa.Array) -> pa.Array:
        cells = _Cells.of(text, shape.width, fraction=False)
        days, ok = _days(cells, shape, calendar)
        return pa.array(days.astype(np.int32), pa.date32(), mask=~ok)

    return read


def datetime_reader(fmt: str, *, iso: bool = False) -> Reader | None:
    """Reader of datetime cells in `fmt`; `iso`: 'T' or ' ' between, a fraction allowed."""
    shape = layout(_ISO_DATETIME if iso else fmt)
    if shape is None:
        return None
    if iso:  # isoparse takes any separator; 'T' and ' ' are checked here
        literals = {at: byte for at, byte in shape.literals.items() if at != 10}
        shape = Layout(literals, shape.offsets, shape.width)
    calendar = Calendar.build()

    def read(text: pa.Array) -> pa.Array:
        cells = _Cells.of(text, shape.width, fraction=iso)
        ok = cells.ok
        if iso:
            separator = cells.bytes[10]
            ok = ok & ((separator == ord("T")) | (separator == ord(" ")))
        days, valid = _days(cells, shape, calendar)
        micros = days * _DAY_MICROS + _micros(cells, shape)
        return pa.array(micros, pa.timestamp("us"), mask=~(ok & valid))

    return read


def time_reader(fmt: str, *, iso: bool = False) -> Reader | None:
    """Reader of time cells in `fmt`; `iso` allows a fraction of a second (isoparse)."""
    shape = layout(_ISO_TIME if iso else fmt)
    if shape is None:
        return None
    calendar = Calendar.build()

    def read(text: pa.Array) -> pa.Array:
        cells = _Cells.of(text, shape.width, fraction=iso)
        ok = cells.ok & _matches(cells, shape)
        if any(code in shape.offsets for code in "Yymd"):  # strptime refuses 31.02. too
            ok &= _days(cells, shape, calendar)[1]
        return pa.array(_micros(cells, shape), pa.time64("us"), mask=~ok)

    return read


@dataclass(frozen=True)
class _Cells:
    """Byte k of each cell as row k (uint8), and which cells have the layout's width."""

    bytes: Matrix  # (width + fraction, cells) uint8
    ok: Matrix  # bool: present and of the right length
    fraction: Matrix | None  # (cells,) int64 microseconds of a ".ffffff" part

    @classmethod
    def of(cls, text: pa.Array, width: int, *, fraction: bool) -> _Cells:
        found = byte_rows(text, width + (_FRACTION + 1 if fraction else 0))
        ok = found.present & (found.lengths == width)
        if not fraction:
            return cls(found.rows, ok, None)
        ok, part = _fraction(found.rows, found.lengths, width, found.present)
        return cls(found.rows, ok, part)


def _fraction(
    matrix: Matrix, lengths: Matrix, width: int, present: Matrix
) -> tuple[Matrix, Matrix]:
    """Cells of `width` bytes, or with a '.' and 1 to 6 digits more (isoparse)."""
    digits = lengths - width - 1
    with_fraction = (digits >= 1) & (digits <= _FRACTION) & (matrix[width] == _DOT)
    micros = np.zeros(len(lengths), np.int64)
    for position in range(_FRACTION):
        used = position < digits
        digit = matrix[width + 1 + position] - np.uint8(_ZERO)
        with_fraction &= ~used | (digit <= 9)
        micros += np.where(used, digit, 0).astype(np.int64) * 10 ** (_FRACTION - 1 - position)
    ok = present & ((lengths == width) | with_fraction)
    return ok, np.where(with_fraction, micros, 0)


def _matches(cells: _Cells, shape: Layout) -> Matrix:
    """Separators as written, and every directive's digits in its range."""
    ok = cells.ok.copy()
    for position, byte in shape.literals.items():
        ok &= cells.bytes[position] == byte
    for code in shape.offsets:
        value, digits = _number(cells, shape, code)
        low, high = _DIGITS[code][1:]
        ok &= digits & (value >= low) & (value <= high)
    return ok


def _number(cells: _Cells, shape: Layout, code: str) -> tuple[Matrix, Matrix]:
    start, size = shape.offsets[code], _DIGITS[code][0]
    value = np.zeros(len(cells.ok), np.int64)
    digits = np.ones(len(cells.ok), bool)
    for position in range(start, start + size):
        digit = cells.bytes[position] - np.uint8(_ZERO)  # below '0' wraps past 9
        digits &= digit <= 9
        value = value * 10 + digit
    return value, digits


def _component(cells: _Cells, shape: Layout, code: str, default: int) -> Matrix:
    if code not in shape.offsets:
        return np.full(len(cells.ok), default, np.int64)
    return _number(cells, shape, code)[0]


@dataclass(frozen=True)
class Calendar:
    """Day counts of the years 0-9999 and their months, to look dates up, not divide."""

    year_start: Matrix  # days from 1970-01-01 to 1 January of each year
    leap: Matrix  # 1 for a leap year
    month_start: Matrix  # [leap, month] days from 1 January to the month's first day
    month_length: Matrix  # [leap, month]

    @classmethod
    def build(cls) -> Calendar:
        """Compute the tables (once per reader)."""
        years = np.arange(10_000)
        leap = ((years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0))).astype(np.int64)
        start = np.concatenate([[0], np.cumsum(365 + leap)[:-1]])
        lengths = np.array([[0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]] * 2)
        lengths[1, 2] = 29
        month_start = np.concatenate([np.zeros((2, 1), np.int64), np.cumsum(lengths, 1)[:, :-1]], 1)
        return cls(start - start[1970], leap, month_start, lengths)


def _days(cells: _Cells, shape: Layout, calendar: Calendar) -> tuple[Matrix, Matrix]:
    """Days since 1970-01-01, and which cells match the layout and name a real day."""
    ok = _matches(cells, shape)
    if "y" in shape.offsets:  # strptime: 69-99 is 19xx, 00-68 is 20xx
        short = _component(cells, shape, "y", 0)
        year = short + np.where(short < 69, 2000, 1900)
    else:
        year = _component(cells, shape, "Y", 1900)
    year = np.where(ok, year, 1970)
    month = np.where(ok, _component(cells, shape, "m", 1), 1)
    day = _component(cells, shape, "d", 1)
    leap = calendar.leap[year]
    ok &= (day <= calendar.month_length[leap, month]) & (year >= 1)
    days = calendar.year_start[year] + calendar.month_start[leap, month] + day - 1
    return np.where(ok, days, 0), ok


def _micros(cells: _Cells, shape: Layout) -> Matrix:
    hours = _component(cells, shape, "H", 0)
    minutes, seconds = _component(cells, shape, "M", 0), _component(cells, shape, "S", 0)
    micros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000
    return micros + cells.fraction if cells.fraction is not None else micros
