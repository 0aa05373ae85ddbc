"""The pure parts of `ogd push`: comparing with the target, matching resources, errors."""

from __future__ import annotations

from typing import Any

import ckanapi
import pytest
import requests

from ogd.errors import NotFound
from ogd.publish import ckan_push
from ogd.publish.ckan_push import PushError, Target, TargetUnreachable

TOKEN = "ogd_secret-token-0815"

SOURCE: dict[str, Any] = {
    "name": "velo",
    "title": "Velo",
    "notes": None,
    "url": None,
    "license_id": "terms_by",
    "maintainer": "Statistik",
    "private": False,
    "organization": {"name": "statistik"},
    "tags": [{"name": "b"}, {"name": "a"}],
    "extras": [{"key": "spatial", "value": "Luzern"}],
    "groups": [{"name": "regi"}, {"name": "gove"}],
    "title_translated": {"de": "Velo"},
}


class FakeCkan:
    """Stands in for ckanapi.RemoteCKAN: answers or raises what it is given."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome

    def call_action(self, action: str, data: Any, **kwargs: Any) -> Any:
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def close(self) -> None:
        pass


def _target(outcome: Any = None, groups: frozenset[str] = frozenset({"regi"})) -> Target:
    target = Target("https://ckan.example.org/", TOKEN, token_label="$PUSH_TOKEN")
    target.ckan = FakeCkan(outcome)
    target._groups = groups
    return target


def test_desired_dataset_keeps_only_groups_the_target_has() -> None:
    data = ckan_push.desired_dataset(SOURCE, _target())
    assert data["owner_org"] == "statistik" and data["state"] == "active"
    assert data["groups"] == [{"name": "regi"}]
    assert data["tags"] == [{"name": "b"}, {"name": "a"}]
    assert "title_translated" not in data  # a plain CKAN does not keep it


def test_translated_fields_go_to_targets_that_keep_them() -> None:
    target = _target()
    target.translations = True
    assert ckan_push.desired_dataset(SOURCE, target)["title_translated"] == {"de": "Velo"}


def test_dataset_changes_ignore_order_empty_text_and_ids() -> None:
    desired = ckan_push.desired_dataset(SOURCE, _target())
    existing = {
        **{k: desired[k] for k in ckan_push.TEXT_FIELDS},
        "notes": "",
        "organization": {"id": "x", "name": "statistik"},
        "private": False,
        "state": "active",
        "tags": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}],
        "groups": [{"id": "3", "name": "regi"}],
        "extras": [{"key": "spatial", "value": "Luzern"}],
    }
    assert ckan_push.dataset_changes(desired, existing) == []
    existing.update(title="Anders", state="deleted", tags=[{"name": "a"}])
    assert ckan_push.dataset_changes(desired, existing) == ["title", "state", "tags"]


def test_files_compare_by_hash_and_size() -> None:
    source = {"hash": "sha256:ABC", "size": 3, "url_type": "upload"}
    assert not ckan_push.file_differs(source, {"hash": "abc", "size": 3, "url_type": "upload"})
    assert ckan_push.file_differs(source, {"hash": "abc", "size": 4, "url_type": "upload"})
    assert ckan_push.file_differs(source, {"hash": "", "size": 3, "url_type": "upload"})
    assert ckan_push.file_differs(source, {"hash": "abc", "size": 3, "url_type": None})


def test_resources_match_by_name_in_order() -> None:
    source = [{"name": "a"}, {"name": "b"}, {"name": "a"}, {"name": "c"}]
    existing = [{"id": 1, "name": "a"}, {"id": 2, "name": "x"}, {"id": 3, "name": "a"}]
    pairs, rest = ckan_push.match_resources(source, existing)
    assert [there and there["id"] for _, there in pairs] == [1, None, 3, None]
    assert rest == [{"id": 2, "name": "x"}]


def test_resource_changes_include_extras_but_not_computed_keys() -> None:
    source = {"name": "a", "description": None, "format": "CSV", "size": 3, "rows": 9, "x": "1"}
    assert ckan_push.resource_changes(source, {"name": "a", "format": "CSV", "x": "1"}) == {}
    assert ckan_push.resource_changes(source, {"name": "a", "format": "JSON"}) == {
        "format": "CSV",
        "x": "1",
    }


def test_validation_error_names_the_dataset_and_the_field() -> None:
    error = ckanapi.ValidationError(
        {"__type": "Validation Error", "license_id": ["License `x` is unknown"]}
    )
    with pytest.raises(PushError) as caught:
        _target(error).call("package_create", {}, where="velo")
    assert caught.value.where == "velo"
    assert "rejected package_create: license_id: License `x` is unknown" in caught.value.message


def test_refusal_points_at_the_token_variable_without_the_token() -> None:
    error = ckanapi.NotAuthorized({"message": f"Access denied: {TOKEN} unknown"})
    with pytest.raises(PushError) as caught:
        _target(error).call("package_update", {}, where="velo")
    assert "403" in caught.value.message and "$PUSH_TOKEN" in caught.value.hint
    assert TOKEN not in str(caught.value)


def test_not_found_and_unreachable_are_told_apart() -> None:
    with pytest.raises(NotFound):
        _target(ckanapi.NotFound("Dataset not found")).call("package_show", {"id": "velo"})
    with pytest.raises(TargetUnreachable) as caught:
        _target(requests.ConnectionError(f"refused {TOKEN}")).call("status_show", {})
    assert "cannot reach https://ckan.example.org" in caught.value.message
    assert TOKEN not in str(caught.value)
    with pytest.raises(TargetUnreachable):
        _target(ckanapi.CKANAPIError("<html>")).call("status_show", {})


def test_missing_organisation_that_may_not_be_created_is_named() -> None:
    class Refusing(FakeCkan):
        def call_action(self, action: str, data: Any, **kwargs: Any) -> Any:
            if action == "organization_show":
                raise ckanapi.NotFound("Organization not found")
            raise ckanapi.NotAuthorized({"message": "Access denied"})

    target = _target()
    target.ckan = Refusing(None)
    with pytest.raises(PushError) as caught:
        target.ensure_org({"name": "digital", "title": "Digital"}, "velo")
    assert "organisation `digital` does not exist on https://ckan.example.org" in str(caught.value)
    assert "create the organisation `digital`" in caught.value.hint
