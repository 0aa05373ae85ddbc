"""Jinja filters: dates, file sizes, licence labels, language fallback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import Flask


def filesize(value: int | None) -> str:
    """Bytes as a short German label (`1,2 MB`)."""
    if value is None:
        return ""
    size = float(value)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            text = f"{size:.0f}" if unit == "B" else f"{size:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        size /= 1000
    return str(value)


def datefmt(value: str | dt.datetime | None) -> str:
    """An ISO timestamp as `dd.mm.yyyy`."""
    if not value:
        return ""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.strftime("%d.%m.%Y")


def translated(value: Mapping[str, str] | None, lang: str | None = None, fallback: str = "") -> str:
    """The text in `lang` (default: the page's language), else German, else the fallback."""
    if not value:
        return fallback
    if lang is None:
        from ogd.web.i18n import current_language

        lang = current_language()
    return value.get(lang) or value.get("de") or fallback


def init_app(app: Flask) -> None:
    """Register the filters."""
    filters: dict[str, Any] = {
        "filesize": filesize,
        "datefmt": datefmt,
        "translated": translated,
    }
    app.jinja_env.filters.update(filters)
