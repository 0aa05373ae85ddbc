"""Blueprint for the published interface: `/api/openapi.json` and the API page `/api-docs/`."""

from __future__ import annotations

import json
import re
from itertools import groupby

from flask import Blueprint, Response, render_template
from markupsafe import Markup, escape

from ogd.catalog import actions
from ogd.errors import OgdError
from ogd.web.app import get_context, get_instance
from ogd.web.openapi import action_docs, build_document
from ogd.web.openapi_params import DOCUMENT_PATH

bp = Blueprint("apidocs", __name__)
EXAMPLE_DATASET = "bevoelkerung-quartier"
EXAMPLE_RESOURCE = "RESOURCE_ID"


@bp.get(DOCUMENT_PATH)
def openapi_document() -> Response:
    """The OpenAPI 3.1 document of the whole API (open to every origin)."""
    document = build_document(get_instance().settings)
    response = Response(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/json;charset=utf-8",
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.app_template_filter("ticks")
def ticks(value: str) -> Markup:
    """Text with Markdown `code` spans as HTML `<code>` (the rest escaped)."""
    parts = re.split(r"`([^`]+)`", value)
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
        for i, part in enumerate(parts)
    )


def example_resource() -> str:
    """The id of the example dataset's first DataStore table, or a placeholder."""
    try:
        package = actions.package_show(get_context(), {"id": EXAMPLE_DATASET})
    except OgdError:
        return EXAMPLE_RESOURCE
    tables = [r["id"] for r in package["resources"] if r.get("datastore_active")]
    return tables[0] if tables else EXAMPLE_RESOURCE


@bp.get("/api-docs/")
def page() -> str:
    """The API page: every action with its parameters, and examples in curl, Python and R."""
    docs = action_docs()
    return render_template(
        "portal/api.html",
        site_url=get_instance().settings.site_url.rstrip("/"),
        groups=[(tag, list(items)) for tag, items in groupby(docs, key=lambda d: d.tag)],
        dataset=EXAMPLE_DATASET,
        resource_id=example_resource(),
        document_path=DOCUMENT_PATH,
    )
