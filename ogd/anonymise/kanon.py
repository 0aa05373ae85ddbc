"""k-anonymity, l-diversity and t-closeness by optimal full-domain generalisation.

`search` walks the lattice of generalisation levels (one level per quasi-identifier) and
returns the feasible node with minimal loss under the policy's metric: after removing the
rows of classes smaller than k (or failing l / t), the removed share fits the suppression
limit. `apply` produces the release of a node, `measure` what a table has.

How the search stays fast and exact: each quasi-identifier is coded once per level, and a
node's classes are a sorted table of (class key, rows) where the key packs one bit field
per quasi-identifier. A node's table is rolled up from a more specific node's table by
recoding one field (ARX's roll-up), so most nodes cost a pass over a few thousand classes.
Nodes are visited children first, in order of a loss bound that needs no counts; lower
bounds that hold for a node and every generalisation of it (the bound is inherited
upwards) prune every node that cannot beat the best one found. Nothing else is skipped,
so the result is the exact optimum for every metric, also where feasibility is not
monotone (entropy l, t-closeness with suppression).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ogd.anonymise import metrics as mx
from ogd.anonymise.hierarchy import Hierarchy, Levels, encode_levels, encode_values
from ogd.errors import PrivacyError

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

logger = logging.getLogger(__name__)

L_KINDS = ("distinct", "entropy")
MAX_NODES = 200_000
_KEY_BITS = 62
_HINT = (
    "raise the suppression limit, use coarser hierarchies (more levels up to `*`) "
    "or fewer quasi-identifiers"
)


@dataclass(frozen=True)
class KPolicy:
    """What the release must satisfy, and the loss to minimise.

    Attributes:
        quasi_identifiers: columns an attacker may know.
        k: minimum class size.
        suppression_limit: share of rows that may be removed (0 to 1).
        sensitive: columns whose values must stay diverse within each class.
        l: l-diversity for every sensitive column (None: not required).
        l_kind: "distinct" (distinct values) or "entropy" (exp of the entropy).
        t: t-closeness for every sensitive column (equal distance for categories,
            ordered distance for numbers and dates; None: not required).
        metric: "discernibility", "precision", "aecs" or "entropy".
    """

    quasi_identifiers: tuple[str, ...]
    k: int
    suppression_limit: float = 0.0
    sensitive: tuple[str, ...] = ()
    l: int | None = None  # noqa: E741 - the parameter's name in the literature
    l_kind: str = "distinct"
    t: float | None = None
    metric: str = "discernibility"

    def __post_init__(self) -> None:
        object.__setattr__(self, "quasi_identifiers", tuple(self.quasi_identifiers))
        object.__setattr__(self, "sensitive", tuple(self.sensitive))
        problem = _policy_problem(self)
        if problem:
            raise PrivacyError(
                problem,
                where="privacy policy",
                hint=f"metrics: {', '.join(mx.METRICS)}; l_kind: {', '.join(L_KINDS)}; "
                "k and l are whole numbers, suppression_limit and t shares in 0..1",
            )

    @property
    def is_monotone(self) -> bool:
        """Whether feasibility can only improve with generalisation (k and distinct l)."""
        return self.t is None and (self.l is None or self.l_kind == "distinct")

    @property
    def checks_sensitive(self) -> bool:
        """Whether classes are checked on their sensitive values (l or t is set)."""
        return self.l is not None or self.t is not None


def _policy_problem(p: KPolicy) -> str:
    qis, sens = p.quasi_identifiers, p.sensitive
    checks = [
        (not qis, "no quasi-identifiers"),
        (len(set(qis)) != len(qis), "a quasi-identifier is listed twice"),
        (bool(set(qis) & set(sens)), "a column is both quasi-identifier and sensitive"),
        (not isinstance(p.k, int) or p.k < 1, f"k={p.k} must be a whole number >= 1"),
        (not 0.0 <= p.suppression_limit <= 1.0, "suppression_limit must be in 0..1"),
        (p.l is not None and p.l < 1, f"l={p.l} must be >= 1"),
        (p.checks_sensitive and not sens, "l or t needs sensitive columns"),
        (p.l_kind not in L_KINDS, f"unknown l_kind `{p.l_kind}`"),
        (p.t is not None and not 0.0 <= p.t <= 1.0, f"t={p.t} must be in 0..1"),
        (p.metric not in mx.METRICS, f"unknown metric `{p.metric}`"),
    ]
    return next((message for bad, message in checks if bad), "")


@dataclass(frozen=True)
class Solution:
    """The chosen transformation and what it achieves.

    Attributes:
        levels: generalisation level per quasi-identifier.
        suppressed_rows: rows removed (classes below k or failing l / t).
        classes: equivalence classes released.
        k: smallest released class.
        l: smallest l over sensitive columns and released classes (distinct count or
            exp(entropy), per the policy's l_kind); None without sensitive columns.
        t: largest distance of a released class to the input's distribution; None without
            sensitive columns.
        loss: every metric (discernibility, precision, aecs, entropy), on the whole input.
        nodes_total: nodes of the lattice.
        nodes_checked: nodes whose classes were computed (the others were pruned).
        seconds: wall time of the search.
        smallest_classes: the 10 smallest released class sizes.
    """

    levels: Mapping[str, int]
    suppressed_rows: int
    classes: int
    k: int
    l: float | None  # noqa: E741
    t: float | None
    loss: Mapping[str, float]
    nodes_total: int
    nodes_checked: int
    seconds: float
    smallest_classes: tuple[int, ...] = ()


# --- encoding -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sensitive:
    name: str
    codes: Ints  # per row, in value order
    bits: int  # width of the code in a pair key
    reference: Floats  # share of each code in the input
    ordered: bool


@dataclass(frozen=True)
class _Data:
    """The input coded for the search; class keys pack one bit field per quasi-identifier."""

    n: int
    names: tuple[str, ...]
    levels: tuple[Levels, ...]
    heights: tuple[int, ...]
    shift: tuple[int, ...]  # bit offset of each field (small columns most significant)
    mask: tuple[int, ...]
    delta: tuple[tuple[Ints, ...], ...]  # [qi][level][code]: key change moving one level up
    sensitive: tuple[_Sensitive, ...]
    weights: tuple[tuple[Floats, ...], ...]  # [qi][level][code]: log2(n / rows with code)
    entropy: tuple[Floats, ...]  # [qi][level]: non-uniform entropy without suppression
    key_bits: int  # width of a class key
    count_bits: int  # width of a row count


def _bits(size: int) -> int:
    return max(size - 1, 0).bit_length()


def _sensitive(table: pa.Table, name: str) -> _Sensitive:
    values = encode_values(table[name])
    counts = np.bincount(values.codes, minlength=values.size).astype(np.float64)
    reference = counts / max(len(values.codes), 1)
    return _Sensitive(name, values.codes, _bits(values.size), reference, values.ordered)


def _check_columns(table: pa.Table, hierarchies: Mapping[str, Hierarchy], policy: KPolicy) -> None:
    names = table.column_names
    missing = [c for c in (*policy.quasi_identifiers, *policy.sensitive) if c not in names]
    if missing:
        raise PrivacyError(
            f"column(s) {', '.join(missing)} not in the table",
            where="privacy policy",
            hint=f"columns are: {', '.join(names)}",
        )
    no_hierarchy = [q for q in policy.quasi_identifiers if q not in hierarchies]
    if no_hierarchy:
        raise PrivacyError(
            f"quasi-identifier(s) {', '.join(no_hierarchy)} have no hierarchy",
            where="privacy policy",
            hint="give each quasi-identifier a hierarchy file or a rule",
        )


def _layout(
    levels: Sequence[Levels], sensitive: Sequence[_Sensitive], qis: Sequence[str]
) -> list[int]:
    """Bit offset of each field: the columns with fewest values most significant."""
    widths = [_bits(lv.sizes[0]) for lv in levels]
    total = sum(widths) + max((s.bits for s in sensitive), default=0)
    if total > _KEY_BITS:
        raise PrivacyError(
            f"the quasi-identifiers have about 2^{total} combinations of values, too many to index",
            where=f"quasi-identifiers ({', '.join(qis)})",
            hint="generalise a column in a transform step first, or use fewer quasi-identifiers",
        )
    shift = [0] * len(levels)
    offset = 0
    for j in sorted(range(len(levels)), key=lambda j: (-levels[j].sizes[0], -j)):
        shift[j] = offset
        offset += widths[j]
    return shift


def _encode(table: pa.Table, hierarchies: Mapping[str, Hierarchy], policy: KPolicy) -> _Data:
    _check_columns(table, hierarchies, policy)
    qis = policy.quasi_identifiers
    n = table.num_rows
    levels = tuple(encode_levels(hierarchies[q], table[q]) for q in qis)
    sensitive = tuple(_sensitive(table, s) for s in policy.sensitive)
    shift = _layout(levels, sensitive, qis)
    delta = tuple(
        tuple((up - np.arange(len(up), dtype=np.int64)) << s for up in lv.up)
        for lv, s in zip(levels, shift, strict=True)
    )
    weights = tuple(
        tuple(np.log2(max(n, 1) / np.maximum(c, 1)) for c in lv.counts) for lv in levels
    )
    entropy = tuple(  # non-decreasing by construction; the running max removes rounding
        np.maximum.accumulate(
            [mx.entropy_level(lv.counts[0], lv.counts[i], lv.at(i)) for i in range(len(lv.sizes))]
        )
        for lv in levels
    )
    return _Data(
        n=n,
        names=qis,
        levels=levels,
        heights=tuple(hierarchies[q].height for q in qis),
        shift=tuple(shift),
        mask=tuple((1 << _bits(lv.sizes[0])) - 1 for lv in levels),
        delta=delta,
        sensitive=sensitive,
        weights=weights,
        entropy=entropy,
        key_bits=sum(_bits(lv.sizes[0]) for lv in levels),
        count_bits=n.bit_length(),
    )


# --- class tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """The classes of one node as sorted (key, rows) parts.

    Without sensitive checks: one part of class keys. With them: one part per sensitive
    column, keyed (class key << bits) | sensitive code.
    """

    parts: tuple[tuple[Ints, Ints], ...]
    bits: tuple[int, ...]

    @property
    def rows(self) -> int:
        return len(self.parts[0][0])


def _group(keys: Ints, counts: Ints, pack: int = 0) -> tuple[Ints, Ints]:
    """Sorted distinct keys and the summed counts of each.

    With `pack` > 0 the counts fit in that many low bits beside the keys, and one sort of
    the packed values replaces an argsort and two gathers.
    """
    if pack:  # timsort: nearly free where the roll-up kept the order
        packed = np.sort((keys << pack) | counts, kind="stable")
        keys, counts = packed >> pack, packed & ((1 << pack) - 1)
    elif len(keys) > 1 and not bool(np.all(keys[1:] >= keys[:-1])):
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
    starts = mx.class_starts(keys)
    if len(starts) == len(keys):
        return keys, counts
    return keys[starts], np.add.reduceat(counts, starts)


def _row_keys(data: _Data, levels: Sequence[int]) -> Ints:
    """Class key of every row at a node."""
    key = np.zeros(data.n, dtype=np.int64)
    for lv, level, shift in zip(data.levels, levels, data.shift, strict=True):
        key |= lv.at(level)[lv.codes] << shift
    return key


def _from_rows(data: _Data, keys: Ints, sensitive: Sequence[_Sensitive]) -> _Table:
    ones = np.ones(data.n, dtype=np.int64)
    if not sensitive:
        return _Table((_group(keys, ones),), (0,))
    parts = tuple(_group((keys << s.bits) | s.codes, ones) for s in sensitive)
    return _Table(parts, tuple(s.bits for s in sensitive))


def _roll(table: _Table, data: _Data, j: int, level: int) -> _Table:
    """The table one level up in column j (from `level` to `level + 1`)."""
    parts = []
    for (keys, counts), bits in zip(table.parts, table.bits, strict=True):
        old = (keys >> (data.shift[j] + bits)) & data.mask[j]
        delta = data.delta[j][level] << bits if bits else data.delta[j][level]
        pack = data.count_bits if data.key_bits + bits + data.count_bits <= _KEY_BITS else 0
        parts.append(_group(keys + delta[old], counts, pack))
    return _Table(tuple(parts), table.bits)


@dataclass(frozen=True)
class _Classes:
    keys: Ints
    sizes: Ints
    fail: Bools
    suppressed: int
    diversity: tuple[mx.Diversity, ...]


def _classes(
    table: _Table, policy: KPolicy, sensitive: Sequence[_Sensitive], full: bool = True
) -> _Classes:
    """Class sizes, which classes fail the policy, and their diversity.

    With `full` False only the diversity the policy checks is computed.
    """
    keys, sizes = table.parts[0]
    fail = sizes < policy.k if not sensitive else np.zeros(0, dtype=bool)
    found = []
    for i, ((pkeys, pcounts), s) in enumerate(zip(table.parts, sensitive, strict=False)):
        owner = pkeys >> s.bits
        starts = mx.class_starts(owner)
        if i == 0:
            keys, sizes = owner[starts], np.add.reduceat(pcounts, starts)
            fail = sizes < policy.k
        div = mx.diversity(
            pkeys & ((1 << s.bits) - 1),
            pcounts,
            starts,
            s.reference,
            s.ordered,
            entropy=full or (policy.l is not None and policy.l_kind == "entropy"),
            distance=full or policy.t is not None,
        )
        fail |= mx.fails(div, policy.l, policy.l_kind, policy.t)
        found.append(div)
    return _Classes(keys, sizes, fail, int(np.dot(sizes, fail)), tuple(found))


# --- the search ---------------------------------------------------------------------------


def _score(c: _Classes, data: _Data, levels: Sequence[int], metric: str) -> float:
    s, n = c.suppressed, data.n
    if metric == "discernibility":
        return float(mx.discernibility(c.sizes[~c.fail], s, n))
    if metric == "precision":
        return mx.precision(levels, data.heights, s, n)
    if metric == "aecs":
        return mx.aecs(len(c.sizes) - int(c.fail.sum()), s, n)
    base = float(sum(e[level] for e, level in zip(data.entropy, levels, strict=True)))
    keys = c.keys[c.fail]
    weights = [
        w[level][(keys >> shift) & mask]
        for w, level, shift, mask in zip(data.weights, levels, data.shift, data.mask, strict=True)
    ]
    return base + mx.entropy_suppressed(c.sizes[c.fail], weights)


def _free_bounds(grid: npt.NDArray[np.int16], data: _Data, metric: str) -> Floats:
    """Lower bounds of the loss that need no class counts (non-decreasing upwards)."""
    if metric == "precision":
        h = np.asarray([max(x, 1) for x in data.heights], dtype=np.float64)
        return np.asarray(np.mean(grid / h, axis=1), dtype=np.float64)
    if metric == "entropy":
        total = np.zeros(len(grid))
        for j, table in enumerate(data.entropy):
            total += table[grid[:, j]]
        return total
    return np.zeros(len(grid))


def _count_bound(c: _Classes, data: _Data, policy: KPolicy) -> float:
    """Lower bound of the loss of this node and of every generalisation of it."""
    if policy.metric == "discernibility":  # each row adds >= max(its class, k) or n
        return float(np.dot(c.sizes, np.maximum(c.sizes, policy.k)))
    if policy.metric == "aecs":  # at most min(classes, n / k) classes are released
        return data.n / (min(len(c.sizes), data.n // policy.k) + 1)
    return 0.0


@dataclass
class _Walk:
    """Progress of one search."""

    best: float = math.inf
    best_node: int = -1
    checked: int = 0
    fewest: int = -1  # fewest suppressed rows seen, and where
    fewest_node: int = -1


def _walk(
    data: _Data, policy: KPolicy, sensitive: Sequence[_Sensitive]
) -> tuple[_Walk, npt.NDArray[np.int16]]:
    shape = tuple(h + 1 for h in data.heights)
    grid = np.indices(shape, dtype=np.int16).reshape(len(shape), -1).T
    step = [math.prod(shape[j + 1 :]) for j in range(len(shape))]
    free = _free_bounds(grid, data, policy.metric)
    # Children before parents: by the count-free bound, then by node number (a child's
    # number is smaller). Numbering order finishes the sub-lattice of the first column's
    # level 0 before level 1, which reaches good feasible nodes sooner than by height.
    order = np.lexsort((np.arange(len(grid)), free))
    waiting = (grid < np.asarray(data.heights)).sum(axis=1)  # parents not yet visited
    lb = np.zeros(len(grid))
    allowed = math.floor(policy.suppression_limit * data.n + mx.TOLERANCE)
    state = _Walk()
    tables: dict[int, _Table] = {}
    for node in order.tolist():
        if free[node] >= state.best:
            break  # every node left has a larger bound
        levels = grid[node].tolist()
        kids = [(node - step[j], j) for j in range(len(levels)) if levels[j]]
        bound = max([free[node], *(lb[kid] for kid, _ in kids)])
        lb[node] = bound
        if bound < state.best:
            table = _source(data, tables, kids, levels, sensitive)
            if waiting[node]:
                tables[node] = table
            lb[node] = max(
                bound, _visit(table, data, policy, sensitive, node, levels, allowed, state)
            )
        for kid, _ in kids:
            waiting[kid] -= 1
            if not waiting[kid]:
                tables.pop(kid, None)
    return state, grid


def _visit(
    table: _Table,
    data: _Data,
    policy: KPolicy,
    sensitive: Sequence[_Sensitive],
    node: int,
    levels: Sequence[int],
    allowed: int,
    state: _Walk,
) -> float:
    """Check and score one node; returns its count bound."""
    state.checked += 1
    c = _classes(table, policy, sensitive, full=False)
    if state.fewest < 0 or c.suppressed <= state.fewest:
        state.fewest, state.fewest_node = c.suppressed, node
    if c.suppressed <= allowed and c.suppressed < data.n:
        value = _score(c, data, levels, policy.metric)
        if value < state.best:
            state.best, state.best_node = value, node
    return _count_bound(c, data, policy)


def _source(
    data: _Data,
    tables: Mapping[int, _Table],
    kids: Sequence[tuple[int, int]],
    levels: Sequence[int],
    sensitive: Sequence[_Sensitive],
) -> _Table:
    """The node's table, rolled up from its smallest computed child (or from the rows)."""
    known = [(tables[kid].rows, kid, j) for kid, j in kids if kid in tables]
    if not known:
        return _from_rows(data, _row_keys(data, levels), sensitive)
    *_, kid, j = min(known)
    return _roll(tables[kid], data, j, levels[j] - 1)


def search(table: pa.Table, hierarchies: Mapping[str, Hierarchy], policy: KPolicy) -> Solution:
    """Find the full-domain generalisation with minimal loss that meets the policy.

    Args:
        table: the extract (quasi-identifier values as in their hierarchies).
        hierarchies: one hierarchy per quasi-identifier.
        policy: k (l, t), suppression limit and the metric to minimise.

    Returns:
        The optimal transformation and what it achieves.

    Raises:
        PrivacyError: columns or hierarchies are missing, a value is not in its hierarchy,
            or no transformation meets the policy within the suppression limit.
    """
    started = time.perf_counter()
    data = _encode(table, hierarchies, policy)
    _precheck(data, policy)
    sensitive = data.sensitive if policy.checks_sensitive else ()
    if policy.is_monotone:  # the top node is the most suppression-free one
        top = list(data.heights)
        c = _classes(_from_rows(data, _row_keys(data, top), sensitive), policy, sensitive)
        allowed = math.floor(policy.suppression_limit * data.n + mx.TOLERANCE)
        if c.suppressed > allowed or c.suppressed == data.n:
            raise _infeasible(data, policy, top, c.suppressed)
    state, grid = _walk(data, policy, sensitive)
    if state.best_node < 0:
        raise _infeasible(data, policy, grid[state.fewest_node].tolist(), state.fewest)
    described = _describe(data, policy, grid[state.best_node].tolist())
    seconds = time.perf_counter() - started
    logger.debug(
        "k-anonymity search: %d of %d nodes checked in %.3f s, levels %s",
        state.checked,
        len(grid),
        seconds,
        described["levels"],
    )
    return Solution(
        **described, nodes_total=len(grid), nodes_checked=state.checked, seconds=seconds
    )


def _precheck(data: _Data, policy: KPolicy) -> None:
    where = f"quasi-identifiers ({', '.join(data.names)})"
    if policy.k > data.n:
        raise PrivacyError(
            f"k={policy.k} impossible: the table has only {data.n} rows",
            where=where,
            hint="lower k, or publish an aggregate table instead",
        )
    nodes = math.prod(h + 1 for h in data.heights)
    if nodes > MAX_NODES:
        raise PrivacyError(
            f"the lattice has {nodes} nodes (at most {MAX_NODES})",
            where=where,
            hint="use fewer quasi-identifiers or hierarchies with fewer levels",
        )
    needed = policy.l or 0
    for s in data.sensitive:
        distinct = len(s.reference)
        if distinct < needed:
            raise PrivacyError(
                f"l={policy.l} on {s.name} impossible: only {distinct} distinct value(s)",
                where=f"sensitive column `{s.name}`",
                hint="lower l, or choose a sensitive column with more distinct values",
            )


def _infeasible(
    data: _Data, policy: KPolicy, levels: Sequence[int], suppressed: int
) -> PrivacyError:
    need, why = [f"k={policy.k}"], [f"classes below {policy.k}"]
    sens = ", ".join(policy.sensitive)
    if policy.l is not None:
        kind = "" if policy.l_kind == "distinct" else " (entropy)"
        need.append(f"l={policy.l}{kind} on {sens}")
        why.append(f"classes failing l={policy.l}")
    if policy.t is not None:
        need.append(f"t={policy.t:g} on {sens}")
        why.append(f"classes failing t={policy.t:g}")
    share = f"{100.0 * suppressed / max(data.n, 1):.1f} %"
    if list(levels) == list(data.heights):
        reach = "even with every quasi-identifier at its top level"
    else:
        named = ", ".join(f"{q} {lv}" for q, lv in zip(data.names, levels, strict=True))
        reach = f"at best ({named})"
    return PrivacyError(
        f"{' and '.join(need)} not reached within {100.0 * policy.suppression_limit:g} % "
        f"suppression: {reach}, {share} of rows are in {' or '.join(why)}",
        where=f"quasi-identifiers ({', '.join(data.names)})",
        hint=_HINT,
    )


# --- describing and applying a node -------------------------------------------------------


def _node(data: _Data, policy: KPolicy, levels: Sequence[int]) -> tuple[Ints, _Classes]:
    """Per-row class key and the classes at a node, with every sensitive column's diversity."""
    keys = _row_keys(data, levels)
    return keys, _classes(_from_rows(data, keys, data.sensitive), policy, data.sensitive)


def _entropy_l(entropy: float) -> float:
    """exp(entropy), rounded so that a class with entropy log(l) reads exactly l."""
    return round(math.exp(entropy), 9)


def _describe(data: _Data, policy: KPolicy, levels: Sequence[int]) -> dict[str, Any]:
    _, c = _node(data, policy, levels)
    kept = ~c.fail
    l_value: float | None = None
    t_value: float | None = None
    if c.diversity:
        if policy.l_kind == "distinct":
            l_value = float(min(int(d.distinct[kept].min()) for d in c.diversity))
        else:
            l_value = min(_entropy_l(float(d.entropy[kept].min())) for d in c.diversity)
        t_value = max(float(d.distance[kept].max()) for d in c.diversity)
    return {
        "levels": dict(zip(data.names, (int(x) for x in levels), strict=True)),
        "suppressed_rows": c.suppressed,
        "classes": int(kept.sum()),
        "k": int(c.sizes[kept].min()),
        "l": l_value,
        "t": t_value,
        "loss": {m: _score(c, data, levels, m) for m in mx.METRICS},
        "smallest_classes": tuple(int(x) for x in np.sort(c.sizes[kept])[:10]),
    }


def apply(
    table: pa.Table, hierarchies: Mapping[str, Hierarchy], policy: KPolicy, solution: Solution
) -> pa.Table:
    """The release: quasi-identifiers replaced by their labels, failing classes removed.

    Other columns are untouched; the column order is kept.

    Raises:
        PrivacyError: the solution does not fit this table (levels or suppressed rows).
    """
    data = _encode(table, hierarchies, policy)
    missing = [q for q in data.names if q not in solution.levels]
    if missing:
        raise PrivacyError(
            f"the solution has no level for {', '.join(missing)}",
            where="privacy policy",
            hint="apply the solution `search` returned for this policy",
        )
    levels = [int(solution.levels[q]) for q in data.names]
    keys, c = _node(data, policy, levels)
    drop = c.fail[np.searchsorted(c.keys, keys)]
    if int(drop.sum()) != solution.suppressed_rows:
        raise PrivacyError(
            f"the solution suppresses {solution.suppressed_rows} rows, on this table "
            f"it would suppress {int(drop.sum())}",
            where="privacy policy",
            hint="apply the solution `search` returned for this table and policy",
        )
    columns = [
        hierarchies[name].generalise(table[name], levels[data.names.index(name)])
        if name in data.names
        else table[name]
        for name in table.column_names
    ]
    released = pa.table(columns, names=table.column_names)
    return released.filter(pa.array(~drop))


# --- measuring a table --------------------------------------------------------------------


def _class_ids(table: pa.Table, columns: Sequence[str]) -> Ints:
    """Class id (0..classes-1) of every row, grouping by the columns' values."""
    key = np.zeros(table.num_rows, dtype=np.int64)
    span = 1
    for name in columns:
        values = encode_values(table[name])
        if span * values.size >= 1 << _KEY_BITS:
            key = np.unique(key, return_inverse=True)[1].astype(np.int64).ravel()
            span = int(key.max(initial=0)) + 1
        key = key * values.size + values.codes
        span *= values.size
    return np.unique(key, return_inverse=True)[1].astype(np.int64).ravel()


def measure(table: pa.Table, policy: KPolicy) -> dict[str, Any]:
    """What a table has: k, classes, l and t per sensitive column, discernibility, aecs.

    Quasi-identifiers are grouped as they appear in the table (e.g. released labels); t is
    measured against the table's own distribution of each sensitive column.

    Raises:
        PrivacyError: a policy column is not in the table.
    """
    names = table.column_names
    missing = [c for c in (*policy.quasi_identifiers, *policy.sensitive) if c not in names]
    if missing:
        raise PrivacyError(
            f"column(s) {', '.join(missing)} not in the table",
            where="privacy policy",
            hint=f"columns are: {', '.join(names)}",
        )
    n = table.num_rows
    sizes = np.bincount(_class_ids(table, policy.quasi_identifiers)).astype(np.int64)
    result: dict[str, Any] = {
        "rows": n,
        "k": int(sizes.min()) if n else 0,
        "classes": len(sizes),
        "smallest_classes": [int(x) for x in np.sort(sizes)[:10]],
        "discernibility": mx.discernibility(sizes, 0, n),
        "aecs": mx.aecs(len(sizes), 0, n),
        "max_risk": 1.0 / float(sizes.min()) if n else 0.0,
        "avg_risk": len(sizes) / n if n else 0.0,
        "l_distinct": {},
        "l_entropy": {},
        "t": {},
    }
    if n:
        ids = _class_ids(table, policy.quasi_identifiers)
        for name in policy.sensitive:
            s = _sensitive(table, name)
            keys, counts = _group((ids << s.bits) | s.codes, np.ones(n, dtype=np.int64))
            codes = keys & ((1 << s.bits) - 1)
            div = mx.diversity(
                codes, counts, mx.class_starts(keys >> s.bits), s.reference, s.ordered
            )
            result["l_distinct"][name] = int(div.distinct.min())
            result["l_entropy"][name] = _entropy_l(float(div.entropy.min()))
            result["t"][name] = float(div.distance.max())
    return result
