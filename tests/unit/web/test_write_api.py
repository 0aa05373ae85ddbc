"""Write actions through the HTTP API: rights, validation, uploads, pipeline datasets, privacy.

Each test runs on SQLite and on PostgreSQL (the `instance` fixture); the callers are
real users with real tokens sent the way ckanapi sends them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from ogd.catalog import authz
from ogd.instance import Instance
from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS


@dataclass(frozen=True)
class Callers:
    """Tokens of the test users."""

    admin: str  # sysadmin
    editor: str  # editor of einwohnerdienste
    member: str  # member of einwohnerdienste
    other: str  # editor of umweltschutz


@pytest.fixture
def callers(instance: Instance) -> Callers:
    """Four users with tokens."""
    with instance.sessions() as session, session.begin():
        admin = authz.create_user(session, "admin", sysadmin=True)
        editor = authz.create_user(session, "redaktion")
        member = authz.create_user(session, "mitglied")
        other = authz.create_user(session, "umwelt")
        ewd = authz.ensure_org(session, "einwohnerdienste")
        authz.set_member(session, ewd, editor, "editor")
        authz.set_member(session, ewd, member, "member")
        authz.set_member(session, authz.ensure_org(session, "umweltschutz"), other, "editor")
        return Callers(
            admin=authz.create_token(session, admin),
            editor=authz.create_token(session, editor),
            member=authz.create_token(session, member),
            other=authz.create_token(session, other),
        )


def call(
    client: FlaskClient, action: str, data: dict[str, Any], token: str | None = None
) -> tuple[int, Any]:
    """POST an action as ckanapi does; (status, body)."""
    headers = {"Authorization": token, "X-CKAN-API-Key": token} if token else {}
    response = client.post(f"/api/action/{action}", json=data, headers=headers)
    return response.status_code, response.get_json()


def upload(
    client: FlaskClient, action: str, fields: dict[str, str], content: bytes, name: str, token: str
) -> tuple[int, Any]:
    """A multipart upload as ckanapi sends it."""
    data: dict[str, Any] = dict(fields)
    data["upload"] = (io.BytesIO(content), name)
    response = client.post(
        f"/api/action/{action}",
        data=data,
        headers={"Authorization": token},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_json()


NEW = {
    "name": "velozaehlung",
    "title": "Velozählung",
    "owner_org": "einwohnerdienste",
    "notes": "Zählstellen für den Veloverkehr.",
    "tags": [{"name": "Velo"}, {"name": "Verkehr"}],
    "extras": [{"key": "spatial", "value": "Luzern"}],
    "groups": [{"name": "tran"}],
    "license_id": "terms_by",
    "maintainer_email": "velo@stadtluzern.ch",
    "resources": [{"url": "https://example.org/zaehlung.csv", "name": "Zählung"}],
}


# -- rights ---------------------------------------------------------------------------------


def test_anonymous_write_is_refused_before_validation(client: FlaskClient) -> None:
    status, body = call(client, "package_create", {})
    assert status == 403
    assert body["error"]["__type"] == "Authorization Error"


def test_authorised_empty_create_names_every_missing_field(
    client: FlaskClient, callers: Callers
) -> None:
    status, body = call(client, "package_create", {}, callers.editor)
    assert status == 409
    assert body["error"]["name"] == ["Missing value"]
    assert body["error"]["owner_org"] == ["An organization must be provided"]


def test_unknown_token_is_anonymous(client: FlaskClient, callers: Callers) -> None:
    status, _ = call(client, "package_show", {"id": "abfall-quartier"}, "not-a-token")
    assert status == 200
    status, body = call(client, "package_create", dict(NEW), "not-a-token")
    assert status == 403


def test_bearer_prefix_and_legacy_header_are_accepted(
    client: FlaskClient, callers: Callers
) -> None:
    response = client.post(
        "/api/action/package_create",
        json=dict(NEW),
        headers={"Authorization": f"Bearer {callers.editor}"},
    )
    assert response.status_code == 200
    response = client.post(
        "/api/action/package_patch",
        json={"id": "velozaehlung", "version": "2"},
        headers={"X-CKAN-API-Key": callers.editor},
    )
    assert response.status_code == 200
    assert response.get_json()["result"]["version"] == "2"


def test_editor_of_another_organisation_cannot_create_there(
    client: FlaskClient, callers: Callers
) -> None:
    status, body = call(client, "package_create", dict(NEW), callers.other)
    assert status == 403
    status, _ = call(client, "package_create", dict(NEW), callers.member)
    assert status == 403


def test_get_on_a_write_action_is_a_bad_request(client: FlaskClient) -> None:
    response = client.get("/api/3/action/package_create?name=x")
    assert response.status_code == 400
    assert "POST" in response.get_json()


# -- create, update, patch, delete ----------------------------------------------------------


def test_create_returns_the_dataset_and_search_finds_it_at_once(
    client: FlaskClient, callers: Callers
) -> None:
    status, body = call(client, "package_create", dict(NEW), callers.editor)
    assert status == 200, body
    dataset = body["result"]
    assert dataset["name"] == "velozaehlung"
    assert dataset["owner_org"] == dataset["organization"]["id"] != "einwohnerdienste"
    assert [t["name"] for t in dataset["tags"]] == ["Velo", "Verkehr"]
    assert dataset["extras"] == [{"key": "spatial", "value": "Luzern"}]
    assert [g["name"] for g in dataset["groups"]] == ["tran"]
    assert dataset["resources"][0]["format"] == "CSV"
    assert dataset["num_resources"] == 1
    _, found = call(client, "package_search", {"q": "Velozählung"})
    assert [d["name"] for d in found["result"]["results"]] == ["velozaehlung"]
    _, listed = call(client, "package_list", {})
    assert "velozaehlung" in listed["result"]


def test_title_defaults_to_the_name(client: FlaskClient, callers: Callers) -> None:
    _, body = call(
        client, "package_create", {"name": "ohne-titel", "owner_org": "personal"}, callers.admin
    )
    assert body["result"]["title"] == "ohne-titel"


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"name": "Gross Buchstaben"}, "name", "lowercase alphanumeric"),
        ({"name": "x"}, "name", "at least 2 characters"),
        ({"name": "new"}, "name", "That name cannot be used"),
        ({"name": "abfall-quartier"}, "name", "That URL is already in use."),
        ({"owner_org": "gibt-es-nicht"}, "owner_org", "Organization does not exist"),
        ({"author_email": "kein-mail"}, "author_email", "not a valid format"),
        ({"tags": [{"name": "a"}]}, "tags", "length is less than minimum 2"),
        ({"tags": [{"name": "böse<tag>"}]}, "tags", "must be alphanumeric"),
        (
            {"extras": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]},
            "extras_validation",
            'Duplicate key "k"',
        ),
        ({"license_id": "unbekannt"}, "license_id", "licence register"),
        ({"groups": [{"name": "keine-gruppe"}]}, "groups", "does not exist"),
    ],
)
def test_invalid_input_is_keyed_by_field(
    client: FlaskClient, callers: Callers, change: dict[str, Any], key: str, message: str
) -> None:
    status, body = call(client, "package_create", {**NEW, **change}, callers.admin)
    assert status == 409
    assert body["error"]["__type"] == "Validation Error"
    assert any(message in text for text in body["error"][key]), body["error"]
    _, listed = call(client, "package_list", {})
    assert "velozaehlung" not in listed["result"]


def test_update_replaces_and_patch_merges(client: FlaskClient, callers: Callers) -> None:
    call(client, "package_create", dict(NEW), callers.editor)
    status, body = call(
        client,
        "package_update",
        {"name": "velozaehlung", "owner_org": "einwohnerdienste", "title": "Neu"},
        callers.editor,
    )
    assert status == 200
    updated = body["result"]
    assert updated["title"] == "Neu"
    assert updated["notes"] is None and updated["tags"] == [] and updated["extras"] == []
    assert updated["resources"] == []
    _, body = call(client, "package_patch", {"id": "velozaehlung", "notes": "Text"}, callers.editor)
    assert body["result"]["title"] == "Neu" and body["result"]["notes"] == "Text"


def test_update_cannot_change_the_id(client: FlaskClient, callers: Callers) -> None:
    call(client, "package_create", dict(NEW), callers.editor)
    _, shown = call(client, "package_show", {"id": "velozaehlung"})
    dataset = shown["result"]
    status, body = call(
        client, "package_update", {**dataset, "id": "velozaehlung", "name": "x1"}, callers.editor
    )
    assert status == 200  # the id may be given as the name
    status, body = call(
        client,
        "package_update",
        {**dataset, "name": "velozaehlung", "id": "00000000-0000-0000-0000-000000000000"},
        callers.editor,
    )
    assert status == 404  # an unknown id is an unknown dataset


def _comparable(dataset: dict[str, Any]) -> dict[str, Any]:
    ignore = {"metadata_modified"}
    result = {k: v for k, v in dataset.items() if k not in ignore}
    result["resources"] = [
        {k: v for k, v in r.items() if k not in ignore} for r in dataset["resources"]
    ]
    return result


def test_show_update_round_trip_keeps_everything(client: FlaskClient, callers: Callers) -> None:
    call(client, "package_create", dict(NEW), callers.editor)
    status, _ = upload(
        client,
        "resource_create",
        {"package_id": "velozaehlung", "name": "Daten"},
        b"a;b\n1;2\n",
        "daten.csv",
        callers.editor,
    )
    assert status == 200
    _, before = call(client, "package_show", {"id": "velozaehlung"})
    status, after = call(client, "package_update", before["result"], callers.editor)
    assert status == 200, after
    assert _comparable(after["result"]) == _comparable(before["result"])
    url = after["result"]["resources"][1]["url"]
    assert client.get(url.replace("http://portal.test", "")).data == b"a;b\n1;2\n"


def test_delete_hides_the_dataset_and_frees_its_name(client: FlaskClient, callers: Callers) -> None:
    call(client, "package_create", dict(NEW), callers.editor)
    status, body = call(client, "package_delete", {"id": "velozaehlung"}, callers.editor)
    assert (status, body["result"]) == (200, None)
    assert call(client, "package_show", {"id": "velozaehlung"})[0] == 403
    _, shown = call(client, "package_show", {"id": "velozaehlung"}, callers.editor)
    assert shown["result"]["state"] == "deleted"
    _, listed = call(client, "package_list", {})
    assert "velozaehlung" not in listed["result"]
    _, found = call(client, "package_search", {"q": "Velozählung"})
    assert found["result"]["count"] == 0
    status, again = call(client, "package_create", dict(NEW), callers.editor)
    assert status == 200 and again["result"]["id"] != shown["result"]["id"]
    assert call(client, "package_delete", {"id": "gibt-es-nicht"}, callers.admin)[0] == 404


# -- resources and uploads ------------------------------------------------------------------


def test_upload_is_stored_and_served(
    client: FlaskClient, callers: Callers, instance: Instance
) -> None:
    call(client, "package_create", dict(NEW), callers.editor)
    status, body = upload(
        client,
        "resource_create",
        {"package_id": "velozaehlung", "name": "Daten 2024"},
        b"zaehlstelle,anzahl\nSeebruecke,120\n",
        "Velo Daten.csv",
        callers.editor,
    )
    assert status == 200, body
    resource = body["result"]
    assert resource["url_type"] == "upload"
    assert resource["url"].startswith("http://portal.test/dataset/")
    assert resource["url"].endswith("/download/Velo-Daten.csv")
    assert resource["format"] == "CSV" and resource["mimetype"] == "text/csv"
    assert resource["size"] == 34 and resource["last_modified"]
    download = client.get(resource["url"].replace("http://portal.test", ""))
    assert download.status_code == 200
    assert download.data == b"zaehlstelle,anzahl\nSeebruecke,120\n"

    status, body = upload(
        client, "resource_patch", {"id": resource["id"]}, b"neu\n", "neu.csv", callers.editor
    )
    assert status == 200
    assert body["result"]["name"] == "Daten 2024" and body["result"]["size"] == 4
    assert client.get(body["result"]["url"].replace("http://portal.test", "")).data == b"neu\n"
    stored = [k for k in instance.storage.list("uploads") if resource["id"] in k]
    assert len(stored) == 1  # the replaced file is gone

    status, body = call(client, "resource_delete", {"id": resource["id"]}, callers.editor)
    assert (status, body["result"]) == (200, None)
    assert call(client, "resource_show", {"id": resource["id"]})[0] == 404
    assert not [k for k in instance.storage.list("uploads") if resource["id"] in k]


def test_resource_update_replaces_and_patch_merges(client: FlaskClient, callers: Callers) -> None:
    _, created = call(client, "package_create", dict(NEW), callers.editor)
    rid = created["result"]["resources"][0]["id"]
    _, body = call(
        client, "resource_patch", {"id": rid, "description": "Stundenwerte"}, callers.editor
    )
    assert body["result"]["name"] == "Zählung"
    assert body["result"]["description"] == "Stundenwerte"
    _, body = call(
        client,
        "resource_update",
        {"id": rid, "url": "https://example.org/neu.json"},
        callers.editor,
    )
    assert body["result"]["name"] is None and body["result"]["description"] is None
    assert body["result"]["format"] == "JSON"
    assert call(client, "resource_create", {"package_id": "nichts"}, callers.admin)[0] == 404


# -- pipeline datasets ----------------------------------------------------------------------


def test_pipeline_data_resources_refuse_api_changes(client: FlaskClient, callers: Callers) -> None:
    _, shown = call(client, "package_show", {"id": "bevoelkerung-quartier"})
    resource = shown["result"]["resources"][0]
    for action, data in [
        ("resource_patch", {"id": resource["id"], "name": "anders"}),
        ("resource_update", {"id": resource["id"], "url": "https://example.org/x.csv"}),
        ("resource_delete", {"id": resource["id"]}),
    ]:
        status, body = call(client, action, data, callers.editor)
        assert status == 409, action
        assert "pipeline `bevoelkerung-quartier`" in body["error"]["message"]
    status, body = call(
        client,
        "package_patch",
        {"id": "bevoelkerung-quartier", "resources": []},
        callers.editor,
    )
    assert status == 409 and "cannot be removed" in body["error"]["resources"][0]


def test_pipeline_dataset_accepts_metadata_patches_from_its_editors(
    client: FlaskClient, callers: Callers
) -> None:
    status, body = call(
        client,
        "package_patch",
        {"id": "bevoelkerung-quartier", "notes": "Ergänzt durch die Redaktion."},
        callers.editor,
    )
    assert status == 200
    assert body["result"]["notes"] == "Ergänzt durch die Redaktion."
    assert body["result"]["num_resources"] == 1
    status, _ = call(
        client, "package_patch", {"id": "bevoelkerung-quartier", "notes": "x"}, callers.other
    )
    assert status == 403
    _, shown = call(client, "package_show", {"id": "bevoelkerung-quartier"})
    status, _ = call(client, "package_update", shown["result"], callers.editor)
    assert status == 200  # a round trip leaves the data resources as they are


# -- private datasets -----------------------------------------------------------------------


def test_private_dataset_is_visible_to_its_organisation_only(
    client: FlaskClient, callers: Callers
) -> None:
    status, body = call(client, "package_create", {**NEW, "private": True}, callers.editor)
    assert status == 200 and body["result"]["private"] is True
    status, up = upload(
        client,
        "resource_create",
        {"package_id": "velozaehlung"},
        b"geheim\n",
        "intern.csv",
        callers.editor,
    )
    path = up["result"]["url"].replace("http://portal.test", "")
    assert call(client, "package_show", {"id": "velozaehlung"})[0] == 403
    assert call(client, "package_show", {"id": "velozaehlung"}, callers.other)[0] == 403
    assert call(client, "package_show", {"id": "velozaehlung"}, callers.member)[0] == 200
    assert call(client, "resource_show", {"id": up["result"]["id"]})[0] == 403
    assert client.get(path).status_code == 404
    assert client.get(path, headers={"Authorization": callers.member}).data == b"geheim\n"

    def names(token: str | None, **extra: Any) -> list[str]:
        _, body = call(client, "package_search", {"q": "Velo", **extra}, token)
        return [d["name"] for d in body["result"]["results"]]

    assert names(None, include_private=True) == []
    assert names(callers.member) == []  # include_private must be asked for
    assert names(callers.member, include_private=True) == ["velozaehlung"]
    assert names(callers.other, include_private=True) == []
    assert names(callers.admin, include_private=True) == ["velozaehlung"]
    _, listed = call(client, "package_list", {}, callers.admin)
    assert "velozaehlung" not in listed["result"]
    _, current = call(client, "current_package_list_with_resources", {}, callers.admin)
    assert "velozaehlung" in [d["name"] for d in current["result"]]
    _, current = call(client, "current_package_list_with_resources", {})
    assert "velozaehlung" not in [d["name"] for d in current["result"]]


# -- organisations and members --------------------------------------------------------------


def test_organisation_create_and_membership(client: FlaskClient, callers: Callers) -> None:
    assert call(client, "organization_create", {"name": "neu-amt"}, callers.editor)[0] == 403
    status, body = call(
        client, "organization_create", {"name": "feuerwehr", "title": "Feuerwehr"}, callers.admin
    )
    assert status == 200 and body["result"]["title"] == "Feuerwehr"
    status, body = call(client, "organization_create", {"name": "feuerwehr"}, callers.admin)
    assert status == 409
    assert body["error"]["name"] == ["Group name already exists in database"]
    status, _ = call(
        client,
        "organization_member_create",
        {"id": "feuerwehr", "username": "redaktion", "role": "editor"},
        callers.admin,
    )
    assert status == 200
    _, orgs = call(
        client, "organization_list_for_user", {"permission": "create_dataset"}, callers.editor
    )
    assert sorted(o["name"] for o in orgs["result"]) == ["einwohnerdienste", "feuerwehr"]
    assert call(client, "organization_list_for_user", {})[1]["result"] == []
    status, _ = call(client, "package_create", {**NEW, "owner_org": "feuerwehr"}, callers.editor)
    assert status == 200


# -- read actions that follow writes --------------------------------------------------------


def test_activity_stream_and_autocomplete(client: FlaskClient, callers: Callers) -> None:
    call(client, "package_create", dict(NEW), callers.editor)
    call(client, "package_patch", {"id": "velozaehlung", "version": "2"}, callers.editor)
    call(client, "package_create", {**NEW, "name": "velo-intern", "private": True}, callers.editor)
    _, body = call(client, "recently_changed_packages_activity_list", {"limit": 3})
    activities = body["result"]
    assert [a["activity_type"] for a in activities[:2]] == ["changed package", "new package"]
    assert {a["data"]["package"]["name"] for a in activities} >= {"velozaehlung"}
    assert "velo-intern" not in {a["data"]["package"].get("name") for a in activities}
    _, body = call(client, "package_autocomplete", {"q": "velo"})
    assert body["result"][0] == {
        "name": "velozaehlung",
        "title": "Velozählung",
        "match_field": "name",
        "match_displayed": "velozaehlung",
    }
    _, body = call(client, "user_show", {"id": "redaktion"})
    assert "email" not in body["result"]
    assert call(client, "site_read", {})[1]["result"] is True
    _, body = call(client, "tag_show", {"id": "Velo", "include_datasets": True})
    assert [d["name"] for d in body["result"]["packages"]] == ["velozaehlung"]


def test_structured_extras_stay_structured_through_edits(
    client: FlaskClient, callers: Callers, instance: Instance
) -> None:
    from sqlalchemy import select

    from ogd.catalog.models import Dataset

    keywords = {"de": ["Velo"], "fr": ["vélo"]}
    extras = [{"key": "keywords", "value": keywords}]
    call(client, "package_create", {**NEW, "extras": extras}, callers.editor)
    _, shown = call(client, "package_show", {"id": "velozaehlung"})
    [extra] = shown["result"]["extras"]
    assert isinstance(extra["value"], str)  # CKAN renders extras as strings
    changed = extra["value"].replace("vélo", "vélos")
    patch = {"id": "velozaehlung", "extras": [{"key": "keywords", "value": changed}]}
    status, _ = call(client, "package_patch", patch, callers.editor)
    assert status == 200
    with instance.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.name == "velozaehlung"))
        assert dataset is not None
        assert dataset.extras["keywords"] == {"de": ["Velo"], "fr": ["vélos"]}


def test_every_write_is_in_the_audit_log_with_who_what_and_where(
    client: FlaskClient, callers: Callers, instance: Instance
) -> None:
    from ogd.catalog.audit import entries

    assert call(client, "package_create", NEW, callers.editor)[0] == 200
    assert (
        call(client, "package_patch", {"id": "velozaehlung", "notes": "x"}, callers.other)[0] == 403
    )
    assert call(client, "package_delete", {"id": "velozaehlung"}, callers.admin)[0] == 200
    assert call(client, "package_delete", {"id": "velozaehlung"})[0] == 403  # anonymous
    assert client.get("/api/3/action/package_search?q=velo").status_code == 200  # a read
    with instance.sessions() as session:
        logged = [
            (e.user_name, e.action, e.object_id, e.status, e.remote_addr)
            for e in reversed(entries(session))
        ]
        assert [e.action for e in entries(session, user="umwelt")] == ["package_patch"]
    assert logged == [
        ("redaktion", "package_create", "velozaehlung", 200, "127.0.0.1"),
        ("umwelt", "package_patch", "velozaehlung", 403, "127.0.0.1"),
        ("admin", "package_delete", "velozaehlung", 200, "127.0.0.1"),
        (None, "package_delete", "velozaehlung", 403, "127.0.0.1"),
    ]


def test_the_audit_log_takes_the_client_address_from_a_trusted_proxy_only(
    callers: Callers, instance: Instance
) -> None:
    from dataclasses import replace

    from ogd.catalog.audit import entries
    from ogd.web.app import create_app

    forwarded = {"Authorization": callers.editor, "X-Forwarded-For": "203.0.113.9"}
    for proxies, name, expected in [(0, "direkt", "127.0.0.1"), (1, "via-nginx", "203.0.113.9")]:
        app = create_app(replace(instance.settings, trusted_proxies=proxies), instance)
        response = app.test_client().post(
            "/api/action/package_create", json={**NEW, "name": name}, headers=forwarded
        )
        assert response.status_code == 200
        with instance.sessions() as session:
            assert entries(session, object_id=name)[0].remote_addr == expected
