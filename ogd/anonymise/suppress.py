"""Small-cell suppression of aggregate tables, with secondary suppression and an attacker audit.

A table is in long format: dimension columns, one count column, one row per non-empty
combination (absent combinations are zeros the attacker knows). The attacker is assumed to
know every marginal total. With every (d-1)-dimensional margin known, every one-dimensional
line of the hypercube (all dimensions fixed but one) has a known sum, and every lower margin
is a sum of those, so the line sums are all the equations the attacker has.

Secondary suppression uses the hypercube method: for each cell to protect, suppress the
cheapest 2^d cells that take, in each dimension, either the cell's value or one alternative
value. Adding +1 and -1 alternately over those corners keeps every line sum, so when the
bounds allow that step no corner can be recomputed. The audit then solves the attacker's
linear programme for every suppressed cell (HiGHS through scipy), adds suppressions where a
cell is still determined, and refuses when it cannot close it.

What the attacker knows of a blank cell: it is at least 1 when zeros are shown, at least 0
when they are hidden; by default (`primaries_known`) a primary is also known to lie in
1..threshold-1. A cell that a single margin pins down whatever else is blanked (two
primaries summing to 2, or a small cell whose line holds only known zeros) is refused at
once: the disclosure is in the margins, and only coarser categories can fix it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csc_matrix
from scipy.sparse.csgraph import connected_components

from ogd.errors import PrivacyError

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]

MIN_INTERVAL = 1.0  # an attacker interval narrower than one person counts as disclosed
_TOLERANCE = 1e-6
_CUBE_BUDGET = 4096  # candidate hypercubes scored per protected cell
_REPAIR_ROUNDS = 8
_MAX_GRID = 1_000_000  # combinations materialised when zeros are hidden
_HINT = (
    "merge categories of a dimension (or aggregate the table further) so that small cells "
    "have published neighbours, or raise the aggregation level in the pipeline"
)


@dataclass(frozen=True)
class CellReport:
    """What small-cell protection did to one table.

    Attributes:
        threshold: counts 0 < n < threshold were primary-suppressed.
        primary: cells suppressed by the frequency rule.
        secondary: further cells suppressed so that no suppressed cell can be recomputed.
        cells: cells (rows) in the published table.
        linked_cells: values blanked in linked measure columns.
        audit: "passed" (a failed audit raises instead).
        min_interval: narrowest interval the attacker's linear programme leaves for a
            suppressed cell (`math.inf` when nothing was suppressed).
        hidden_zeros: zero cells published as blanks (`zeros_known=False` only).
    """

    threshold: int
    primary: int
    secondary: int
    cells: int
    linked_cells: int
    audit: str
    min_interval: float
    hidden_zeros: int = 0

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-safe values (an infinite interval becomes None)."""
        data: dict[str, object] = asdict(self)
        if math.isinf(self.min_interval):
            data["min_interval"] = None
        return data


def suppress_small_cells(
    table: pa.Table, columns: Sequence[str], threshold: int
) -> tuple[pa.Table, int]:
    """Blank every count in `columns` that is below `threshold` (and above zero).

    Primary suppression only: a blanked cell may still be recomputable from totals. Use
    `protect_table` on a whole aggregate table for secondary suppression and the audit.

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


def protect_table(
    table: pa.Table,
    count: str,
    threshold: int,
    *,
    dimensions: Sequence[str] | None = None,
    linked: Sequence[str] = (),
    zeros_known: bool = True,
    primaries_known: bool = True,
) -> tuple[pa.Table, CellReport]:
    """Suppress small cells and enough others that no suppressed cell can be recomputed.

    Args:
        table: the aggregate table in long format, one row per combination.
        count: the count column.
        threshold: counts with 0 < n < threshold are withheld.
        dimensions: the dimension columns (default: every column but `count` and `linked`).
            A dimension with a single value forms no margin.
        linked: measure columns (sums, means, shares) blanked wherever the count is. Every
            column must be a dimension, the count or linked.
        zeros_known: True when zeros are shown (absent rows are known zeros). False hides
            them: the table is completed to every combination of the dimension values seen,
            and zero cells are published blank and protected like small cells.
        primaries_known: True (the cautious default) lets the attacker tell primary blanks
            from secondary ones, so a primary is known to lie in 1..threshold-1. False gives
            the attacker only what the published table shows: a blank is at least 1 (at
            least 0 when zeros are hidden).

    Returns:
        The published table (same rows and order; completed rows appended when zeros are
        hidden) and the report.

    Raises:
        PrivacyError: bad arguments, a count that is null, negative or duplicated, or a cell
            that cannot be protected.
    """
    dims = _dimensions(table, count, threshold, dimensions, linked)
    if not zeros_known:
        table = complete_table(table, count, dims)
    grid = _Grid.build(table, count, dims)
    counts = np.asarray(table[count].to_numpy(), dtype=np.int64)
    cells = _Cells.build(grid, counts, threshold, _Attacker(zeros_known, primaries_known))
    _check_margins(grid, cells, table, dims)
    _protect(grid, cells)
    _close_lines(grid, cells, table, dims)
    min_interval = _audit_and_repair(grid, cells, table, dims)
    published, linked_cells = _publish(table, count, linked, cells.supp)
    primary = int(cells.primary.sum())
    hidden = int(cells.hidden.sum())
    report = CellReport(
        threshold=threshold,
        primary=primary,
        secondary=int(cells.supp.sum()) - primary - hidden,
        cells=published.num_rows,
        linked_cells=linked_cells,
        audit="passed",
        min_interval=min_interval,
        hidden_zeros=hidden,
    )
    return published, report


# --- input ------------------------------------------------------------------------------


def _dimensions(
    table: pa.Table,
    count: str,
    threshold: int,
    dimensions: Sequence[str] | None,
    linked: Sequence[str],
) -> list[str]:
    names = table.column_names
    missing = [n for n in [count, *linked, *(dimensions or ())] if n not in names]
    if missing:
        raise PrivacyError(
            f"column(s) {', '.join(missing)} not in the table (columns: {', '.join(names)})",
            where="small-cell protection",
            hint="check `count`, `dimensions` and `linked` against the table's columns",
        )
    if threshold < 1:
        raise PrivacyError(
            f"threshold {threshold} is below 1", where="small-cell protection", hint="use 3-10"
        )
    if not pa.types.is_integer(table.schema.field(count).type):
        raise PrivacyError(
            f"count column `{count}` has type {table.schema.field(count).type}, not integer",
            where=f"column `{count}`",
            hint="cast the count to an integer type before protection",
        )
    dims = list(dimensions) if dimensions is not None else [n for n in names if n != count]
    dims = [n for n in dims if n != count and n not in linked]
    loose = [n for n in names if n not in dims and n != count and n not in linked]
    if loose:
        raise PrivacyError(
            f"column(s) {', '.join(loose)} are neither dimensions nor linked measures",
            where="small-cell protection",
            hint="list measures in `linked` so they are blanked with the count, or drop them",
        )
    check_counts(table, count, "fill or drop them before small-cell protection")
    return dims


def _codes(column: pa.ChunkedArray) -> tuple[Ints, pa.Array]:
    """Integer codes of a column's values in sorted order, and the sorted distinct values."""
    values = pc.unique(column)
    values = values.take(pc.array_sort_indices(values, null_placement="at_end"))
    codes = pc.index_in(column, value_set=values, skip_nulls=False)
    return np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int64), values


def complete_table(table: pa.Table, count: str, dimensions: Sequence[str]) -> pa.Table:
    """Append a zero row for every missing combination of the dimension values seen.

    Other columns of the new rows are null. The rows already there keep their order.

    Raises:
        PrivacyError: more than a million combinations.
    """
    dims = list(dimensions)
    coded = [_codes(table[d]) for d in dims]
    sizes = [len(values) for _, values in coded]
    total = math.prod(sizes)
    if total > _MAX_GRID:
        raise PrivacyError(
            f"hiding zeros needs all {total} combinations of {', '.join(dims)}",
            where="small-cell protection",
            hint=f"aggregate the table further (at most {_MAX_GRID} combinations)",
        )
    present = np.zeros(total, dtype=bool)
    if dims:
        present[np.ravel_multi_index(tuple(c for c, _ in coded), sizes)] = True
    absent = np.flatnonzero(~present)
    if not len(absent):
        return table
    index = np.unravel_index(absent, sizes) if dims else ()
    columns = {d: coded[i][1].take(pa.array(index[i])) for i, d in enumerate(dims)}
    columns[count] = pa.array(np.zeros(len(absent), dtype=np.int64))
    extra = [
        columns[f.name].cast(f.type) if f.name in columns else pa.nulls(len(absent), f.type)
        for f in table.schema
    ]
    return pa.concat_tables([table, pa.Table.from_arrays(extra, schema=table.schema)])


def _describe(table: pa.Table, dims: Sequence[str], row: int) -> str:
    values = table.select(list(dims)).slice(int(row), 1).to_pylist()[0]
    return ", ".join(f"{k}={v}" for k, v in values.items()) or "the only cell"


# --- the hypercube ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """The table's cells as coordinates in the hypercube of its dimension values."""

    codes: Ints  # (rows, d): coordinates in the dimensions that have two or more values
    sizes: Ints
    strides: Ints
    lin: Ints  # linear index of each row
    order: Ints  # rows sorted by linear index
    sorted_lin: Ints
    lines: tuple[Ints, ...]  # per dimension: the line id of each row
    names: tuple[str, ...]  # the dimensions with two or more values

    @classmethod
    def build(cls, table: pa.Table, count: str, dims: Sequence[str]) -> _Grid:
        coded_all = [(d, *_codes(table[d])) for d in dims]
        kept = [(d, c, v) for d, c, v in coded_all if len(v) > 1]  # a constant adds no margin
        names = tuple(d for d, _, _ in kept)
        coded = [(c, v) for _, c, v in kept]
        rows = table.num_rows
        codes = np.stack([c for c, _ in coded], axis=1) if coded else np.zeros((rows, 0), "i8")
        sizes = np.array([len(v) for _, v in coded], dtype=np.int64)
        if math.prod(int(s) for s in sizes) >= 2**62:
            raise PrivacyError(
                "too many dimension combinations to index",
                where="small-cell protection",
                hint="pass the real `dimensions`",
            )
        strides = np.ones(len(sizes), dtype=np.int64)
        for j in range(len(sizes) - 2, -1, -1):
            strides[j] = strides[j + 1] * sizes[j + 1]
        lin = codes @ strides if len(sizes) else np.zeros(rows, dtype=np.int64)
        order = np.argsort(lin, kind="stable")
        sorted_lin = lin[order]
        dupes = np.flatnonzero(sorted_lin[1:] == sorted_lin[:-1])
        if len(dupes):
            raise PrivacyError(
                f"the combination {_describe(table, dims, order[dupes[0]])} appears twice",
                where=f"column `{count}`",
                hint="aggregate the table (one row per combination) before protection",
            )
        lines = tuple(
            np.unique(lin - codes[:, j] * strides[j], return_inverse=True)[1]
            for j in range(len(sizes))
        )
        if not lines:
            lines = (np.zeros(rows, dtype=np.int64),)  # only the grand total
        return cls(codes, sizes, strides, lin, order, sorted_lin, lines, names)

    def find(self, lin: Ints) -> Ints:
        """Row of each linear index, or -1 where the combination is absent."""
        if not len(self.sorted_lin):
            return np.full(lin.shape, -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.sorted_lin, lin), 0, len(self.sorted_lin) - 1)
        return np.where(self.sorted_lin[pos] == lin, self.order[pos], -1)


@dataclass(frozen=True)
class _Attacker:
    zeros_known: bool
    primaries_known: bool


@dataclass(frozen=True)
class _Cells:
    """Counts, what the attacker knows of each cell, and the suppression state (mutated)."""

    counts: Ints
    primary: Bools
    hidden: Bools  # zero cells published blank and protected
    lower: Floats  # the attacker's bounds on a blank cell
    upper: Floats
    supp: Bools
    certified: Bools  # corner of an accepted hypercube: provably not determined
    pinned: Bools  # determined by one margin whatever is suppressed: useless as a secondary

    @classmethod
    def build(cls, grid: _Grid, counts: Ints, threshold: int, attacker: _Attacker) -> _Cells:
        primary = (counts > 0) & (counts < threshold)
        zero = counts == 0
        if attacker.zeros_known:
            hidden = np.zeros_like(zero)
        else:  # a zero inside a zero margin is published by that margin anyway
            totals = [np.bincount(line, weights=counts)[line] for line in grid.lines]
            hidden = zero & np.logical_and.reduce([t > 0 for t in totals])
        lower = np.where(~zero & attacker.zeros_known, 1.0, 0.0)
        upper = np.full(len(counts), np.inf)
        if attacker.primaries_known:
            lower[primary], upper[primary] = 1.0, float(threshold - 1)
        upper[zero & ~hidden] = 0.0
        supp = primary | hidden
        none = np.zeros_like(supp)
        return cls(counts, primary, hidden, lower, upper, supp, none, none.copy())

    def can_hide(self) -> Bools:
        """Cells that may become secondary suppressions (published, non-zero, not pinned)."""
        return ~self.supp & (self.counts > 0) & ~self.pinned


def _check_margins(grid: _Grid, cells: _Cells, table: pa.Table, dims: Sequence[str]) -> None:
    """Refuse cells that one margin determines even if every other cell were suppressed.

    Within one line, a cell lies between the line total minus the others' upper bounds and
    the total minus their lower bounds. When that leaves less than one person (a pair of
    primaries summing to 2, or a small cell whose line holds only known zeros), no
    suppression in this table helps: the margin, which the attacker knows, gives it away.
    """
    finite = np.where(np.isinf(cells.upper), 0.0, cells.upper)
    infinite = np.isinf(cells.upper).astype(np.float64)
    for line in grid.lines:
        total = np.bincount(line, weights=cells.counts)[line]
        low_others = np.bincount(line, weights=cells.lower)[line] - cells.lower
        high_others = np.bincount(line, weights=finite)[line] - finite
        unbounded = np.bincount(line, weights=infinite)[line] - infinite > 0
        low = np.maximum(cells.lower, np.where(unbounded, -np.inf, total - high_others))
        high = np.minimum(cells.upper, total - low_others)
        cells.pinned[high - low < MIN_INTERVAL - _TOLERANCE] = True
    rows = np.flatnonzero(cells.pinned & (cells.primary | cells.hidden))
    if len(rows):
        named = "; ".join(_describe(table, dims, r) for r in rows[:3])
        more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
        raise PrivacyError(
            f"{len(rows)} small cell(s) can be recomputed from the margins alone, whatever "
            f"else is suppressed: ({named}){more}",
            where=f"cell {_describe(table, dims, rows[0])}",
            hint="the margins themselves are too small: top-code or merge categories "
            "(e.g. one band for 85+, or small quarters together)"
            + ("" if cells.hidden.any() else ", or hide zeros (zeros_known=False)"),
        )


# --- secondary suppression --------------------------------------------------------------


def _protect(grid: _Grid, cells: _Cells) -> None:
    """Suppress the cheapest hypercube around every cell that needs protection."""
    for row in np.flatnonzero(cells.primary | cells.hidden):
        if cells.certified[row]:
            continue
        cube = _find_cube(grid, cells, int(row))
        if cube is not None:
            cells.supp[cube] = True
            cells.certified[cube] = True


def _find_cube(grid: _Grid, cells: _Cells, row: int) -> Ints | None:
    """Rows of the cheapest hypercube through `row` whose corners can move by one."""
    d = len(grid.sizes)
    if d == 0:
        return None
    deltas = [_alternatives(grid, cells, row, j) for j in range(d)]
    if any(len(x) == 0 for x in deltas):
        return None
    while math.prod(len(x) for x in deltas) > _CUBE_BUDGET:
        j = int(np.argmax([len(x) for x in deltas]))
        deltas[j] = deltas[j][: max(1, len(deltas[j]) * 2 // 3)]
    shape = [len(x) for x in deltas]
    corners, signs = [], []
    for pattern in itertools.product((0, 1), repeat=d):
        offset = np.zeros(shape, dtype=np.int64)
        for j in (j for j, bit in enumerate(pattern) if bit):
            offset = offset + deltas[j].reshape([-1 if k == j else 1 for k in range(d)])
        corners.append(grid.find(grid.lin[row] + offset.ravel()))
        signs.append(1 - 2 * (sum(pattern) % 2))
    rows = np.stack(corners)  # (2^d, candidates)
    safe = np.where(rows >= 0, rows, 0)
    count, lower, upper = cells.counts[safe], cells.lower[safe], cells.upper[safe]
    plus = np.array(signs)[:, None] > 0
    rise, fall = count + 1 <= upper, count - 1 >= lower
    movable = np.where(plus, rise, fall).all(axis=0) | np.where(plus, fall, rise).all(axis=0)
    feasible = (rows >= 0).all(axis=0) & movable
    if not feasible.any():
        return None
    new = ~cells.supp[safe]
    cost = np.where(new, count, 0).sum(axis=0) + 1e-3 * new.sum(axis=0)
    best = int(np.argmin(np.where(feasible, cost, np.inf)))
    return np.asarray(rows[:, best], dtype=np.int64)


def _alternatives(grid: _Grid, cells: _Cells, row: int, j: int) -> Ints:
    """Offsets to the other values of dimension j whose neighbour cell exists, best first."""
    value = grid.codes[row, j]
    others = np.arange(grid.sizes[j], dtype=np.int64)
    others = others[others != value]
    deltas = (others - value) * grid.strides[j]
    found = grid.find(grid.lin[row] + deltas)
    deltas, found = deltas[found >= 0], found[found >= 0]
    usable = cells.supp[found] | (cells.counts[found] > 0)
    deltas, found = deltas[usable], found[usable]
    return np.asarray(deltas[np.lexsort((cells.counts[found], ~cells.supp[found]))])


def _close_lines(grid: _Grid, cells: _Cells, table: pa.Table, dims: Sequence[str]) -> None:
    """Until stable: every line with one suppressed cell gets its smallest other cell."""
    changed = True
    while changed:
        changed = False
        for j, line in enumerate(grid.lines):
            single = np.bincount(line, weights=cells.supp)[line] == 1
            candidates = np.flatnonzero(single & cells.can_hide())
            candidates = candidates[np.lexsort((cells.counts[candidates], line[candidates]))]
            _, first = np.unique(line[candidates], return_index=True)
            picks = candidates[first]
            alone = np.flatnonzero(single & cells.supp & ~np.isin(line, line[picks]))
            if len(alone):
                raise _disclosed(table, dims, grid, int(alone[0]), j)
            cells.supp[picks] = True
            changed = changed or len(picks) > 0


def _disclosed(
    table: pa.Table, dims: Sequence[str], grid: _Grid, row: int, j: int | None
) -> PrivacyError:
    cell = _describe(table, dims, row)
    if j is None or not grid.names:
        how = "from the published totals"
    else:
        how = f"from the total over `{grid.names[j]}`: no other cell of that line can be hidden"
    return PrivacyError(
        f"the suppressed cell ({cell}) can be recomputed {how}, "
        "and no further suppression closes it",
        where=f"cell {cell}",
        hint=_HINT,
    )


# --- the attacker's audit ---------------------------------------------------------------


def _audit_and_repair(grid: _Grid, cells: _Cells, table: pa.Table, dims: Sequence[str]) -> float:
    """Audit every suppressed cell; suppress more where one is determined; refuse if stuck."""
    for _ in range(_REPAIR_ROUNDS):
        rows, widths = _intervals(grid, cells)
        open_rows = rows[widths < MIN_INTERVAL - _TOLERANCE]
        if not len(open_rows):
            return float(widths.min()) if len(widths) else math.inf
        for row in open_rows:
            _repair(grid, cells, table, dims, int(row))
        _close_lines(grid, cells, table, dims)
    raise _disclosed(table, dims, grid, int(open_rows[0]), None)


def _repair(grid: _Grid, cells: _Cells, table: pa.Table, dims: Sequence[str], row: int) -> None:
    cube = _find_cube(grid, cells, row)
    if cube is not None and not cells.supp[cube].all():
        cells.supp[cube] = True
        cells.certified[cube] = True
        return
    added = False
    for line in grid.lines:  # the smallest further cell in each line through it
        candidates = np.flatnonzero((line == line[row]) & cells.can_hide())
        if len(candidates):
            cells.supp[candidates[np.argmin(cells.counts[candidates])]] = True
            added = True
    if not added:
        raise _disclosed(table, dims, grid, row, None)


def _intervals(grid: _Grid, cells: _Cells) -> tuple[Ints, Floats]:
    """Suppressed rows and the width of the attacker's interval for each."""
    rows = np.flatnonzero(cells.supp)
    m = len(rows)
    keys, offset = [], 0
    for line in grid.lines:
        ids, inverse = np.unique(line[rows], return_inverse=True)
        keys.append(inverse + offset)
        offset += len(ids)
    rows_of_a = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    a = coo_matrix(
        (np.ones(len(rows_of_a)), (rows_of_a, np.tile(np.arange(m), len(keys)))),
        shape=(offset, m),
    ).tocsc()
    b = a @ cells.counts[rows].astype(np.float64)
    _, labels = connected_components(a.T @ a, directed=False)
    widths = np.empty(m)
    order = np.argsort(labels, kind="stable")
    for idx in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1):
        if not len(idx):
            continue
        sub = a[:, idx].tocsr()
        used = np.flatnonzero(np.diff(sub.indptr))
        widths[idx] = _widths(
            sub[used],
            b[used],
            cells.lower[rows[idx]],
            cells.upper[rows[idx]],
            cells.counts[rows[idx]].astype(np.float64),
        )
    return rows, widths


def _widths(a: csc_matrix, b: Floats, lower: Floats, upper: Floats, true: Floats) -> Floats:
    """Max minus min of each variable over {a x = b, lower <= x <= upper}.

    Every solution found widens the range seen for all variables; a variable whose seen
    range already reaches both the target and the narrowest exact width so far cannot be
    the narrowest, so its two programmes are skipped (its width is then a lower bound).
    """
    k = len(true)
    if k == 1:
        return np.zeros(1)
    low, high = true.copy(), true.copy()
    widths = np.empty(k)
    narrowest = math.inf
    bounds = np.column_stack([lower, upper])
    for i in np.argsort(upper - lower, kind="stable"):
        seen = high[i] - low[i]
        if seen >= MIN_INTERVAL - _TOLERANCE and seen >= narrowest:
            widths[i] = seen
            continue
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(k)
            c[i] = sign
            result = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            if result.status != 0:
                raise PrivacyError(
                    f"the attacker's linear programme failed: {result.message}",
                    where="small-cell audit",
                    hint="report this as a bug with the table's shape",
                )
            low, high = np.minimum(low, result.x), np.maximum(high, result.x)
            ends.append(float(result.x[i]))
        widths[i] = ends[1] - ends[0]
        narrowest = min(narrowest, widths[i])
    return widths


# --- output -----------------------------------------------------------------------------


def _publish(
    table: pa.Table, count: str, linked: Sequence[str], supp: Bools
) -> tuple[pa.Table, int]:
    mask = pa.array(supp)
    blanked = 0
    for name in [count, *linked]:
        values = table[name]
        if name != count:
            blanked += int(pc.sum(pc.and_(mask, pc.is_valid(values))).as_py() or 0)
        index = table.column_names.index(name)
        table = table.set_column(
            index, name, pc.if_else(mask, pa.scalar(None, values.type), values)
        )
    return table, blanked


def check_counts(table: pa.Table, count: str, hint: str) -> None:
    """Refuse a count column that holds nulls or negative values.

    Raises:
        PrivacyError: naming the column, with `hint` as the next step.
    """
    counts = table[count]
    if counts.null_count or (len(counts) and pc.min(counts).as_py() < 0):
        raise PrivacyError(
            f"count column `{count}` holds nulls or negative values",
            where=f"column `{count}`",
            hint=hint,
        )
