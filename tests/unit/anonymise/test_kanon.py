"""The lattice search, apply and measure: brute force, pyCANON, properties and refusals."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycanon import anonymity

from ogd.anonymise.hierarchy import Hierarchy, rule_hierarchy
from ogd.anonymise.kanon import KPolicy, Solution, apply, measure, search
from ogd.anonymise.metrics import METRICS
from ogd.errors import PrivacyError
from tests.unit.anonymise import naive_best, naive_nodes

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Case:
    table: pa.Table
    hierarchies: dict[str, Hierarchy]
    policy: KPolicy


@st.composite
def hierarchies(draw: st.DrawFn, name: str) -> Hierarchy:
    """A random hierarchy: nested groupings of a random permutation, then `*`."""
    m = draw(st.integers(1, 6))
    values = tuple(f"{name}{i}" for i in range(m))
    height = draw(st.integers(0, 3))
    perm = draw(st.permutations(range(m)))
    labels = [values]
    factor = 1
    for level in range(1, height):
        factor *= draw(st.integers(1, 3))
        labels.append(tuple(f"{name}:{level}:{perm[i] // factor}" for i in range(m)))
    if height:
        labels.append(("*",) * m)
    return Hierarchy(name, tuple(labels), values)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 30))
    names = [f"q{j}" for j in range(draw(st.integers(1, 3)))]
    built = {q: draw(hierarchies(q)) for q in names}
    columns: dict[str, list[object]] = {
        q: draw(st.lists(st.sampled_from(built[q].values), min_size=n, max_size=n)) for q in names
    }
    numeric = draw(st.booleans())
    pool: st.SearchStrategy[object] = (
        st.integers(0, 4) if numeric else st.sampled_from(["a", "b", "c", "d"])
    )
    columns["s"] = draw(st.lists(pool, min_size=n, max_size=n))
    columns["rid"] = list(range(n))
    checks = draw(st.sampled_from(["k", "l", "t"]))
    policy = KPolicy(
        quasi_identifiers=tuple(names),
        k=draw(st.integers(1, 5)),
        suppression_limit=draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0])),
        sensitive=("s",),
        l=draw(st.integers(1, 3)) if checks == "l" else None,
        l_kind=draw(st.sampled_from(["distinct", "entropy"])),
        t=draw(st.sampled_from([0.1, 0.3, 0.6])) if checks == "t" else None,
        metric=draw(st.sampled_from(METRICS)),
    )
    return Case(pa.table(columns), built, policy)


def pycanon_k_l(released: pa.Table, policy: KPolicy) -> tuple[int, int]:
    """k and distinct l of a release by pyCANON (an independent implementation)."""
    frame = released.to_pandas().reset_index(drop=True)  # pyCANON needs a fresh index
    qis = list(policy.quasi_identifiers)
    return anonymity.k_anonymity(frame, qis), anonymity.l_diversity(frame, qis, ["s"])


@PROPERTY
@given(case=cases())
def test_search_is_optimal_safe_and_truthful(case: Case) -> None:
    table, built, policy = case.table, case.hierarchies, case.policy
    nodes = naive_nodes(table, built, policy)
    best = naive_best(nodes, policy.metric)
    if best is None:
        with pytest.raises(PrivacyError, match="not reached|impossible"):
            search(table, built, policy)
        return
    solution = search(table, built, policy)
    assert solution.loss[policy.metric] == pytest.approx(best, rel=1e-9, abs=1e-9)
    levels = tuple(solution.levels[q] for q in policy.quasi_identifiers)
    node = next(x for x in nodes if x.levels == levels)
    assert node.feasible
    assert solution.suppressed_rows == node.suppressed
    assert solution.suppressed_rows <= policy.suppression_limit * table.num_rows + 1e-9
    for metric in METRICS:
        assert solution.loss[metric] == pytest.approx(node.loss[metric], rel=1e-9, abs=1e-9)
    released = apply(table, built, policy, solution)
    assert released.num_rows == table.num_rows - solution.suppressed_rows
    assert_truthful(table, released, built, solution)
    measured = measure(released, policy)
    assert measured["k"] == solution.k >= policy.k
    assert measured["classes"] == solution.classes == len(node.kept_classes)
    if policy.l is not None and policy.l_kind == "distinct":
        assert measured["l_distinct"]["s"] >= policy.l
    if policy.l is not None and policy.l_kind == "entropy":
        assert measured["l_entropy"]["s"] >= policy.l - 1e-9
    assert pycanon_k_l(released, policy) == (measured["k"], measured["l_distinct"]["s"])


def assert_truthful(
    table: pa.Table, released: pa.Table, built: dict[str, Hierarchy], solution: Solution
) -> None:
    """Every released value is the original's label at the one level of its column."""
    original = {row["rid"]: row for row in table.to_pylist()}
    for q, level in solution.levels.items():
        label = dict(zip(built[q].values, built[q].labels[level], strict=True))
        for row in released.to_pylist():
            assert row[q] == label[original[row["rid"]][q]]
    for name in table.column_names:
        if name not in solution.levels:
            assert released[name].to_pylist() == [
                original[r][name] for r in released["rid"].to_pylist()
            ]


@PROPERTY
@given(case=cases())
def test_generalising_one_level_further_never_lowers_k(case: Case) -> None:
    table, built, policy = case.table, case.hierarchies, case.policy
    names = policy.quasi_identifiers

    def k_at(levels: dict[str, int]) -> int:
        columns = [
            built[c].generalise(table[c], levels[c]) if c in names else table[c]
            for c in table.column_names
        ]
        return int(measure(pa.table(columns, names=table.column_names), policy)["k"])

    start = {q: 0 for q in names}
    for q in names:
        for level in range(built[q].height):
            lower = k_at(start | {q: level})
            assert k_at(start | {q: level + 1}) >= lower


@PROPERTY
@given(case=cases(), seed=st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_or_column_order(case: Case, seed: object) -> None:
    table, built, policy = case.table, case.hierarchies, case.policy
    order = list(range(table.num_rows))
    seed.shuffle(order)  # type: ignore[attr-defined]
    shuffled = table.take(pa.array(order, type=pa.int64())).select(table.column_names[::-1])
    try:
        first = search(table, built, policy)
    except PrivacyError as error:
        with pytest.raises(PrivacyError) as again:
            search(shuffled, built, policy)
        assert again.value.message == error.message
        return
    second = search(shuffled, built, policy)
    assert dict(second.levels) == dict(first.levels)
    assert second.suppressed_rows == first.suppressed_rows
    assert second.loss == pytest.approx(first.loss, rel=1e-12)
    assert measure(apply(shuffled, built, policy, second), policy) == measure(
        apply(table, built, policy, first), policy
    )


# --- examples ----------------------------------------------------------------------------


def people() -> tuple[pa.Table, dict[str, Hierarchy]]:
    """Twelve synthetic persons: age, sex, a salary band (sensitive) and an id."""
    ages = [21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44]
    sexes = ["m", "w"] * 6
    bands = ["A", "B", "A", "A", "B", "A", "B", "B", "A", "C", "B", "C"]
    table = pa.table({"alter": ages, "geschlecht": sexes, "lohnband": bands, "id": list(range(12))})
    built = {
        "alter": rule_hierarchy("alter", table["alter"], {"bands": [[20, 30, 40], [20, 40]]}),
        "geschlecht": Hierarchy("geschlecht", (("m", "w"), ("*", "*")), ("m", "w")),
    }
    return table, built


def test_search_and_apply_a_small_register() -> None:
    table, built = people()
    policy = KPolicy(("alter", "geschlecht"), k=4)
    solution = search(table, built, policy)
    assert dict(solution.levels) == {"alter": 1, "geschlecht": 1}
    assert solution.k == 4 and solution.classes == 3 and solution.suppressed_rows == 0
    assert solution.smallest_classes == (4, 4, 4)
    assert solution.loss["discernibility"] == 48
    assert solution.nodes_total == 8 and 1 <= solution.nodes_checked <= 8
    released = apply(table, built, policy, solution)
    assert released.column_names == table.column_names
    assert released["alter"].to_pylist()[:5] == ["20-29"] * 4 + ["30-39"]
    assert set(released["geschlecht"].to_pylist()) == {"*"}
    assert released["lohnband"].equals(table["lohnband"])


def test_suppression_removes_whole_small_classes() -> None:
    table, built = people()
    table = table.set_column(0, "alter", pa.array([21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 99]))
    built["alter"] = rule_hierarchy(
        "alter", table["alter"], {"bands": [[20, 30, 40, 50], [20, 40]]}
    )
    policy = KPolicy(("alter", "geschlecht"), k=3, suppression_limit=0.1)
    solution = search(table, built, policy)
    released = apply(table, built, policy, solution)
    assert solution.suppressed_rows == 1 == table.num_rows - released.num_rows
    assert 11 in {r["id"] for r in table.to_pylist()} - set(released["id"].to_pylist())


def test_l_diversity_is_never_one_when_asked_for() -> None:
    table, built = people()
    plain = search(table, built, KPolicy(("alter", "geschlecht"), k=2, sensitive=("lohnband",)))
    assert plain.l == 1  # k alone leaves a class with one salary band
    policy = KPolicy(("alter", "geschlecht"), k=2, sensitive=("lohnband",), l=2)
    solution = search(table, built, policy)
    assert solution.l is not None and solution.l >= 2
    released = apply(table, built, policy, solution)
    frame = released.to_pandas().reset_index(drop=True)
    assert anonymity.l_diversity(frame, ["alter", "geschlecht"], ["lohnband"]) >= 2
    assert measure(released, policy)["l_distinct"]["lohnband"] >= 2


def test_t_closeness_and_entropy_l() -> None:
    table, built = people()
    policy = KPolicy(("alter", "geschlecht"), k=2, sensitive=("lohnband",), t=0.3)
    solution = search(table, built, policy)
    assert solution.t is not None and solution.t <= 0.3 + 1e-9
    entropy = KPolicy(("alter", "geschlecht"), k=2, sensitive=("lohnband",), l=2, l_kind="entropy")
    assert search(table, built, entropy).l >= 2 - 1e-9  # type: ignore[operator]


def test_measure_reports_what_a_table_has() -> None:
    table, _ = people()
    policy = KPolicy(("geschlecht",), k=2, sensitive=("lohnband",))
    result = measure(table, policy)
    assert result["k"] == 6 and result["classes"] == 2 and result["discernibility"] == 72
    assert result["l_distinct"] == {"lohnband": 2}  # m: A, B; w: A, B, C
    assert result["smallest_classes"] == [6, 6]
    frame = table.to_pandas()
    assert result["t"]["lohnband"] == pytest.approx(
        anonymity.t_closeness(frame, ["geschlecht"], ["lohnband"])
    )
    assert result["l_entropy"]["lohnband"] == pytest.approx(
        anonymity.entropy_l_diversity(frame, ["geschlecht"], ["lohnband"]), abs=1
    )


# --- refusals (reference 8.7) ---------------------------------------------------------------


def test_refuses_k_larger_than_the_table() -> None:
    table, built = people()
    with pytest.raises(PrivacyError, match="k=13 impossible: the table has only 12 rows") as err:
        search(table, built, KPolicy(("alter", "geschlecht"), k=13))
    assert err.value.hint


def test_refuses_l_above_the_distinct_sensitive_values() -> None:
    table, built = people()
    policy = KPolicy(("alter",), k=2, sensitive=("lohnband",), l=4)
    with pytest.raises(PrivacyError, match="l=4 on lohnband impossible: only 3 distinct value"):
        search(table, built, policy)


def test_refuses_an_ungeneralisable_quasi_identifier_without_suppression() -> None:
    table, built = people()
    built["id"] = Hierarchy(
        "id", (tuple(str(i) for i in range(12)),), tuple(str(i) for i in range(12))
    )
    policy = KPolicy(("alter", "id"), k=2)
    with pytest.raises(PrivacyError) as err:
        search(table, built, policy)
    message = err.value.message
    assert "k=2 not reached within 0 % suppression" in message
    assert "even with every quasi-identifier at its top level, 100.0 % of rows" in message
    assert "alter, id" in err.value.where
    assert "suppression limit" in err.value.hint


def test_infeasible_non_monotone_policy_names_the_best_node() -> None:
    table, built = people()
    # the whole table has entropy l = 2.8, so some class always fails entropy l = 3
    policy = KPolicy(("alter", "geschlecht"), k=2, sensitive=("lohnband",), l=3, l_kind="entropy")
    with pytest.raises(PrivacyError, match=r"l=3 \(entropy\) on lohnband not reached") as err:
        search(table, built, policy)
    assert "classes failing l=3" in err.value.message


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"k": 0}, "k=0"),
        ({"k": 2, "suppression_limit": 1.5}, "suppression_limit"),
        ({"k": 2, "l": 2}, "needs sensitive"),
        ({"k": 2, "metric": "height"}, "unknown metric"),
        ({"k": 2, "sensitive": ("alter",)}, "both"),
        ({"k": 2, "l_kind": "recursive", "sensitive": ("x",)}, "l_kind"),
        ({"k": 2, "t": 2.0, "sensitive": ("x",)}, "t=2.0"),
    ],
)
def test_policy_is_validated(kwargs: dict[str, object], text: str) -> None:
    with pytest.raises(PrivacyError, match=text):
        KPolicy(("alter",), **kwargs)  # type: ignore[arg-type]


def test_missing_columns_and_hierarchies_are_named() -> None:
    table, built = people()
    with pytest.raises(PrivacyError, match="wohnort"):
        search(table, built, KPolicy(("alter", "wohnort"), k=2))
    with pytest.raises(PrivacyError, match="id.*no hierarchy"):
        search(table, built, KPolicy(("alter", "id"), k=2))


def test_apply_refuses_a_solution_of_another_table() -> None:
    table, built = people()
    policy = KPolicy(("alter", "geschlecht"), k=4)
    solution = search(table, built, policy)
    other = table.slice(0, 10)
    with pytest.raises(PrivacyError, match="suppresses 0 rows"):
        apply(other, built, policy, solution)
