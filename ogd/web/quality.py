"""Metadata-quality reports for the portal: computed when missing or outdated, stored.

The portal's own URLs (downloads, DataStore dumps, pages) are checked against the
portal itself through its WSGI app, without the network, so a score measures what the
server really answers; other URLs go through `HttpUrlChecker` (HEAD, then GET).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select

from ogd.catalog import quality
from ogd.catalog.actions import Context
from ogd.catalog.models import Dataset
from ogd.errors import OgdError
from ogd.quality.urls import HttpUrlChecker

log = logging.getLogger(__name__)


class SiteUrlChecker:
    """Checks URLs of the portal through its app, others over HTTP; caches answers."""

    def __init__(self, app: Flask, site_url: str) -> None:
        """Check URLs below `site_url` with `app`."""
        self.client = app.test_client()
        self.site = site_url.rstrip("/")
        self.remote = HttpUrlChecker()
        self.cache: dict[str, bool] = {}

    def is_accessible(self, url: str) -> bool:
        """2xx or 3xx for a HEAD request (GET when HEAD is not allowed)."""
        if url in self.cache:
            return self.cache[url]
        if url == self.site or url.startswith(self.site + "/"):
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            status = self.client.head(path).status_code
            if status in (405, 501):
                status = self.client.get(path).status_code
            ok = 200 <= status < 400
        else:
            ok = self.remote.is_accessible(url)
        self.cache[url] = ok
        return ok


def ensure_report(ctx: Context, app: Flask, name: str) -> dict[str, Any] | None:
    """The current report of dataset `name`, computed and stored when missing or old.

    None for datasets that are not harvested (private, draft, deleted)."""
    from ogd.quality.assess import assess

    dataset = ctx.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.state != "active" or dataset.private:
        return None
    report = quality.current_report(ctx.session, dataset)
    if report is not None:
        return report
    try:
        report = assess(ctx, name, SiteUrlChecker(app, ctx.settings.site_url))
    except OgdError as exc:  # the page shows no score rather than an error
        log.warning("no quality score for %s: %s", name, exc.message)
        return None
    quality.save_report(ctx.session, dataset, report)
    ctx.session.commit()
    return report


def refresh(
    app: Flask, ctx: Context, names: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Reports of `names` (None: every active public dataset), computed where missing or
    outdated; datasets that are not harvested are left out."""
    if names is None:
        names = ctx.session.scalars(
            select(Dataset.name)
            .where(Dataset.state == "active", Dataset.private.is_(False))
            .order_by(Dataset.name)
        ).all()
    reports = {}
    for name in names:
        report = ensure_report(ctx, app, name)
        if report is not None:
            reports[name] = report
    return reports
