"""DuckDB type names -> CKAN's PostgreSQL type names, and values -> JSON-ready values.

DuckDB reports the columns of a Parquet file (and of any query) by its own type names
(`VARCHAR`, `BIGINT`, `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`, `VARCHAR[]`,
`STRUCT(...)`); the DataStore API speaks PostgreSQL's lower-case names (`text`, `int8`,
`numeric`, `timestamptz`, `_text`, `json`). Values leave as CKAN renders them:
timestamps `YYYY-MM-DDTHH:MM:SS`, dates `YYYY-MM-DD`, numbers as JSON numbers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
import uuid
from typing import Any

SCALARS: dict[str, str] = {
    "VARCHAR": "text",
    "BOOLEAN": "bool",
    "TINYINT": "int2",
    "SMALLINT": "int2",
    "UTINYINT": "int2",
    "INTEGER": "int4",
    "USMALLINT": "int4",
    "BIGINT": "int8",
    "UINTEGER": "int8",
    "UBIGINT": "numeric",
    "HUGEINT": "numeric",
    "UHUGEINT": "numeric",
    "FLOAT": "float4",
    "DOUBLE": "float8",
    "DATE": "date",
    "TIME": "time",
    "TIME WITH TIME ZONE": "timetz",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
    "JSON": "json",
    "BIT": "bit",
}
TEXT_TYPES = frozenset({"text"})
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"
_ARRAY = re.compile(r"^(?P<inner>.+?)(\[\d*\])$")


def pg_type(duckdb_type: str) -> str:
    """The PostgreSQL type name CKAN would report for a DuckDB type.

    Args:
        duckdb_type: a DuckDB type as `str(DuckDBPyType)` or `DESCRIBE` prints it.

    Returns:
        `text`, `int4`, `numeric`, `_text` (an array of text) … ; nested types are `json`.
    """
    name = duckdb_type.strip().upper()
    if name in SCALARS:
        return SCALARS[name]
    if name.startswith(("DECIMAL", "NUMERIC")):
        return "numeric"
    if name.startswith("ENUM"):
        return "text"
    array = _ARRAY.match(name)
    if array:
        inner = pg_type(array.group("inner"))
        return "json" if inner.startswith("_") or inner == "json" else f"_{inner}"
    return "json"


def select_sql(column: str, pg: str) -> str:
    """A DuckDB expression rendering a (quoted) column as the API shows it.

    Timestamps and dates become CKAN's text forms, decimals JSON numbers, nested values
    JSON text (parsed again by `json_value`), and types JSON cannot hold become text.
    """
    if pg in ("timestamp", "timestamptz"):
        return f"strftime({column}, '{TIMESTAMP_FORMAT}')"
    if pg == "date":
        return f"strftime({column}, '%Y-%m-%d')"
    if pg == "numeric":
        return f"CAST({column} AS DOUBLE)"
    if pg == "json" or pg.startswith("_"):
        return f"CAST(to_json({column}) AS VARCHAR)"
    if pg in ("time", "timetz", "interval", "uuid", "bit"):
        return f"CAST({column} AS VARCHAR)"
    if pg == "bytea":
        return f"'\\x' || lower(hex({column}))"
    return column


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (embedded quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A single-quoted SQL string literal (embedded quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def json_value(value: Any, pg: str) -> Any:
    """A value rendered by `select_sql` -> the JSON value of a record."""
    if value is None:
        return None
    if (pg == "json" or pg.startswith("_")) and isinstance(value, str):
        return json.loads(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def plain_value(value: Any) -> Any:
    """Any value DuckDB returns (the SQL sandbox) -> a JSON value in CKAN's forms."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.strftime(TIMESTAMP_FORMAT)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return str(value)


def text_cell(value: Any) -> str:
    """A JSON-ready value as one CSV/TSV cell: null empty, nested values as JSON text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
