"""The read-only SQL sandbox of `datastore_search_sql`: allow-list, row and time limits.

DuckDB with `enable_external_access = false` still lets `COPY … TO` write inside its
allowed paths, so nothing reaches the engine unless DuckDB's own parser says it is one
SELECT (CTEs allowed, none that modifies data) whose every function is on an allow-list
and whose every table is a plain name: a CTE or a resource id the caller may read. Each
query then runs in a fresh in-memory database that holds one view per allowed table and
has external access switched off and its configuration locked, under a time limit and a
row cap.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import duckdb

from ogd.datastore.query import Field
from ogd.datastore.types import pg_type, plain_value, quote_ident, quote_literal
from ogd.errors import NotAuthorized, ValidationError

ROWS_MAX = 32_000
TIMEOUT_SECONDS = 10.0
SYSTEM_PREFIXES = ("duckdb_", "pg_", "sqlite_", "pragma_", "information_schema")
QUERY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"})
TABLE_REFS = frozenset(
    {"BASE_TABLE", "JOIN", "SUBQUERY", "TABLE_FUNCTION", "EXPRESSION_LIST", "EMPTY", "PIVOT"}
)
_OPERATOR = re.compile(r"^[^\w]+$")
ALLOWED_FUNCTIONS = frozenset(
    # aggregates
    "count count_star sum avg mean min max median mode quantile quantile_cont quantile_disc "
    "stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp "
    "string_agg group_concat listagg list array_agg first last any_value arg_min arg_max "
    "argmin argmax min_by max_by bool_and bool_or every product entropy kurtosis skewness "
    "approx_count_distinct approx_quantile histogram fsum sumkahan bit_and bit_or bit_xor "
    "regr_slope regr_intercept regr_r2 regr_count favg "
    # window functions
    "row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value "
    "last_value nth_value "
    # text
    "lower upper lcase ucase length len char_length character_length strlen octet_length "
    "trim ltrim rtrim substring substr left right lpad rpad replace concat concat_ws "
    "strpos instr position contains starts_with ends_with prefix suffix reverse repeat "
    "split_part string_split str_split string_split_regex regexp_matches regexp_replace "
    "regexp_extract regexp_extract_all regexp_full_match strip_accents ascii chr unicode "
    "format printf md5 sha256 hash levenshtein damerau_levenshtein jaccard jaro_similarity "
    "jaro_winkler_similarity hamming mismatches like_escape ilike_escape not_like_escape "
    "nfc_normalize initcap title translate to_base64 from_base64 url_encode url_decode "
    "array_to_string list_aggregate "
    # numbers
    "abs ceil ceiling floor round round_even trunc sqrt cbrt power pow exp ln log log10 "
    "log2 sign greatest least mod pi radians degrees sin cos tan asin acos atan atan2 "
    "factorial gcd lcm isnan isinf isfinite even random setseed bit_count xor "
    # dates and times
    "date_part datepart date_trunc datetrunc date_diff datediff date_sub datesub date_add "
    "extract year month day quarter week weekofyear dayofweek dayofyear dayofmonth isodow "
    "isoyear yearweek hour minute second millisecond microsecond epoch epoch_ms epoch_us "
    "era decade century millennium strftime strptime try_strptime make_date make_time "
    "make_timestamp to_timestamp age last_day monthname dayname current_date today now "
    "get_current_timestamp current_timestamp to_days to_hours to_minutes to_seconds "
    "to_months to_years to_weeks to_milliseconds time_bucket date_format "
    # conditions, casts, lists and structs
    "coalesce nullif ifnull if typeof try_cast list_value array_value list_pack "
    "struct_pack row struct_extract list_extract array_extract list_element "
    "list_contains list_has array_contains list_position list_sort list_distinct "
    "list_unique list_slice array_slice array_length list_concat list_cat array_concat "
    "list_transform array_transform list_filter array_filter list_reduce flatten unnest "
    "generate_series range to_json json_extract json_extract_string json_array_length "
    "json_keys json_valid json_type json_object json_array".split()
)


@dataclass(frozen=True)
class SqlResult:
    """Result fields, records as objects, and whether the row cap cut them."""

    fields: list[Field]
    records: list[dict[str, Any]]
    truncated: bool


def _not_select() -> ValidationError:
    return ValidationError({"query": ["Only a single SELECT statement is allowed"]})


class Sandbox:
    """A fresh DuckDB database for one `datastore_search_sql` call (use as a context)."""

    def __init__(self, memory_limit: str = "1GB", threads: int = 2) -> None:
        self.con = duckdb.connect(
            config={
                "memory_limit": memory_limit,
                "threads": threads,
                "python_enable_replacements": False,
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            }
        )

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()

    def tables(self, sql: str) -> list[str]:
        """Check the statement and return the tables it reads, CTE names left out.

        Raises:
            ValidationError: not exactly one statement, not a SELECT, a data-modifying
                CTE, or SQL DuckDB cannot parse (409).
            NotAuthorized: a function outside the allow-list, a system table or a
                qualified name (403).
        """
        try:
            statements = duckdb.extract_statements(sql)
        except duckdb.Error as exc:
            raise ValidationError({"query": [str(exc)]}) from None
        if len(statements) != 1:
            raise ValidationError({"query": ["Query is not a single statement."]})
        if statements[0].type != duckdb.StatementType.SELECT:
            raise _not_select()
        row = self.con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
        tree = json.loads(row[0]) if row else {"error": True}
        if tree.get("error"):
            raise ValidationError({"query": [str(tree.get("error_message", "invalid query"))]})
        names: dict[str, str] = {}
        ctes: set[str] = set()
        _check(tree["statements"], names, ctes)
        return sorted(name for key, name in names.items() if key not in ctes)

    def run(
        self,
        sql: str,
        tables: Mapping[str, Path],
        *,
        timeout: float = TIMEOUT_SECONDS,
        rows_max: int = ROWS_MAX,
    ) -> SqlResult:
        """Run a checked statement over views of the given Parquet files.

        Raises:
            ValidationError: `{"query": ["Query took too long"]}` past the time limit, or
                the engine's message with `info` for any SQL error (409).
        """
        for name, path in tables.items():
            self.con.execute(
                f"CREATE VIEW {quote_ident(name)} AS SELECT file_row_number + 1 AS _id, "
                f"* EXCLUDE (file_row_number) FROM read_parquet({quote_literal(str(path))}, "
                "file_row_number = true)"
            )
        self._lock_down([str(p) for p in tables.values()])
        timer = threading.Timer(timeout, self.con.interrupt)
        timer.start()
        try:
            cursor = self.con.execute(sql)
            rows = cursor.fetchmany(rows_max + 1)
            description = cursor.description or []
        except duckdb.InterruptException:
            raise ValidationError({"query": ["Query took too long"]}) from None
        except duckdb.Error as exc:
            info = {"statement": [sql], "orig": [str(exc)]}
            errors = cast(dict[str, list[str]], {"query": [str(exc)], "info": info})
            raise ValidationError(errors) from None
        finally:
            timer.cancel()
        fields = [Field(str(d[0]), pg_type(str(d[1])), str(d[1])) for d in description]
        records = [
            {f.id: plain_value(v) for f, v in zip(fields, row, strict=True)}
            for row in rows[:rows_max]
        ]
        return SqlResult(fields, records, len(rows) > rows_max)

    def _lock_down(self, paths: list[str]) -> None:
        if paths:
            listed = ", ".join(quote_literal(p) for p in paths)
            self.con.execute(f"SET allowed_paths = [{listed}]")
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")


def _check(node: Any, names: dict[str, str], ctes: set[str]) -> None:
    """Walk DuckDB's parse tree; collect table names, refuse anything not allowed."""
    if isinstance(node, list):
        for item in node:
            _check(item, names, ctes)
        return
    if not isinstance(node, dict):
        return
    kind = str(node.get("type", ""))
    if "cte_map" in node:
        ctes.update(str(entry["key"]).lower() for entry in node["cte_map"].get("map", []))
    if "function_name" in node:
        _check_function(node)
    if kind.endswith("_NODE") and "modifiers" in node and kind not in QUERY_NODES:
        raise ValidationError(
            {"query": ["Only a read-only SELECT is allowed, found a data-modifying statement"]}
        )
    if "sample" in node and "class" not in node and "modifiers" not in node:
        if kind == "SHOW_REF":
            raise NotAuthorized("Not authorized to access system tables")
        if kind not in TABLE_REFS:
            raise _not_select()
        if kind == "BASE_TABLE":
            _check_table(node, names)
    for value in node.values():
        _check(value, names, ctes)


def _check_function(node: Mapping[str, Any]) -> None:
    name = str(node["function_name"]).lower()
    qualified = ".".join(p for p in (node.get("catalog"), node.get("schema"), name) if p)
    if qualified != name:
        raise NotAuthorized(f"Not authorized to call function {qualified}")
    if name not in ALLOWED_FUNCTIONS and not _OPERATOR.match(name):
        raise NotAuthorized(f"Not authorized to call function {name}")


def _check_table(node: Mapping[str, Any], names: dict[str, str]) -> None:
    name = str(node.get("table_name", ""))
    if node.get("schema_name") or node.get("catalog_name"):
        raise NotAuthorized("Not authorized to access system tables")
    if name.lower().startswith(SYSTEM_PREFIXES) or name.lower() in {"sqlite_master"}:
        raise NotAuthorized("Not authorized to access system tables")
    names[name.lower()] = name
