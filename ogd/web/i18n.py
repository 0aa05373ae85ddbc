"""Languages of the portal: German (default), French, Italian, English, through Flask-Babel.

The language of a request comes from `?lang=xx` (remembered in a cookie), else the
cookie, else the browser's `Accept-Language`, else the setting `locale_default`. The
gettext catalogues live in `web/translations/<lang>/LC_MESSAGES/messages.po`; they are
compiled into the instance's cache when the app starts (no binary files in the
repository). `lang_url(code)` is the current page in another language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, Response, g, request, url_for
from flask_babel import Babel, get_locale

LANGUAGES = ("de", "fr", "it", "en")
LANGUAGE_NAMES = {"de": "Deutsch", "fr": "Français", "it": "Italiano", "en": "English"}
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600


def compile_catalogs(source: Path, target: Path) -> Path:
    """Compile every `messages.po` under `source` into `target` (only when changed)."""
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        tmp = mo.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog)
        tmp.replace(mo)
    return target


def select_language() -> str:
    """The language of the current request."""
    default = _default()
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        g.ogd_set_lang = asked
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES, default=default) or default


def _default() -> str:
    from ogd.web.app import get_instance

    lang = get_instance().settings.locale_default
    return lang if lang in LANGUAGES else "de"


def current_language() -> str:
    """The language code of the current request (`de`, `fr`, `it` or `en`)."""
    return str(get_locale() or "de")


def lang_url(code: str) -> str:
    """The current page in language `code` (path and query kept)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["lang"] = [code]
    if request.endpoint is None:  # an error page: the same path, when it is a local one
        if request.path.startswith("/") and not request.path.startswith("//"):
            return f"{quote(request.path)}?{urlencode(args, doseq=True)}"
        return url_for("portal.home", lang=code)
    try:
        return url_for(request.endpoint, **(request.view_args or {}), **args)
    except Exception:  # noqa: BLE001 - a view that cannot be rebuilt: the home page
        return url_for("portal.home", lang=code)


def _remember(response: Response) -> Response:
    chosen = g.pop("ogd_set_lang", None)
    if chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask, web: Path, cache: Path) -> None:
    """Flask-Babel with the compiled catalogues, and the template helpers."""
    folder = compile_catalogs(web / "translations", cache / "translations")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(folder)
    app.config["BABEL_DEFAULT_LOCALE"] = "de"
    Babel(app, locale_selector=select_language)
    app.after_request(_remember)
    app.jinja_env.globals.update(
        current_language=current_language,
        lang_url=lang_url,
        LANGUAGES=LANGUAGES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
