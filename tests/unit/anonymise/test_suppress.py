"""Small-cell protection: primary and secondary suppression, checked by an independent attacker.

The attacker here is written separately from the module: it builds one equation for every
marginal total (every subset of the dimensions, the grand total included) and solves the
linear programme for the smallest and largest value of each blank cell.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ogd.anonymise.suppress import CellReport, protect_table, suppress_small_cells
from ogd.errors import PrivacyError

THRESHOLD = 5


def long_table(counts: Mapping[Any, int], dims: Sequence[str]) -> pa.Table:
    """A long-format table from {combination: count}; zero counts are left out."""
    items = [(k, v) for k, v in counts.items() if v]
    columns = {d: [k[i] for k, _ in items] for i, d in enumerate(dims)}
    columns["anzahl"] = pa.array([v for _, v in items], pa.int64())
    return pa.table(columns)


def attacker_intervals(
    original: pa.Table,
    published: pa.Table,
    dims: Sequence[str],
    *,
    threshold: int = THRESHOLD,
    zeros_known: bool = True,
    primaries_known: bool = True,
    cells: Sequence[int] | None = None,
) -> dict[tuple[object, ...], tuple[float, float]]:
    """The attacker's [min, max] for each blank count, from every marginal total.

    A dimension with a single value is left out: summing over it adds up nothing.
    """
    dims = [d for d in dims if len(pc.unique(published[d])) > 1]
    true = {tuple(r[d] for d in dims): r["anzahl"] for r in original.to_pylist()}
    rows = published.to_pylist()
    keys = [tuple(r[d] for d in dims) for r in rows]
    blank = [i for i, r in enumerate(rows) if r["anzahl"] is None]
    index = {i: k for k, i in enumerate(blank)}
    equations: list[Any] = []
    rhs: list[float] = []
    for size in range(max(1, len(dims))):  # the grand total at least
        for subset in itertools.combinations(range(len(dims)), size):
            groups: dict[tuple[object, ...], list[int]] = {}
            for i, key in enumerate(keys):
                groups.setdefault(tuple(key[j] for j in subset), []).append(i)
            for members in groups.values():
                unknown = [i for i in members if i in index]
                if not unknown:
                    continue
                row = np.zeros(len(blank))
                row[[index[i] for i in unknown]] = 1
                known = sum(rows[i]["anzahl"] for i in members if i not in index)
                equations.append(row)
                rhs.append(sum(true.get(keys[i], 0) for i in members) - known)
    bounds: list[tuple[float, float | None]] = []
    for i in blank:
        value = true.get(keys[i], 0)
        if 0 < value < threshold and primaries_known:
            bounds.append((1, threshold - 1))
        else:
            bounds.append((1 if zeros_known else 0, None))
    out: dict[tuple[object, ...], tuple[float, float]] = {}
    for k in cells if cells is not None else range(len(blank)):
        ends = []
        for sign in (1, -1):
            c = np.zeros(len(blank))
            c[k] = sign
            res = linprog(c, A_eq=np.array(equations), b_eq=rhs, bounds=bounds, method="highs")
            assert res.status == 0, res.message
            ends.append(res.x[k])
        out[keys[blank[k]]] = (ends[0], ends[1])
    return out


def assert_protected(
    original: pa.Table, published: pa.Table, dims: Sequence[str], **kw: Any
) -> None:
    counts = published["anzahl"].to_pylist()
    assert all(c is None or c == 0 or c >= THRESHOLD for c in counts)
    for cell, (low, high) in attacker_intervals(original, published, dims, **kw).items():
        assert high - low >= 1 - 1e-6, f"{cell} is pinned to [{low}, {high}]"


# --- a 3x3 table --------------------------------------------------------------------------

GRID = {
    ("x", "a"): 10, ("x", "b"): 2, ("x", "c"): 15,
    ("y", "a"): 12, ("y", "b"): 20, ("y", "c"): 11,
    ("z", "a"): 8, ("z", "b"): 9, ("z", "c"): 30,
}  # fmt: skip


def test_primary_only_is_recomputable_from_row_and_column_totals() -> None:
    table = long_table(GRID, ["zeile", "spalte"])
    published, hidden = suppress_small_cells(table, ["anzahl"], THRESHOLD)
    assert hidden == 1
    ((low, high),) = attacker_intervals(table, published, ["zeile", "spalte"]).values()
    assert low == high == 2  # the attacker subtracts the row's other cells from its total


def test_secondary_suppression_closes_the_small_cell() -> None:
    table = long_table(GRID, ["zeile", "spalte"])
    published, report = protect_table(table, "anzahl", THRESHOLD)
    assert report.primary == 1 and report.secondary == 3  # the cheapest 2x2 rectangle
    assert report.audit == "passed" and report.min_interval >= 1
    blank = {(r["zeile"], r["spalte"]) for r in published.to_pylist() if r["anzahl"] is None}
    assert blank == {("x", "a"), ("x", "b"), ("z", "a"), ("z", "b")}  # smallest counts
    intervals = attacker_intervals(table, published, ["zeile", "spalte"])
    low, high = intervals[("x", "b")]
    assert high - low >= 1 and low <= 2 <= high
    assert_protected(table, published, ["zeile", "spalte"])


def test_lines_hold_zero_or_at_least_two_blanks() -> None:
    table = long_table(GRID, ["zeile", "spalte"])
    published, _ = protect_table(table, "anzahl", THRESHOLD)
    for dim in ("zeile", "spalte"):
        blanks = published.filter(pc.is_null(published["anzahl"]))
        for value, n in zip(*pc.value_counts(blanks[dim]).flatten(), strict=True):
            assert n.as_py() != 1, f"{dim}={value} holds a single blank"


def test_totals_from_the_published_table_never_pin_a_blank() -> None:
    table = long_table(GRID, ["zeile", "spalte"])
    published, _ = protect_table(table, "anzahl", THRESHOLD)
    rows = published.to_pylist()
    true = {(r["zeile"], r["spalte"]): r["anzahl"] for r in table.to_pylist()}
    for dim in ("zeile", "spalte"):
        for value in {r[dim] for r in rows}:
            line = [r for r in rows if r[dim] == value]
            blank = [r for r in line if r["anzahl"] is None]
            total = sum(true[(r["zeile"], r["spalte"])] for r in line)
            rest = total - sum(r["anzahl"] for r in line if r["anzahl"] is not None)
            if blank:  # the remainder is shared by two or more blanks, never one
                assert len(blank) >= 2 and rest > max(
                    true[(r["zeile"], r["spalte"])] for r in blank
                )


def test_no_released_count_below_the_threshold_and_linked_columns_follow() -> None:
    table = long_table(GRID, ["zeile", "spalte"])
    table = table.append_column(
        "kosten", pa.array([c * 100.0 for c in table["anzahl"].to_pylist()])
    )
    published, report = protect_table(table, "anzahl", THRESHOLD, linked=["kosten"])
    counts = published["anzahl"].to_pylist()
    assert not [c for c in counts if c is not None and 0 < c < THRESHOLD]
    assert pc.is_null(published["anzahl"]).equals(pc.is_null(published["kosten"]))
    assert report.linked_cells == 4
    assert published.schema == table.schema and published.num_rows == table.num_rows


def test_published_cells_are_unchanged() -> None:
    table = long_table(GRID, ["zeile", "spalte"])
    published, _ = protect_table(table, "anzahl", THRESHOLD)
    for before, after in zip(
        table["anzahl"].to_pylist(), published["anzahl"].to_pylist(), strict=True
    ):
        assert after is None or after == before


def test_table_without_small_cells_is_untouched() -> None:
    table = long_table({k: v + 10 for k, v in GRID.items()}, ["zeile", "spalte"])
    published, report = protect_table(table, "anzahl", THRESHOLD)
    assert published.equals(table)
    assert report == CellReport(THRESHOLD, 0, 0, 9, 0, "passed", math.inf)
    assert report.as_dict()["min_interval"] is None


# --- refusals -----------------------------------------------------------------------------


def test_cell_alone_in_its_line_is_refused_with_its_name() -> None:
    counts = dict(GRID)
    counts[("x", "a")] = counts[("x", "c")] = 0  # row x: only the small cell is non-zero
    table = long_table(counts, ["zeile", "spalte"])
    with pytest.raises(PrivacyError) as info:
        protect_table(table, "anzahl", THRESHOLD)
    assert "zeile=x, spalte=b" in info.value.where
    assert "margins alone" in info.value.message and info.value.hint


def test_two_small_cells_that_fill_their_margin_are_refused() -> None:
    # 4 + 4 = 8 in a two-valued dimension: both cells are 4 if primaries lie in 1..4
    table = long_table({("m", "a"): 4, ("w", "a"): 4, ("m", "b"): 20, ("w", "b"): 30}, ["s", "o"])
    with pytest.raises(PrivacyError, match="margins alone"):
        protect_table(table, "anzahl", THRESHOLD)
    published, _ = protect_table(table, "anzahl", THRESHOLD, primaries_known=False)
    assert published["anzahl"].null_count == 4


def test_hidden_zeros_protect_a_cell_whose_partner_is_zero() -> None:
    counts = {("m", "a"): 3, ("m", "b"): 20, ("w", "b"): 30, ("m", "c"): 12, ("w", "c"): 9}
    table = long_table(counts, ["s", "o"])
    with pytest.raises(PrivacyError, match="zeros_known=False"):
        protect_table(table, "anzahl", THRESHOLD)
    published, report = protect_table(table, "anzahl", THRESHOLD, zeros_known=False)
    assert published.num_rows == 6 and report.hidden_zeros == 1
    assert report.cells == 6 and report.primary == 1
    assert_protected(table, published, ["s", "o"], zeros_known=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.set_column(2, "anzahl", pa.array([None] + [5] * 8, pa.int64())), "nulls"),
        (lambda t: t.set_column(2, "anzahl", pa.array([-1] + [5] * 8, pa.int64())), "negative"),
        (lambda t: pa.concat_tables([t, t.slice(0, 1)]), "appears twice"),
        (lambda t: t.set_column(2, "anzahl", pa.array([5.0] * 9)), "not integer"),
        (lambda t: t.drop_columns(["anzahl"]), "not in the table"),
        (lambda t: t.append_column("anteil", pa.array([0.1] * 9)), "neither dimensions"),
    ],
)
def test_bad_input_is_refused(change: Callable[[pa.Table], pa.Table], message: str) -> None:
    table = change(long_table(GRID, ["zeile", "spalte"]))
    with pytest.raises(PrivacyError, match=message):
        protect_table(table, "anzahl", THRESHOLD, dimensions=["zeile", "spalte"])


def test_constant_dimension_adds_no_margin() -> None:
    table = long_table(GRID, ["zeile", "spalte"]).append_column("jahr", pa.array([2025] * 9))
    published, report = protect_table(table, "anzahl", THRESHOLD)
    assert report.secondary == 3


# --- a table shaped like the city's population table --------------------------------------


def population(seed: int, floor: int = 2) -> pa.Table:
    """28 quarters x 19 age bands x 2 sexes x 2 origins, small counts among old foreigners.

    Counts are Poisson, raised to `floor`; with floor 0 empty combinations are left out.
    """
    rng = np.random.default_rng(seed)
    share = rng.lognormal(0, 0.45, 28)
    share /= share.sum()
    age = np.concatenate([np.full(14, 1.0), [0.9, 0.7, 0.5, 0.3, 0.2]])
    age /= age.sum()
    foreign = np.concatenate([np.full(13, 0.25), np.linspace(0.15, 0.04, 6)])
    origin = np.stack([1 - foreign, foreign], axis=1)  # (age, origin)
    mean = 83_000 * share[:, None, None, None] * age[None, :, None, None] * 0.5
    mean = mean * origin[None, :, None, :]
    counts = np.maximum(floor, rng.poisson(np.broadcast_to(mean, (28, 19, 2, 2))))
    q, a, s, o = np.indices(counts.shape).reshape(4, -1)
    bands = [f"{5 * i}-{5 * i + 4}" for i in range(18)] + ["90+"]
    return pa.table(
        {
            "quartier": [f"Q{i:02d}" for i in q],
            "altersgruppe": [bands[i] for i in a],
            "geschlecht": np.array(["m", "w"])[s],
            "herkunft": np.array(["ch", "ausland"])[o],
            "anzahl": counts.ravel().astype(np.int64),
        }
    ).filter(pa.array(counts.ravel() > 0))


def test_population_shaped_table_passes_the_audit_in_under_two_seconds() -> None:
    table = population(seed=4)
    assert table.num_rows == 2128
    start = time.perf_counter()
    published, report = protect_table(table, "anzahl", THRESHOLD)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert report.primary > 150 and report.audit == "passed" and report.min_interval >= 1
    dims = ["quartier", "altersgruppe", "geschlecht", "herkunft"]
    counts = published["anzahl"].to_pylist()
    assert not [c for c in counts if c is not None and c < THRESHOLD]
    # the independent attacker (every one of the 15 margins) on a sample of blank cells
    sample = list(range(0, report.primary + report.secondary, 23))
    assert_protected(table, published, dims, cells=sample)


def top_coded(table: pa.Table) -> pa.Table:
    """The table with 85-89 and 90+ merged into one band 85+."""
    old = pc.is_in(table["altersgruppe"], pa.array(["85-89", "90+"]))
    table = table.set_column(1, "altersgruppe", pc.if_else(old, "85+", table["altersgruppe"]))
    keys = ["quartier", "altersgruppe", "geschlecht", "herkunft"]
    return table.group_by(keys).aggregate([("anzahl", "sum")]).rename_columns([*keys, "anzahl"])


def test_realistic_population_table_refused_by_the_strict_model() -> None:
    table = population(seed=2, floor=0)  # Poisson counts, empty combinations left out
    with pytest.raises(PrivacyError, match="margins alone") as info:
        protect_table(table, "anzahl", THRESHOLD)
    assert info.value.where.startswith("cell quartier=")


def test_realistic_population_table_passes_with_hidden_zeros_and_top_coding() -> None:
    table = top_coded(population(seed=2, floor=0))
    start = time.perf_counter()
    published, report = protect_table(
        table, "anzahl", THRESHOLD, zeros_known=False, primaries_known=False
    )
    assert time.perf_counter() - start < 2.0
    assert report.hidden_zeros > 0 and report.primary > 90
    assert published.num_rows == 28 * 18 * 2 * 2
    dims = ["quartier", "altersgruppe", "geschlecht", "herkunft"]
    blanks = report.primary + report.secondary + report.hidden_zeros
    assert_protected(
        table, published, dims, zeros_known=False, primaries_known=False,
        cells=list(range(0, blanks, 17)),
    )  # fmt: skip


# --- property: random small tables --------------------------------------------------------


@st.composite
def small_tables(draw: st.DrawFn) -> tuple[pa.Table, list[str]]:
    sizes = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    dims = [f"d{i}" for i in range(len(sizes))]
    cells = list(itertools.product(*[[f"v{j}" for j in range(n)] for n in sizes]))
    values = st.one_of(st.integers(1, 4), st.integers(5, 60), st.just(0))
    counts = draw(st.lists(values, min_size=len(cells), max_size=len(cells)))
    return long_table(dict(zip(cells, counts, strict=True)), dims), dims


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables(), st.booleans(), st.booleans())
def test_random_tables_are_protected_or_refused(
    case: tuple[pa.Table, list[str]], zeros_known: bool, primaries_known: bool
) -> None:
    table, dims = case
    model: dict[str, Any] = {"zeros_known": zeros_known, "primaries_known": primaries_known}
    try:
        published, report = protect_table(table, "anzahl", THRESHOLD, **model)
    except PrivacyError as exc:
        assert exc.where.startswith("cell ") and exc.hint
        return
    assert report.audit == "passed"
    assert_protected(table, published, dims, **model)
    assert report.primary == sum(0 < c < THRESHOLD for c in table["anzahl"].to_pylist())
