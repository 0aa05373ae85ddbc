"""Loss metrics and per-class diversity against hand-computed and naive values."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ogd.anonymise import metrics as mx


def test_discernibility_counts_suppressed_rows_n_times() -> None:
    assert mx.discernibility(np.array([5, 3]), 2, 10) == 25 + 9 + 20


def test_precision_counts_a_suppressed_record_as_one() -> None:
    # heights 4 and 2, levels 2 and 1: share 0.5; 2 of 10 records suppressed
    assert mx.precision([2, 1], [4, 2], 2, 10) == pytest.approx(0.5 * 0.8 + 0.2)
    assert mx.height_share([0, 0], [3, 0]) == 0.0


def test_aecs_counts_the_suppressed_rows_as_one_class() -> None:
    assert mx.aecs(4, 0, 20) == 5.0
    assert mx.aecs(4, 2, 20) == 4.0


def test_non_uniform_entropy_by_hand() -> None:
    # values a a b c, generalised to {a, b} -> x, c -> y
    counts = np.array([2, 1, 1])
    general = np.array([3, 1])
    mapping = np.array([0, 0, 1])
    expected = 2 * math.log2(3 / 2) + 1 * math.log2(3 / 1) + 0.0
    assert mx.entropy_level(counts, general, mapping) == pytest.approx(expected)
    # one suppressed class of 2 rows whose generalised value x has 3 of 4 rows
    assert mx.entropy_suppressed(np.array([2]), [np.array([math.log2(4 / 3)])]) == pytest.approx(
        2 * math.log2(4 / 3)
    )


def naive(
    classes: list[list[int]], reference: list[float], ordered: bool
) -> tuple[list[int], list[float], list[float]]:
    distinct, entropy, distance = [], [], []
    for values in classes:
        count = Counter(values)
        distinct.append(len(count))
        entropy.append(-sum(c / len(values) * math.log(c / len(values)) for c in count.values()))
        diffs = [count[v] / len(values) - q for v, q in enumerate(reference)]
        if ordered:
            steps = [abs(x) for x in itertools.accumulate(diffs)]
            distance.append(sum(steps) / (len(reference) - 1) if len(reference) > 1 else 0.0)
        else:
            distance.append(0.5 * sum(abs(x) for x in diffs))
    return distinct, entropy, distance


@settings(max_examples=100, deadline=None)
@given(
    classes=st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=12), min_size=1, max_size=6),
    ordered=st.booleans(),
)
def test_diversity_matches_naive(classes: list[list[int]], ordered: bool) -> None:
    size = 6
    everything = [v for values in classes for v in values]
    reference = [everything.count(v) / len(everything) for v in range(size)]
    codes: list[int] = []
    counts: list[int] = []
    starts: list[int] = []
    for values in classes:
        starts.append(len(codes))
        for code, count in sorted(Counter(values).items()):
            codes.append(code)
            counts.append(count)
    div = mx.diversity(
        np.array(codes), np.array(counts), np.array(starts), np.array(reference), ordered
    )
    distinct, entropy, distance = naive(classes, reference, ordered)
    assert div.distinct.tolist() == distinct
    assert div.entropy == pytest.approx(entropy, abs=1e-12)
    assert div.distance == pytest.approx(distance, abs=1e-12)


def test_fails_applies_l_and_t() -> None:
    div = mx.Diversity(
        distinct=np.array([1, 3]),
        entropy=np.array([0.0, math.log(3)]),
        distance=np.array([0.5, 0.1]),
    )
    assert mx.fails(div, 2, "distinct", None).tolist() == [True, False]
    assert mx.fails(div, 3, "entropy", None).tolist() == [True, False]
    assert mx.fails(div, None, "distinct", 0.2).tolist() == [True, False]
    assert mx.fails(div, None, "distinct", None).tolist() == [False, False]
