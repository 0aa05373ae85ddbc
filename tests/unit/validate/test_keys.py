"""Tests for ogd.validate.keys and ogd.validate.keyindex: keys across batches, exactly."""

from __future__ import annotations

import random
from typing import Any

import pyarrow as pa
import pytest

from ogd.validate import hashing, keyindex
from ogd.validate.keys import KeyIndex, Lookup, joined_keys, normal_keys


def reference(values: list[Any], first: int = 2) -> list[int | None]:
    """What frictionless computes: the latest earlier row with an equal, non-null key."""
    seen: dict[Any, int] = {}
    result = []
    for row, value in enumerate(values, start=first):
        result.append(None if value is None else seen.get(value))
        if value is not None:
            seen[value] = row
    return result


def run(values: list[Any], kind: pa.DataType, sizes: list[int]) -> list[int | None]:
    index = KeyIndex()
    found: list[int | None] = []
    start = 0
    for size in sizes:
        part = values[start : start + size]
        keys = normal_keys(pa.array(part, kind))
        found += index.previous_rows(keys, start + 2).to_pylist()
        start += size
    return found


def sizes_for(count: int, rnd: random.Random) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < count:
        sizes.append(min(rnd.randint(1, 40), count - sum(sizes)))
    return sizes


@pytest.mark.parametrize("seed", range(6))
def test_matches_a_dictionary(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyindex, "_FANOUT", 3)  # merge often
    monkeypatch.setattr(keyindex, "_FEW", seed % 3 * 5)  # ask the Bloom filter (or not)
    monkeypatch.setattr(hashing, "_MIN_BITS", 64)  # and rebuild it often
    rnd = random.Random(seed)
    count = 1500
    sizes = sizes_for(count, rnd)
    ints = [rnd.choice([None, *range(300)]) for _ in range(count)]
    assert run(ints, pa.int64(), sizes) == reference(ints)
    texts = [None if v is None else f"756.{v:04d}" for v in ints]
    assert run(texts, pa.string(), sizes) == reference(texts)


def test_string_hash_collisions_never_give_a_wrong_row(monkeypatch: pytest.MonkeyPatch) -> None:
    def weak(values: pa.Array) -> pa.Array:  # every string of one length collides
        return pa.array([None if v is None else len(v) for v in values.to_pylist()], pa.int64())

    monkeypatch.setattr(keyindex, "hash_strings", weak)
    monkeypatch.setattr(keyindex, "_FANOUT", 2)
    rnd = random.Random(7)
    texts = [rnd.choice(["ab", "ba", "cd", "abc", "x", None]) for _ in range(400)]
    assert run(texts, pa.string(), sizes_for(400, rnd)) == reference(texts)


def test_floats_compare_as_python_numbers() -> None:
    values = [1.0, -0.0, float("nan"), 0.0, float("nan"), 1.0, None]
    found = run(values, pa.float64(), [3, 4])
    assert found == [None, None, None, 3, None, 2, None]


def test_memory_holds_distinct_keys_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyindex, "_FANOUT", 4)
    index = KeyIndex()
    for start in range(0, 20_000, 1_000):
        keys = pa.array([i % 5_000 for i in range(start, start + 1_000)], pa.int64())
        index.previous_rows(keys, start + 2)
    assert index.size <= 2 * 5_000  # a repeat lives in at most one unmerged run


def test_string_hashes_are_stable_and_spread() -> None:
    values = pa.array([f"756.{i:04d}.{i % 97:04d}" for i in range(10_000)] + ["é" * 80, None])
    hashes = hashing.hash_strings(values)
    assert hashes[-1].as_py() is None
    assert len(set(hashes.to_pylist())) == len(values)
    assert hashing.hash_strings(values.slice(5, 3)).to_pylist() == hashes.to_pylist()[5:8]


def test_joined_keys_equal_where_python_tuples_are() -> None:
    ints = pa.array([1, 1, None, None, 2], pa.int64())
    floats = pa.array([1.0, 1.5, None, float("nan"), 2.0])
    texts = pa.array(["1", "a", None, "x", "b"])
    keys = joined_keys([ints, texts]).to_pylist()
    assert keys[0] != keys[1] and keys[2] is None
    assert joined_keys([ints])[0] == joined_keys([floats])[0]  # 1 == 1.0
    assert joined_keys([ints])[0] != joined_keys([texts])[0]  # 1 != "1"
    assert joined_keys([floats, texts])[3].as_py() is None  # NaN equals nothing
    booleans = pa.array([True, False, None, None, None])
    assert joined_keys([booleans])[0] == joined_keys([ints])[0]  # True == 1


def test_lookup_membership() -> None:
    lookup = Lookup(pa.array(["b", "a", None, "a"]))
    assert lookup.contains(pa.array(["a", "c", None])).to_pylist() == [True, False, None]
    empty = Lookup(pa.array([], pa.string()))
    assert empty.contains(pa.array(["a", None])).to_pylist() == [False, None]
