"""Reference implementations for the anonymisation tests, written independently of `ogd`.

`naive_nodes` scores every node of the lattice in plain Python (small tables only), with
the definitions of the reference, section 5: the tests compare `kanon.search` with it.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from ogd.anonymise.hierarchy import Hierarchy
from ogd.anonymise.kanon import KPolicy


@dataclass(frozen=True)
class Node:
    """One lattice node scored the slow way."""

    levels: tuple[int, ...]
    suppressed: int
    feasible: bool
    loss: dict[str, float]
    kept_classes: dict[tuple[str, ...], list[int]]  # released classes: label tuple -> rows


def _distance(values: Sequence[object], reference: Counter[object], n: int, ordered: bool) -> float:
    domain = sorted(reference, key=lambda v: (v is None, v)) if ordered else list(reference)
    here = Counter(values)
    diffs = [here[v] / len(values) - reference[v] / n for v in domain]
    if ordered:
        if len(domain) < 2:
            return 0.0
        return sum(abs(x) for x in itertools.accumulate(diffs)) / (len(domain) - 1)
    return 0.5 * sum(abs(x) for x in diffs)


def _entropy(values: Sequence[object]) -> float:
    counts = Counter(values).values()
    total = sum(counts)
    return -sum(c / total * math.log(c / total) for c in counts)


def _fails(
    rows: list[int], table: pa.Table, policy: KPolicy, refs: Mapping[str, Counter[object]]
) -> bool:
    if len(rows) < policy.k:
        return True
    for name in policy.sensitive:
        column = table[name].to_pylist()
        values = [column[i] for i in rows]
        if policy.l is not None:
            if policy.l_kind == "distinct" and len(set(values)) < policy.l:
                return True
            if policy.l_kind == "entropy" and _entropy(values) < math.log(policy.l) - 1e-9:
                return True
        if policy.t is not None:
            ordered = pa.types.is_integer(table[name].type) or pa.types.is_floating(
                table[name].type
            )
            if _distance(values, refs[name], table.num_rows, ordered) > policy.t + 1e-9:
                return True
    return False


def naive_nodes(
    table: pa.Table, hierarchies: Mapping[str, Hierarchy], policy: KPolicy
) -> list[Node]:
    """Every node of the lattice with its suppression, feasibility and all four losses."""
    n = table.num_rows
    qis = policy.quasi_identifiers
    raw = {q: [str(v) for v in table[q].to_pylist()] for q in qis}
    maps = {
        q: [dict(zip(h.values, level, strict=True)) for h in [hierarchies[q]] for level in h.labels]
        for q in qis
    }
    value_count = {q: Counter(raw[q]) for q in qis}
    refs = {s: Counter(table[s].to_pylist()) for s in policy.sensitive}
    nodes = []
    for levels in itertools.product(*(range(hierarchies[q].height + 1) for q in qis)):
        labels = {q: [maps[q][lv][v] for v in raw[q]] for q, lv in zip(qis, levels, strict=True)}
        classes: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in range(n):
            classes[tuple(labels[q][i] for q in qis)].append(i)
        kept = {key: rows for key, rows in classes.items() if not _fails(rows, table, policy, refs)}
        suppressed = n - sum(len(r) for r in kept.values())
        allowed = math.floor(policy.suppression_limit * n + 1e-9)
        feasible = suppressed <= allowed and suppressed < n
        heights = [hierarchies[q].height for q in qis]
        share = sum(lv / h if h else 0.0 for lv, h in zip(levels, heights, strict=True)) / len(qis)
        entropy = 0.0
        kept_rows = {i for rows in kept.values() for i in rows}
        for q in qis:
            general = Counter(labels[q])
            for i in range(n):
                top = n if i not in kept_rows else general[labels[q][i]]
                entropy += math.log2(top / value_count[q][raw[q][i]])
        loss = {
            "discernibility": float(sum(len(r) ** 2 for r in kept.values()) + suppressed * n),
            "precision": (share * (n - suppressed) + suppressed) / n,
            "aecs": n / (len(kept) + (1 if suppressed else 0)),
            "entropy": entropy,
        }
        nodes.append(Node(tuple(levels), suppressed, feasible, loss, dict(kept)))
    return nodes


def naive_best(nodes: Sequence[Node], metric: str) -> float | None:
    """The minimal loss among the feasible nodes (None when no node is feasible)."""
    values = [node.loss[metric] for node in nodes if node.feasible]
    return min(values) if values else None
