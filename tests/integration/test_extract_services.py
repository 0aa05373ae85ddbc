"""Readers against real services: PostgreSQL, and a local HTTP server for the JSON API.

The PostgreSQL URL comes from OGD_TEST_DATABASE_URL (default: the local server, database
`test`). Without a server the PostgreSQL tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyarrow as pa
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from ogd.errors import SourceInvalid, SourceUnavailable
from ogd.extract import SourceRequest
from ogd.extract.json_api import read_json_api
from ogd.extract.sql import read_sql

pytestmark = pytest.mark.integration

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "top-secret-value-42"
RECORDS = [{"id": i, "name": f"Ort {i}", "geo": {"lat": 47.0 + i / 100}} for i in range(1, 6)]


def request(folder: Path, batch_rows: int = 65_536, **options: Any) -> SourceRequest:
    return SourceRequest(options, folder, "pipelines/t.yaml source", batch_rows)


def read_rows(extract: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = pa.Table.from_batches(list(extract.batches)).to_pylist()
    return found


# -- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture
def postgres_url() -> str:
    """The test database URL; skip (or fail under CI=true) when nobody answers."""
    url = os.environ.get("OGD_TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except (SQLAlchemyError, ImportError) as exc:
        reason = (
            f"PostgreSQL at {engine.url.render_as_string()} does not answer ({type(exc).__name__})"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true needs the service")
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def pg_table(postgres_url: str) -> Iterator[str]:
    name = f"ogd_extract_{uuid.uuid4().hex[:8]}"
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                f"CREATE TABLE {name} (id integer, ort text, anteil double precision,"
                " betrag numeric(10, 2), aktiv boolean, tag date, erfasst timestamp,"
                " gemeldet timestamptz, notiz text)"
            )
        )
        conn.execute(
            text(
                f"INSERT INTO {name} SELECT i, 'Ort ' || i, i / 4.0, i * 1.5, i % 2 = 0,"
                " date '2024-01-01' + i, timestamp '2024-01-01 08:00' + i * interval '1 hour',"
                " timestamptz '2024-01-01 08:00+01' + i * interval '1 hour', NULL"
                " FROM generate_series(1, 250) AS i"
            )
        )
        conn.execute(text(f"CREATE SEQUENCE {name}_seq"))
    try:
        yield name
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
            conn.execute(text(f"DROP SEQUENCE IF EXISTS {name}_seq"))
        engine.dispose()


def test_postgres_streams_typed_batches(tmp_path: Path, postgres_url: str, pg_table: str) -> None:
    extract = read_sql(
        request(
            tmp_path,
            batch_rows=100,
            url=postgres_url,
            query=f"SELECT * FROM {pg_table} WHERE id >= :low ORDER BY id",
            params={"low": 1},
        )
    )
    assert extract.fingerprint is None and "@127.0.0.1" in extract.name
    batches = list(extract.batches)
    assert [b.num_rows for b in batches] == [100, 100, 50]
    schema = batches[0].schema
    assert all(b.schema == schema for b in batches)
    assert schema.field("id").type == pa.int64()
    assert schema.field("ort").type == pa.string()
    assert schema.field("anteil").type == pa.float64()
    assert pa.types.is_decimal(schema.field("betrag").type)
    assert schema.field("aktiv").type == pa.bool_()
    assert schema.field("tag").type == pa.date32()
    assert schema.field("erfasst").type == pa.timestamp("us")
    assert schema.field("gemeldet").type == pa.timestamp("us", tz="UTC")
    assert schema.field("notiz").type == pa.string()
    first = batches[0].slice(0, 1).to_pylist()[0]
    assert first["id"] == 1 and first["ort"] == "Ort 1" and first["anteil"] == 0.25


def test_postgres_session_is_read_only(tmp_path: Path, postgres_url: str, pg_table: str) -> None:
    # nextval() passes the SELECT check; the read-only transaction must refuse it
    query = f"SELECT nextval('{pg_table}_seq')"
    with pytest.raises(SourceInvalid, match="read-only"):
        read_sql(request(tmp_path, url=postgres_url, query=query))


def test_postgres_write_is_refused_before_running(
    tmp_path: Path, postgres_url: str, pg_table: str
) -> None:
    with pytest.raises(SourceInvalid, match="DELETE"):
        read_sql(request(tmp_path, url=postgres_url, query=f"DELETE FROM {pg_table}"))
    count = read_rows(
        read_sql(request(tmp_path, url=postgres_url, query=f"SELECT count(*) AS n FROM {pg_table}"))
    )
    assert count == [{"n": 250}]


def test_unreachable_database_is_unavailable_without_password(tmp_path: Path) -> None:
    options: dict[str, Any] = {
        "url": "postgresql+psycopg://reader@127.0.0.1:9/register?connect_timeout=2",
        "password": "s3cret-Pw",
        "query": "SELECT 1",
    }
    with pytest.raises(SourceUnavailable) as error:
        read_sql(request(tmp_path, **options))
    shown = f"{error.value} {error.value.where} {error.value.hint}"
    assert "s3cret-Pw" not in shown
    assert "postgresql+psycopg://reader:***@127.0.0.1:9/register" in error.value.message


# -- JSON API on a local HTTP server -----------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: dict[str, int]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that gave up (timeouts) are expected here: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """No request log on stderr."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        route = parts.path.strip("/").split("/")[0]
        self.server.hits[route] = self.server.hits.get(route, 0) + 1
        handler = getattr(self, f"route_{route}", None)
        if handler is None:
            self.send_json({"error": "not found"}, 404)
        else:
            handler(query, self.server.hits[route])

    def send_json(
        self, body: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route_pages(self, query: dict[str, str], hit: int) -> None:
        page, size = int(query.get("page", "1")), int(query.get("size", "2"))
        self.send_json({"data": RECORDS[(page - 1) * size : page * size]})

    def route_offset(self, query: dict[str, str], hit: int) -> None:
        start, limit = int(query["offset"]), int(query.get("limit", "2"))
        self.send_json({"results": RECORDS[start : start + limit]})

    def route_linked(self, query: dict[str, str], hit: int) -> None:
        if query.get("key") != "k1":
            self.send_json({"error": "key missing"}, 403)
            return
        cursor = int(query.get("cursor", "0"))
        body: dict[str, Any] = {"items": RECORDS[cursor : cursor + 2]}
        if cursor + 2 < len(RECORDS):
            body["links"] = {"next": f"linked?cursor={cursor + 2}"}
        self.send_json(body)

    def route_secret(self, query: dict[str, str], hit: int) -> None:
        if self.headers.get("X-Api-Key") != SECRET:
            self.send_json({"error": "unauthorised"}, 401)
        else:
            self.send_json(RECORDS[:1])

    def route_flaky(self, query: dict[str, str], hit: int) -> None:
        if hit == 1:
            self.send_json({"error": "busy"}, 503)
        elif hit == 2:
            self.send_json({"error": "slow down"}, 429, {"Retry-After": "0"})
        else:
            self.send_json(RECORDS)

    def route_down(self, query: dict[str, str], hit: int) -> None:
        self.send_json({"error": "down"}, 502)

    def route_slow(self, query: dict[str, str], hit: int) -> None:
        time.sleep(0.6)
        self.send_json(RECORDS)

    def route_html(self, query: dict[str, str], hit: int) -> None:
        data = b"<!doctype html><html><body>Login</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def api() -> Iterator[tuple[str, _Server]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.hits = {}
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_page_paging_stops_on_an_empty_page(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, server = api
    paging = {"mode": "page", "size_param": "size", "size": 2}
    extract = read_json_api(
        request(tmp_path, url=f"{base}/pages", record_path="data", paging=paging, batch_rows=3)
    )
    assert extract.labels == ["id", "name", "geo.lat"]
    batches = list(extract.batches)
    assert [b.num_rows for b in batches] == [3, 2]
    assert [r["id"] for b in batches for r in b.to_pylist()] == [1, 2, 3, 4, 5]
    assert server.hits["pages"] == 4
    assert extract.details["pages"] == 4
    assert extract.name == f"{base}/pages"


def test_offset_paging(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, _ = api
    paging = {"mode": "offset", "size_param": "limit", "size": 2}
    extract = read_json_api(
        request(tmp_path, url=f"{base}/offset", record_path="results", paging=paging)
    )
    assert [r["id"] for r in read_rows(extract)] == [1, 2, 3, 4, 5]


def test_next_link_paging(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, server = api
    paging = {"mode": "next_link", "next_path": "links.next"}
    options: dict[str, Any] = {"record_path": "items", "paging": paging, "params": {"key": "k1"}}
    extract = read_json_api(request(tmp_path, url=f"{base}/linked", **options))
    assert [r["id"] for r in read_rows(extract)] == [1, 2, 3, 4, 5]
    assert server.hits["linked"] == 3  # params went with every page, the cursor from the link


def test_max_pages_stops_paging(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, _ = api
    paging = {"mode": "page", "size_param": "size", "size": 2, "max_pages": 2}
    extract = read_json_api(
        request(tmp_path, url=f"{base}/pages", record_path="data", paging=paging)
    )
    assert len(read_rows(extract)) == 4
    assert extract.details["max_pages_reached"] is True


def test_required_header(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, _ = api
    with pytest.raises(SourceInvalid) as error:
        read_json_api(
            request(tmp_path, url=f"{base}/secret", headers={"X-Api-Key": "wrong-" + SECRET})
        )
    shown = f"{error.value} {error.value.where} {error.value.hint}"
    assert "401" in error.value.message and f"{base}/secret" in error.value.message
    assert SECRET not in shown
    assert "headers" in error.value.hint
    extract = read_json_api(request(tmp_path, url=f"{base}/secret", headers={"X-Api-Key": SECRET}))
    assert read_rows(extract) == [{"id": 1, "name": "Ort 1", "geo.lat": 47.01}]


def test_query_secrets_stay_out_of_messages(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, _ = api
    with pytest.raises(SourceInvalid) as error:
        read_json_api(
            request(tmp_path, url=f"{base}/nowhere?api_key={SECRET}", params={"t": SECRET})
        )
    assert "404" in error.value.message
    assert SECRET not in f"{error.value} {error.value.where} {error.value.hint}"


def test_503_and_429_are_retried(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, server = api
    extract = read_json_api(request(tmp_path, url=f"{base}/flaky", backoff=0.01))
    assert len(read_rows(extract)) == 5
    assert server.hits["flaky"] == 3


def test_server_errors_end_as_unavailable(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, server = api
    with pytest.raises(SourceUnavailable, match="HTTP 502"):
        read_json_api(request(tmp_path, url=f"{base}/down", backoff=0.01, retries=2))
    assert server.hits["down"] == 3


def test_timeout_ends_as_unavailable_after_retries(
    tmp_path: Path, api: tuple[str, _Server]
) -> None:
    base, server = api
    started = time.monotonic()
    with pytest.raises(SourceUnavailable) as error:
        read_json_api(request(tmp_path, url=f"{base}/slow", timeout=0.2, retries=2, backoff=0.01))
    assert "timed out" in error.value.message and "3 attempt" in error.value.message
    assert time.monotonic() - started < 3
    assert server.hits["slow"] == 3


def test_html_answer_is_source_invalid(tmp_path: Path, api: tuple[str, _Server]) -> None:
    base, _ = api
    with pytest.raises(SourceInvalid, match="HTML"):
        read_json_api(request(tmp_path, url=f"{base}/html"))


def test_refused_connection_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="could not be reached"):
        read_json_api(request(tmp_path, url="http://127.0.0.1:9/x", retries=1, backoff=0.01))
