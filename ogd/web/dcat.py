"""Blueprint for the DCAT-AP CH endpoints: `/catalog.<fmt>`, `/dataset/<id>.<fmt>`, schemas."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, request

from ogd.dcat.graph import catalog_graph, dataset_graph
from ogd.dcat.profile import Profile, load_profile
from ogd.dcat.records import collect_dataset, collect_page
from ogd.dcat.serialize import media_type, serialize
from ogd.errors import NotAuthorized, NotFound, ValidationError
from ogd.web.app import get_context, get_instance

bp = Blueprint("dcat", __name__)
CATALOG_FORMATS = "any(ttl, rdf, xml, jsonld)"
DATASET_FORMATS = "any(ttl, rdf, jsonld)"


def _profile() -> Profile:
    settings = get_instance().settings
    return load_profile(
        settings.path(settings.catalog_dir), settings.site_title, settings.site_description
    )


def _site() -> str:
    return get_instance().settings.site_url.rstrip("/")


def _rdf(text: str, fmt: str) -> Response:
    return Response(
        text, mimetype=media_type(fmt), content_type=f"{media_type(fmt)}; charset=utf-8"
    )


@bp.get(f"/catalog.<{CATALOG_FORMATS}:fmt>")
def catalog(fmt: str) -> Response:
    """One page of the catalogue; `?page=N` and `?modified_since=YYYY-MM-DD`."""
    profile = _profile()
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        abort(400)
    try:
        data = collect_page(
            get_context(), int(page), profile.page_size, request.args.get("modified_since")
        )
    except ValidationError:
        abort(400)
    endpoint = f"{_site()}/catalog.{fmt}"
    return _rdf(serialize(catalog_graph(data, profile, _site(), endpoint), fmt), fmt)


@bp.get(f"/dataset/<id>.<{DATASET_FORMATS}:fmt>")
def dataset(id: str, fmt: str) -> Response:
    """One active public dataset; 403 for a private one, 404 for an unknown one."""
    try:
        data = collect_dataset(get_context(), id)
    except NotFound:
        abort(404)
    except NotAuthorized:
        abort(403)
    return _rdf(serialize(dataset_graph(data, _profile(), _site()), fmt), fmt)


@bp.get("/dataset/<id>/schema/<stem>.json")
def table_schema(id: str, stem: str) -> Any:
    """The Table Schema of one published table (`dct:conformsTo`), from its datapackage.json."""
    from ogd.catalog import actions
    from ogd.catalog.models import Resource
    from ogd.web.app import get_session

    try:
        package = actions.package_show(get_context(), {"id": id})
    except (NotFound, NotAuthorized):
        abort(404)
    descriptor = next(
        (r for r in package["resources"] if str(r["url"]).endswith("/datapackage.json")), None
    )
    resource = get_session().get(Resource, descriptor["id"]) if descriptor else None
    if resource is None or resource.storage_key is None:
        abort(404)
    with get_instance().storage.open(resource.storage_key) as handle:
        datapackage = json.loads(handle.read().decode("utf-8"))
    for item in datapackage.get("resources", []):
        if str(item.get("path", "")).rsplit(".", 1)[0] == stem and item.get("schema"):
            return Response(
                json.dumps(item["schema"], ensure_ascii=False, indent=2),
                mimetype="application/schema+json",
            )
    abort(404)
