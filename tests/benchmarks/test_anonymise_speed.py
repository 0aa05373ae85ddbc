"""Speed of the k-anonymity search: Adult QI8 against ANJANA, and a register-sized table.

Run with `make bench` (prints Markdown tables). The optimum values asserted here are proven
by the brute force in tests/integration/test_adult.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ogd.anonymise.hierarchy import Hierarchy, rule_hierarchy
from ogd.anonymise.kanon import KPolicy, Solution, apply, measure, search
from ogd.anonymise.metrics import discernibility, precision
from tests.benchmarks.conftest import Bench
from tests.integration.test_adult import ADULT, QI8, adult

pytestmark = pytest.mark.benchmark

N_REGISTER = 83_000


def timed(run: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of `repeat` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def anjana_run(k: int, percent: float) -> tuple[float, pd.DataFrame]:
    from anjana.anonymity import k_anonymity

    frame = pd.read_csv(ADULT / "adult.csv", sep=";", dtype=str)
    hierarchies = {}
    for q in QI8:
        levels = pd.read_csv(ADULT / f"adult_hierarchy_{q}.csv", sep=";", header=None, dtype=str)
        hierarchies[q] = {i: levels[i].to_numpy() for i in levels.columns}
    started = time.perf_counter()
    out = k_anonymity(frame, [], list(QI8), k, percent, hierarchies)
    seconds = time.perf_counter() - started
    return seconds, out.drop(columns=["index"], errors="ignore")


def anjana_row(
    seconds: float, out: pd.DataFrame, built: dict[str, Hierarchy], n: int
) -> dict[str, Any]:
    levels = {
        q: next(lv for lv in range(built[q].height + 1) if set(out[q]) <= set(built[q].labels[lv]))
        for q in QI8
    }
    suppressed = n - len(out)
    sizes = out.groupby(list(QI8)).size().to_numpy()
    heights = [built[q].height for q in QI8]
    return {
        "tool": "ANJANA 1.2.3 (greedy)",
        "seconds": seconds,
        "discernibility": discernibility(sizes, suppressed, n),
        "precision": precision([levels[q] for q in QI8], heights, suppressed, n),
        "suppressed": suppressed,
        "levels": levels,
    }


def ours_row(name: str, seconds: float, solution: Solution) -> dict[str, Any]:
    return {
        "tool": name,
        "seconds": seconds,
        "discernibility": int(solution.loss["discernibility"]),
        "precision": solution.loss["precision"],
        "suppressed": solution.suppressed_rows,
        "levels": dict(solution.levels),
    }


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| tool | seconds | discernibility | precision loss | suppressed rows | levels |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        levels = ", ".join(f"{q} {lv}" for q, lv in r["levels"].items())
        lines.append(
            f"| {r['tool']} | {r['seconds']:.3f} | {r['discernibility']:,} | "
            f"{r['precision']:.4f} | {r['suppressed']:,} | {levels} |"
        )
    return "\n".join(lines)


def test_adult_qi8_against_anjana(bench: Bench) -> None:
    table, built = adult()
    n = table.num_rows
    rows = []
    for metric in ("discernibility", "precision"):
        policy = KPolicy(QI8, k=5, suppression_limit=0.05, metric=metric)
        seconds, solution = timed(partial(search, table, built, policy))
        rows.append(ours_row(f"ogd search ({metric})", seconds, solution))
        assert solution.k >= 5
        assert seconds <= 0.5, f"{metric} search took {seconds:.3f} s"
    assert rows[0]["discernibility"] == 9_268_952
    assert rows[1]["precision"] == pytest.approx(0.2996, abs=1e-4)
    anjana_seconds, out = anjana_run(5, 5)
    rows.append(anjana_row(anjana_seconds, out, built, n))
    print("\n\nAdult QI8, k=5, 5 % suppression (ours: best of 3 runs)\n")
    print(markdown(rows))
    slowest = max(r["seconds"] for r in rows[:2])
    print(
        f"\nspeed ratio ANJANA / ours (slower of our two searches): {anjana_seconds / slowest:.1f}x"
    )
    bench.record(
        "k-anonymity search, Adult QI8, k=5",
        f"{slowest:.3f} s",
        anchor=f"ANJANA {anjana_seconds:.2f} s",
        ratio=anjana_seconds / slowest,
        required=">= 10x, utility >= ANJANA's",
        passed=anjana_seconds >= 10 * slowest
        and rows[0]["discernibility"] <= rows[2]["discernibility"]
        and rows[1]["precision"] <= rows[2]["precision"],
    )
    assert anjana_seconds >= 10 * slowest
    assert rows[0]["discernibility"] <= rows[2]["discernibility"]
    assert rows[1]["precision"] <= rows[2]["precision"]


def register(n: int, seed: int = 1061) -> tuple[pa.Table, dict[str, Hierarchy]]:
    """A synthetic residents' register: age, sex, nationality, quarter, civil status."""
    rng = np.random.default_rng(seed)
    continents = ["Europa", "Afrika", "Asien", "Amerika", "Ozeanien"]
    countries = [f"Land-{i:02d}" for i in range(40)]
    continent_of = [continents[min(i // 8, 4)] if i else "Europa" for i in range(40)]
    quarters = [f"Quartier-{i:02d}" for i in range(28)]
    district_of = [f"Kreis-{i % 6}" for i in range(28)]
    civil = ("ledig", "verheiratet", "geschieden", "verwitwet", "eingetragen")
    weights = np.r_[60.0, np.full(39, 1.0)]
    table = pa.table(
        {
            "alter": rng.integers(0, 101, n),
            "geschlecht": rng.choice(["m", "w"], n),
            "nationalitaet": rng.choice(countries, n, p=weights / weights.sum()),
            "quartier": rng.choice(quarters, n),
            "zivilstand": rng.choice(civil, n),
            "haushalt_id": rng.integers(0, n // 2, n),
        }
    )
    built = {
        "alter": rule_hierarchy(
            "alter",
            table["alter"],
            {"bands": [list(range(0, 101, 5)), list(range(0, 101, 10)), list(range(0, 101, 20))]},
        ),
        "geschlecht": Hierarchy("geschlecht", (("m", "w"), ("*", "*")), ("m", "w")),
        "nationalitaet": Hierarchy(
            "nationalitaet", (tuple(countries), tuple(continent_of), ("*",) * 40), tuple(countries)
        ),
        "quartier": Hierarchy(
            "quartier", (tuple(quarters), tuple(district_of), ("*",) * 28), tuple(quarters)
        ),
        "zivilstand": Hierarchy("zivilstand", (civil, ("*",) * len(civil)), civil),
    }
    return table, built


def test_register_sized_table(bench: Bench) -> None:
    table, built = register(N_REGISTER)
    policy = KPolicy(tuple(built), k=5, suppression_limit=0.05)

    def run() -> tuple[Solution, pa.Table]:
        solution = search(table, built, policy)
        return solution, apply(table, built, policy, solution)

    seconds, (solution, released) = timed(run)
    print(f"\n\nRegister, {N_REGISTER:,} rows, 5 quasi-identifiers, k=5, 5 % (best of 3)\n")
    print(markdown([ours_row("ogd search + apply", seconds, solution)]))
    print(
        f"\nnodes {solution.nodes_checked} of {solution.nodes_total} checked, "
        f"{solution.classes} classes, {released.num_rows:,} rows released"
    )
    k = measure(released, policy)["k"]
    bench.record(
        f"k-anonymity search + apply, register {N_REGISTER:,} rows",
        f"{seconds:.3f} s",
        required="< 2 s, k >= 5",
        passed=seconds < 2.0 and k >= 5,
    )
    assert k >= 5
    assert seconds < 2.0
