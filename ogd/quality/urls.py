"""**I/O** URL accessibility checks for the MQA indicators A1 and A3.

`HttpUrlChecker` asks each URL with HEAD and, only when the server refuses HEAD (405 or
501), with a GET whose body is never read. 2xx and 3xx answers count as accessible
(redirects are not followed); timeouts, DNS, TLS and connection errors do not. Results are
cached per URL for a time-to-live, and at most one request runs at a time per host (as the
opendata.swiss dashboard does). `StubUrlChecker` answers from a dict, for tests.
"""

from __future__ import annotations

import http.client
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

REFUSED_HEAD = frozenset({405, 501})
USER_AGENT = "ogd-mqa/1 (+metadata quality check; HEAD only)"


class UrlChecker(Protocol):
    """Anything that can tell whether a URL answers."""

    def is_accessible(self, url: str) -> bool:
        """Return True when the URL answers with a 2xx or 3xx status."""
        ...


class StubUrlChecker:
    """A `UrlChecker` answering from a mapping url → accessible, for tests.

    Args:
        results: the answer per URL.
        default: the answer for a URL missing from `results`.
    """

    def __init__(self, results: Mapping[str, bool], default: bool = False) -> None:
        self.results = dict(results)
        self.default = default
        self.asked: list[str] = []

    def is_accessible(self, url: str) -> bool:
        """Return the stored answer for `url` (or the default) and record the question."""
        self.asked.append(url)
        return self.results.get(url, self.default)


class HttpUrlChecker:
    """A `UrlChecker` that asks the server, with a cache and one request per host at a time.

    Args:
        timeout: seconds to wait for connecting and for the status line.
        ttl: seconds a result stays cached (MQA re-checks each URL within weeks).
        clock: monotonic clock in seconds; tests pass a fake one.
    """

    def __init__(
        self,
        timeout: float = 5.0,
        ttl: float = 24 * 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[str, tuple[bool, float]] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def is_accessible(self, url: str) -> bool:
        """Return True when `url` answers 2xx/3xx, from the cache while it is fresh."""
        cached = self._cached(url)
        if cached is not None:
            return cached
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return self._store(url, False)
        with self._host_lock(parts.netloc.lower()):
            cached = self._cached(url)  # another thread may have asked meanwhile
            if cached is not None:
                return cached
            return self._store(url, self._ask(url))

    def _cached(self, url: str) -> bool | None:
        with self._guard:
            entry = self._cache.get(url)
        if entry is None or entry[1] <= self.clock():
            return None
        return entry[0]

    def _store(self, url: str, accessible: bool) -> bool:
        with self._guard:
            self._cache[url] = (accessible, self.clock() + self.ttl)
        return accessible

    def _host_lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def _ask(self, url: str) -> bool:
        try:
            status = self._status("HEAD", url)
            if status in REFUSED_HEAD:
                status = self._status("GET", url)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            log.info("URL check failed for %s: %s", url, exc)
            return False
        log.debug("URL check %s: %s", url, status)
        return 200 <= status < 400

    def _status(self, method: str, url: str) -> int:
        """Send one request and return the status, reading the headers only."""
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname or "", parts.port, timeout=self.timeout)
        target = parts.path or "/"
        if parts.query:
            target = f"{target}?{parts.query}"
        try:
            connection.request(method, target, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            status = response.status
            response.close()  # drops a GET body unread
            return status
        finally:
            connection.close()
