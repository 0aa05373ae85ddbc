"""Steward login: username and password, a signed session cookie, CSRF on every form.

The API never reads the session cookie (it authenticates by token only), so no API call
can be forged from another site; portal forms carry Flask-WTF's CSRF token.
"""

from __future__ import annotations

import os
import secrets
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect

from ogd.config import Settings

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
SESSION_USER = "user"


def secret_key(settings: Settings) -> str:
    """The session signing key: the setting, else the instance's key file (made once)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.path(settings.instance_dir) / "secrets" / "session.key"
    if not path.exists():
        _create_key(path)
    return path.read_text(encoding="utf-8").strip()


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another worker made it first
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))


def init_app(app: Flask, settings: Settings) -> None:
    """Sessions (HttpOnly, SameSite=Lax cookies) and CSRF protection for the portal."""
    app.config["SECRET_KEY"] = secret_key(settings)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.site_url.startswith("https://")
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # valid for the session's lifetime
    csrf.init_app(app)


def session_user() -> str | None:
    """The name of the logged-in steward, if any."""
    value = session.get(SESSION_USER)
    return value if isinstance(value, str) else None


def login_required(view: Any) -> Any:
    """Send anonymous visitors to the login page (and back afterwards)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if session_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return url_for("portal.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("portal.home")
    return target


@bp.route("/user/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The login form; a wrong name or password gives one message for both."""
    from ogd.catalog import authz
    from ogd.web.app import get_session

    error = None
    status = 200
    if request.method == "POST":
        name = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user = authz.login(get_session(), name, password) if name and password else None
        if user is not None:
            session.clear()
            session[SESSION_USER] = user.name
            session.permanent = True
            g.pop("ogd_user", None)
            flash("Sie sind angemeldet.")
            return redirect(_safe_next(request.args.get("next")))
        error = "Benutzername oder Passwort ist falsch."
        status = 401
    return render_template("portal/login.html", error=error), status


@bp.post("/user/logout")
def logout() -> ResponseReturnValue:
    """End the session."""
    session.clear()
    flash("Sie sind abgemeldet.")
    return redirect(url_for("portal.home"))


def require_steward() -> str:
    """The logged-in user's name, or 403 when nobody is logged in."""
    name = session_user()
    if name is None:
        abort(403)
    return name
