"""Pure table -> table steps, a registry keyed by the kind used in YAML.

Three shapes of step:
- `batch`: an Arrow function applied to each record batch (select, rename, cast, map);
- `stream`: a DuckDB query over each batch (derive, bin, filter, join with a lookup);
- `blocking`: a DuckDB query over the whole stream (aggregate, sort, deduplicate,
  unpivot); DuckDB reads the Arrow stream itself and spills to disk past its memory limit.

SQL steps build a query over the relation `input` (and `lookup`); expressions are
DuckDB SQL expressions, evaluated in a connection that reads no files.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import frictionless
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ogd.errors import SourceInvalid, SpecError
from ogd.validate.schemas import arrow_type, cell_reader, convert


@dataclass(frozen=True)
class Step:
    """One step of a pipeline: its kind, its keys, and where it stands in the file."""

    kind: str
    options: Mapping[str, Any]
    where: str
    key_where: Mapping[str, str] = field(default_factory=dict)

    def at(self, key: str) -> str:
        """Where a key of this step stands (file, line, key path)."""
        return self.key_where.get(key, f"{self.where}.{key}")


@dataclass
class StepContext:
    """What steps may read besides their input: the lookup tables folder."""

    lookups_dir: Path
    lookups: dict[str, pa.Table] = field(default_factory=dict)

    def lookup(self, name: str, where: str) -> pa.Table:
        """A lookup table (CSV, UTF-8, header row) from the lookups folder, text columns."""
        if name not in self.lookups:
            folder = self.lookups_dir.resolve()
            path = (folder / name).resolve()
            if not path.is_relative_to(folder) or not path.is_file():
                raise SpecError(
                    f"lookup table `{name}` not found in {folder}",
                    where=where,
                    hint="put the CSV file (UTF-8, header row) in pipelines/lookups/",
                )
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
            convert_options = pacsv.ConvertOptions(
                column_types={n: pa.string() for n in header}, strings_can_be_null=False
            )
            read_options = pacsv.ReadOptions(encoding="utf-8")
            table = pacsv.read_csv(path, read_options=read_options, convert_options=convert_options)
            self.lookups[name] = table.rename_columns(
                [n.lstrip("\ufeff") for n in table.column_names]
            )
        return self.lookups[name]


BatchFn = Callable[[pa.Table, Step, StepContext], pa.Table]
SqlFn = Callable[[list[str], Step, StepContext], str]


@dataclass(frozen=True)
class StepDef:
    """A step kind: how it runs and the keys its YAML item takes."""

    shape: Literal["batch", "stream", "blocking"]
    function: Any
    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    uses_lookup: bool = False


def quote(name: str) -> str:
    """Quote an identifier for DuckDB SQL."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def require_columns(columns: Sequence[str], names: Sequence[str], where: str) -> None:
    """Raise a SpecError naming the first unknown column and the columns there are."""
    for name in names:
        if name not in columns:
            raise SpecError(
                f"'{name}' is not a column here",
                where=where,
                hint=f"columns are: {', '.join(columns)}",
            )


def names_of(step: Step, key: str) -> list[str]:
    """A key holding one column name or a list of them."""
    value = step.options.get(key, [])
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SpecError(f"`{key}` must be a column name or a list of names", where=step.at(key))


# -- batch steps (Arrow) ---------------------------------------------------------------


def column_select(table: pa.Table, step: Step, ctx: StepContext) -> pa.Table:
    """Keep only the named columns, in the given order."""
    names = names_of(step, "columns")
    require_columns(table.column_names, names, step.at("columns"))
    return table.select(names)


def column_drop(table: pa.Table, step: Step, ctx: StepContext) -> pa.Table:
    """Remove the named columns."""
    names = names_of(step, "columns")
    require_columns(table.column_names, names, step.at("columns"))
    return table.drop_columns(names)


def column_rename(table: pa.Table, step: Step, ctx: StepContext) -> pa.Table:
    """Rename columns: `columns: {old: new}`."""
    mapping = step.options["columns"]
    if not isinstance(mapping, Mapping):
        raise SpecError("`columns` must map old names to new names", where=step.at("columns"))
    require_columns(table.column_names, list(mapping), step.at("columns"))
    return table.rename_columns([str(mapping.get(n, n)) for n in table.column_names])


def _cast_field(name: str, spec: Any, where: str) -> frictionless.Field:
    descriptor: dict[str, Any] = {"name": name}
    if isinstance(spec, str):
        descriptor["type"] = spec
    elif isinstance(spec, Mapping):
        renames: dict[str, str] = {"decimal_char": "decimalChar", "group_char": "groupChar"}
        descriptor.update({renames.get(str(k), str(k)): v for k, v in spec.items()})
    try:
        return frictionless.Field.from_descriptor(descriptor)
    except frictionless.FrictionlessException as exc:
        raise SpecError(f"cannot cast `{name}`: {exc.error.message}", where=where) from None


def column_cast(table: pa.Table, step: Step, ctx: StepContext) -> pa.Table:
    """Convert columns to types: `columns: {name: type}` or `{name: {type, format, …}}`."""
    spec = step.options["columns"]
    if not isinstance(spec, Mapping):
        raise SpecError("`columns` must map column names to types", where=step.at("columns"))
    require_columns(table.column_names, list(spec), step.at("columns"))
    for name, target in spec.items():
        fld = _cast_field(name, target, step.at("columns"))
        column = table[name].combine_chunks()
        target_type = arrow_type(fld.type)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            values = cell_reader(fld)(pc.if_else(pc.equal(column, ""), None, column))
        else:
            values = convert(fld.type, column, target_type)
        failed = pc.and_(pc.is_valid(column), pc.is_null(values))
        if pc.any(failed).as_py():
            bad = pc.filter(column, failed)
            raise SourceInvalid(
                f"{pc.sum(failed).as_py()} value(s) of column `{name}` cannot be read as "
                f"{fld.type}, e.g. {bad[0].as_py()!r}",
                where=step.at("columns"),
                hint="fix the values in the source, or the type and format of the cast",
            )
        table = table.set_column(table.column_names.index(name), name, values)
    return table


def column_map(table: pa.Table, step: Step, ctx: StepContext) -> pa.Table:
    """Replace codes by labels from `mapping` or from a `lookup` table (`key` -> `value`)."""
    column = str(step.options["column"])
    require_columns(table.column_names, [column], step.at("column"))
    keys, values = _mapping_arrays(step, ctx)
    codes = pc.cast(table[column], pa.string())
    index = pc.index_in(codes, value_set=keys)
    mapped = pc.take(values, index)
    unmatched = step.options.get("unmatched", "keep")
    missing = pc.and_(pc.is_valid(codes), pc.is_null(index))
    if unmatched == "error" and pc.any(missing).as_py():
        example = pc.filter(codes, missing)[0].as_py()
        raise SourceInvalid(
            f"code {example!r} of column `{column}` is not in the mapping",
            where=step.at("column"),
            hint="add it to the mapping or lookup table, or set `unmatched: keep`",
        )
    if unmatched == "keep":
        mapped = pc.if_else(missing, codes, mapped)
    into = str(step.options.get("into", column))
    if into in table.column_names:
        return table.set_column(table.column_names.index(into), into, mapped)
    return table.append_column(into, mapped)


def _mapping_arrays(step: Step, ctx: StepContext) -> tuple[pa.Array, pa.Array]:
    unmatched = step.options.get("unmatched", "keep")
    if unmatched not in {"keep", "null", "error"}:
        raise SpecError(
            f"`unmatched` must be keep, null or error, not `{unmatched}`",
            where=step.at("unmatched"),
        )
    if ("mapping" in step.options) == ("lookup" in step.options):
        raise SpecError(
            "give either `mapping` or `lookup` (with `key` and `value`)", where=step.where
        )
    if "lookup" in step.options and not {"key", "value"} <= set(step.options):
        raise SpecError("`lookup` needs `key` and `value`", where=step.at("lookup"))
    if "mapping" in step.options:
        mapping = step.options["mapping"]
        if not isinstance(mapping, Mapping):
            raise SpecError("`mapping` must map codes to labels", where=step.at("mapping"))
        return (
            pa.array([str(k) for k in mapping], pa.string()),
            pa.array([None if v is None else str(v) for v in mapping.values()], pa.string()),
        )
    if "lookup" not in step.options:
        raise SpecError("give `mapping` or `lookup`", where=step.where)
    lookup = ctx.lookup(str(step.options["lookup"]), step.at("lookup"))
    key, value = str(step.options.get("key", "")), str(step.options.get("value", ""))
    require_columns(lookup.column_names, [key, value], step.at("key"))
    return lookup[key].combine_chunks(), lookup[value].combine_chunks()


# -- stream steps (DuckDB over each batch) ------------------------------------------------


def _all_but(columns: Sequence[str], name: str) -> str:
    others = [quote(c) for c in columns if c != name]
    return ", ".join(others) + (", " if others else "")


def column_derive(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Add (or replace) `column` with the value of a DuckDB SQL `expression`."""
    name = str(step.options["column"])
    expression = step.options["expression"]
    return f"SELECT {_all_but(columns, name)}({expression}) AS {quote(name)} FROM input"


def column_bin(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Put a numeric column into bands: `edges: [0, 20, 65]` gives 0-19, 20-64, 65+."""
    column = str(step.options["column"])
    require_columns(columns, [column], step.at("column"))
    edges = step.options["edges"]
    if not isinstance(edges, Sequence) or len(edges) < 2 or list(edges) != sorted(edges):
        raise SpecError(
            "`edges` must be an ascending list of at least two numbers", where=step.at("edges")
        )
    labels = step.options.get("labels") or _band_labels([int(e) for e in edges])
    if len(labels) != len(edges):
        raise SpecError(f"`labels` needs {len(edges)} entries", where=step.at("labels"))
    cases = " ".join(
        f"WHEN {quote(column)} >= {edges[i]} THEN {literal(labels[i])}"
        for i in reversed(range(len(edges)))
    )
    into = str(step.options.get("into", column))
    return f"SELECT {_all_but(columns, into)}(CASE {cases} END) AS {quote(into)} FROM input"


def _band_labels(edges: list[int]) -> list[str]:
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(edges, edges[1:], strict=False)]
    return [*labels, f"{edges[-1]}+"]


def row_filter(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Keep rows for which the DuckDB SQL `expression` is true."""
    return f"SELECT * FROM input WHERE {step.options['expression']}"


def table_join(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Add columns of a lookup table: `on: col` or `on: {col: lookup_col}`, `how: left`."""
    lookup = ctx.lookup(str(step.options["lookup"]), step.at("lookup"))
    on = step.options["on"]
    pairs = {str(on): str(on)} if isinstance(on, str) else {str(k): str(v) for k, v in on.items()}
    require_columns(columns, list(pairs), step.at("on"))
    require_columns(lookup.column_names, list(pairs.values()), step.at("on"))
    wanted = names_of(step, "columns") or [
        c for c in lookup.column_names if c not in pairs.values()
    ]
    require_columns(lookup.column_names, wanted, step.at("columns"))
    how = str(step.options.get("how", "left")).upper()
    if how not in {"LEFT", "INNER"}:
        raise SpecError("`how` must be left or inner", where=step.at("how"))
    condition = " AND ".join(
        f"CAST(i.{quote(a)} AS VARCHAR) = l.{quote(b)}" for a, b in pairs.items()
    )
    keep = ", ".join(f"i.{quote(c)}" for c in columns)
    extra = ", ".join(f"l.{quote(c)}" for c in wanted)
    return (
        f"SELECT {keep}, {extra} FROM (SELECT *, row_number() OVER () AS __n FROM input) i "
        f"{how} JOIN lookup l ON {condition} ORDER BY i.__n"
    )


# -- blocking steps (DuckDB over the whole stream) ---------------------------------------


def row_sort(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Sort by columns; an item may end in ` desc`."""
    parts = []
    for key in names_of(step, "by"):
        name, _, direction = key.partition(" ")
        require_columns(columns, [name], step.at("by"))
        parts.append(f"{quote(name)} {'DESC' if direction.strip().lower() == 'desc' else 'ASC'}")
    return f"SELECT * FROM input ORDER BY {', '.join(parts)}"


def row_deduplicate(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Drop repeated rows; with `columns`, keep the first row of each combination."""
    keys = names_of(step, "columns")
    if not keys:
        return "SELECT DISTINCT * FROM input"
    require_columns(columns, keys, step.at("columns"))
    partition = ", ".join(quote(k) for k in keys)
    return (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM "
        f"(SELECT *, row_number() OVER () AS __n FROM input) "
        f"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY __n) = 1 ORDER BY __n"
    )


def table_aggregate(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Group by columns and compute measures (`count`, or DuckDB aggregate expressions)."""
    group_by = names_of(step, "group_by")
    require_columns(columns, group_by, step.at("group_by"))
    measures = step.options["measures"]
    if not isinstance(measures, Mapping) or not measures:
        raise SpecError(
            "`measures` must map output names to aggregate expressions", where=step.at("measures")
        )
    exprs = [quote(c) for c in group_by]
    for name, expression in measures.items():
        exprs.append(f"({_measure(expression, columns, step)}) AS {quote(str(name))}")
    keys = ", ".join(quote(c) for c in group_by)
    tail = f" GROUP BY {keys} ORDER BY {keys}" if group_by else ""
    return f"SELECT {', '.join(exprs)} FROM input{tail}"


def _measure(expression: Any, columns: list[str], step: Step) -> str:
    if isinstance(expression, Mapping) and len(expression) == 1:
        function, column = next(iter(expression.items()))
        if function not in {"sum", "mean", "avg", "min", "max", "count", "count_distinct"}:
            raise SpecError(f"unknown aggregate `{function}`", where=step.at("measures"))
        require_columns(columns, [str(column)], step.at("measures"))
        if function == "count_distinct":
            return f"count(DISTINCT {quote(str(column))})"
        return f"{'avg' if function == 'mean' else function}({quote(str(column))})"
    text = str(expression).strip()
    return "count(*)" if text == "count" else text


def table_unpivot(columns: list[str], step: Step, ctx: StepContext) -> str:
    """Turn columns into rows: `columns` become (`names_to`, `values_to`) pairs."""
    names = names_of(step, "columns")
    require_columns(columns, names, step.at("columns"))
    names_to = quote(str(step.options.get("names_to", "name")))
    values_to = quote(str(step.options.get("values_to", "value")))
    cols = ", ".join(quote(c) for c in names)
    return f"UNPIVOT input ON {cols} INTO NAME {names_to} VALUE {values_to}"


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


STEPS: dict[str, StepDef] = {
    "column_select": StepDef("batch", column_select, _keys("columns")),
    "column_drop": StepDef("batch", column_drop, _keys("columns")),
    "column_rename": StepDef("batch", column_rename, _keys("columns")),
    "column_cast": StepDef("batch", column_cast, _keys("columns")),
    "column_map": StepDef(
        "batch",
        column_map,
        _keys("column"),
        _keys("into", "mapping", "lookup", "key", "value", "unmatched"),
        uses_lookup=True,
    ),
    "column_derive": StepDef("stream", column_derive, _keys("column", "expression")),
    "column_bin": StepDef("stream", column_bin, _keys("column", "edges"), _keys("into", "labels")),
    "row_filter": StepDef("stream", row_filter, _keys("expression")),
    "table_join": StepDef(
        "stream", table_join, _keys("lookup", "on"), _keys("columns", "how"), uses_lookup=True
    ),
    "row_sort": StepDef("blocking", row_sort, _keys("by")),
    "row_deduplicate": StepDef("blocking", row_deduplicate, frozenset(), _keys("columns")),
    "table_aggregate": StepDef("blocking", table_aggregate, _keys("measures"), _keys("group_by")),
    "table_unpivot": StepDef(
        "blocking", table_unpivot, _keys("columns"), _keys("names_to", "values_to")
    ),
}
