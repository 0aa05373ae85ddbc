"""Pure table -> table steps, a registry keyed by the kind used in YAML.

Expressions (derive, filter, aggregate measures) are DuckDB SQL expressions evaluated
over the Arrow table in an in-process connection that reads no files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from ogd.errors import SpecError

StepFunction = Callable[[pa.Table, Mapping[str, Any], str], pa.Table]


@dataclass(frozen=True)
class StepDef:
    """A step kind: its function and the keys its YAML item takes."""

    function: StepFunction
    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    help: str = ""


def quote(name: str) -> str:
    """Quote an identifier for DuckDB SQL."""
    return '"' + name.replace('"', '""') + '"'


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"enable_external_access": False, "threads": 2})
    return con


def _sql(table: pa.Table, query: str, where: str) -> pa.Table:
    con = _connect()
    try:
        con.register("input", table)
        return con.sql(query).to_arrow_table()
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        raise SpecError(
            f"the step cannot run: {message}",
            where=where,
            hint=f"columns here are: {', '.join(table.column_names)}",
        ) from None
    finally:
        con.close()


def _require_columns(table: pa.Table, names: Sequence[str], where: str) -> None:
    for name in names:
        if name not in table.column_names:
            raise SpecError(
                f"'{name}' is not a column here",
                where=where,
                hint=f"columns are: {', '.join(table.column_names)}",
            )


def _as_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SpecError(f"`{key}` must be a column name or a list of names", where=where)


def column_select(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Keep only the named columns, in the given order."""
    names = _as_list(options["columns"], "columns", where)
    _require_columns(table, names, where)
    return table.select(names)


def column_drop(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Remove the named columns."""
    names = _as_list(options["columns"], "columns", where)
    _require_columns(table, names, where)
    return table.drop_columns(names)


def column_rename(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Rename columns: `columns: {old: new}`."""
    mapping = options["columns"]
    if not isinstance(mapping, Mapping):
        raise SpecError("`columns` must map old names to new names", where=where)
    _require_columns(table, list(mapping), where)
    return table.rename_columns([str(mapping.get(n, n)) for n in table.column_names])


def column_derive(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Add (or replace) `column` with the value of a DuckDB SQL `expression`."""
    column = str(options["column"])
    others = ", ".join(quote(c) for c in table.column_names if c != column)
    select = f"{others}, " if others else ""
    return _sql(
        table,
        f"SELECT {select}({options['expression']}) AS {quote(column)} FROM input",
        where,
    )


def column_bin(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Put a numeric column into bands: `edges: [0, 20, 65]` gives 0-19, 20-64, 65+."""
    column = str(options["column"])
    _require_columns(table, [column], where)
    edges = options["edges"]
    if not isinstance(edges, Sequence) or len(edges) < 2 or list(edges) != sorted(edges):
        raise SpecError("`edges` must be an ascending list of at least two numbers", where=where)
    labels = options.get("labels") or _band_labels([int(e) for e in edges])
    if len(labels) != len(edges):
        raise SpecError(f"`labels` needs {len(edges)} entries, one per edge", where=where)
    cases = " ".join(
        f"WHEN {quote(column)} >= {edges[i]} THEN '{str(labels[i]).replace(chr(39), chr(39) * 2)}'"
        for i in reversed(range(len(edges)))
    )
    expression = f"CASE {cases} END"
    into = str(options.get("into", column))
    return column_derive(table, {"column": into, "expression": expression}, where)


def _band_labels(edges: list[int]) -> list[str]:
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(edges, edges[1:], strict=False)]
    return [*labels, f"{edges[-1]}+"]


def row_filter(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Keep rows for which the DuckDB SQL `expression` is true."""
    return _sql(table, f"SELECT * FROM input WHERE {options['expression']}", where)


def row_sort(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Sort by columns; an item may end in ` desc`."""
    keys = _as_list(options["by"], "by", where)
    parts = []
    for key in keys:
        name, _, direction = key.partition(" ")
        _require_columns(table, [name], where)
        parts.append(f"{quote(name)} {'DESC' if direction.strip().lower() == 'desc' else 'ASC'}")
    return _sql(table, f"SELECT * FROM input ORDER BY {', '.join(parts)}", where)


def table_aggregate(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Group by columns and compute measures (`count`, or DuckDB aggregate expressions)."""
    group_by = _as_list(options.get("group_by", []), "group_by", where)
    _require_columns(table, group_by, where)
    measures = options["measures"]
    if not isinstance(measures, Mapping) or not measures:
        raise SpecError("`measures` must map output names to aggregate expressions", where=where)
    exprs = [quote(c) for c in group_by]
    for name, expression in measures.items():
        sql = "count(*)" if str(expression).strip() == "count" else str(expression)
        exprs.append(f"({sql}) AS {quote(str(name))}")
    group = f" GROUP BY {', '.join(quote(c) for c in group_by)}" if group_by else ""
    order = f" ORDER BY {', '.join(quote(c) for c in group_by)}" if group_by else ""
    return _sql(table, f"SELECT {', '.join(exprs)} FROM input{group}{order}", where)


def table_unpivot(table: pa.Table, options: Mapping[str, Any], where: str) -> pa.Table:
    """Turn columns into rows: `columns` become (`names_to`, `values_to`) pairs."""
    columns = _as_list(options["columns"], "columns", where)
    _require_columns(table, columns, where)
    names_to = quote(str(options.get("names_to", "name")))
    values_to = quote(str(options.get("values_to", "value")))
    cols = ", ".join(quote(c) for c in columns)
    return _sql(table, f"UNPIVOT input ON {cols} INTO NAME {names_to} VALUE {values_to}", where)


STEPS: dict[str, StepDef] = {
    "column_select": StepDef(column_select, frozenset({"columns"})),
    "column_drop": StepDef(column_drop, frozenset({"columns"})),
    "column_rename": StepDef(column_rename, frozenset({"columns"})),
    "column_derive": StepDef(column_derive, frozenset({"column", "expression"})),
    "column_bin": StepDef(
        column_bin, frozenset({"column", "edges"}), frozenset({"into", "labels"})
    ),
    "row_filter": StepDef(row_filter, frozenset({"expression"})),
    "row_sort": StepDef(row_sort, frozenset({"by"})),
    "table_aggregate": StepDef(table_aggregate, frozenset({"measures"}), frozenset({"group_by"})),
    "table_unpivot": StepDef(
        table_unpivot, frozenset({"columns"}), frozenset({"names_to", "values_to"})
    ),
}


def apply_steps(table: pa.Table, steps: Sequence[Any]) -> pa.Table:
    """Run step specs (objects with `kind`, `options`, `where`) in order."""
    for step in steps:
        table = STEPS[step.kind].function(table, step.options, step.where)
    return table
