"""Blueprint for `/api/3/action/<name>` and `/api/action/<name>`: parse, call the action, wrap."""

from __future__ import annotations

import json
import logging
from typing import Any

import orjson
from flask import Blueprint, Response, g, request

from ogd.catalog.actions import ACTIONS, WRITE_ACTIONS
from ogd.catalog.package_search import package_search_json
from ogd.web.app import get_context, get_instance
from ogd.web.envelope import bad_request, failure, success

bp = Blueprint("api", __name__)
logger = logging.getLogger(__name__)


@bp.get("/api")
def api_root() -> Any:
    """Legacy API version probe."""
    return {"version": 1}


@bp.get("/api/3")
def api_root_v3() -> Any:
    """API version probe."""
    return {"version": 3}


def _multi(pairs: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in pairs:
        values = pairs.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    return data


def _parse() -> dict[str, Any]:
    if request.method == "GET":
        return _multi(request.args)
    if request.is_json or (request.data and not request.form and not request.files):
        body = json.loads(request.get_data(as_text=True) or "{}")
        if not isinstance(body, dict):
            raise ValueError("Request data JSON decoded to a non-object")
        return body
    form = _multi(request.form)
    if len(form) == 1 and not request.files:
        key, value = next(iter(form.items()))
        if value in ("", "1") and key.lstrip().startswith("{"):
            parsed = json.loads(key)
            if isinstance(parsed, dict):
                return parsed
    form.update({k: f for k, f in request.files.items()})
    return form


@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
@bp.route("/api/action/<name>", methods=["GET", "POST"])
def action(name: str) -> Response:
    """Call one catalogue action."""
    if name not in ACTIONS:
        return bad_request(f"Action name not known: {name}")
    if request.method == "GET" and name in WRITE_ACTIONS:
        return bad_request(f"Action {name} requires an HTTP POST request")
    try:
        data = _parse()
    except (ValueError, UnicodeDecodeError) as exc:
        return bad_request(f"JSON Error: {exc}")
    data.pop("callback", None) if name != "package_search" else None
    result: Any = None
    try:
        if name == "package_search":  # cached anonymous answers go out as stored JSON
            result = orjson.Fragment(package_search_json(get_context(), data))
        else:
            result = ACTIONS[name](get_context(), data)
    except Exception as exc:  # noqa: BLE001 - the envelope maps every error to a status
        response = failure(name, exc)
    else:
        response = success(name, result)
    if name in WRITE_ACTIONS:
        _audit(name, data, result, response.status_code)
    return response


def _audit(name: str, data: dict[str, Any], result: Any, status: int) -> None:
    """Log the write (refused ones too) in the audit log, in a session of its own."""
    from ogd.catalog import audit

    try:
        with get_instance().sessions() as session:
            audit.record(
                session,
                user=g.get("ogd_user"),
                action=name,
                object_id=audit.object_of(data, result),
                remote_addr=request.remote_addr,
                status=status,
            )
    except Exception:  # noqa: BLE001 - the write is done: answer it, and say so in the log
        logger.exception("audit log: the %s write could not be recorded", name)
