"""`datastore_search`, `datastore_info` and dumps: DuckDB directly over the published Parquet (I/O).

A table is one Parquet file; `_id` is its 1-based row number (`file_row_number + 1`), so
row order is the file's order and nothing is ever loaded into a database. Every request
works in two steps: first the row numbers of the page (and the total), reading only the
columns that filters, full text and sort need, then the requested fields of just those
rows.

Small tables are answered by SQL over the file. Tables of `index_min_rows` rows or more
use sidecar Parquet indexes, built once per content hash (so every worker finds the
same ones) on first use or by `prepare`: per filtered or sorted column a `(value, rid)`
file sorted by value and a `(value, n)` summary, and full-text postings
`(hash(term), tf, rid)` stored in rank order. Both ways give the same answers; the unit
tests run every case both ways.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ogd.datastore.types import TEXT_TYPES, json_value, pg_type, quote_ident, select_sql
from ogd.errors import ValidationError

ROWS_MAX = 32_000
INDEX_MIN_ROWS = 200_000
INDEX_FORMAT = f"v3-duckdb{duckdb.__version__}"
RANK_WEIGHT = 0.1
SCHEMAS_MAX = 1024
SCALAR_TYPES = frozenset(
    {"text", "bool", "int2", "int4", "int8", "float4", "float8", "numeric", "date"}
    | {"time", "timestamp", "timestamptz", "uuid"}
)
Rids = npt.NDArray[np.int64]
_SORT = re.compile(
    r'^\s*(?:"(?P<quoted>(?:[^"]|"")+)"|(?P<plain>[^\s"]+))\s*(?P<dir>asc|desc)?'
    r"\s*(?:nulls\s+(?P<nulls>first|last))?\s*$",
    re.IGNORECASE,
)
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*[KMGT]?i?B$", re.IGNORECASE)


@dataclass(frozen=True)
class Table:
    """A DataStore table: a local Parquet file and where its caches go.

    Attributes:
        path: the Parquet file.
        key: the file's content hash; names every cache of it.
        cache_dir: folder of the sidecar indexes.
        root: folder DuckDB may read (the storage folder holding `path`).
        memory_limit: DuckDB memory limit.
        index_min_rows: from this many rows on, sidecar indexes answer searches.
    """

    path: Path
    key: str
    cache_dir: Path
    root: Path
    memory_limit: str = "1GB"
    index_min_rows: int = INDEX_MIN_ROWS


@dataclass(frozen=True)
class Field:
    """A column as the DataStore describes it."""

    id: str
    type: str
    native: str = ""
    notnull: bool = False


@dataclass(frozen=True)
class Search:
    """The table-dependent inputs of `datastore_search` (already decoded from JSON)."""

    filters: Mapping[str, Any] | None = None
    q: str | Mapping[str, Any] | None = None
    full_text: str | None = None
    fields: Sequence[str] | None = None
    sort: Sequence[str] | None = None
    distinct: bool = False
    limit: int | None = 100
    offset: int = 0
    include_total: bool = True


@dataclass(frozen=True)
class SearchResult:
    """Field descriptions, records as tuples in field order, and the exact total."""

    fields: list[Field]
    records: list[tuple[Any, ...]]
    total: int | None


@dataclass(frozen=True)
class Key:
    """One sort key; `column` may be `_id` or a rank column."""

    column: str
    desc: bool = False
    nulls_first: bool = False

    @property
    def is_default_nulls(self) -> bool:
        """PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending."""
        return self.nulls_first == self.desc


@dataclass(frozen=True)
class Plan:
    """A validated search over a table's columns."""

    columns: dict[str, Field]
    num_rows: int
    filters: dict[str, list[Any]]
    texts: dict[str, tuple[str | None, list[str]]]
    out: list[Field]
    keys: list[Key]
    distinct: bool
    limit: int | None
    offset: int
    text_columns: list[str] = field(default_factory=list)


# -- the engine ---------------------------------------------------------------------------


class _Database:
    """One DuckDB database per process and readable folder set; a cursor per request.

    Opening a DuckDB database costs ~30 ms, more than a whole search, and a shared one
    keeps Parquet footers and pages cached between requests. It can read only the
    folders it was opened for and runs only SQL this module writes.
    """

    def __init__(self, folders: tuple[str, ...], memory_limit: str) -> None:
        if not _MEMORY.match(memory_limit):
            raise ValueError(f"invalid DuckDB memory limit {memory_limit!r}")
        self._con = duckdb.connect(config={"memory_limit": memory_limit})
        listed = ", ".join(_literal(f.rstrip("/") + "/") for f in folders)
        for statement in (
            "SET parquet_metadata_cache = true",
            "SET autoinstall_known_extensions = false",
            "SET autoload_known_extensions = false",
            f"SET allowed_directories = [{listed}]",
            "SET enable_external_access = false",
            "SET lock_configuration = true",
        ):
            self._con.execute(statement)
        self._lock = threading.Lock()
        self.schemas: dict[tuple[str, str], tuple[list[Field], int]] = {}

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the shared database (one per request and thread)."""
        with self._lock:
            return self._con.cursor()

    def schema(self, con: duckdb.DuckDBPyConnection, table: Table) -> tuple[list[Field], int]:
        """A table's fields and row count, read once per content hash."""
        key = (str(table.path), table.key)
        if key not in self.schemas:
            if len(self.schemas) > SCHEMAS_MAX:
                self.schemas.clear()
            self.schemas[key] = _read_fields(con, table)
        return self.schemas[key]


@functools.lru_cache(maxsize=8)
def _database(folders: tuple[str, ...], memory_limit: str) -> _Database:
    return _Database(folders, memory_limit)


def _shared(table: Table) -> _Database:
    folders = tuple(sorted({str(table.root.resolve()), str(table.cache_dir.resolve())}))
    return _database(folders, table.memory_limit)


def connect(table: Table) -> duckdb.DuckDBPyConnection:
    """A cursor that can read the table's storage folder and its cache folder only."""
    return _shared(table).cursor()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source_sql(table: Table) -> str:
    """The table as a relation: `__rid` (0-based), `_id` and the file's columns."""
    src = f"read_parquet({_literal(str(table.path))}, file_row_number = true)"
    return (
        "SELECT file_row_number AS __rid, file_row_number + 1 AS _id, "
        f"* EXCLUDE (file_row_number) FROM {src}"
    )


# -- schema -------------------------------------------------------------------------------


def table_fields(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[list[Field], int]:
    """The file's columns (without `_id`) and its number of rows (from the footer)."""
    return _shared(table).schema(con, table)


def _read_fields(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[list[Field], int]:
    meta = pq.ParquetFile(str(table.path))
    nullable = {f.name: f.nullable for f in meta.schema_arrow}
    described = con.execute(
        f"DESCRIBE SELECT * FROM read_parquet({_literal(str(table.path))})"
    ).fetchall()
    fields = [
        Field(str(name), pg_type(str(kind)), str(kind), not nullable.get(str(name), True))
        for name, kind, *_ in described
    ]
    return fields, int(meta.metadata.num_rows)


# -- validation ---------------------------------------------------------------------------


def _invalid(key: str, value: Any) -> ValidationError:
    return ValidationError({key: [f'invalid value "{value}"']})


def _parse_sort(clause: str, known: Mapping[str, Any]) -> Key:
    match = _SORT.match(clause)
    if match is None:
        raise _invalid("sort", clause.strip())
    quoted = match["quoted"]
    column = quoted.replace('""', '"') if quoted else match["plain"]
    if column not in known:
        raise _invalid("sort", clause.strip())
    desc = (match["dir"] or "").lower() == "desc"
    nulls = (match["nulls"] or "").lower()
    return Key(column, desc, nulls == "first" if nulls else desc)


def _listed(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _texts(search: Search, columns: Mapping[str, Field]) -> dict[str, tuple[str | None, str]]:
    texts: dict[str, tuple[str | None, str]] = {}
    everywhere = [t for t in (search.q, search.full_text) if isinstance(t, str) and t.strip()]
    if everywhere:
        texts["rank"] = (None, " ".join(everywhere))
    if isinstance(search.q, Mapping):
        for column, text in search.q.items():
            if column not in columns or column == "_id":
                raise _invalid("q", column)
            if text is not None and str(text).strip():
                texts[f"rank {column}"] = (column, str(text))
    elif search.q is not None and not isinstance(search.q, str):
        raise _invalid("q", search.q)
    return texts


def plan_search(con: duckdb.DuckDBPyConnection, table: Table, search: Search) -> Plan:
    """Check the inputs against the table; cast filter values to the column types.

    Raises:
        ValidationError: an unknown column in `filters`, `q`, `fields` or `sort`, a filter
            value of the wrong type, or a sort on a column DISTINCT does not select.
    """
    fields, num_rows = table_fields(con, table)
    columns = {"_id": Field("_id", "int", "BIGINT", True), **{f.id: f for f in fields}}
    raw_texts = _texts(search, columns)
    texts_cols = [f.id for f in fields if f.type in TEXT_TYPES]
    texts = {name: (column, tokenize(con, text)) for name, (column, text) in raw_texts.items()}
    texts = {name: spec for name, spec in texts.items() if spec[1]}
    known: dict[str, Field] = {**columns, **{n: Field(n, "float8") for n in texts}}
    wanted = _listed(search.fields) or list(known)
    for name in wanted:
        if name not in known:
            raise _invalid("fields", name)
    keys = [_parse_sort(c, known) for c in _listed(search.sort)]
    if not keys and not search.distinct:
        keys = [Key(name, True, True) for name in texts]
    if search.distinct:
        keys = keys or [Key(name) for name in wanted]
        for key in keys:
            if key.column not in wanted:
                raise _invalid("sort", key.column)
    elif "_id" not in [k.column for k in keys]:
        keys.append(Key("_id"))
    return Plan(
        columns=columns,
        num_rows=num_rows,
        filters=_cast_filters(con, search.filters, columns),
        texts=texts,
        out=[known[name] for name in wanted],
        keys=keys,
        distinct=search.distinct,
        limit=search.limit,
        offset=search.offset,
        text_columns=texts_cols,
    )


def _cast_filters(
    con: duckdb.DuckDBPyConnection, filters: Mapping[str, Any] | None, columns: Mapping[str, Field]
) -> dict[str, list[Any]]:
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise ValidationError({"filters": ["Not a JSON object"]})
    cast: dict[str, list[Any]] = {}
    for column, raw in filters.items():
        if column not in columns:
            raise _invalid("filters", column)
        values = list(raw) if isinstance(raw, list | tuple) else [raw]
        kind = columns[column].native
        if not values:
            cast[column] = []
            continue
        params = [v if v is None or isinstance(v, int | float) else _as_text(v) for v in values]
        row = con.execute(
            "SELECT [" + ", ".join(f"TRY_CAST(? AS {kind})" for _ in params) + "]", params
        ).fetchone()
        result = list(row[0]) if row else []
        for given, value in zip(values, result, strict=True):
            if value is None and given is not None:
                raise ValidationError(
                    {"filters": [f'invalid value "{given}" for field "{column}"']}
                )
        cast[column] = result
    return cast


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- search -------------------------------------------------------------------------------


def search(table: Table, request: Search) -> SearchResult:
    """Run `datastore_search` over a table.

    Args:
        table: the table.
        request: the inputs; `limit` is already capped by the caller.

    Returns:
        The field descriptions, the page of records and the exact total.

    Raises:
        ValidationError: invalid inputs (see `plan_search`).
    """
    con = connect(table)
    try:
        plan = plan_search(con, table, request)
        if plan.distinct:
            return _distinct(con, table, plan, request.include_total)
        page, ranks, total = _page(con, table, plan, request.include_total)
        rows = _fetch(con, table, plan, page)
        records = [_record(plan, rid, rows.get(rid, ()), ranks, i) for i, rid in enumerate(page)]
        return SearchResult(plan.out, records, total)
    finally:
        con.close()


def _page(
    con: duckdb.DuckDBPyConnection, table: Table, plan: Plan, with_total: bool
) -> tuple[list[int], dict[str, list[float]], int | None]:
    if plan.num_rows >= table.index_min_rows:
        found = indexed_page(con, table, plan)
        if found is not None:
            return found.rids, found.ranks, found.total if with_total else None
    sql, params = where_sql(table, plan)
    ranks = list(plan.texts)
    rank_cols = "".join(f", {quote_ident(r)}" for r in ranks)
    limit = plan.limit if plan.limit is not None else plan.num_rows
    rows = con.execute(
        f"SELECT __rid{rank_cols} FROM ({sql}) ORDER BY {order_sql(plan.keys)} LIMIT ? OFFSET ?",
        [*params, limit, plan.offset],
    ).fetchall()
    total = None
    if with_total:
        counted = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
        total = int(counted[0]) if counted else 0
    by_rank = {name: [float(r[i + 1]) for r in rows] for i, name in enumerate(ranks)}
    return [int(r[0]) for r in rows], by_rank, total


def where_sql(table: Table, plan: Plan) -> tuple[str, list[Any]]:
    """The filtered relation with its rank columns, as SQL and parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    selects: list[str] = []
    for column, values in plan.filters.items():
        if not values:
            clauses.append("false")
            continue
        clauses.append(f"{quote_ident(column)} IN ({', '.join('?' for _ in values)})")
        params += values
    rank_params: list[Any] = []
    for name, (text_column, terms) in plan.texts.items():
        tokens = tokens_sql([text_column] if text_column else plan.text_columns)
        clauses.append(f"list_has_all({tokens}, ?::VARCHAR[])")
        params.append(terms)
        rank, more = rank_sql(tokens, terms)
        selects.append(f", {rank} AS {quote_ident(name)}")
        rank_params += more
    where = " AND ".join(clauses) or "true"
    sql = f"SELECT *{''.join(selects)} FROM ({source_sql(table)}) WHERE {where}"
    return sql, rank_params + params


def order_sql(keys: Sequence[Key]) -> str:
    """ORDER BY terms with PostgreSQL's NULL placement made explicit."""
    return ", ".join(
        f"{'__rid' if k.column == '_id' else quote_ident(k.column)} "
        f"{'DESC' if k.desc else 'ASC'} NULLS {'FIRST' if k.nulls_first else 'LAST'}"
        for k in keys
    )


def _fetch(
    con: duckdb.DuckDBPyConnection, table: Table, plan: Plan, rids: list[int]
) -> dict[int, tuple[Any, ...]]:
    columns = [f for f in plan.out if f.id in plan.columns and f.id != "_id"]
    if not rids or not columns:
        return {}
    exprs = ", ".join(select_sql(quote_ident(f.id), f.type) for f in columns)
    # The range lets DuckDB skip row groups; the numbers are ints this module computed.
    listed = ", ".join(str(int(r)) for r in rids)
    rows = con.execute(
        f"SELECT __rid, {exprs} FROM ({source_sql(table)}) "
        f"WHERE __rid BETWEEN ? AND ? AND __rid IN ({listed})",
        [min(rids), max(rids)],
    ).fetchall()
    return {
        int(r[0]): tuple(json_value(v, f.type) for v, f in zip(r[1:], columns, strict=True))
        for r in rows
    }


def _record(
    plan: Plan, rid: int, row: tuple[Any, ...], ranks: Mapping[str, list[float]], i: int
) -> tuple[Any, ...]:
    values = iter(row)
    out: list[Any] = []
    for f in plan.out:
        if f.id == "_id":
            out.append(rid + 1)
        elif f.id in ranks:
            out.append(ranks[f.id][i])
        else:
            out.append(next(values, None))
    return tuple(out)


def _distinct(
    con: duckdb.DuckDBPyConnection, table: Table, plan: Plan, with_total: bool
) -> SearchResult:
    found = indexed_distinct(con, table, plan) if plan.num_rows >= table.index_min_rows else None
    if found is not None:
        return SearchResult(plan.out, found[0], found[1] if with_total else None)
    sql, params = distinct_sql(table, plan)
    limit = plan.limit if plan.limit is not None else plan.num_rows
    rows = con.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, plan.offset]).fetchall()
    records = [tuple(json_value(v, f.type) for v, f in zip(r, plan.out, strict=True)) for r in rows]
    total: int | None = None
    if with_total:
        inner, inner_params = where_sql(table, plan)
        names = ", ".join(quote_ident(f.id) for f in plan.out)
        counted = con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT {names} FROM ({inner}))", inner_params
        ).fetchone()
        total = int(counted[0]) if counted else 0
    return SearchResult(plan.out, records, total)


def distinct_sql(table: Table, plan: Plan) -> tuple[str, list[Any]]:
    """SELECT DISTINCT of the output fields, rendered and ordered (no LIMIT)."""
    inner, params = where_sql(table, plan)
    names = ", ".join(quote_ident(f.id) for f in plan.out)
    exprs = ", ".join(select_sql(quote_ident(f.id), f.type) for f in plan.out)
    order = order_sql(plan.keys).replace("__rid", '"_id"')
    return f"SELECT {exprs} FROM (SELECT DISTINCT {names} FROM ({inner})) ORDER BY {order}", params


# -- dump and info ------------------------------------------------------------------------


def dump(
    table: Table, request: Search, batch: int = 10_000
) -> tuple[list[Field], Iterator[list[tuple[Any, ...]]]]:
    """The fields and a lazy stream of record batches: a whole table or a search's rows.

    `request.limit` None means no limit. The stream holds its own DuckDB cursor and
    closes it when exhausted or closed.

    Raises:
        ValidationError: invalid inputs (see `plan_search`).
    """
    con = connect(table)
    try:
        plan = plan_search(con, table, request)
    except BaseException:
        con.close()
        raise
    if plan.distinct:
        sql, params = distinct_sql(table, plan)
    else:
        inner, params = where_sql(table, plan)
        exprs = ", ".join(
            select_sql(quote_ident(f.id), f.type) if f.id in plan.columns else quote_ident(f.id)
            for f in plan.out
        )
        sql = f"SELECT {exprs} FROM ({inner}) ORDER BY {order_sql(plan.keys)}"
    if plan.limit is not None:
        sql, params = f"{sql} LIMIT ? OFFSET ?", [*params, plan.limit, plan.offset]
    elif plan.offset:
        sql, params = f"{sql} OFFSET ?", [*params, plan.offset]

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        try:
            cursor = con.execute(sql, params)
            while rows := cursor.fetchmany(batch):
                yield [
                    tuple(json_value(v, f.type) for v, f in zip(r, plan.out, strict=True))
                    for r in rows
                ]
        finally:
            con.close()

    return plan.out, batches()


def info(table: Table) -> dict[str, Any]:
    """`datastore_info`: row count, sizes and the columns with their types."""
    con = connect(table)
    try:
        fields, num_rows = table_fields(con, table)
    finally:
        con.close()
    size = table.path.stat().st_size
    indexed = indexed_columns(table, [f.id for f in fields])
    return {
        "meta": {
            "count": num_rows,
            "table_type": "BASE TABLE",
            "size": size,
            "db_size": size,
            "idx_size": index_size(table),
            "aliases": [],
        },
        "fields": [
            {
                "id": f.id,
                "type": f.type,
                "schema": {
                    "native_type": f.type,
                    "notnull": f.notnull,
                    "index_name": indexed.get(f.id),
                    "is_index": f.id in indexed,
                    "uniquekey": False,
                },
            }
            for f in fields
        ],
    }


# -- full-text matching (shared by SQL and the index) -------------------------------------


def _tok(expr: str) -> str:
    folded = f"replace(strip_accents(lower(CAST({expr} AS VARCHAR))), 'ß', 'ss')"
    return rf"regexp_split_to_array({folded}, '[^\pL\pN]+')"


def tokenize(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    """The distinct search terms of a text: lower case, accents and ß folded, split on
    anything but letters and digits (so "Zürich" and "zurich" are the same term)."""
    row = con.execute(f"SELECT {_tok('?')}", [text]).fetchone()
    return [t for t in dict.fromkeys(row[0] if row and row[0] else []) if t]


def tokens_sql(columns: Sequence[str]) -> str:
    """SQL for the list of terms of a row's columns."""
    if not columns:
        return "CAST([] AS VARCHAR[])"
    parts = [f"coalesce({_tok(quote_ident(c))}, CAST([] AS VARCHAR[]))" for c in columns]
    return "flatten([" + ", ".join(parts) + "])"


def rank_sql(tokens: str, terms: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL for the rank x / (x + 1) (as 1 - 1 / (x + 1)), x = RANK_WEIGHT * occurrences."""
    joined = f"('|' || array_to_string({tokens}, '||') || '|')"
    counts = " + ".join(
        f"(strlen({joined}) - strlen(replace({joined}, ?, ''))) // ?" for _ in terms
    )
    params: list[Any] = []
    for term in terms:
        params += [f"|{term}|", len(f"|{term}|".encode())]
    x = f"(CAST({RANK_WEIGHT} AS DOUBLE) * ({counts}))"
    return f"(1 - 1 / ({x} + 1))", params


def _rank(counts: npt.NDArray[np.int64]) -> list[float]:
    x = RANK_WEIGHT * counts.astype(np.float64)
    return [float(v) for v in 1 - 1 / (x + 1)]


# -- sidecar indexes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A page found through the indexes: row numbers, rank values and the total."""

    rids: list[int]
    ranks: dict[str, list[float]]
    total: int


def _index_file(table: Table, kind: str) -> Path:
    return table.cache_dir / f"{table.key}.{INDEX_FORMAT}.{kind}.parquet"


def _named(prefix: str, column: str) -> str:
    return f"{prefix}-{hashlib.sha1(column.encode()).hexdigest()[:16]}"


def _build(table: Table, target: Path, select: str) -> Path:
    """Write `select` into `target` once; other workers wait for the same file."""
    if target.exists():
        return target
    table.cache_dir.mkdir(parents=True, exist_ok=True)
    with open(target.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return target
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        spill = table.cache_dir / "tmp"
        con = duckdb.connect(
            config={
                "memory_limit": table.memory_limit,
                "temp_directory": str(spill),
                "preserve_insertion_order": False,
            }
        )
        try:
            con.execute(
                f"COPY ({select}) TO {_literal(str(tmp))} (FORMAT parquet, "
                "COMPRESSION zstd, ROW_GROUP_SIZE 262144, PARQUET_VERSION V2)"
            )
        finally:
            con.close()
        os.replace(tmp, target)
    return target


def _scan(table: Table) -> str:
    return f"read_parquet({_literal(str(table.path))}, file_row_number = true)"


def column_index(table: Table, column: str) -> Path:
    """The `(value, rid)` file of a column, sorted by value (nulls last), then rid."""
    select = (
        f"SELECT {quote_ident(column)} AS value, file_row_number AS rid FROM {_scan(table)} "
        "ORDER BY value ASC NULLS LAST, rid"
    )
    return _build(table, _index_file(table, _named("col", column)), select)


def column_values(table: Table, column: str) -> Path:
    """The `(value, n)` summary of a column index: distinct values and their counts."""
    rows = _literal(str(column_index(table, column)))
    select = (
        f"SELECT value, count(*) AS n FROM read_parquet({rows}) "
        "GROUP BY value ORDER BY value ASC NULLS LAST"
    )
    return _build(table, _index_file(table, _named("val", column)), select)


def text_index(table: Table, columns: Sequence[str], column: str | None = None) -> Path:
    """Postings `(hash(term), tf, rid)` of the text columns (or one column).

    Sorted by term, then occurrences descending, then row number: the rows of a term
    are stored in rank order, so one term's best page is the start of its run.
    """
    tokens = tokens_sql([column] if column is not None else columns)
    # Counting per row (a histogram of its terms) keeps the build a streaming sort.
    per_row = (
        f"SELECT file_row_number AS rid, list_aggregate({tokens}, 'histogram') AS m "
        f"FROM {_scan(table)}"
    )
    select = (
        "SELECT hash(k) AS h, CAST(v AS INTEGER) AS tf, rid FROM ("
        f"SELECT rid, unnest(map_keys(m)) AS k, unnest(map_values(m)) AS v FROM ({per_row})"
        ") WHERE k <> '' ORDER BY h, tf DESC, rid"
    )
    kind = "fts" if column is None else _named("fts", column)
    return _build(table, _index_file(table, kind), select)


def prepare(table: Table, columns: Sequence[str] = ()) -> None:
    """Build the full-text index and the indexes of `columns` ahead of the first search."""
    con = connect(table)
    try:
        fields, _ = table_fields(con, table)
    finally:
        con.close()
    text_index(table, [f.id for f in fields if f.type in TEXT_TYPES])
    for column in columns:
        column_values(table, column)


def indexed_columns(table: Table, names: Sequence[str]) -> dict[str, str]:
    """Columns whose index file exists, with the file's name."""
    files = {n: _index_file(table, _named("col", n)) for n in names}
    return {n: f.name for n, f in files.items() if f.exists()}


def index_size(table: Table) -> int:
    """Bytes of every index file of the table."""
    if not table.cache_dir.exists():
        return 0
    pattern = f"{table.key}.{INDEX_FORMAT}.*.parquet"
    return sum(f.stat().st_size for f in table.cache_dir.glob(pattern))


def _sorted(values: Any) -> Rids:
    rids = np.asarray(values, dtype=np.int64)
    if len(rids) > 1 and not bool(np.all(rids[:-1] <= rids[1:])):
        rids = np.sort(rids)
    return rids


def _lookup(con: duckdb.DuckDBPyConnection, table: Table, column: str, values: list[Any]) -> Rids:
    path = _literal(str(column_index(table, column)))
    marks = ", ".join("?" for _ in values)
    got = con.execute(f"SELECT rid FROM read_parquet({path}) WHERE value IN ({marks})", values)
    return _sorted(got.fetchnumpy()["rid"])


def _postings(table: Table, plan: Plan, column: str | None) -> str:
    return _literal(str(text_index(table, plan.text_columns, column)))


def _hash(con: duckdb.DuckDBPyConnection, term: str) -> int:
    """The term's key in the postings (a constant, so DuckDB can skip row groups)."""
    row = con.execute("SELECT hash(?)", [term]).fetchone()
    return int(row[0]) if row else 0


def _match(
    con: duckdb.DuckDBPyConnection, table: Table, plan: Plan, column: str | None, terms: list[str]
) -> tuple[Rids, npt.NDArray[np.int64]]:
    """Rows holding every term (in `column`, or any text column), with occurrence counts."""
    path = _postings(table, plan, column)
    found: tuple[Rids, npt.NDArray[np.int64]] | None = None
    for term in terms:
        got = con.execute(
            f"SELECT rid, tf FROM read_parquet({path}) WHERE h = ? ORDER BY rid",
            [_hash(con, term)],
        ).fetchnumpy()
        rids, counts = _sorted(got["rid"]), np.asarray(got["tf"], dtype=np.int64)
        if found is not None:
            common, left, right = np.intersect1d(found[0], rids, True, True)
            rids, counts = common.astype(np.int64), found[1][left] + counts[right]
        found = (rids, counts)
    assert found is not None
    return found


def _candidates(
    con: duckdb.DuckDBPyConnection, table: Table, plan: Plan
) -> tuple[Rids | None, dict[str, npt.NDArray[np.int64]]]:
    cand: Rids | None = None
    for column, values in plan.filters.items():
        if not values:
            rids = np.zeros(0, dtype=np.int64)
        elif column == "_id":
            wanted = [int(v) - 1 for v in values if v is not None and 0 < int(v) <= plan.num_rows]
            rids = np.unique(np.asarray(wanted, dtype=np.int64))
        else:
            rids = _lookup(con, table, column, values)
        cand = rids if cand is None else np.intersect1d(cand, rids, assume_unique=True)
    matched = {}
    for name, (text_column, terms) in plan.texts.items():
        matched[name] = _match(con, table, plan, text_column, terms)
        rids = matched[name][0]
        cand = rids if cand is None else np.intersect1d(cand, rids, assume_unique=True)
    if cand is None:
        return None, {}
    return cand, {
        n: c if r is cand else c[np.searchsorted(r, cand)] for n, (r, c) in matched.items()
    }


def _is_indexable(plan: Plan) -> bool:
    used = [c for c in [*plan.filters, plan.keys[0].column] if c in plan.columns and c != "_id"]
    scalar = all(plan.columns[c].type in SCALAR_TYPES for c in used)
    texts = all(c is None or c in plan.text_columns for c, _ in plan.texts.values())
    return scalar and texts


def _need(plan: Plan, total: int) -> int:
    return plan.offset + (plan.limit if plan.limit is not None else total)


def _one_term(con: duckdb.DuckDBPyConnection, table: Table, plan: Plan) -> Found | None:
    """One term, no filters, best rank first: a slice of the term's postings."""
    if plan.filters or len(plan.texts) != 1:
        return None
    ((name, (column, terms)),) = plan.texts.items()
    if len(terms) != 1 or plan.keys != [Key(name, True, True), Key("_id")]:
        return None
    postings = f"read_parquet({_postings(table, plan, column)}) WHERE h = ?"
    key = [_hash(con, terms[0])]
    counted = con.execute(f"SELECT count(*) FROM {postings}", key).fetchone()
    total = int(counted[0]) if counted else 0
    limit = _need(plan, total) - plan.offset
    got = con.execute(
        f"SELECT rid, tf FROM {postings} LIMIT ? OFFSET ?", [*key, limit, plan.offset]
    ).fetchnumpy()
    counts = np.asarray(got["tf"], dtype=np.int64)
    return Found([int(r) for r in got["rid"]], {name: _rank(counts)}, total)


def _one_value(con: duckdb.DuckDBPyConnection, table: Table, plan: Plan) -> Found | None:
    """One column equal to one value, in row order: a slice of the value's run."""
    if plan.texts or len(plan.filters) != 1 or plan.keys != [Key("_id")]:
        return None
    ((column, values),) = plan.filters.items()
    if column == "_id" or len(values) != 1 or values[0] is None:
        return None
    summary = _literal(str(column_values(table, column)))
    counted = con.execute(f"SELECT n FROM read_parquet({summary}) WHERE value = ?", values)
    row = counted.fetchone()
    total = int(row[0]) if row else 0
    rows = _literal(str(column_index(table, column)))
    got = con.execute(
        f"SELECT rid FROM read_parquet({rows}) WHERE value = ? LIMIT ? OFFSET ?",
        [*values, _need(plan, total) - plan.offset, plan.offset],
    ).fetchnumpy()
    return Found([int(r) for r in got["rid"]], {}, total)


def indexed_page(con: duckdb.DuckDBPyConnection, table: Table, plan: Plan) -> Found | None:
    """The page and total through the sidecar indexes; None when they cannot answer."""
    if not _is_indexable(plan):
        return None
    quick = _one_term(con, table, plan) or _one_value(con, table, plan)
    if quick is not None:
        return quick
    cand, counts = _candidates(con, table, plan)
    total = plan.num_rows if cand is None else len(cand)
    need = _need(plan, total)
    first, tail = plan.keys[0], plan.keys[1:]
    if first.column == "_id":
        page = _by_rid(cand, plan.num_rows, first.desc, plan.offset, need)
    elif cand is not None and first.column in counts and first.desc and tail == [Key("_id")]:
        page = _by_count(cand, counts[first.column], plan.offset, need)
    elif first.column in plan.columns and first.is_default_nulls and tail == [Key("_id")]:
        page = _walk(table, first, cand, plan.num_rows, plan.offset, need)
    else:
        page = _ordered_sql(con, table, plan, cand, counts, need)
    ranks = {}
    if cand is not None and counts:
        positions = np.searchsorted(cand, page)
        ranks = {name: _rank(c[positions]) for name, c in counts.items()}
    return Found([int(r) for r in page], ranks, total)


def _by_rid(cand: Rids | None, num_rows: int, desc: bool, offset: int, need: int) -> Rids:
    if cand is None:
        rids = np.arange(offset, min(need, num_rows), dtype=np.int64)
        return num_rows - 1 - rids if desc else rids
    return (cand[::-1] if desc else cand)[offset:need]


def _by_count(cand: Rids, counts: npt.NDArray[np.int64], offset: int, need: int) -> Rids:
    """Rows by count descending, then row number, selecting before sorting."""
    size, k = len(counts), min(need, len(counts))
    if k == 0:
        return cand[:0]
    positions = np.arange(size)
    if k < size:
        threshold = np.partition(counts, size - k)[size - k]
        above = np.flatnonzero(counts > threshold)
        ties = np.flatnonzero(counts == threshold)[: k - len(above)]
        positions = np.concatenate([above, ties])
    positions = positions[np.lexsort((cand[positions], -counts[positions]))]
    return np.asarray(cand[positions][offset:need], dtype=np.int64)


def _walk(table: Table, key: Key, cand: Rids | None, num_rows: int, offset: int, need: int) -> Rids:
    """Read a column index in sort order, keeping candidates, until the page is complete."""
    handle = pq.ParquetFile(str(column_index(table, key.column)))
    mask = None
    if cand is not None:
        mask = np.zeros(num_rows, dtype=bool)
        mask[cand] = True
    groups = range(handle.metadata.num_row_groups)
    if not key.desc:
        got: list[Rids] = []
        for g in groups:
            rids = handle.read_row_group(g, columns=["rid"]).column(0).to_numpy()
            got.append(rids if mask is None else rids[mask[rids]])
            if sum(len(r) for r in got) >= need:
                break
        return np.concatenate(got)[offset:need] if got else np.zeros(0, dtype=np.int64)
    chunks: list[Any] = []
    for g in reversed(groups):
        group = handle.read_row_group(g)
        low = pc.min(group.column("value"))
        kept = group if mask is None else group.filter(mask[group.column("rid").to_numpy()])
        chunks.append(kept)
        if low.is_valid:
            seen = pa.concat_tables(chunks).column("value")
            done = pc.or_kleene(pc.greater(seen, low), pc.is_null(seen))
            if (pc.sum(done).as_py() or 0) >= need:
                break
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    seen = pa.concat_tables(chunks)
    nulls = pc.is_null(seen.column("value"))
    rest = seen.filter(pc.invert(nulls))
    order = pc.sort_indices(rest, sort_keys=[("value", "descending"), ("rid", "ascending")])
    null_rids = np.sort(seen.filter(nulls).column("rid").to_numpy())
    rids = np.concatenate([null_rids, rest.column("rid").take(order).to_numpy()])
    return np.asarray(rids[offset:need], dtype=np.int64)


def _ordered_sql(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    plan: Plan,
    cand: Rids | None,
    counts: Mapping[str, npt.NDArray[np.int64]],
    need: int,
) -> Rids:
    """Any other order: SQL over the file, joined with the candidates and their ranks."""
    join = ""
    if cand is not None:
        ranks = {n: pa.array(_rank(c), pa.float64()) for n, c in counts.items()}
        con.register("__cand", pa.table({"rid": pa.array(cand), **ranks}))
        join = " JOIN __cand c ON b.__rid = c.rid"
    rows = con.execute(
        f"SELECT b.__rid FROM ({source_sql(table)}) b{join} "
        f"ORDER BY {order_sql(plan.keys)} LIMIT ? OFFSET ?",
        [max(need - plan.offset, 0), plan.offset],
    ).fetchnumpy()
    return np.asarray(rows["__rid"], dtype=np.int64)


def indexed_distinct(
    con: duckdb.DuckDBPyConnection, table: Table, plan: Plan
) -> tuple[list[tuple[Any, ...]], int] | None:
    """DISTINCT of one column without filters, read from its value summary."""
    if plan.filters or plan.texts or len(plan.out) != 1 or len(plan.keys) != 1:
        return None
    f, key = plan.out[0], plan.keys[0]
    if f.id == "_id" or f.type not in SCALAR_TYPES or not key.is_default_nulls:
        return None
    values = f"read_parquet({_literal(str(column_values(table, f.id)))})"
    limit = plan.limit if plan.limit is not None else plan.num_rows
    rows = con.execute(
        f"SELECT {select_sql('value', f.type)} FROM {values} "
        f"ORDER BY value {'DESC NULLS FIRST' if key.desc else 'ASC NULLS LAST'} LIMIT ? OFFSET ?",
        [limit, plan.offset],
    ).fetchall()
    counted = con.execute(f"SELECT count(*) FROM {values}").fetchone()
    return [(json_value(r[0], f.type),) for r in rows], int(counted[0]) if counted else 0
