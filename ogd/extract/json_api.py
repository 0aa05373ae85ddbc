"""JSON / HTTP reader with paging, timeouts and retries; `file:` URLs replay recorded pages.

The only module that talks HTTP. Connection errors, timeouts, 429 and 5xx answers are
retried with exponential back-off and end as `SourceUnavailable`; any other 4xx and
answers that are not JSON are `SourceInvalid`. Messages name the URL without its query
string and never a header value.
"""

from __future__ import annotations

import email.utils
import json
import logging
import posixpath
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import pyarrow as pa
import requests

from ogd import __version__
from ogd.errors import SourceInvalid, SourceUnavailable
from ogd.extract.jsonfile import pick, records_at
from ogd.extract.records import Columns, Options, add_keys, flatten

if TYPE_CHECKING:
    from ogd.extract import Extract, SourceRequest

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 200 << 20
MAX_RETRY_AFTER = 60.0
MODES = ("none", "page", "offset", "next_link")
PAGING_KEYS = frozenset({"mode", "param", "size_param", "size", "start", "next_path", "max_pages"})
Page = tuple[str, list[dict[str, Any]]]
_TRANSIENT = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)


def safe_url(url: str) -> str:
    """The URL without user, password, query and fragment: fit for messages and names."""
    if url.startswith("file:"):
        return url.split("?")[0].split("#")[0]
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class _Paging:
    mode: str = "none"
    param: str = "page"
    size_param: str | None = None
    size: int | None = None
    start: int = 1
    next_path: str = "next"
    max_pages: int = 1000


def _paging(options: Options) -> _Paging:
    sub = options.nested("paging")
    raw = sub.values
    unknown = sorted(set(raw) - PAGING_KEYS)
    if unknown:
        keys = ", ".join(sorted(PAGING_KEYS))
        raise options.error("paging", f"unknown key(s) {', '.join(unknown)}", f"keys: {keys}")
    mode = sub.text("mode", "none") or "none"
    if mode not in MODES:
        raise sub.error("mode", f"unknown paging mode `{mode}`", f"modes: {', '.join(MODES)}")
    size = sub.integer("size", 0, minimum=1) if "size" in raw else None
    return _Paging(
        mode=mode,
        param=sub.text("param", "offset" if mode == "offset" else "page") or "page",
        size_param=sub.text("size_param"),
        size=size,
        start=sub.integer("start", 0 if mode == "offset" else 1),
        next_path=sub.text("next_path", "next") or "next",
        max_pages=sub.integer("max_pages", 1000, minimum=1),
    )


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class _Retry:
    delay: float


class _Client:
    """Fetches JSON pages over HTTP(S) or from recorded files in the sources folder."""

    def __init__(self, request: SourceRequest, options: Options) -> None:
        self.request = request
        self.where = f"{request.where}.url"
        self.timeout = options.number("timeout", 30.0, positive=True)
        self.retries = options.integer("retries", 3)
        self.backoff = options.number("backoff", 1.0)
        session = requests.Session()
        session.headers["User-Agent"] = f"ogd/{__version__}"
        session.headers.update({k: str(v) for k, v in options.mapping("headers").items()})
        weakref.finalize(self, session.close)
        self.session = session

    def get(self, url: str, params: dict[str, Any]) -> Any:
        """The parsed JSON at url (params are ignored for `file:` URLs)."""
        if url.startswith("file:"):
            return self._file(url)
        for attempt in range(self.retries + 1):
            answer = self._attempt(url, params, attempt)
            if not isinstance(answer, _Retry):
                return answer
            time.sleep(answer.delay)
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _attempt(self, url: str, params: dict[str, Any], attempt: int) -> Any:
        shown, last = safe_url(url), attempt >= self.retries
        delay = self.backoff * 2**attempt
        try:
            with self.session.get(
                url, params=params, timeout=self.timeout, stream=True
            ) as response:
                status = response.status_code
                if status == 429 or status >= 500:
                    if last:
                        raise self._unavailable(f"{shown} answered HTTP {status}", attempt)
                    after = _retry_after(response)
                    small = after is not None and after <= MAX_RETRY_AFTER
                    return _Retry(after if small and after is not None else delay)
                if status >= 400:
                    raise self._refused(shown, status, response.reason)
                return _parse(response, shown, self.where)
        except _TRANSIENT as exc:
            problem = "timed out" if isinstance(exc, requests.Timeout) else "could not be reached"
            if last:
                raise self._unavailable(f"{shown} {problem}", attempt) from None
            return _Retry(delay)
        except requests.RequestException as exc:  # its text may quote a header value
            raise SourceInvalid(
                f"cannot request {shown} ({type(exc).__name__})",
                where=self.where,
                hint="check `url`, `params` and `headers`",
            ) from None

    def _unavailable(self, message: str, attempt: int) -> SourceUnavailable:
        return SourceUnavailable(
            f"{message} ({attempt + 1} attempt(s))",
            where=self.where,
            hint="try again later; raise `timeout` or `retries` if the service is slow",
        )

    def _refused(self, shown: str, status: int, reason: str) -> SourceInvalid:
        hints = {
            401: "the service wants credentials: check `headers` (e.g. an API key from $env)",
            403: "the credentials in `headers` are not allowed to read this",
            404: "check `url` (and the paging parameters)",
        }
        return SourceInvalid(
            f"{shown} answered HTTP {status} {reason or ''}".rstrip(),
            where=self.where,
            hint=hints.get(status, "check `url`, `params` and `headers`"),
        )

    def _file(self, url: str) -> Any:
        from ogd.extract import source_file

        relative = urlsplit(url).path
        request = replace(self.request, options={"url": relative})
        path = source_file(request, "url")
        try:
            return json.loads(path.read_bytes())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceInvalid(
                f"`{url}` is not JSON ({type(exc).__name__})", where=self.where
            ) from None


def _parse(response: requests.Response, shown: str, where: str) -> Any:
    body = bytearray()
    for chunk in response.iter_content(1 << 16):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise SourceInvalid(
                f"{shown} answered more than 200 MB", where=where, hint="page the request"
            )
    kind = response.headers.get("Content-Type", "")
    looks_html = "html" in kind or bytes(body[:200]).lstrip().lower().startswith(b"<")
    try:
        if looks_html:
            raise ValueError("html")
        return json.loads(bytes(body))
    except ValueError:
        what = "an HTML page" if looks_html else f"no valid JSON ({kind or 'no content type'})"
        raise SourceInvalid(
            f"{shown} answered {what}",
            where=where,
            hint="check `url`: it must be the API endpoint, not a web page",
        ) from None


def _next_url(current: str, link: str, where: str) -> str:
    if not current.startswith("file:"):
        return urljoin(current, link)
    if "://" in link and not link.startswith("file:"):
        raise SourceInvalid(
            f"the recorded page `{current}` links to the network ({safe_url(link)})",
            where=where,
            hint="record the next pages too and link them relatively (e.g. page-2.json)",
        )
    target = urlsplit(link).path if link.startswith("file:") else link
    folder = posixpath.dirname(urlsplit(current).path)
    return "file:" + posixpath.normpath(posixpath.join(folder, target))


@dataclass
class _Walk:
    """Reads the pages one after the other and counts them."""

    client: _Client
    url: str
    params: dict[str, Any]
    paging: _Paging
    shape: tuple[str | None, str | None, bool]
    pages: int = 0
    max_pages_reached: bool = False

    def records(self, document: Any, url: str) -> list[dict[str, Any]]:
        record_path, record_key, nested = self.shape
        found = records_at(
            document, record_path, record_key, safe_url(url), missing_ok=self.pages > 1
        )
        return [flatten(r, nested) for r in found]

    def fetch(self, url: str, params: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
        self.pages += 1
        document = self.client.get(url, params)
        return document, self.records(document, url)

    def __iter__(self) -> Iterator[Page]:
        if self.paging.mode == "none":
            yield self.url, self.fetch(self.url, self.params)[1]
        elif self.paging.mode == "next_link":
            yield from self._linked()
        else:
            yield from self._numbered()

    def _numbered(self) -> Iterator[Page]:
        p, value = self.paging, self.paging.start
        extra = {p.size_param: p.size} if p.size_param and p.size else {}
        for _ in range(p.max_pages):
            records = self.fetch(self.url, {**self.params, **extra, p.param: value})[1]
            if not records:
                return
            yield self.url, records
            value += 1 if p.mode == "page" else len(records)
        self._stop()

    def _linked(self) -> Iterator[Page]:
        url, params, seen = self.url, self.params, {self.url}
        for _ in range(self.paging.max_pages):
            document, records = self.fetch(url, params)
            if not records:
                return
            yield url, records
            link = pick(document, self.paging.next_path)
            if not isinstance(link, str) or not link:
                return
            url = _next_url(url, link, self.client.where)
            given = parse_qs(urlsplit(url).query)  # the link's own query wins
            params = {k: v for k, v in self.params.items() if k not in given}
            if url in seen:
                return
            seen.add(url)
        self._stop()

    def _stop(self) -> None:
        self.max_pages_reached = True
        log.warning(
            "%s: stopped after max_pages=%d pages", safe_url(self.url), self.paging.max_pages
        )


def _batches(
    pages: Iterator[Page], walk: _Walk, columns: Columns, size: int, details: dict[str, Any]
) -> Iterator[pa.RecordBatch]:
    buffer: list[dict[str, Any]] = []
    known, ignored = set(columns.labels), details["ignored_keys"]
    for _, records in pages:
        details["pages"] = walk.pages
        for record in records:
            for key in record.keys() - known:
                ignored[key] = ignored.get(key, 0) + 1
        buffer.extend(records)
        while len(buffer) >= size:
            yield columns.from_records(buffer[:size])
            del buffer[:size]
    details["pages"], details["max_pages_reached"] = walk.pages, walk.max_pages_reached
    if buffer:
        yield columns.from_records(buffer)


def read_json_api(request: SourceRequest) -> Extract:
    """Read records from a JSON API (or recorded `file:` pages) as lazy batches.

    Args:
        request: options `url` and optionally `params`, `headers`, `record_path`,
            `record_key`, `paging` (mode none|page|offset|next_link, param, size_param,
            size, start, next_path, max_pages), `timeout` (30 s), `retries` (3),
            `backoff` (1 s) and `flatten` (true).

    Returns:
        The extract. Labels are the keys of the first page; keys first seen on a later
        page are left out and counted in `details["ignored_keys"]` (key -> records);
        `details["pages"]` counts the pages read.

    Raises:
        SourceInvalid: bad options, HTTP 4xx (not 429), an answer that is not JSON, no
            records where `record_path` points.
        SourceUnavailable: the service cannot be reached, times out or keeps answering
            429 or 5xx.
    """
    from ogd.extract import Extract

    options = Options.of(request)
    url = options.text("url") or ""
    paging = _paging(options)
    if urlsplit(url).scheme not in ("http", "https", "file"):
        raise options.error("url", f"`{safe_url(url)}` is not an http(s) or file: URL")
    if url.startswith("file:") and paging.mode in ("page", "offset"):
        raise options.error("paging", "recorded `file:` pages can only be followed by `next_link`")
    shape = (options.text("record_path"), options.text("record_key"), options.flag("flatten", True))
    walk = _Walk(_Client(request, options), url, options.mapping("params"), paging, shape)
    pages = iter(walk)
    first = next(pages, None)
    labels: dict[str, None] = {}
    add_keys(labels, first[1] if first else [])
    columns = Columns(list(labels))
    details: dict[str, Any] = {"pages": walk.pages, "ignored_keys": {}}
    details["mixed_columns"] = columns.mixed
    return Extract(
        labels=list(labels),
        batches=_batches(_chain(first, pages), walk, columns, request.batch_rows, details),
        first_row_number=2,
        name=safe_url(url),
        fingerprint=None,
        details=details,
    )


def _chain(first: Page | None, rest: Iterator[Page]) -> Iterator[Page]:
    if first is not None:
        yield first
        yield from rest
