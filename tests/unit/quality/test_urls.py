"""UrlChecker against a real HTTP server on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ogd.quality import HttpUrlChecker, StubUrlChecker

TIMEOUT = 0.5


class Server(ThreadingHTTPServer):
    """Records requests and the highest number served at the same time."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)  # port 0: the system picks a free one
        self.requests: list[tuple[str, str]] = []
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    """/ok 200, /missing 404, /nohead 405 on HEAD and 200 on GET, /moved 302, /slow hangs,
    /busy 200 after 0.1 s."""

    server: Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def do_GET(self) -> None:
        self.answer("GET")

    def answer(self, method: str) -> None:
        with self.server.lock:
            self.server.requests.append((method, self.path))
        if self.path == "/slow":
            self.server.stopping.wait(10)
            return
        if self.path.startswith("/busy"):
            self.work()
        self.respond(method)

    def work(self) -> None:
        """Count requests in progress; the answer goes out only after the count drops."""
        server = self.server
        with server.lock:
            server.active += 1
            server.most_active = max(server.most_active, server.active)
        time.sleep(0.1)
        with server.lock:
            server.active -= 1

    def respond(self, method: str) -> None:
        status = {"/missing": 404, "/moved": 302}.get(self.path, 200)
        if self.path == "/nohead" and method == "HEAD":
            status = 405
        body = b"x" * 100_000
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method == "GET":
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the checker hung up without reading the body, as it should


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.mark.parametrize(
    ("path", "accessible", "requests"),
    [
        ("/ok", True, [("HEAD", "/ok")]),
        ("/missing", False, [("HEAD", "/missing")]),
        ("/moved", True, [("HEAD", "/moved")]),  # 3xx counts, not followed
        ("/nohead", True, [("HEAD", "/nohead"), ("GET", "/nohead")]),
        ("/ok?page=2", True, [("HEAD", "/ok?page=2")]),
    ],
)
def test_status_codes(
    server: Server, path: str, accessible: bool, requests: list[tuple[str, str]]
) -> None:
    checker = HttpUrlChecker(timeout=TIMEOUT)

    assert checker.is_accessible(server.base + path) is accessible
    assert server.requests == requests


def test_timeout_is_not_accessible(server: Server) -> None:
    checker = HttpUrlChecker(timeout=TIMEOUT)
    started = time.monotonic()

    assert checker.is_accessible(server.base + "/slow") is False
    assert time.monotonic() - started < TIMEOUT + 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/refused",  # nothing listens on port 1
        "http://nonexistent.invalid/",  # .invalid never resolves
        "ftp://127.0.0.1/file.csv",
        "not a url",
    ],
)
def test_errors_are_not_accessible(url: str) -> None:
    assert HttpUrlChecker(timeout=TIMEOUT).is_accessible(url) is False


def test_results_are_cached_until_the_ttl_ends(server: Server) -> None:
    now = [1000.0]
    checker = HttpUrlChecker(timeout=TIMEOUT, ttl=60, clock=lambda: now[0])
    url = server.base + "/ok"

    assert checker.is_accessible(url)
    now[0] += 59
    assert checker.is_accessible(url)
    assert len(server.requests) == 1
    now[0] += 2
    assert checker.is_accessible(url)
    assert len(server.requests) == 2


def test_one_request_at_a_time_per_host(server: Server) -> None:
    checker = HttpUrlChecker(timeout=5)
    urls = [f"{server.base}/busy/{n}" for n in range(4)]
    threads = [threading.Thread(target=checker.is_accessible, args=(url,)) for url in urls]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(server.requests) == 4
    assert server.most_active == 1


def test_stub_answers_from_its_mapping() -> None:
    stub = StubUrlChecker({"https://a.example/": True}, default=False)

    assert stub.is_accessible("https://a.example/") is True
    assert stub.is_accessible("https://b.example/") is False
    assert stub.asked == ["https://a.example/", "https://b.example/"]
