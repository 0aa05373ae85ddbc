"""Value hierarchies for quasi-identifiers (value -> parent -> ... -> `*`).

A hierarchy is read from an ARX-style CSV (`load_hierarchy`) or built from a rule over the
values actually present (`rule_hierarchy`: numeric bands, dates, string truncation). Each
level must be a coarsening of the one below: a label has one parent. `encode_levels`
turns a column into integer codes per level for the lattice search in `kanon`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ogd.anonymise import generalise as gen
from ogd.errors import PrivacyError

Ints = npt.NDArray[np.int64]

RULES = ("bands", "dates", "truncate")
TOP = "*"


@dataclass(frozen=True)
class Hierarchy:
    """Generalisation levels of one quasi-identifier.

    Attributes:
        column: the column the hierarchy belongs to.
        labels: `labels[level]` holds the label of each value at that level, aligned with
            `values`; `labels[0]` is `values` itself.
        values: the original (level-0) values as text.
    """

    column: str
    labels: tuple[tuple[str, ...], ...]
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        where = f"hierarchy of `{self.column}`"
        object.__setattr__(self, "values", tuple(self.values))
        object.__setattr__(self, "labels", tuple(tuple(level) for level in self.labels))
        if not self.labels or tuple(self.labels[0]) != tuple(self.values):
            raise PrivacyError(
                "level 0 of the hierarchy must be the original values",
                where=where,
                hint="labels[0] is values; level i is the i-th generalisation",
            )
        bad = [i for i, level in enumerate(self.labels) if len(level) != len(self.values)]
        if bad:
            raise PrivacyError(
                f"level {bad[0]} has {len(self.labels[bad[0]])} labels for "
                f"{len(self.values)} values",
                where=where,
                hint="give every value a label on every level",
            )
        _check_tree(self)

    @property
    def height(self) -> int:
        """Number of levels above level 0 (level `height` is usually `*`)."""
        return len(self.labels) - 1

    @cached_property
    def _value_set(self) -> pa.Array:
        return pa.array(self.values, type=pa.string())

    def index(self, column: pa.Array | pa.ChunkedArray) -> Ints:
        """Position in `values` of each value of `column`.

        Raises:
            PrivacyError: a value (or a null) is not in the hierarchy; the message names it.
        """
        text = gen.as_text(column)
        found = pc.index_in(text, value_set=self._value_set)
        if found.null_count:
            missing = pc.unique(pc.filter(text, pc.is_null(found))).to_pylist()
            shown = ", ".join("null" if v is None else f"`{v}`" for v in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise PrivacyError(
                f"value(s) {shown}{more} of column `{self.column}` not in its hierarchy",
                where=f"hierarchy of `{self.column}`",
                hint="add the values to the hierarchy, or fill/map them before anonymising",
            )
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)

    def generalise(self, column: pa.Array | pa.ChunkedArray, level: int) -> pa.Array:
        """The labels of `column`'s values at `level` (a string array, vectorised).

        Raises:
            PrivacyError: `level` is out of range, or a value is not in the hierarchy.
        """
        if not 0 <= level <= self.height:
            raise PrivacyError(
                f"level {level} outside 0..{self.height}",
                where=f"hierarchy of `{self.column}`",
                hint="choose a level the hierarchy has",
            )
        return pa.array(self.labels[level], type=pa.string()).take(pa.array(self.index(column)))


def _check_tree(h: Hierarchy) -> None:
    """Every label has one parent on the next level, and values appear once."""
    if len(set(h.values)) != len(h.values):
        seen: set[str] = set()
        twice = ""
        for value in h.values:
            if value in seen:
                twice = value
                break
            seen.add(value)
        raise PrivacyError(
            f"value `{twice}` appears twice",
            where=f"hierarchy of `{h.column}`",
            hint="list each original value on one row",
        )
    for level in range(h.height):
        parents: dict[str, str] = {}
        for label, parent in zip(h.labels[level], h.labels[level + 1], strict=True):
            if parents.setdefault(label, parent) != parent:
                raise PrivacyError(
                    f"label `{label}` on level {level} has two parents on level "
                    f"{level + 1}: `{parents[label]}` and `{parent}`",
                    where=f"hierarchy of `{h.column}`",
                    hint="each level must merge whole groups of the level below "
                    "(band edges of a level must be edges of the level below)",
                )


def load_hierarchy(path: Path, column: str) -> Hierarchy:
    """Read an ARX hierarchy: `;`-separated, no header, column 0 original, column i level i.

    UTF-8 (with or without BOM) or Latin-1.

    Raises:
        PrivacyError: the file is empty or its rows have different lengths.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    rows = [row for row in csv.reader(text.splitlines(), delimiter=";") if row]
    if not rows:
        raise PrivacyError(
            "the hierarchy file is empty", where=str(path), hint="one row per original value"
        )
    width = len(rows[0])
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise PrivacyError(
                f"row {number} has {len(row)} fields, the first row {width}",
                where=f"{path}, row {number}",
                hint="give every value a label on every level (`;`-separated)",
            )
    labels = tuple(tuple(row[i] for row in rows) for i in range(width))
    return Hierarchy(column=column, labels=labels, values=labels[0])


def rule_hierarchy(
    column: str, values: pa.Array | pa.ChunkedArray, rule: Mapping[str, Any]
) -> Hierarchy:
    """Build a hierarchy over the distinct non-null `values` from one rule, plus a `*` level.

    Rules: `{bands: [[0, 5, 10], [0, 10]]}` (edges per level; `<0` below the first edge,
    `10+` from the last), `{dates: [month, quarter, year]}`, `{truncate: [1, 2, 3]}`
    (characters masked from the right per level: `6003` -> `600*` -> `60**` -> `6***`).

    Raises:
        PrivacyError: an unknown or malformed rule, or values that do not fit it.
    """
    where = f"quasi-identifier `{column}`"
    kinds = [key for key in rule if key in RULES]
    if len(rule) != 1 or len(kinds) != 1:
        raise PrivacyError(
            f"rule {dict(rule)} for `{column}` must have exactly one of: {', '.join(RULES)}",
            where=where,
            hint="e.g. {bands: [[0, 5, 10], [0, 10]]} or {dates: [month, year]}",
        )
    kind = kinds[0]
    steps = rule[kind]
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        raise PrivacyError(
            f"`{kind}` of `{column}` must be a non-empty list", where=where, hint=_HINTS[kind]
        )
    distinct = _distinct(values, sort_numeric=kind == "bands")
    levels = [_level(kind, distinct, step, column) for step in _checked(kind, steps, column)]
    text = tuple(str(v) for v in gen.as_text(distinct).to_pylist())
    labels = [text, *(tuple(level.to_pylist()) for level in levels), (TOP,) * len(text)]
    return Hierarchy(column=column, labels=tuple(labels), values=text)


_HINTS = {
    "bands": "give a list of edge lists, e.g. [[0, 5, 10], [0, 10]]",
    "dates": f"give a list of date levels from: {', '.join(gen.DATE_UNITS)}",
    "truncate": "give increasing numbers of characters to mask, e.g. [1, 2, 3]",
}


def _distinct(values: pa.Array | pa.ChunkedArray, sort_numeric: bool) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    distinct = pc.unique(values.drop_null())
    if sort_numeric:
        order = np.argsort(gen.numbers(distinct), kind="stable")
        return distinct.take(pa.array(order))
    return distinct.take(pc.array_sort_indices(distinct))


def _checked(kind: str, steps: Sequence[Any], column: str) -> Sequence[Any]:
    where = f"quasi-identifier `{column}`"
    if kind == "bands":
        for edges in steps:
            if not isinstance(edges, Sequence) or isinstance(edges, str):
                raise PrivacyError(
                    f"band level {edges!r} of `{column}` is not a list",
                    where=where,
                    hint=_HINTS[kind],
                )
            gen.check_edges(edges, column)
        for level, (finer, coarser) in enumerate(zip(steps, steps[1:], strict=False), 1):
            extra = sorted(set(coarser) - set(finer))
            if extra:
                raise PrivacyError(
                    f"band edge(s) {extra} of level {level + 1} of `{column}` are not edges "
                    f"of level {level}, so its bands would split bands of level {level}",
                    where=where,
                    hint="each level's edges must be a subset of the level below",
                )
    elif kind == "dates":
        ranks = [gen.DATE_UNITS.index(s) if s in gen.DATE_UNITS else -1 for s in steps]
        if min(ranks) < 0 or ranks != sorted(set(ranks)):
            raise PrivacyError(
                f"date levels {list(steps)} of `{column}` are unknown or not coarsening",
                where=where,
                hint=_HINTS[kind],
            )
    else:
        ok = all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in steps)
        if not ok or list(steps) != sorted(set(steps)):
            raise PrivacyError(
                f"truncate levels {list(steps)} of `{column}` are not increasing counts",
                where=where,
                hint=_HINTS[kind],
            )
    return steps


def _level(kind: str, values: pa.Array, step: Any, column: str) -> pa.Array:
    if kind == "bands":
        return gen.bands(values, step, column)
    if kind == "dates":
        return gen.dates(values, str(step), column)
    return gen.mask_right(values, int(step))


@dataclass(frozen=True)
class Levels:
    """A column as integer codes per level, for the lattice search.

    Codes count only the values present. Codes on a level are ordered by their parent's
    code, so `up` maps are non-decreasing (a sorted class table stays nearly sorted).

    Attributes:
        codes: per row, the level-0 code.
        up: `up[level][code]` is the code on `level + 1`.
        sizes: number of codes on each level.
        counts: `counts[level][code]` rows with that code.
    """

    codes: Ints
    up: tuple[Ints, ...]
    sizes: tuple[int, ...]
    counts: tuple[Ints, ...]

    def at(self, level: int) -> Ints:
        """Map from level-0 code to the code on `level`."""
        mapping = np.arange(self.sizes[0], dtype=np.int64)
        for step in self.up[:level]:
            mapping = step[mapping]
        return mapping


def encode_levels(h: Hierarchy, column: pa.Array | pa.ChunkedArray) -> Levels:
    """Integer codes of `column` on every level of `h`.

    Raises:
        PrivacyError: a value is not in the hierarchy.
    """
    index = h.index(column)
    seen = np.bincount(index, minlength=len(h.values)) > 0
    present = np.flatnonzero(seen)
    row_code = (np.cumsum(seen) - 1)[index]
    taken = pa.array(present)
    ids = [
        np.asarray(
            pa.array(level, type=pa.string()).take(taken).dictionary_encode().indices.to_numpy(),
            dtype=np.int64,
        )
        for level in h.labels
    ]
    codes = [ids[-1]]
    for level in range(h.height - 1, -1, -1):
        combined = codes[0] * (int(ids[level].max(initial=0)) + 1) + ids[level]
        codes.insert(0, np.unique(combined, return_inverse=True)[1].astype(np.int64))
    sizes = tuple(int(c.max(initial=-1)) + 1 for c in codes)
    up = []
    for level in range(h.height):
        step = np.zeros(sizes[level], dtype=np.int64)
        step[codes[level]] = codes[level + 1]
        up.append(step)
    row = np.asarray(row_code, dtype=np.int64).ravel()
    counts = tuple(
        np.bincount(c[row], minlength=s).astype(np.int64) for c, s in zip(codes, sizes, strict=True)
    )
    return Levels(codes=codes[0][row], up=tuple(up), sizes=sizes, counts=counts)


@dataclass(frozen=True)
class Values:
    """A column as integer codes in value order (nulls last, as one value).

    Attributes:
        codes: per row, the code of its value.
        size: number of distinct values.
        ordered: numbers or dates (ordered distance for t-closeness).
    """

    codes: Ints
    size: int
    ordered: bool


def encode_values(column: pa.Array | pa.ChunkedArray) -> Values:
    """Codes of a column's values, sorted (numbers numerically, text by code point)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    distinct = pc.unique(column)
    distinct = distinct.take(pc.array_sort_indices(distinct, null_placement="at_end"))
    found = pc.index_in(column, value_set=distinct, skip_nulls=False)
    codes = np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)
    kind = column.type
    ordered = (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_temporal(kind)
    )
    return Values(codes=codes, size=len(distinct), ordered=bool(ordered))
