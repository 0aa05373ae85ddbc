"""The one place that turns a result or an exception into the CKAN envelope and HTTP status."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, request

from ogd.errors import (
    NotAuthorized,
    NotFound,
    OgdError,
    SearchQueryError,
    ValidationError,
)
from ogd.jsoncodec import dumps

log = logging.getLogger(__name__)
JSON_TYPE = "application/json;charset=utf-8"


_HELP_URLS: dict[tuple[str, str], str] = {}


def _help_url(action: str) -> str:
    # werkzeug's host_url costs more than a cached search answer: remember it per host
    environ = request.environ
    key = (
        f"{environ.get('wsgi.url_scheme')}://{environ.get('HTTP_HOST')}{environ.get('SCRIPT_NAME')}",
        action,
    )
    url = _HELP_URLS.get(key)
    if url is None:
        if len(_HELP_URLS) > 4096:
            _HELP_URLS.clear()
        url = f"{request.host_url.rstrip('/')}/api/3/action/help_show?name={action}"
        _HELP_URLS[key] = url
    return url


def _respond(body: Any, status: int) -> Response:
    data = dumps(body)
    callback = request.args.get("callback")
    if callback and request.method == "GET" and status == 200 and callback.isidentifier():
        script = callback.encode("ascii") + b"(" + data + b");"
        return Response(script, status, content_type="application/javascript")
    return Response(data, status, content_type=JSON_TYPE)


def success(action: str, result: Any) -> Response:
    """200 with `{"help", "success": true, "result"}`."""
    return _respond({"help": _help_url(action), "success": True, "result": result}, 200)


def bad_request(message: str) -> Response:
    """400 whose body is a bare JSON string, as CKAN answers unknown actions and bad JSON."""
    return _respond(f"Bad request - {message}", 400)


def failure(action: str, exc: Exception) -> Response:
    """The CKAN error envelope and status for an exception."""
    error: dict[str, Any]
    if isinstance(exc, ValidationError):
        status, error = 409, {**exc.errors, "__type": "Validation Error"}
    elif isinstance(exc, NotFound):
        status, error = (
            404,
            {"__type": "Not Found Error", "message": f"Not found: {exc.message}"},
        )
    elif isinstance(exc, NotAuthorized):
        status = 403
        error = {
            "__type": "Authorization Error",
            "message": f"Access denied: {exc.message}",
        }
    elif isinstance(exc, SearchQueryError):
        status, error = 400, {"__type": "Search Query Error", "message": exc.message}
    elif isinstance(exc, OgdError):
        status, error = 409, {"__type": "Validation Error", "message": exc.message}
    else:
        log.exception("action %s failed", action)
        status = 500
        error = {"__type": "Internal Server Error", "message": "Internal Server Error"}
    return _respond({"help": _help_url(action), "success": False, "error": error}, status)
