"""The dataset page's preview and chart state: query string in, datastore searches out.

All state lives in the query string, so the page works without JavaScript: `resource`
(which table), `q` (full text), `f.<column>` (exact-match filters), `sort` and `dir`,
`page`, and for the chart `x`, `y` and `chart` (`bar` or `line`). Bad input never
raises: it becomes a `Problem` that the page shows, and the input is left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ogd.catalog.actions import Context
from ogd.catalog.datastore_actions import datastore_info, datastore_search
from ogd.datastore import ROWS_MAX
from ogd.errors import NotAuthorized, NotFound, ValidationError

PAGE_SIZE = 20
TEXT_MAX = 200
FILTER_PREFIX = "f."
CHART_KINDS = ("bar", "line")
NUMERIC_TYPES = frozenset({"int2", "int4", "int8", "float4", "float8", "numeric"})
_PLAIN_COLUMN = re.compile(r"^[^\s\",]+$")
_BAD_VALUE = re.compile(r'invalid value "(?P<value>.*)" for field "(?P<column>.*)"')


@dataclass(frozen=True)
class Problem:
    """A bad input the page explains; `code` picks the (translated) message."""

    code: str
    value: str = ""
    limit: int = 0
    detail: str = ""


@dataclass(frozen=True)
class State:
    """The preview and chart inputs of one page view."""

    resource: str | None = None
    q: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    sort: str | None = None
    desc: bool = False
    page: int = 1
    x: str | None = None
    y: str | None = None
    chart: str = "bar"

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments of this state (with changes), for `url_for`."""
        state = replace(self, **changes)
        out: dict[str, Any] = {
            "resource": state.resource,
            "q": state.q or None,
            "sort": state.sort,
            "dir": "desc" if state.sort and state.desc else None,
            "page": state.page if state.page > 1 else None,
            "x": state.x,
            "y": state.y,
            "chart": state.chart if state.x and state.chart != "bar" else None,
        }
        out.update({FILTER_PREFIX + k: v for k, v in state.filters.items()})
        return {k: v for k, v in out.items() if v is not None}

    @property
    def wants_chart(self) -> bool:
        """Whether both chart columns are chosen."""
        return bool(self.x and self.y)


@dataclass(frozen=True)
class Preview:
    """One page of a table, with what the page needs around it."""

    resource_id: str
    columns: list[dict[str, Any]]
    records: list[list[str]]
    total: int
    pages: int
    state: State


def _text(args: Mapping[str, str], key: str, problems: list[Problem]) -> str:
    value = (args.get(key) or "").strip()
    if len(value) > TEXT_MAX:
        column = key.removeprefix(FILTER_PREFIX)[:TEXT_MAX]
        problems.append(Problem("filter_too_long", column, TEXT_MAX))
        return ""
    return value


def _q(args: Mapping[str, str], problems: list[Problem]) -> str:
    value = (args.get("q") or "").strip()
    if len(value) > TEXT_MAX:
        problems.append(Problem("too_long", "q", TEXT_MAX))
        return ""
    return value


def parse_state(args: Mapping[str, str]) -> tuple[State, list[Problem]]:
    """The state of a query string, with the problems found without knowing the columns."""
    problems: list[Problem] = []
    raw_page = (args.get("page") or "1").strip()
    page = int(raw_page) if raw_page.isdigit() else 0
    if page < 1:
        problems.append(Problem("bad_page", raw_page[:TEXT_MAX]))
        page = 1
    filters = {}
    for key in args:
        if key.startswith(FILTER_PREFIX):
            value = _text(args, key, problems)
            if value:
                filters[key.removeprefix(FILTER_PREFIX)] = value
    direction = (args.get("dir") or "asc").lower()
    if direction not in ("asc", "desc"):
        problems.append(Problem("bad_direction", direction[:TEXT_MAX]))
    kind = args.get("chart") or "bar"
    if kind not in CHART_KINDS:
        problems.append(Problem("bad_chart", kind[:TEXT_MAX]))
        kind = "bar"
    state = State(
        resource=args.get("resource") or None,
        q=_q(args, problems),
        filters=filters,
        sort=args.get("sort") or None,
        desc=direction == "desc",
        page=page,
        x=args.get("x") or None,
        y=args.get("y") or None,
        chart=kind,
    )
    return state, problems


def check_columns(state: State, types: Mapping[str, str], problems: list[Problem]) -> State:
    """Leave out sort, filter and chart columns the table lacks (and a y without numbers)."""
    return check_chart(check_table(state, types, problems), types, problems)


def check_table(state: State, types: Mapping[str, str], problems: list[Problem]) -> State:
    """Leave out sort and filter columns the table lacks."""
    changes: dict[str, Any] = {}
    if state.sort is not None and state.sort not in types:
        problems.append(Problem("bad_sort", state.sort[:TEXT_MAX]))
        changes.update(sort=None, desc=False)
    unknown = [c for c in state.filters if c not in types]
    for column in unknown:
        problems.append(Problem("bad_filter_column", column[:TEXT_MAX]))
    if unknown:
        changes["filters"] = {k: v for k, v in state.filters.items() if k in types}
    return replace(state, **changes)


def check_chart(state: State, types: Mapping[str, str], problems: list[Problem]) -> State:
    """Leave out chart columns the table lacks, and a y column without numbers."""
    changes: dict[str, Any] = {}
    for axis in ("x", "y"):
        column = getattr(state, axis)
        if column is not None and column not in types:
            problems.append(Problem(f"bad_{axis}", column[:TEXT_MAX]))
            changes[axis] = None
    if state.y in types and types[str(state.y)] not in NUMERIC_TYPES:
        problems.append(Problem("y_not_numeric", str(state.y)))
        changes["y"] = None
    return replace(state, **changes)


def sort_clause(column: str, desc: bool) -> str:
    """A `sort` value for `datastore_search` and dumps (JSON list when a name needs quotes)."""
    if _PLAIN_COLUMN.match(column):
        return f"{column} desc" if desc else column
    quoted = '"' + column.replace('"', '""') + '"'
    return json.dumps([f"{quoted} desc" if desc else quoted], ensure_ascii=False)


def search_data(resource_id: str, state: State) -> dict[str, Any]:
    """The `datastore_search` input of the preview page."""
    data: dict[str, Any] = {
        "resource_id": resource_id,
        "records_format": "lists",
        "limit": PAGE_SIZE,
        "offset": (state.page - 1) * PAGE_SIZE,
    }
    return {**data, **filter_args(state)}


def filter_args(state: State) -> dict[str, str]:
    """`filters`, `q` and `sort` of a state, as `datastore_search` and dumps take them."""
    out: dict[str, str] = {}
    if state.filters:
        out["filters"] = json.dumps(dict(state.filters), ensure_ascii=False, separators=(",", ":"))
    if state.q:
        out["q"] = state.q
    if state.sort:
        out["sort"] = sort_clause(state.sort, state.desc)
    return out


def dump_args(preview: Preview) -> dict[str, str]:
    """The `/datastore/dump` arguments for the rows the preview shows (all its pages),
    with the table's own columns only (no `_id`, no full-text rank)."""
    names = [c["id"] for c in preview.columns]
    plain = all(_PLAIN_COLUMN.match(n) for n in names)
    fields = ",".join(names) if plain else json.dumps(names, ensure_ascii=False)
    return {**filter_args(preview.state), "fields": fields}


def table_types(ctx: Context, resource_id: str) -> dict[str, str] | None:
    """Column name → DataStore type of a resource's table; None when it has none."""
    try:
        described = datastore_info(ctx, {"resource_id": resource_id})
    except (NotFound, NotAuthorized):
        return None
    return {f["id"]: f["type"] for f in described["fields"] if f["id"] != "_id"}


def _search_problem(exc: ValidationError) -> Problem:
    """A filter value the column's type does not take, else the DataStore's own words."""
    text = "; ".join(str(m) for messages in exc.errors.values() for m in messages)
    match = _BAD_VALUE.search(text)
    if match:
        return Problem("bad_filter_value", match["column"], 0, match["value"])
    return Problem("bad_search", text[:TEXT_MAX])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _repaired(
    ctx: Context, resource_id: str, state: State, exc: ValidationError, problems: list[Problem]
) -> State:
    """The state without the inputs a failed search choked on (only now ask for the columns)."""
    before = len(problems)
    state = check_table(state, table_types(ctx, resource_id) or {}, problems)
    if len(problems) > before:
        return state
    problem = _search_problem(exc)
    problems.append(problem)
    if problem.code == "bad_filter_value":
        return replace(
            state, filters={k: v for k, v in state.filters.items() if k != problem.value}
        )
    return replace(state, filters={}, q="", sort=None, desc=False)


def _search(
    ctx: Context, resource_id: str, state: State, problems: list[Problem]
) -> tuple[dict[str, Any], State]:
    try:
        return datastore_search(ctx, search_data(resource_id, state)), state
    except ValidationError as exc:
        state = _repaired(ctx, resource_id, state, exc, problems)
    try:
        return datastore_search(ctx, search_data(resource_id, state)), state
    except ValidationError as exc:
        problems.append(_search_problem(exc))
        state = replace(state, filters={}, q="", sort=None, desc=False)
        return datastore_search(ctx, search_data(resource_id, state)), state


def load_preview(
    ctx: Context, resource_id: str, state: State, problems: list[Problem]
) -> Preview | None:
    """One page of the table: one `datastore_search` (more only after bad input).

    Returns None when the resource has no DataStore table."""
    try:
        result, state = _search(ctx, resource_id, state, problems)
    except (NotFound, NotAuthorized):
        return None
    fields = result["fields"]
    # The search adds `_id` in front and, for a full-text search, its `rank` at the end.
    end = len(fields) - 1 if state.q and fields[-1]["id"] == "rank" else len(fields)
    columns = fields[1:end]
    state = check_chart(state, {c["id"]: c["type"] for c in columns}, problems)
    total = int(result.get("total", 0))
    pages = max(1, -(-total // PAGE_SIZE))
    if state.page > pages:
        problems.append(Problem("page_too_high", str(state.page), pages))
    return Preview(
        resource_id=resource_id,
        columns=[{**c, "numeric": c["type"] in NUMERIC_TYPES} for c in columns],
        records=[[_cell(v) for v in row[1:end]] for row in result["records"]],
        total=total,
        pages=pages,
        state=state,
    )


def chart_rows(ctx: Context, resource_id: str, state: State) -> tuple[list[list[Any]], int]:
    """The x and y values of the filtered rows, ordered by x (at most `ROWS_MAX` rows),
    and how many rows match in all."""
    assert state.x is not None and state.y is not None
    data = {
        "resource_id": resource_id,
        "fields": json.dumps([state.x, state.y], ensure_ascii=False),
        "records_format": "lists",
        "limit": ROWS_MAX,
        **filter_args(replace(state, sort=state.x, desc=False)),
    }
    result = datastore_search(ctx, data)
    return result["records"], int(result.get("total", 0))
