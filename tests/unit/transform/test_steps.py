"""Transform steps: each kind on small tables, streamed in chunks, with errors naming the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from ogd.errors import SourceInvalid, SpecError
from ogd.transform import EngineOptions, Step, StepContext, StepCounts, apply_steps, run_steps

LOOKUPS = Path(__file__).resolve().parents[2] / "data" / "lookups"


def step(kind: str, **options: Any) -> Step:
    where = "p.yaml line 9, steps[0]"
    return Step(kind, options, where, {k: f"{where}.{k}" for k in options})


def run(table: pa.Table, *steps: Step) -> pa.Table:
    return apply_steps(table, list(steps), StepContext(LOOKUPS))


PEOPLE = pa.table(
    {
        "gemeinde": ["1061", "1024", "1061", "9999", "1059"],
        "alter": [34, 71, 5, 40, 18],
        "betrag": ["1'234.50", "10.00", "3", "7.25", "0"],
        "datum": ["01.02.2024", "15.03.2024", "31.12.2023", "01.01.2025", "29.02.2024"],
    }
)


def test_select_drop_rename() -> None:
    out = run(
        PEOPLE,
        step("column_select", columns=["alter", "gemeinde"]),
        step("column_rename", columns={"alter": "age"}),
    )
    assert out.column_names == ["age", "gemeinde"]
    assert run(PEOPLE, step("column_drop", columns="betrag")).column_names == [
        "gemeinde",
        "alter",
        "datum",
    ]


def test_cast_with_swiss_numbers_and_german_dates() -> None:
    out = run(
        PEOPLE,
        step(
            "column_cast",
            columns={
                "betrag": {"type": "number", "group_char": "'"},
                "datum": {"type": "date", "format": "%d.%m.%Y"},
                "gemeinde": "integer",
            },
        ),
    )
    assert out["betrag"].to_pylist() == [1234.5, 10.0, 3.0, 7.25, 0.0]
    assert out["datum"][4].as_py() == dt.date(2024, 2, 29)
    assert out["gemeinde"].type == pa.int64()


def test_cast_failure_names_the_value() -> None:
    bad = pa.table({"datum": ["01.02.2024", "31.02.2024"]})
    with pytest.raises(SourceInvalid) as info:
        run(bad, step("column_cast", columns={"datum": {"type": "date", "format": "%d.%m.%Y"}}))
    assert "'31.02.2024'" in info.value.message and info.value.where.endswith(".columns")


def test_derive_bin_filter() -> None:
    out = run(
        PEOPLE,
        step("column_bin", column="alter", into="gruppe", edges=[0, 18, 65]),
        step("column_derive", column="doppelt", expression="alter * 2"),
        step("row_filter", expression="alter >= 18"),
    )
    assert out["gruppe"].to_pylist() == ["18-64", "65+", "18-64", "18-64"]
    assert out["doppelt"].to_pylist() == [68, 142, 80, 36]


def test_map_with_inline_mapping_and_lookup_table() -> None:
    out = run(
        PEOPLE,
        step(
            "column_map",
            column="gemeinde",
            into="name",
            lookup="gemeinden.csv",
            key="code",
            value="name",
            unmatched="null",
        ),
    )
    assert out["name"].to_pylist() == ["Luzern", "Emmen", "Luzern", None, "Kriens"]
    kept = run(PEOPLE, step("column_map", column="gemeinde", mapping={"1061": "Luzern"}))
    assert kept["gemeinde"].to_pylist() == ["Luzern", "1024", "Luzern", "9999", "1059"]
    with pytest.raises(SourceInvalid) as info:
        run(PEOPLE, step("column_map", column="gemeinde", mapping={"1061": "L"}, unmatched="error"))
    assert "'1024'" in info.value.message


def test_join_keeps_row_order_and_left_rows() -> None:
    out = run(
        PEOPLE,
        step(
            "table_join",
            lookup="gemeinden.csv",
            on={"gemeinde": "code"},
            columns=["name", "kanton"],
        ),
    )
    assert out["gemeinde"].to_pylist() == PEOPLE["gemeinde"].to_pylist()
    assert out["kanton"].to_pylist() == ["LU", "LU", "LU", None, "LU"]
    inner = run(
        PEOPLE,
        step(
            "table_join",
            lookup="gemeinden.csv",
            on={"gemeinde": "code"},
            columns=["name"],
            how="inner",
        ),
    )
    assert inner.num_rows == 4


def test_aggregate_sort_deduplicate_unpivot() -> None:
    table = pa.table({"q": ["a", "b", "a", "b", "a"], "n": [1, 2, 3, 4, 5]})
    out = run(
        table,
        step(
            "table_aggregate",
            group_by=["q"],
            measures={"anzahl": "count", "summe": {"sum": "n"}, "max": "max(n)"},
        ),
    )
    assert out.to_pylist() == [
        {"q": "a", "anzahl": 3, "summe": 9, "max": 5},
        {"q": "b", "anzahl": 2, "summe": 6, "max": 4},
    ]
    assert run(table, step("row_sort", by=["n desc"]))["n"].to_pylist() == [5, 4, 3, 2, 1]
    first = run(table, step("row_deduplicate", columns=["q"]))
    assert first.to_pylist() == [{"q": "a", "n": 1}, {"q": "b", "n": 2}]
    wide = pa.table({"id": [1], "x": [10], "y": [20]})
    long = run(wide, step("table_unpivot", columns=["x", "y"], names_to="k", values_to="v"))
    assert long.to_pylist() == [{"id": 1, "k": "x", "v": 10}, {"id": 1, "k": "y", "v": 20}]


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (step("column_select", columns=["alter", "gemeinde_x"]), "p.yaml line 9, steps[0].columns"),
        (
            step("table_aggregate", group_by=["alterr"], measures={"n": "count"}),
            "p.yaml line 9, steps[0].group_by",
        ),
        (
            step("column_derive", column="x", expression="altr + 1"),
            "p.yaml line 9, steps[0].expression",
        ),
        (
            step("column_map", column="gemeinde", lookup="fehlt.csv", key="a", value="b"),
            "p.yaml line 9, steps[0].lookup",
        ),
    ],
)
def test_errors_name_the_key_and_list_columns(bad: Step, where: str) -> None:
    with pytest.raises(SpecError) as info:
        run(PEOPLE, bad)
    assert info.value.where == where


def test_unknown_column_hint_lists_the_columns() -> None:
    with pytest.raises(SpecError) as info:
        run(PEOPLE, step("column_select", columns=["geburtsdatum"]))
    assert info.value.message == "'geburtsdatum' is not a column here"
    assert info.value.hint == "columns are: gemeinde, alter, betrag, datum"


def test_streamed_chunks_give_the_same_result_and_counts() -> None:
    table = pa.table({"k": [i % 7 for i in range(10_000)], "v": list(range(10_000))})
    steps = [
        step("row_filter", expression="v % 2 = 0"),
        step("table_aggregate", group_by=["k"], measures={"n": "count"}),
    ]
    whole = apply_steps(table, steps, StepContext(LOOKUPS))
    counts = StepCounts()
    chunks = iter([table.slice(i, 1000) for i in range(0, 10_000, 1000)])
    streamed = pa.concat_tables(
        run_steps(chunks, steps, StepContext(LOOKUPS), EngineOptions(), counts)
    )
    assert streamed.to_pylist() == whole.to_pylist()
    assert counts.rows == {"0:row_filter": 5000, "1:table_aggregate": 7}


def test_empty_input_keeps_the_schema() -> None:
    out = run(
        PEOPLE.slice(0, 0),
        step("column_derive", column="x", expression="alter + 1"),
        step("table_aggregate", group_by=["gemeinde"], measures={"n": "count"}),
    )
    assert out.num_rows == 0 and out.column_names == ["gemeinde", "n"]
