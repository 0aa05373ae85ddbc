"""Steward pages that change things: a dataset's metadata, the steward's API tokens.

Metadata go through `package_patch` under the steward's own identity, so the catalogue's
rules decide (editors and admins of the organisation, sysadmins). Tokens are the
steward's own; a new one is shown once, on the answer to the form, and never again.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ogd.catalog import actions, authz, write_actions
from ogd.catalog.dictize import quality_of
from ogd.catalog.models import User
from ogd.errors import NotAuthorized, NotFound, ValidationError
from ogd.pipeline.spec import FREQUENCIES
from ogd.web.app import get_context, get_session
from ogd.web.auth import login_required, session_user
from ogd.web.i18n import LANGUAGES, current_language
from ogd.web.portal import bp
from ogd.web.portal_steward import deny
from ogd.web.quality import ensure_report
from ogd.web.steward import scope_of
from ogd.web.steward_metadata import check_form, form_values, patch_from_form, quality_hints


def _editable(name: str) -> dict[str, Any]:
    """The dataset if the steward may change it; else 404 or 403."""
    ctx = get_context()
    try:
        pkg = actions.package_show(ctx, {"id": name})
    except (NotFound, NotAuthorized):
        abort(404)
    org = (pkg.get("organization") or {}).get("name", "")
    if not scope_of(ctx).can_write(org):
        deny()
    return pkg


def _save(pkg: dict[str, Any]) -> dict[str, list[str]]:
    """Patch the dataset from the form; the problems found (none when saved)."""
    errors = check_form(request.form)
    if errors:
        return errors
    ctx = get_context()
    try:
        write_actions.package_patch(ctx, patch_from_form(pkg, request.form))
    except ValidationError as exc:
        return exc.errors
    except NotAuthorized:
        deny()
    # the quality hints beside the form follow the saved metadata at once
    ensure_report(ctx, current_app._get_current_object(), pkg["name"])  # type: ignore[attr-defined]
    return {}


@bp.route("/steward/dataset/<name>/edit", methods=["GET", "POST"])
@login_required
def steward_edit(name: str) -> ResponseReturnValue:
    """The metadata form in four languages, with the quality score's hints beside it."""
    pkg = _editable(name)
    values, errors = form_values(pkg), {}
    if request.method == "POST":
        errors = _save(pkg)
        if not errors:
            flash(_("Die Metadaten sind gespeichert."))
            return redirect(url_for("portal.steward_edit", name=name))
        values = {**values, **request.form.to_dict()}
    quality = quality_of(pkg)
    page = render_template(
        "steward/edit.html",
        pkg=pkg,
        values=values,
        errors=errors,
        languages=LANGUAGES,
        frequencies=FREQUENCIES,
        quality=quality,
        hints=quality_hints(quality, current_language()) if quality else [],
    )
    return page, 409 if errors else 200


def _me() -> User:
    try:
        return authz.get_user(get_session(), session_user() or "")
    except NotFound:
        deny()


def _tokens_page(new_token: str | None = None, label: str = "") -> str:
    tokens = authz.list_tokens(get_session(), _me())
    return render_template("steward/tokens.html", tokens=tokens, new_token=new_token, label=label)


@bp.get("/steward/tokens")
@login_required
def steward_tokens() -> str:
    """The steward's API tokens (labels and dates; the tokens themselves are not kept)."""
    return _tokens_page()


@bp.post("/steward/tokens")
@login_required
def steward_token_create() -> ResponseReturnValue:
    """Make a token and show it, once (the answer is not cached)."""
    label = request.form.get("label", "").strip()[:200]
    raw = authz.create_token(get_session(), _me(), label)
    get_session().commit()
    response = make_response(_tokens_page(raw, label))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/steward/tokens/<token_id>/revoke")
@login_required
def steward_token_revoke(token_id: str) -> ResponseReturnValue:
    """Revoke one of the steward's own tokens."""
    session = get_session()
    try:
        authz.revoke_token(session, token_id, owner=_me())
    except NotFound:
        abort(404)
    session.commit()
    flash(_("Der Token ist widerrufen."))
    return redirect(url_for("portal.steward_tokens"))
