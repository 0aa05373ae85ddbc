"""`create_app(settings)`: Flask, the `web/` folders, blueprints, error handlers."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template, request
from sqlalchemy.orm import Session

from ogd.catalog.actions import Context
from ogd.config import Settings
from ogd.instance import Instance, open_instance


def create_app(settings: Settings, instance: Instance | None = None) -> Flask:
    """Build the web application for an instance (opened from settings when not given)."""
    instance = instance or open_instance(settings)
    web = settings.path(settings.web_dir)
    app = Flask(
        "ogd.web",
        template_folder=str(web / "templates"),
        static_folder=str(web / "static"),
        static_url_path="/static",
    )
    app.config["JSON_AS_ASCII"] = False
    app.extensions["ogd"] = instance
    from ogd.web import api, apidocs, datastore, dcat, downloads, feeds, filters, portal, seo

    app.register_blueprint(api.bp)
    app.register_blueprint(apidocs.bp)
    app.register_blueprint(datastore.bp)
    app.register_blueprint(dcat.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(seo.bp)
    from ogd.web import auth, i18n, security

    i18n.init_app(app, web, settings.path(settings.instance_dir) / "cache")
    app.register_blueprint(auth.bp)
    auth.init_app(app, settings)
    auth.csrf.exempt(api.bp)
    filters.init_app(app)
    security.init_app(app)
    app.teardown_appcontext(_close_session)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(500, _server_error)
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    return app


def get_instance() -> Instance:
    """The instance of the current app."""
    from flask import current_app

    return current_app.extensions["ogd"]  # type: ignore[no-any-return]


def get_session() -> Session:
    """The request's catalogue session, opened on first use and closed on teardown."""
    if "ogd_session" not in g:
        g.ogd_session = get_instance().sessions()
    return g.ogd_session  # type: ignore[no-any-return]


def get_context() -> Context:
    """The action context of the current request, with the user its API token names.

    The token comes raw in `Authorization` (optionally after `Bearer `) or in
    `X-CKAN-API-Key`; an unknown token leaves the caller anonymous. Portal pages (not
    `/api/`) also know the steward logged in with the session cookie."""
    if "ogd_user" not in g:
        from ogd.catalog.authz import user_for_token
        from ogd.web.auth import session_user

        raw = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key")
        user = user_for_token(get_session(), raw) if raw else None
        name = user.name if user else None
        if name is None and not raw and not request.path.startswith("/api/"):
            name = session_user()
        g.ogd_user = name
    instance = get_instance()
    return Context(
        session=get_session(),
        settings=instance.settings,
        user=g.ogd_user,
        storage=instance.storage,
    )


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("ogd_session", None)
    if session is not None:
        session.close()


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _not_found(_exc: Any) -> Any:
    if _wants_json():
        return {
            "success": False,
            "error": {"__type": "Not Found Error", "message": "Not found"},
        }, 404
    return render_template(
        "error.html",
        code=404,
        title="Seite nicht gefunden",
        text="Diese Seite gibt es nicht (mehr).",
    ), 404


def _server_error(_exc: Any) -> Any:
    if _wants_json():
        return {
            "success": False,
            "error": {
                "__type": "Internal Server Error",
                "message": "Internal Server Error",
            },
        }, 500
    return render_template(
        "error.html",
        code=500,
        title="Ein Fehler ist aufgetreten",
        text="Bitte versuchen Sie es später noch einmal.",
    ), 500
