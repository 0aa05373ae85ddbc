"""SQLAlchemy reader: one read-only SELECT, streamed in batches over a read-only connection.

The query is parsed (sqlglot) and refused unless it is a single SELECT (or WITH … SELECT)
without any writing part; SQLite files open in read-only mode and PostgreSQL sessions
default to read-only transactions, so the database also refuses writes.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ogd.errors import SourceInvalid, SourceUnavailable
from ogd.extract.records import Columns, Options, check_labels

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest

_DIALECTS = {
    "postgresql": "postgres",
    "sqlite": "sqlite",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "tsql",
    "oracle": "oracle",
    "duckdb": "duckdb",
}
_WRITES = tuple(
    getattr(exp, name)
    for name in ("Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "AlterTable")
    + ("TruncateTable", "Command", "Into", "Lock", "Pragma", "Set", "Use", "Copy")
    if hasattr(exp, name)
)
_PG_READ_ONLY = {"options": "-c default_transaction_read_only=on"}
CONNECT_TIMEOUT = 30


@dataclass(frozen=True)
class _Target:
    engine: Engine
    name: str  # the URL without password and query, or the SQLite file name
    where: str  # where to point errors about the connection
    secret: str  # the password, to be blanked out of driver messages


def check_query(query: str, dialect: str | None, where: str) -> None:
    """Refuse anything but one SELECT statement (WITH and UNION included).

    Args:
        query: the SQL text.
        dialect: the sqlglot dialect (None: generic SQL).
        where: how to name the option in errors.

    Raises:
        SourceInvalid: several statements, a statement that is not a SELECT, or a
            SELECT with a writing part (INTO, a data-modifying WITH, FOR UPDATE).
    """
    hint = "write one SELECT (or WITH … SELECT) statement; the source is read-only"
    try:
        statements = [s for s in sqlglot.parse(query, read=dialect) if s is not None]
    except SqlglotError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceInvalid(f"cannot parse the query: {first}", where=where, hint=hint) from None
    if len(statements) != 1:
        raise SourceInvalid(f"the query holds {len(statements)} statements", where=where, hint=hint)
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        kind = statement.key.upper()
        raise SourceInvalid(f"a {kind} statement is not allowed", where=where, hint=hint)
    writing = next((n for n in statement.walk() if isinstance(n, _WRITES)), None)
    if writing is not None or statement.args.get("locks"):
        kind = writing.key.upper() if writing is not None else "FOR UPDATE"
        raise SourceInvalid(f"the query contains {kind}", where=where, hint=hint)


def _sqlite_target(request: SourceRequest) -> _Target:
    from ogd.extract import source_file

    path = source_file(request, "path")
    uri = f"{path.as_uri()}?mode=ro"
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )
    return _Target(engine, path.name, f"{request.where}.path", "")


def _url(options: Options) -> URL:
    raw = options.text("url") or ""
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise options.error(
            "url", "is not a database URL", "e.g. postgresql+psycopg://user@host:5432/db"
        ) from None
    password = options.text("password")
    return url if password is None else url.set(password=password)


def _server_target(options: Options) -> _Target:
    url = _url(options)
    shown = url.set(query={}).render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        raise options.error("url", "SQLite files are read with `path`", "set `path` instead")
    try:
        read_only = url.get_backend_name() == "postgresql" and url.get_driver_name() in (
            "psycopg",
            "psycopg2",
        )
        args: dict[str, Any] = dict(_PG_READ_ONLY) if read_only else {}
        if read_only and "connect_timeout" not in url.query:
            args["connect_timeout"] = CONNECT_TIMEOUT
        engine = create_engine(url, connect_args=args, poolclass=NullPool)
    except (NoSuchModuleError, ImportError) as exc:
        raise options.error(
            "url",
            f"no database driver for `{url.drivername}` ({type(exc).__name__})",
            "install the driver package, e.g. psycopg[binary] for postgresql+psycopg",
        ) from None
    return _Target(engine, shown, f"{options.where}.url", url.password or "")


def _driver_text(exc: BaseException, secret: str) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    first = lines[0] if lines else type(cause).__name__
    return first.replace(secret, "***") if secret else first


def _connect(target: _Target) -> Connection:
    try:
        conn = target.engine.connect()
        if target.engine.dialect.name in ("mysql", "mariadb"):
            conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
        return conn
    except SQLAlchemyError as exc:
        raise SourceUnavailable(
            f"cannot connect to {target.name}: {_driver_text(exc, target.secret)}",
            where=target.where,
            hint="check that the database server runs, and the URL, user and password",
        ) from None


def _failure(exc: SQLAlchemyError, target: _Target, where: str) -> Exception:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return SourceUnavailable(
            f"lost the connection to {target.name}: {_driver_text(exc, target.secret)}",
            where=target.where,
            hint="run again when the database server answers",
        )
    if not isinstance(exc, DBAPIError):  # e.g. a bind parameter without a value
        return SourceInvalid(
            f"the query cannot run: {_driver_text(exc, target.secret)}",
            where=where,
            hint="give every `:name` in the query a value under `params`",
        )
    return SourceInvalid(
        f"the query failed on {target.name}: {_driver_text(exc, target.secret)}",
        where=where,
        hint="correct the query (try it in a database client first)",
    )


def _execute(
    target: _Target, query: str, params: dict[str, Any], size: int, where: str
) -> tuple[Connection, Any]:
    conn = _connect(target)
    try:
        streaming = conn.execution_options(stream_results=True, yield_per=size)
        return conn, streaming.execute(text(query), params)
    except SQLAlchemyError as exc:
        conn.close()
        raise _failure(exc, target, where) from None


def _stream(
    conn: Connection, result: Any, columns: Columns, size: int, fail: Any
) -> Iterator[pa.RecordBatch]:
    try:
        while rows := result.fetchmany(size):
            yield columns.batch(list(zip(*rows, strict=True)))
    except SQLAlchemyError as exc:
        raise fail(exc) from None
    finally:
        result.close()
        conn.close()


def read_sql(request: SourceRequest) -> Extract:
    """Run one read-only SELECT and stream its rows as batches.

    Args:
        request: options `query` and one of `url` (SQLAlchemy URL) or `path` (an SQLite
            file in the sources folder); optionally `password` and `params`.

    Returns:
        The extract; column types come from the first values that are not null.

    Raises:
        SourceInvalid: a bad option, a query that is not a single SELECT, or a query the
            database rejects.
        SourceUnavailable: the database cannot be reached or the connection is lost.
    """
    from ogd.extract import Extract

    options = Options.of(request)
    query = options.text("query") or ""
    if ("url" in options.values) == ("path" in options.values):
        raise SourceInvalid(
            "give exactly one of `url` and `path`",
            where=request.where,
            hint="`path` for SQLite files",
        )
    target = _sqlite_target(request) if "path" in options.values else _server_target(options)
    where = f"{request.where}.query"
    check_query(query, _DIALECTS.get(target.engine.dialect.name), where)
    conn, result = _execute(target, query, options.mapping("params"), request.batch_rows, where)
    labels = list(result.keys())
    try:
        check_labels(labels, where, hint="give every column of the SELECT its own name (AS …)")
    except SourceInvalid:
        conn.close()
        raise
    columns = Columns(labels)

    def fail(exc: SQLAlchemyError) -> Exception:
        return _failure(exc, target, where)

    stream = _stream(conn, result, columns, request.batch_rows, fail)
    weakref.finalize(stream, conn.close)  # also when the batches are never read
    return Extract(
        labels=labels,
        batches=stream,
        first_row_number=2,
        name=target.name,
        fingerprint=None,
        details={"mixed_columns": columns.mixed},
    )
