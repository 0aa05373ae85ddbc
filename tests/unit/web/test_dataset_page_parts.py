"""The dataset page's pure parts (state, chart geometry, downloads, changelog, snippets), and
the page of datasets that have no DataStore table (the catalogue fixture's CSV-only ones)."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from ogd.web.dataset_chart import POINTS_MAX, Point, aggregate, layout, number
from ogd.web.dataset_page import changes, downloads, quality, snippets
from ogd.web.dataset_preview import State, check_columns, parse_state, sort_clause


def test_state_round_trips_through_the_query_string() -> None:
    args = MultiDict(
        {"q": " Bern ", "f.jahr": "2021", "f.leer": "", "sort": "jahr", "dir": "desc", "page": "3"}
    )
    state, problems = parse_state(args)
    assert problems == []
    assert state == State(q="Bern", filters={"jahr": "2021"}, sort="jahr", desc=True, page=3)
    assert state.args() == {"q": "Bern", "sort": "jahr", "dir": "desc", "page": 3, "f.jahr": "2021"}
    assert state.args(page=1, sort=None) == {"q": "Bern", "f.jahr": "2021"}


def test_columns_are_checked_against_the_table() -> None:
    state = State(sort="x", filters={"a": "1", "b": "2"}, x="a", y="a")
    problems: list = []
    checked = check_columns(state, {"a": "text"}, problems)
    assert [p.code for p in problems] == ["bad_sort", "bad_filter_column", "y_not_numeric"]
    assert checked == State(filters={"a": "1"}, x="a")


def test_sort_clause_quotes_only_when_needed() -> None:
    assert sort_clause("jahr", True) == "jahr desc"
    assert sort_clause("jahr", False) == "jahr"
    assert sort_clause('a "b", c', True) == '["\\"a \\"\\"b\\"\\", c\\" desc"]'


def test_aggregate_sums_per_x_and_stops_at_the_limit() -> None:
    points, more = aggregate([("a", 1), ("a", 2.5), ("b", None), (None, 4)])
    assert points == [Point("a", 3.5), Point("b", 0.0), Point("–", 4.0)] and not more
    points, more = aggregate([(i, 1) for i in range(POINTS_MAX + 1)])
    assert len(points) == POINTS_MAX and more


def test_layout_places_bars_from_the_zero_line() -> None:
    chart = layout([Point("a", 10), Point("b", -5)], "bar", "x", "y", False)
    up, down = chart.marks
    assert up.y + up.height == chart.baseline == down.y
    assert abs(up.height - 2 * down.height) < 1e-9
    assert [t.label for t in chart.ticks] == ["-5", "0", "5", "10"]
    assert (chart.lowest, chart.highest) == ("-5", "10")
    line = layout([Point("a", 1), Point("b", 2)], "line", "x", "y", False)
    assert len(line.path.split()) == 2
    assert number(1234567) == "1'234'567" and number(0.5) == "0.5" and number(2.0) == "2"


def test_downloads_pair_csv_and_parquet_of_each_table() -> None:
    def res(id: str, fmt: str, file: str, position: int, rows: int | None = 3) -> dict:
        return {
            "id": id,
            "name": file,
            "format": fmt,
            "url": f"http://x/dataset/d/resource/{id}/download/{file}",
            "datastore_active": rows is not None,
            "rows": rows,
            "position": position,
        }

    grouped = downloads(
        [
            res("p1", "Parquet", "a.parquet", 1),
            res("c1", "CSV", "a.csv", 0),
            res("c2", "CSV", "b.csv", 2),
            res("r", "JSON", "reports.json", 3, None),
            res("dp", "JSON", "datapackage.json", 4, None),
        ]
    )
    assert [(t.id, [f["id"] for f in t.files]) for t in grouped.tables] == [
        ("c1", ["c1", "p1"]),
        ("c2", ["c2"]),
    ]
    assert [r["id"] for r in grouped.others] == ["r"]
    assert grouped.datapackage is not None and grouped.datapackage["id"] == "dp"


def test_changelog_lines_and_quality_shapes() -> None:
    assert changes({}) == [] and changes(None) == []
    lines = changes(
        {"columns_retyped": {"jahr": {"from": "string", "to": "integer"}}, "rows_added": 2, "x": 1}
    )
    assert [(c.code, c.value) for c in lines] == [
        ("rows_added", "2"),
        ("columns_retyped", "jahr (string → integer)"),
        ("other", "x: 1"),
    ]
    assert quality({"extras": [{"key": "quality", "value": '{"total": 5}'}]}) == {
        "max": 405,
        "dimensions": {},
        "indicators": [],
        "rating": "",
        "total": 5,
    }
    assert quality({"extras": [{"key": "quality", "value": "nonsense"}]}) is None
    assert quality({}) is None


def test_snippets_name_the_site_and_resource() -> None:
    code = snippets("https://data.stadtluzern.ch/", "r-1")
    assert (
        "https://data.stadtluzern.ch/api/3/action/datastore_search?resource_id=r-1" in code["curl"]
    )
    assert 'RemoteCKAN("https://data.stadtluzern.ch")' in code["python"]
    assert "fromJSON(url)$result$records" in code["r"]


def test_dataset_without_a_table_has_downloads_but_no_preview(client: FlaskClient) -> None:
    response = client.get("/dataset/bevoelkerung-quartier?sort=nope&page=x")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Daten herunterladen" in text and "Versionen" in text
    assert 'id="preview"' not in text and "<svg" not in text
    assert "keine gültige Seitennummer" in text
    assert client.get("/dataset/bevoelkerung-quartier/chart.svg?x=a&y=b").status_code == 404
