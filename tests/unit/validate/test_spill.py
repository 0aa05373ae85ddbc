"""Tests for keys spilled to disk: with a tiny memory budget, the same rows as in memory."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest
from frictionless import Schema

from ogd.validate import TableValidator, keyindex
from ogd.validate.keys import KeyIndex, joined_keys, normal_keys

Keys = Callable[[list[Any]], pa.Array]


def reference(values: list[Any], first: int = 2) -> list[int | None]:
    """What frictionless computes: the latest earlier row with an equal, non-null key."""
    seen: dict[Any, int] = {}
    result = []
    for row, value in enumerate(values, start=first):
        result.append(None if value is None else seen.get(value))
        if value is not None:
            seen[value] = row
    return result


def run(index: KeyIndex, keys: pa.Array, sizes: list[int]) -> list[int | None]:
    found: list[int | None] = []
    start = 0
    for size in sizes:
        found += index.previous_rows(keys.slice(start, size), start + 2).to_pylist()
        start += size
    return found


def sizes_for(count: int, rnd: random.Random, largest: int = 300) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < count:
        sizes.append(min(rnd.randint(1, largest), count - sum(sizes)))
    return sizes


def draws(rnd: random.Random, count: int, distinct: int) -> list[int | None]:
    """Keys with nulls, repeats nearby and repeats from long ago."""
    values: list[int | None] = []
    for _ in range(count):
        roll = rnd.random()
        if roll < 0.05:
            values.append(None)
        elif roll < 0.15 and values:
            values.append(values[rnd.randrange(max(0, len(values) - 20), len(values))])
        else:
            values.append(rnd.randrange(distinct))
    return values


KINDS: dict[str, tuple[Callable[[int], Any], pa.DataType]] = {
    "int": (lambda v: v * 7 - 3000, pa.int64()),
    "float": (lambda v: v / 8, pa.float64()),
    "string": (lambda v: f"756.{v * 7919 % 100_003:05d}" + "é" * (v % 3), pa.string()),
    "long string": (lambda v: f"{v:06d}-" + "x" * 70, pa.string()),  # hashed by Python
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("seed", range(3))
def test_spilled_keys_give_the_rows_kept_in_memory(
    kind: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyindex, "_BLOCK", [1, 4, 256][seed])  # keys read at once
    monkeypatch.setattr(keyindex, "_FEW", 10)  # ask the in-memory Bloom filter too
    rnd = random.Random(seed)
    count = 3_000
    raw = draws(rnd, count, distinct=[300, 1_500, 10_000][seed])
    make, arrow = KINDS[kind]
    values = [None if v is None else make(v) for v in raw]
    keys = normal_keys(pa.array(values, arrow))
    sizes = sizes_for(count, rnd)
    expected = run(KeyIndex(memory_keys=10**9), keys, sizes)
    assert expected == reference(values)
    for budget in (1, 37, 400):
        index = KeyIndex(memory_keys=budget)
        assert run(index, keys, sizes) == expected, budget
        assert index.spilled_runs > 0 and index.memory_size <= budget + max(sizes)
        index.close()


def test_composite_keys_spill(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyindex, "MEMORY_KEYS", 50)
    rnd = random.Random(11)
    count = 4_000
    years = [rnd.choice([None, 2020, 2021, 2022.0]) for _ in range(count)]
    places = [rnd.choice([None, "Luzern", "Kriens", "Horw", "1", "Ebikon"]) for _ in range(count)]
    numbers = [rnd.choice([None, *range(40)]) for _ in range(count)]
    columns = [
        pa.array(years, pa.float64()),
        pa.array(places, pa.string()),
        pa.array(numbers, pa.int64()),
    ]
    keys = joined_keys(columns)
    python = [
        None if y is None and p is None and n is None else (y, p, n)
        for y, p, n in zip(years, places, numbers, strict=True)
    ]  # 2022.0 == 2022 as in Python
    sizes = sizes_for(count, rnd, largest=120)
    index = KeyIndex()
    assert run(index, keys, sizes) == reference(python)
    assert index.spilled_runs > 3
    index.close()


def test_hash_collisions_in_spilled_runs_never_give_a_wrong_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def weak(values: pa.Array) -> pa.Array:  # every string of one length collides
        return pa.array([None if v is None else len(v) for v in values.to_pylist()], pa.int64())

    monkeypatch.setattr(keyindex, "hash_strings", weak)
    monkeypatch.setattr(keyindex, "_BLOCK", 2)
    rnd = random.Random(3)
    words = ["ab", "ba", "cd", "dc", "abc", "cab", "x", "", "yy", "zz", "zy"]
    texts = [rnd.choice([*words, None]) for _ in range(900)]
    index = KeyIndex(memory_keys=3)
    assert run(index, pa.array(texts, pa.string()), sizes_for(900, rnd, 7)) == reference(texts)
    assert index.spilled_runs > 10
    index.close()


def test_spilled_files_are_removed_on_close() -> None:
    index = KeyIndex(memory_keys=100)
    for start in range(0, 5_000, 500):
        index.previous_rows(pa.array([f"k{i}" for i in range(start, start + 500)]), start + 2)
    assert index.spilled_runs == 10 and index.size == 5_000
    folder = index._folder
    assert folder is not None and len(os.listdir(folder.name)) == 10
    index.close()
    assert not os.path.exists(folder.name)
    assert index.size == 0


def register(rows: int) -> pa.Table:
    rnd = random.Random(rows)
    ids = [str(rnd.randrange(rows)) if i % 9 == 0 else str(i) for i in range(rows)]
    ahv = [f"756.{rnd.randrange(rows * 2):06d}" if i % 5 else "" for i in range(rows)]
    return pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "ahv": pa.array(ahv, pa.string()),
            "ort": pa.array([rnd.choice(["Luzern", "Kriens", ""]) for _ in range(rows)]),
        }
    )


SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "ahv", "type": "string", "constraints": {"unique": True}},
        {"name": "ort", "type": "string"},
    ],
    "primaryKey": ["id", "ort"],
}


def findings(table: pa.Table) -> list[tuple[Any, ...]]:
    validator = TableValidator(Schema.from_descriptor(SCHEMA), source="x.csv", max_errors=10**6)
    row = 2
    for batch in table.to_batches(max_chunksize=333):
        validator.validate(batch, row)
        row += batch.num_rows
    report = validator.finish()
    return [(e.row_number, e.field_name, e.type, e.note) for e in report.errors]


def test_validator_reports_the_same_with_spilled_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    table = register(6_000)
    expected = findings(table)
    assert sum(1 for found in expected if found[2] == "unique-error") > 100
    assert sum(1 for found in expected if found[2] == "primary-key") > 100
    monkeypatch.setattr(keyindex, "MEMORY_KEYS", 250)
    assert findings(table) == expected


def test_a_finished_validator_takes_no_more_batches() -> None:
    validator = TableValidator(Schema.from_descriptor(SCHEMA), source="x.csv")
    batch = register(10).to_batches()[0]
    validator.validate(batch, 2)
    validator.finish()
    with pytest.raises(RuntimeError, match="finished"):
        validator.validate(batch, 12)
