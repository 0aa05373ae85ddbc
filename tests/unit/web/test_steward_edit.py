"""Steward pages that change things: metadata in four languages, API tokens."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from ogd.catalog.models import Dataset
from ogd.instance import Instance
from tests.unit.web.test_login import csrf_token
from tests.unit.web.test_steward import login, users  # noqa: F401 - the fixture

EDIT = "/steward/dataset/bevoelkerung-quartier/edit"
QUALITY = {
    "total": 215,
    "max": 405,
    "rating": "sufficient",
    "dimensions": {"findability": 40, "reusability": 45},
    "indicators": [
        {"id": "F1", "name": "Keywords", "passed": True, "points": 30, "max": 30, "how": {}},
        {
            "id": "C2",
            "name": "Contact point",
            "passed": False,
            "points": 0,
            "max": 20,
            "how": {"de": "Geben Sie eine Kontaktstelle an.", "en": "Name a contact point."},
        },
    ],
}


def _form(client: FlaskClient, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it, with `changes`."""
    page = client.get(EDIT).get_data(as_text=True)
    values = dict(re.findall(r'<input id="[^"]+" name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name, text in re.findall(r'name="(notes_[a-z]+)" rows="5">([^<]*)</textarea>', page):
        values[name] = text
    values["csrf_token"] = csrf_token(client, EDIT)
    values.update(changes)
    return values


def test_editor_saves_a_french_title_that_the_public_page_shows(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    login(client, "redaktor")
    form = _form(
        client,
        title_fr="Population par quartier",
        notes_fr="Population résidante par quartier.",
        keywords_fr="population, quartier",
        accrual_periodicity="monthly",
    )
    assert form["title_de"] == "Bevölkerung nach Quartier"
    response = client.post(EDIT, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Die Metadaten sind gespeichert." in client.get(EDIT).get_data(as_text=True)
    public = client.get("/dataset/bevoelkerung-quartier?lang=fr").get_data(as_text=True)
    assert "Population par quartier" in public
    german = client.get("/dataset/bevoelkerung-quartier?lang=de").get_data(as_text=True)
    assert "Bevölkerung nach Quartier" in german
    shown = client.post("/api/action/package_show", json={"id": "bevoelkerung-quartier"})
    pkg = shown.get_json()["result"]
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert pkg["title_translated"]["fr"] == "Population par quartier"
    assert extras["accrual_periodicity"] == "monthly"
    assert '"fr": ["population", "quartier"]' in extras["keywords"]
    assert pkg["maintainer_email"] == "open@stadtluzern.ch"  # untouched fields stay


def test_metadata_of_another_organisation_are_forbidden(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    login(client, "umwelt")
    assert client.get(EDIT).status_code == 403
    token = csrf_token(client, "/steward/")
    response = client.post(EDIT, data={"csrf_token": token, "title_de": "Gekapert"})
    assert response.status_code == 403
    assert client.get("/steward/dataset/gibt-es-nicht/edit").status_code == 404


def test_members_may_not_edit_and_forms_need_the_token(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    login(client, "mitglied")
    assert client.get(EDIT).status_code == 403
    client.post("/user/logout", data={"csrf_token": csrf_token(client, "/steward/")})
    login(client, "redaktor")
    form = _form(client, title_fr="Sans jeton")
    del form["csrf_token"]
    assert client.post(EDIT, data=form).status_code == 400


def test_a_missing_german_title_or_a_bad_email_is_shown_and_nothing_saved(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    login(client, "redaktor")
    response = client.post(EDIT, data=_form(client, title_de=" ", title_fr="Nouveau"))
    assert response.status_code == 409
    assert "Der deutsche Titel fehlt." in response.get_data(as_text=True)
    response = client.post(EDIT, data=_form(client, maintainer_email="kein-mail"))
    assert response.status_code == 409 and "not a valid format" in response.get_data(as_text=True)
    public = client.get("/dataset/bevoelkerung-quartier?lang=fr").get_data(as_text=True)
    assert "Nouveau" not in public


def test_quality_score_and_hints_beside_the_form(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
    instance: Instance,
) -> None:
    login(client, "redaktor")
    assert "noch keine Bewertung" in client.get(EDIT).get_data(as_text=True)
    with instance.sessions() as session, session.begin():
        dataset = session.scalar(select(Dataset).where(Dataset.name == "bevoelkerung-quartier"))
        assert dataset is not None
        dataset.extras = {**dataset.extras, "quality": QUALITY}
    page = client.get(EDIT).get_data(as_text=True)
    assert "<strong>215</strong> / 405" in page and "genügend" in page
    assert "Geben Sie eine Kontaktstelle an." in page and "Keywords" not in page
    english = client.get(EDIT + "?lang=en").get_data(as_text=True)
    assert "Name a contact point." in english
    dashboard = client.get("/steward/").get_data(as_text=True)
    assert "215 / 405" in dashboard


def test_tokens_are_shown_once_authenticate_and_can_be_revoked(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    login(client, "redaktor")
    assert "Sie haben keine Tokens." in client.get("/steward/tokens").get_data(as_text=True)
    token = csrf_token(client, "/steward/tokens")
    created = client.post("/steward/tokens", data={"csrf_token": token, "label": "Skript"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    page = created.get_data(as_text=True)
    raw = re.search(r'<code id="new-token">([^<]+)</code>', page)
    assert raw and raw.group(1).startswith("ogd_") and "nur dieses eine Mal" in page
    listing = client.get("/steward/tokens").get_data(as_text=True)
    assert "Skript" in listing and raw.group(1) not in listing

    def whoami(value: str) -> Any:
        headers = {"Authorization": value}
        data = {"permission": "update_dataset"}
        return client.post("/api/action/organization_list_for_user", json=data, headers=headers)

    answer = whoami(raw.group(1)).get_json()
    assert [o["name"] for o in answer["result"]] == ["einwohnerdienste"]
    patched = client.post(
        "/api/action/package_patch",
        json={"id": "bevoelkerung-quartier", "version": "2"},
        headers={"Authorization": raw.group(1)},
    )
    assert patched.status_code == 200

    token_id = re.search(r'action="/steward/tokens/([^/]+)/revoke"', listing)
    assert token_id
    revoke = f"/steward/tokens/{token_id.group(1)}/revoke"
    assert client.post(revoke).status_code == 400  # no CSRF token
    response = client.post(revoke, data={"csrf_token": token})
    assert response.status_code == 302
    assert whoami(raw.group(1)).get_json()["result"] == []  # anonymous now
    assert client.post(revoke, data={"csrf_token": token}).status_code == 404


def test_nobody_revokes_the_tokens_of_others(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    login(client, "redaktor")
    token = csrf_token(client, "/steward/tokens")
    client.post("/steward/tokens", data={"csrf_token": token, "label": "meins"})
    listing = client.get("/steward/tokens").get_data(as_text=True)
    found = re.search(r'action="/steward/tokens/([^/]+)/revoke"', listing)
    assert found
    client.post("/user/logout", data={"csrf_token": token})
    login(client, "umwelt")
    token = csrf_token(client, "/steward/tokens")
    revoke = f"/steward/tokens/{found.group(1)}/revoke"
    assert client.post(revoke, data={"csrf_token": token}).status_code == 404


def test_saving_metadata_scores_the_dataset(
    client: FlaskClient,
    users: dict[str, Any],  # noqa: F811
) -> None:
    """After a save the dataset carries its metadata-quality score (package_show extra)."""
    import json

    login(client, "redaktor")
    response = client.post(EDIT, data=_form(client, title_fr="Population par quartier"))
    assert response.status_code == 302
    shown = client.post("/api/action/package_show", json={"id": "bevoelkerung-quartier"})
    extras = {e["key"]: e["value"] for e in shown.get_json()["result"]["extras"]}
    score = json.loads(extras["quality"])
    assert 0 < score["total"] <= 405 and len(score["indicators"]) == 23
    assert "Metadatenqualität" in client.get("/dataset/bevoelkerung-quartier").get_data(
        as_text=True
    )
