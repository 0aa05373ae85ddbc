"""`ogd.datastore.query`: every case runs twice, by SQL and by the sidecar indexes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ogd.datastore import Search, Table, dump, info, search
from ogd.datastore.query import prepare
from ogd.errors import ValidationError
from tests.unit.datastore.conftest import ROWS, register_table


def rows() -> list[dict[str, Any]]:
    """The table as dicts with `_id`, the oracle the results are checked against."""
    return [{"_id": i + 1, **row} for i, row in enumerate(register_table().to_pylist())]


def ids(table: Table, **kw: Any) -> list[int]:
    result = search(table, Search(limit=kw.pop("limit", 100), **kw))
    position = [f.id for f in result.fields].index("_id")
    return [r[position] for r in result.records]


def test_default_page_has_id_first_and_postgres_types(table: Table) -> None:
    result = search(table, Search(limit=2))
    assert [(f.id, f.type) for f in result.fields] == [
        ("_id", "int"),
        ("quartier", "text"),
        ("jahr", "int8"),
        ("geschlecht", "text"),
        ("anzahl", "int8"),
        ("anteil", "float8"),
        ("betrag", "numeric"),
        ("stichtag", "timestamp"),
        ("datum", "date"),
        ("aktiv", "bool"),
        ("text", "text"),
    ]
    assert result.total == ROWS
    assert result.records[1] == (
        2,
        "Wesemlin",
        2021,
        "m",
        37,
        0.125,
        0.25,
        "2024-12-31T09:00:00",
        "2024-01-02",
        False,
        "Wegzug nach Bern",
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"quartier": "Altstadt"}, lambda r: r["quartier"] == "Altstadt"),
        (
            {"quartier": ["Altstadt", "Wesemlin"]},
            lambda r: r["quartier"] in ("Altstadt", "Wesemlin"),
        ),
        ({"jahr": "2021"}, lambda r: r["jahr"] == 2021),
        ({"jahr": 2021, "geschlecht": "m"}, lambda r: r["jahr"] == 2021 and r["geschlecht"] == "m"),
        ({"aktiv": True}, lambda r: r["aktiv"]),
        ({"aktiv": "false", "jahr": [2020, 2022]}, lambda r: not r["aktiv"] and r["jahr"] != 2021),
        ({"datum": "2024-01-05"}, lambda r: r["_id"] == 5),
        ({"stichtag": "2024-12-31T10:00:00"}, lambda r: r["_id"] == 3),
        ({"betrag": 1.25}, lambda r: r["_id"] == 6),
        ({"_id": [3, 5, 99]}, lambda r: r["_id"] in (3, 5)),
        ({"quartier": []}, lambda r: False),
        ({"anzahl": None}, lambda r: False),
    ],
)
def test_filters_match_exact_values(table: Table, filters: dict[str, Any], expected: Any) -> None:
    wanted = [r["_id"] for r in rows() if expected(r)]
    assert ids(table, filters=filters) == wanted
    assert search(table, Search(filters=filters, limit=1)).total == len(wanted)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"nope": 1}, 'invalid value "nope"'),
        ({"jahr": "abc"}, 'invalid value "abc" for field "jahr"'),
    ],
)
def test_bad_filters_are_validation_errors(table: Table, filters: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        search(table, Search(filters=filters))
    assert caught.value.errors == {"filters": [message]}


def test_q_is_case_and_accent_insensitive_and_ranks(table: Table) -> None:
    result = search(table, Search(q="zurich"))
    assert [f.id for f in result.fields][-1] == "rank"
    got = [(r[0], r[-1]) for r in result.records]
    twice = [r["_id"] for r in rows() if r["_id"] % 5 == 4]
    once = [r["_id"] for r in rows() if r["_id"] % 5 == 1]
    assert [g[0] for g in got] == twice + once
    assert got[0][1] > got[-1][1] > 0
    assert result.total == len(twice + once)
    assert ids(table, q="ZÜRICH Zuzug") == once
    assert ids(table, q="strasse") == [r["_id"] for r in rows() if r["_id"] % 5 == 0]
    assert ids(table, full_text="Würzenbach") == [r["_id"] for r in rows() if r["_id"] % 5 == 0]
    assert ids(table, q="kein-treffer") == []


def test_q_object_searches_one_column(table: Table) -> None:
    result = search(table, Search(q={"quartier": "zürichstrasse"}, fields=["_id", "rank quartier"]))
    assert [r[0] for r in result.records] == [r["_id"] for r in rows() if r["_id"] % 5 == 3]
    assert ids(table, q={"text": "zürichstrasse"}) == []
    with pytest.raises(ValidationError) as caught:
        search(table, Search(q={"nope": "x"}))
    assert caught.value.errors == {"q": ['invalid value "nope"']}


def test_q_and_filters_combine(table: Table) -> None:
    got = ids(table, q="zürich", filters={"jahr": 2020}, sort=["_id desc"])
    expected = [r["_id"] for r in rows() if r["_id"] % 5 in (1, 4) and r["jahr"] == 2020]
    assert got == sorted(expected, reverse=True)


def _key(value: Any) -> tuple[int, Any]:
    """NULL above every value: last ascending, first descending (PostgreSQL's default)."""
    return (1, 0) if value is None else (0, value)


@pytest.mark.parametrize(
    "sort",
    [
        "jahr desc",
        "jahr",
        "anzahl",
        "anzahl desc",
        "quartier desc",
        "stichtag desc",
        "anteil asc",
        "_id desc",
    ],
)
def test_single_sort_keys_follow_postgres_null_order(table: Table, sort: str) -> None:
    column, *direction = sort.split()
    desc = direction == ["desc"]
    data = sorted(rows(), key=lambda r: r["_id"])
    data.sort(key=lambda r: _key(r[column]), reverse=desc)
    for offset in (0, 7):
        got = ids(table, sort=[sort], limit=9, offset=offset)
        assert got == [r["_id"] for r in data][offset : offset + 9]


def test_sort_with_several_keys_and_null_placement(table: Table) -> None:
    data = sorted(rows(), key=lambda r: (-r["jahr"], r["quartier"], r["_id"]))
    assert ids(table, sort="jahr desc, quartier asc") == [r["_id"] for r in data]
    nulls_first = sorted(
        rows(), key=lambda r: (r["anzahl"] is not None, r["anzahl"] or 0, r["_id"])
    )
    assert ids(table, sort=['"anzahl" asc nulls first']) == [r["_id"] for r in nulls_first]
    filtered = [r for r in data if r["geschlecht"] == "w"]
    assert ids(table, sort=["jahr desc", "quartier"], filters={"geschlecht": "w"}) == [
        r["_id"] for r in filtered
    ]


@pytest.mark.parametrize("sort", ["nope", "jahr sideways", "jahr desc nulls nowhere", '"jahr'])
def test_bad_sort_is_a_validation_error(table: Table, sort: str) -> None:
    with pytest.raises(ValidationError) as caught:
        search(table, Search(sort=[sort]))
    assert caught.value.errors == {"sort": [f'invalid value "{sort}"']}


def test_fields_choose_and_order_columns(table: Table) -> None:
    result = search(table, Search(fields="jahr,_id", limit=2))
    assert [f.id for f in result.fields] == ["jahr", "_id"]
    assert result.records == [(2020, 1), (2021, 2)]
    with pytest.raises(ValidationError) as caught:
        search(table, Search(fields=["nope"]))
    assert caught.value.errors == {"fields": ['invalid value "nope"']}


def test_distinct_values_are_sorted_and_counted(table: Table) -> None:
    result = search(table, Search(distinct=True, fields=["quartier"], limit=3))
    assert result.records == [("Altstadt",), ("Hirschmatt",), ("Wesemlin",)]
    assert result.total == 5
    desc = search(table, Search(distinct=True, fields=["anzahl"], sort=["anzahl desc"], limit=2))
    assert desc.records == [(None,), (49,)]
    pairs = {(r["jahr"], r["geschlecht"]) for r in rows()}
    both = search(table, Search(distinct=True, fields=["jahr", "geschlecht"], offset=1))
    assert both.records == sorted(pairs)[1:]
    assert both.total == len(pairs)
    with pytest.raises(ValidationError):
        search(table, Search(distinct=True, fields=["quartier"], sort=["jahr"]))


def test_paging_and_totals(table: Table) -> None:
    assert ids(table, offset=28, limit=5) == [29, 30]
    assert ids(table, limit=0) == []
    assert search(table, Search(limit=1, include_total=False)).total is None
    assert ids(table, filters={"quartier": "Wesemlin"}, offset=2, limit=2) == [12, 17]


REQUESTS = [
    Search(),
    Search(limit=5, offset=25),
    Search(filters={"quartier": "Hirschmatt"}, sort=["anzahl desc"]),
    Search(filters={"jahr": [2020, 2021]}, sort=["stichtag"], offset=3, limit=4),
    Search(q="in", sort=["jahr desc", "_id desc"]),
    Search(q="zürich nach", fields=["rank", "_id"]),
    Search(q={"text": "zürich", "quartier": "altstadt"}),
    Search(q="zürich", sort=["rank asc"]),
    Search(q="zürich", filters={"aktiv": False}, sort=["anzahl desc"], limit=3),
    Search(distinct=True, fields=["geschlecht"]),
    Search(distinct=True, fields=["quartier"], filters={"jahr": 2020}),
    Search(sort=["betrag desc"], limit=7, offset=20),
    Search(sort=["geschlecht", "anteil desc"]),
]


def test_sql_and_indexes_agree(parquet: Path, tmp_path: Path) -> None:
    by_sql = Table(parquet, "a" * 64, tmp_path / "c1", parquet.parent, index_min_rows=10**9)
    by_index = Table(parquet, "b" * 64, tmp_path / "c2", parquet.parent, index_min_rows=0)
    for request in REQUESTS:
        assert search(by_sql, request) == search(by_index, request), request
    assert list((tmp_path / "c2").glob("*.parquet"))
    assert not (tmp_path / "c1").exists()


def test_indexes_are_named_by_content_hash_and_reused(parquet: Path, tmp_path: Path) -> None:
    table = Table(parquet, "c" * 64, tmp_path / "cache", parquet.parent, index_min_rows=0)
    prepare(table, ["quartier"])
    files = sorted((tmp_path / "cache").glob("*.parquet"))
    assert len(files) == 3 and all(f.name.startswith("c" * 64) for f in files)
    before = [f.stat().st_mtime_ns for f in files]
    search(table, Search(q="zürich", filters={"quartier": "Altstadt"}))
    assert [f.stat().st_mtime_ns for f in files] == before
    described = info(table)
    assert described["meta"]["count"] == ROWS
    assert described["meta"]["idx_size"] == sum(f.stat().st_size for f in files)
    schema = {f["id"]: f["schema"] for f in described["fields"]}
    assert schema["quartier"]["is_index"] and not schema["jahr"]["is_index"]


def test_dump_streams_every_row_in_order(table: Table) -> None:
    fields, batches = dump(table, Search(limit=None), batch=7)
    got = [row for batch in batches for row in batch]
    assert [f.id for f in fields][0] == "_id"
    assert [r[0] for r in got] == list(range(1, ROWS + 1))
    fields, batches = dump(table, Search(limit=None, q="bern", fields=["_id", "text"]))
    assert [r for b in batches for r in b] == [
        (r["_id"], r["text"]) for r in rows() if r["_id"] % 5 == 2
    ]
