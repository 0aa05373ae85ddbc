"""Catalogue actions: CKAN's parameters, defaults, result keys and errors."""

from __future__ import annotations

import pytest

from ogd.catalog import actions
from ogd.catalog.actions import Context
from ogd.errors import NotFound, SearchQueryError, ValidationError
from ogd.instance import Instance
from tests.conftest import ON_BOTH_BACKENDS
from tests.unit.catalog.conftest import publish_fake

pytestmark = ON_BOTH_BACKENDS


def test_status_show_announces_a_ckan_version(ctx: Context) -> None:
    status = actions.status_show(ctx, {})
    assert status["ckan_version"].startswith("2.")
    assert status["site_url"] == "http://portal.test"


def test_package_list_is_sorted_and_pages(ctx: Context) -> None:
    assert actions.package_list(ctx, {}) == [
        "abfall-quartier",
        "bevoelkerung-quartier",
        "personal-kennzahlen",
    ]
    assert actions.package_list(ctx, {"limit": "1", "offset": "1"}) == ["bevoelkerung-quartier"]
    with pytest.raises(ValidationError) as info:
        actions.package_list(ctx, {"limit": "-1"})
    assert info.value.errors == {"limit": ["Must be a natural number"]}


def test_package_show_by_name_or_id_has_ckan_shape(ctx: Context) -> None:
    pkg = actions.package_show(ctx, {"id": "bevoelkerung-quartier"})
    assert actions.package_show(ctx, {"id": pkg["id"]})["name"] == "bevoelkerung-quartier"
    for key in (
        "id",
        "name",
        "title",
        "notes",
        "license_id",
        "license_title",
        "owner_org",
        "organization",
        "groups",
        "tags",
        "resources",
        "num_resources",
        "num_tags",
        "extras",
        "metadata_created",
        "metadata_modified",
        "state",
        "private",
        "type",
    ):
        assert key in pkg
    assert pkg["owner_org"] == pkg["organization"]["id"]
    assert [t["name"] for t in pkg["tags"]] == ["Bevölkerung", "Quartier"]
    assert "Z" not in pkg["metadata_modified"] and "+" not in pkg["metadata_modified"]
    resource = pkg["resources"][0]
    assert resource["url"] == (
        f"http://portal.test/dataset/{pkg['id']}/resource/{resource['id']}"
        "/download/bevoelkerung-quartier.csv"
    )
    assert resource["url_type"] == "upload" and resource["format"] == "CSV"


def test_package_show_errors(ctx: Context) -> None:
    with pytest.raises(ValidationError) as info:
        actions.package_show(ctx, {})
    assert info.value.errors == {"name_or_id": ["Missing value"]}
    with pytest.raises(NotFound):
        actions.package_show(ctx, {"id": "gibt-es-nicht"})


def test_new_release_keeps_resource_ids(instance: Instance, ctx: Context) -> None:
    before = actions.package_show(ctx, {"id": "abfall-quartier"})["resources"][0]["id"]
    publish_fake(instance, "abfall-quartier", "Abfall", "umweltschutz", ["envi"], [], "x", "r2")
    ctx.session.expire_all()
    pkg = actions.package_show(ctx, {"id": "abfall-quartier"})
    assert pkg["resources"][0]["id"] == before
    releases = actions.release_list(ctx, {"id": "abfall-quartier"})
    assert [(r["number"], r["current"]) for r in releases] == [(2, True), (1, False)]


def test_resource_show(ctx: Context) -> None:
    pkg = actions.package_show(ctx, {"id": "personal-kennzahlen"})
    res = actions.resource_show(ctx, {"id": pkg["resources"][0]["id"]})
    assert res["package_id"] == pkg["id"]
    with pytest.raises(ValidationError):
        actions.resource_show(ctx, {})
    with pytest.raises(NotFound):
        actions.resource_show(ctx, {"id": "nope"})


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Bevölkerung", ["bevoelkerung-quartier"]),
        ("bevoelkerung", ["bevoelkerung-quartier"]),
        ("BEVÖLKERUNGS", ["bevoelkerung-quartier"]),
        ("Quartier", ["abfall-quartier", "bevoelkerung-quartier"]),
        ("Quartiere", ["abfall-quartier", "bevoelkerung-quartier"]),
        ("Mitarbeitende", ["personal-kennzahlen"]),
        ("Abfall Quartier", ["abfall-quartier"]),
        ("", ["abfall-quartier", "bevoelkerung-quartier", "personal-kennzahlen"]),
        ("*:*", ["abfall-quartier", "bevoelkerung-quartier", "personal-kennzahlen"]),
        ("xyzzy", []),
    ],
)
def test_package_search_q_is_german_aware(ctx: Context, q: str, expected: list[str]) -> None:
    result = actions.package_search(ctx, {"q": q, "sort": "name asc"})
    assert [r["name"] for r in result["results"]] == expected
    assert result["count"] == len(expected)


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("organization:umweltschutz", ["abfall-quartier"]),
        ('tags:"Quartier"', ["abfall-quartier", "bevoelkerung-quartier"]),
        ("-organization:umweltschutz", ["bevoelkerung-quartier", "personal-kennzahlen"]),
        ("organization:(personal OR umweltschutz)", ["abfall-quartier", "personal-kennzahlen"]),
        ("tags:Quartier AND groups:soci", ["bevoelkerung-quartier"]),
        (
            "metadata_modified:[2000-01-01T00:00:00Z TO *]",
            ["abfall-quartier", "bevoelkerung-quartier", "personal-kennzahlen"],
        ),
        ("metadata_modified:[* TO 2000-01-01T00:00:00Z]", []),
        (
            "res_format:CSV +license_id:terms_by",
            ["abfall-quartier", "bevoelkerung-quartier", "personal-kennzahlen"],
        ),
    ],
)
def test_package_search_fq(ctx: Context, fq: str, expected: list[str]) -> None:
    result = actions.package_search(ctx, {"fq": fq, "sort": "name asc", "rows": 100})
    assert [r["name"] for r in result["results"]] == expected


def test_package_search_paging_rows_cap_and_sort(ctx: Context) -> None:
    pages = [
        actions.package_search(ctx, {"rows": 1, "start": i, "sort": "name desc"}) for i in range(4)
    ]
    assert [p["results"][0]["name"] for p in pages[:3]] == [
        "personal-kennzahlen",
        "bevoelkerung-quartier",
        "abfall-quartier",
    ]
    assert pages[3]["results"] == [] and pages[3]["count"] == 3
    assert len(actions.package_search(ctx, {"rows": "5000"})["results"]) == 3
    with pytest.raises(ValidationError):
        actions.package_search(ctx, {"rows": "-1"})
    with pytest.raises(SearchQueryError):
        actions.package_search(ctx, {"sort": "bogus asc"})
    with pytest.raises(SearchQueryError):
        actions.package_search(ctx, {"unknown_param": "1"})
    assert actions.package_search(ctx, {"ext_bbox": "1"})["count"] == 3


def test_package_search_facets(ctx: Context) -> None:
    result = actions.package_search(
        ctx, {"q": "Quartier", "facet.field": '["organization", "tags"]', "rows": 0}
    )
    assert result["results"] == []
    assert result["facets"]["organization"] == {"einwohnerdienste": 1, "umweltschutz": 1}
    assert result["facets"]["tags"]["Quartier"] == 2
    items = {i["name"]: i for i in result["search_facets"]["organization"]["items"]}
    assert items["umweltschutz"]["display_name"] == "Umweltschutz"
    assert actions.package_search(ctx, {})["facets"] == {}
    with pytest.raises(ValidationError):
        actions.package_search(ctx, {"facet.field": "organization"})


def test_organization_and_group_lists(ctx: Context) -> None:
    names = actions.organization_list(ctx, {})
    assert {"einwohnerdienste", "personal", "stadtplanung", "umweltschutz", "digital"} <= set(names)
    full = actions.organization_list(ctx, {"all_fields": "true", "sort": "package_count desc"})
    assert full[0]["package_count"] == 1 and full[0]["is_organization"] is True
    org = actions.organization_show(ctx, {"id": "personal", "include_datasets": True})
    assert [p["name"] for p in org["packages"]] == ["personal-kennzahlen"]
    groups = actions.group_list(ctx, {"all_fields": True, "limit": 100})
    assert len(groups) == 13 and all(g["type"] == "group" for g in groups)
    with pytest.raises(NotFound):
        actions.organization_show(ctx, {"id": "soci"})
    assert actions.group_show(ctx, {"id": "soci"})["package_count"] == 1


def test_license_list_has_the_opendata_swiss_terms(ctx: Context) -> None:
    ids = {lic["id"] for lic in actions.license_list(ctx, {})}
    assert ids == {"terms_open", "terms_by", "terms_ask", "terms_by_ask"}


def test_help_show(ctx: Context) -> None:
    assert "Search datasets" in actions.help_show(ctx, {"name": "package_search"})
    with pytest.raises(NotFound):
        actions.help_show(ctx, {"name": "nope"})


def test_facet_limit_and_mincount(ctx: Context) -> None:
    result = actions.package_search(
        ctx, {"facet.field": ["tags"], "facet.limit": "1", "facet.mincount": "2"}
    )
    assert result["facets"]["tags"] == {"Quartier": 2}
    with pytest.raises(ValidationError) as info:
        actions.package_search(ctx, {"facet.field": ["tags"], "facet.limit": "viele"})
    assert info.value.errors == {"facet.limit": ["Invalid integer"]}
