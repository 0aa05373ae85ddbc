"""Steward login: password check, session cookie, CSRF on forms, no open redirect.

The API keeps authenticating by token only: a logged-in browser cannot be made to
write through it from another site.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from ogd.catalog import authz
from ogd.catalog.models import Dataset
from ogd.catalog.publishing import index_dataset
from ogd.errors import ValidationError
from ogd.instance import Instance
from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS

PASSWORD = "Pilatus-Rigi-2024"


@pytest.fixture
def steward(instance: Instance) -> str:
    """A member of einwohnerdienste with a password."""
    with instance.sessions() as session, session.begin():
        user = authz.create_user(session, "steward")
        authz.set_password(user, PASSWORD)
        authz.set_member(session, authz.ensure_org(session, "einwohnerdienste"), user, "member")
    return "steward"


def csrf_token(client: FlaskClient, path: str = "/user/login") -> str:
    """The CSRF token of the form on `path`."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def log_in(client: FlaskClient, name: str, password: str, next_path: str = "") -> object:
    token = csrf_token(client)
    url = "/user/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"username": name, "password": password, "csrf_token": token})


def test_login_page_has_a_labelled_form(client: FlaskClient) -> None:
    page = client.get("/user/login").get_data(as_text=True)
    assert '<label for="username">' in page and '<label for="password">' in page
    assert 'autocomplete="current-password"' in page


def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: FlaskClient, steward: str
) -> None:
    wrong = log_in(client, steward, "falsch-falsch-falsch")
    unknown = log_in(client, "niemand", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert "Benutzername oder Passwort ist falsch." in response.get_data(as_text=True)  # type: ignore[attr-defined]


def test_post_without_csrf_token_is_refused(client: FlaskClient, steward: str) -> None:
    response = client.post("/user/login", data={"username": steward, "password": PASSWORD})
    assert response.status_code == 400


def test_login_opens_the_steward_pages(client: FlaskClient, steward: str) -> None:
    response = client.get("/steward/runs")
    assert response.status_code == 302
    assert "/user/login?next=/steward/runs" in response.headers["Location"]
    response = log_in(client, steward, PASSWORD, "/steward/runs")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response.headers["Location"] == "/steward/runs"  # type: ignore[attr-defined]
    assert client.get("/steward/runs").status_code == 200
    assert "Abmelden (steward)" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "javascript:x"])
def test_next_never_leaves_the_site(client: FlaskClient, steward: str, target: str) -> None:
    response = log_in(client, steward, PASSWORD, target)
    assert response.headers["Location"] == "/"  # type: ignore[attr-defined]


def test_logout_needs_the_form_token(client: FlaskClient, steward: str) -> None:
    log_in(client, steward, PASSWORD)
    assert client.post("/user/logout").status_code == 400
    token = csrf_token(client, "/")
    assert client.post("/user/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/steward/runs").status_code == 302


def test_session_shows_private_data_on_the_portal_but_not_through_the_api(
    client: FlaskClient, instance: Instance, steward: str
) -> None:
    with instance.sessions() as session, session.begin():
        dataset = session.scalar(select(Dataset).where(Dataset.name == "bevoelkerung-quartier"))
        assert dataset is not None
        dataset.private = True
        index_dataset(session, dataset)
    assert client.get("/dataset/bevoelkerung-quartier").status_code == 404
    log_in(client, steward, PASSWORD)
    assert client.get("/dataset/bevoelkerung-quartier").status_code == 200
    shown = client.post("/api/action/package_show", json={"id": "bevoelkerung-quartier"})
    assert shown.status_code == 403  # the API ignores the session cookie


def test_short_password_is_refused(instance: Instance) -> None:
    with instance.sessions() as session:
        user = authz.create_user(session, "kurz")
        with pytest.raises(ValidationError, match="at least 12 characters"):
            authz.set_password(user, "kurz")
