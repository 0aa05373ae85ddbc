"""Information-loss metrics of a full-domain generalisation, and per-class diversity.

Loss metrics are computed on the whole input, suppressed rows included (reference
section 5), and all are to be minimised:

* discernibility: sum of |E|^2 over released classes + suppressed rows x n;
* precision: per record the mean over quasi-identifiers of level / height, a suppressed
  record counting 1, averaged over all records;
* aecs: average equivalence class size, n / classes, the suppressed rows forming one class;
* entropy: ARX's non-uniform entropy, sum over records and quasi-identifiers of
  -log2 P(value) / P(generalised value) with frequencies of the input; a suppressed
  record counts as generalised to `*`.

Diversity of the sensitive values per class (distinct l, entropy l, t-closeness distance)
is computed from "pair tables": rows (class, sensitive code, count) sorted by class, then code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

METRICS = ("discernibility", "precision", "aecs", "entropy")
TOLERANCE = 1e-9  # float slack when comparing entropies and distances with the policy


def discernibility(sizes: Ints, suppressed: int, n: int) -> int:
    """Sum of squared sizes of the released classes, plus n for every suppressed row."""
    return int(np.dot(sizes, sizes)) + suppressed * n


def height_share(levels: Sequence[int], heights: Sequence[int]) -> float:
    """Normalised generalisation height: mean of level / height (0 untouched, 1 all `*`)."""
    if not levels:
        return 0.0
    return sum(lv / h if h else 0.0 for lv, h in zip(levels, heights, strict=True)) / len(levels)


def precision(levels: Sequence[int], heights: Sequence[int], suppressed: int, n: int) -> float:
    """Normalised height per record, a suppressed record counting 1, averaged."""
    share = height_share(levels, heights)
    return share + (suppressed / n) * (1.0 - share) if n else share


def aecs(classes: int, suppressed: int, n: int) -> float:
    """Average class size; the suppressed rows count as one class."""
    groups = classes + (1 if suppressed else 0)
    return n / groups if groups else 0.0


def entropy_level(counts: Ints, general: Ints, mapping: Ints) -> float:
    """Non-uniform entropy of one column at one level when no row is suppressed.

    Args:
        counts: rows per original value (level-0 code).
        general: rows per generalised value on the level.
        mapping: level-0 code -> code on the level.
    """
    present = counts > 0
    a = counts[present].astype(np.float64)
    b = general[mapping[present]].astype(np.float64)
    return float(np.sum(a * np.log2(b / a)))


def entropy_suppressed(sizes: Ints, weights: Sequence[Floats]) -> float:
    """Extra non-uniform entropy of suppressed classes (their values become `*`).

    Args:
        sizes: rows of each suppressed class.
        weights: per quasi-identifier, log2(n / rows with the class's generalised value),
            one entry per suppressed class.
    """
    if not len(sizes):
        return 0.0
    per_row = np.sum(np.stack(weights), axis=0) if weights else np.zeros(len(sizes))
    return float(np.dot(sizes.astype(np.float64), per_row))


def class_starts(keys: Ints) -> Ints:
    """Index of the first row of each run of equal keys in a sorted array."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    flags = np.empty(len(keys), dtype=bool)
    flags[0] = True
    np.not_equal(keys[1:], keys[:-1], out=flags[1:])
    return np.flatnonzero(flags)


@dataclass(frozen=True)
class Diversity:
    """Sensitive-value diversity per class.

    Attributes:
        distinct: distinct sensitive values.
        entropy: entropy of the sensitive values in nats (entropy l = exp(entropy)).
        distance: earth mover's distance to the reference distribution (t-closeness).
    """

    distinct: Ints
    entropy: Floats
    distance: Floats


def diversity(
    codes: Ints,
    counts: Ints,
    starts: Ints,
    reference: Floats,
    ordered: bool,
    *,
    entropy: bool = True,
    distance: bool = True,
) -> Diversity:
    """Diversity of every class from its pair-table rows.

    Args:
        codes: sensitive code of each pair row (sorted within a class; codes follow the
            value order when `ordered`).
        counts: rows of each pair.
        starts: first pair row of each class.
        reference: share of each sensitive code in the reference table.
        ordered: ordered distance (numbers) instead of equal distance (categories).
        entropy: compute the entropy (else zeros).
        distance: compute the distance (else zeros).
    """
    m = len(codes)
    ends = np.append(starts[1:], m)
    zeros = np.zeros(len(starts))
    result = Diversity(distinct=(ends - starts).astype(np.int64), entropy=zeros, distance=zeros)
    if not m or not (entropy or distance):
        return result
    sizes = np.add.reduceat(counts, starts)
    c = counts.astype(np.float64)
    h = zeros
    if entropy:
        sums = np.add.reduceat(c * np.log(c), starts)
        h = np.maximum(np.log(sizes) - sums / sizes, 0.0)
    d = zeros
    if distance:
        owner = np.repeat(np.arange(len(starts)), ends - starts)
        if ordered:
            d = _ordered_distance(codes, counts, starts, ends, owner, sizes, reference)
        else:
            q = reference[codes]
            d = 0.5 * (1.0 + np.add.reduceat(np.abs(c / sizes[owner] - q) - q, starts))
    return Diversity(distinct=result.distinct, entropy=h, distance=np.clip(d, 0.0, 1.0))


def _ordered_distance(
    codes: Ints,
    counts: Ints,
    starts: Ints,
    ends: Ints,
    owner: Ints,
    sizes: Ints,
    reference: Floats,
) -> Floats:
    """EMD with ordered ground distance: sum_i |P_i - Q_i| / (m - 1), P, Q cumulative."""
    s = len(reference)
    if s < 2 or not len(codes):
        return np.zeros(len(starts))
    q = np.cumsum(reference)
    qs = np.concatenate([[0.0], np.cumsum(q)])
    before = np.concatenate([[0], np.cumsum(counts)])
    cum = (before[1:] - before[starts][owner]) / sizes[owner]
    nxt = np.append(codes[1:], s)
    last = np.zeros(len(codes), dtype=bool)
    last[ends - 1] = True
    b = np.where(last, s, nxt)
    a = codes
    split = np.clip(np.searchsorted(q, cum, side="right"), a, b)
    seg = cum * (split - a) - (qs[split] - qs[a]) + (qs[b] - qs[split]) - cum * (b - split)
    total = np.add.reduceat(seg, starts) + qs[codes[starts]]
    return np.asarray(total / (s - 1), dtype=np.float64)


def fails(div: Diversity, l: int | None, l_kind: str, t: float | None) -> Bools:  # noqa: E741
    """Classes that fail distinct or entropy l-diversity, or t-closeness."""
    fail = np.zeros(len(div.distinct), dtype=bool)
    if l is not None:
        if l_kind == "distinct":
            fail |= div.distinct < l
        else:
            fail |= div.entropy < math.log(l) - TOLERANCE
    if t is not None:
        fail |= div.distance > t + TOLERANCE
    return fail
