"""package_search in full, on SQLite (FTS5) and PostgreSQL (german tsvector) alike.

The `instance` fixture runs every test once per backend: same matches, same filters,
same visibility, and results current the moment a write commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, text

from ogd.catalog import actions, authz, search
from ogd.catalog.actions import Context
from ogd.catalog.models import Dataset, Organization, Theme
from ogd.catalog.publishing import index_dataset
from ogd.errors import SearchQueryError
from ogd.instance import Instance
from tests.unit.catalog.conftest import publish_fake

ALL = ["abfall-quartier", "bevoelkerung-quartier", "personal-kennzahlen"]


def names(ctx: Context, **data: Any) -> list[str]:
    result = actions.package_search(ctx, {"sort": "name asc", "rows": 100, **data})
    assert result["count"] == len(result["results"])
    return [r["name"] for r in result["results"]]


def change(instance: Instance, name: str, **values: Any) -> None:
    """Change a dataset the way writers do: in a transaction that calls index_dataset."""
    with instance.sessions() as session, session.begin():
        dataset = session.scalars(select(Dataset).where(Dataset.name == name)).one()
        for key, value in values.items():
            setattr(dataset, key, value)
        index_dataset(session, dataset)


def test_fold_writes_umlauts_out_and_drops_stop_words() -> None:
    assert search.fold("Bevölkerung und Größe der Straße") == ["bevoelkerung", "groesse", "strasse"]
    assert search.normalise("Bevölkerung") == search.normalise("Bevoelkerung")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Bevölkerung", ["bevoelkerung-quartier"]),
        ("bevölkerungs", ["bevoelkerung-quartier"]),
        ("Wohnbevölkerung", ["bevoelkerung-quartier"]),
        ("quart", ["abfall-quartier", "bevoelkerung-quartier"]),
        ("Abfallmenge", ["abfall-quartier"]),
        ("der und die", ALL),
        ("Stadtverwaltung Mitarbeitende", ["personal-kennzahlen"]),
        ("Luzern", ["bevoelkerung-quartier"]),
        ("Kennzahlen Quartier", []),
    ],
)
def test_free_text_matches_the_same_on_both_backends(
    ctx: Context, q: str, expected: list[str]
) -> None:
    assert names(ctx, q=q) == expected


def test_fielded_q_and_score_order(ctx: Context) -> None:
    assert names(ctx, q="tags:Abfall") == ["abfall-quartier"]
    result = actions.package_search(ctx, {"q": "Quartier"})
    assert result["sort"] == "score desc, metadata_modified desc"
    assert {r["name"] for r in result["results"]} == {"abfall-quartier", "bevoelkerung-quartier"}


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("metadata_modified:[NOW-1DAY TO *]", ALL),
        ("metadata_modified:[* TO NOW-1DAY]", []),
        ("metadata_created:[2000-01-01T00:00:00.000Z TO NOW]", ALL),
        ("extras_accrual_periodicity:*", ALL),
        ("accrual_periodicity:annual", ALL),
        ("name:abfall*", ["abfall-quartier"]),
        ("text:kennzahlen", ["personal-kennzahlen"]),
        ("(organization:personal OR tags:Abfall) AND -groups:envi", ["personal-kennzahlen"]),
        ("+capacity:public -state:active", []),
        ('tags:"Bevölkerung"', ["bevoelkerung-quartier"]),
        ("num_resources:[1 TO 5]", ALL),
        ("owner_org:nobody", []),
    ],
)
def test_filters(ctx: Context, fq: str, expected: list[str]) -> None:
    assert names(ctx, fq=fq) == expected


def test_fq_list_is_anded_and_bad_syntax_is_a_query_error(ctx: Context) -> None:
    assert names(ctx, fq_list=["tags:Quartier", "groups:soci"]) == ["bevoelkerung-quartier"]
    assert names(ctx, fq="tags:Quartier", fq_list="organization:umweltschutz") == [
        "abfall-quartier"
    ]
    with pytest.raises(SearchQueryError):
        actions.package_search(ctx, {"fq": "tags:(Quartier"})


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title_string asc", ["abfall-quartier", "bevoelkerung-quartier", "personal-kennzahlen"]),
        ("name desc", ["personal-kennzahlen", "bevoelkerung-quartier", "abfall-quartier"]),
        ("metadata_created asc", ALL[1:2] + ALL[0:1] + ALL[2:]),
        ("metadata_modified desc", ["personal-kennzahlen", "abfall-quartier"] + ALL[1:2]),
    ],
)
def test_sort(ctx: Context, sort: str, expected: list[str]) -> None:
    result = actions.package_search(ctx, {"sort": sort})
    assert [r["name"] for r in result["results"]] == expected and result["sort"] == sort


def test_pages_are_disjoint_and_cover_everything(ctx: Context) -> None:
    for sort in ("score desc, metadata_modified desc", "id asc", "title_string desc"):
        whole = [r["id"] for r in actions.package_search(ctx, {"sort": sort})["results"]]
        pages = [
            r["id"]
            for start in range(0, 4, 2)
            for r in actions.package_search(ctx, {"sort": sort, "rows": 2, "start": start})[
                "results"
            ]
        ]
        assert pages == whole and len(whole) == 3


def test_facets_limits_and_display_names(ctx: Context) -> None:
    fields = '["groups", "license_id", "res_format", "tags"]'
    result = actions.package_search(ctx, {"facet.field": fields, "facet.limit": "-1"})
    assert result["facets"]["res_format"] == {"CSV": 3}
    assert len(result["facets"]["tags"]) == 4
    licence = result["search_facets"]["license_id"]["items"][0]
    assert licence["name"] == "terms_by" and licence["display_name"] != "terms_by"
    groups = {i["name"]: i["display_name"] for i in result["search_facets"]["groups"]["items"]}
    assert set(groups) == {"soci", "envi", "gove"} and groups["soci"] != "soci"
    none = actions.package_search(ctx, {"q": "xyzzy", "facet.field": ["tags"]})
    assert none["facets"] == {"tags": {}}
    off = actions.package_search(ctx, {"facet": "false", "facet.field": ["tags"]})
    assert off["facets"] == {}


def test_results_are_current_the_moment_a_write_commits(instance: Instance, ctx: Context) -> None:
    assert names(ctx, q="Kehricht") == []  # builds the index
    change(instance, "abfall-quartier", title="Kehrichtmengen nach Quartier")
    # the writer's index_dataset also refreshes the full text; a new session sees it
    with instance.sessions() as session:
        fresh = Context(session=session, settings=instance.settings)
        assert names(fresh, q="Kehricht") == ["abfall-quartier"]
        change(instance, "abfall-quartier", state="deleted")
        assert names(fresh) == ALL[1:]
        change(instance, "personal-kennzahlen", private=True)
        assert names(fresh) == ["bevoelkerung-quartier"]
        publish_fake(instance, "neu", "Neue Daten", "personal", ["gove"], ["Neu"], "Frisch.")
        assert names(fresh, q="frisch") == ["neu"]


def test_a_writing_transaction_sees_its_own_changes(instance: Instance, ctx: Context) -> None:
    assert names(ctx) == ALL
    with instance.sessions() as session:
        writer = Context(session=session, settings=instance.settings)
        dataset = session.scalars(select(Dataset).where(Dataset.name == "abfall-quartier")).one()
        dataset.state = "draft"
        index_dataset(session, dataset)
        assert names(writer) == ALL[1:]
        assert names(ctx) == ALL  # not committed: others still see it
        session.rollback()
        assert names(writer) == ALL
    assert names(ctx) == ALL


def test_purged_datasets_and_renamed_organisations(instance: Instance, ctx: Context) -> None:
    assert names(ctx) == ALL
    with instance.sessions() as session, session.begin():
        org = session.scalars(select(Organization).where(Organization.name == "personal")).one()
        org.title = "Personalamt"
    result = actions.package_search(ctx, {"q": "Mitarbeitende", "facet.field": ["organization"]})
    assert result["results"][0]["organization"]["title"] == "Personalamt"
    assert result["search_facets"]["organization"]["items"][0]["display_name"] == "Personalamt"
    with instance.sessions() as session, session.begin():
        theme = session.scalars(select(Theme).where(Theme.name == "envi")).one()
        theme.title = "Umwelt!"
        dataset = session.scalars(select(Dataset).where(Dataset.name == "abfall-quartier")).one()
        session.delete(dataset)
    assert names(ctx) == ALL[1:]
    assert names(ctx, q="Abfall") == []


def _user(instance: Instance, name: str, org: str | None, role: str = "member", **kw: Any) -> None:
    with instance.sessions() as session, session.begin():
        user = authz.create_user(session, name, **kw)
        if org is not None:
            organization = authz.ensure_org(session, org)
            authz.set_member(session, organization, user, role)


def names_as(instance: Instance, user: str | None, **data: Any) -> list[str]:
    with instance.sessions() as session:
        return names(Context(session=session, settings=instance.settings, user=user), **data)


def test_visibility_of_private_drafts_and_deleted(instance: Instance) -> None:
    change(instance, "personal-kennzahlen", private=True)
    change(instance, "abfall-quartier", state="draft")
    change(instance, "bevoelkerung-quartier", state="deleted")
    _user(instance, "admin", None, sysadmin=True)
    _user(instance, "reader", "personal")
    _user(instance, "editor", "umweltschutz", "editor")
    _user(instance, "outsider", "stadtplanung", "editor")
    everything = {"include_private": "true", "include_drafts": "true", "include_deleted": "true"}
    assert names_as(instance, None) == [] and names_as(instance, None, **everything) == []
    assert names_as(instance, "reader", include_private=True) == ["personal-kennzahlen"]
    assert names_as(instance, "reader", include_drafts=True) == []
    assert names_as(instance, "editor", include_drafts=True) == ["abfall-quartier"]
    assert names_as(instance, "outsider", **everything) == []
    assert names_as(instance, "admin") == []  # even sysadmins ask for more
    assert names_as(instance, "admin", **everything) == ALL
    assert names_as(instance, "admin", include_deleted=True) == ["bevoelkerung-quartier"]
    with instance.sessions() as session, session.begin():
        outsider = authz.get_user(session, "outsider")
        dataset = session.scalars(select(Dataset).where(Dataset.name == "abfall-quartier")).one()
        dataset.creator_user_id = outsider.id
        index_dataset(session, dataset)
    assert names_as(instance, "outsider", include_drafts=True) == ["abfall-quartier"]


def test_change_log_and_full_text_tables(instance: Instance) -> None:
    with instance.sessions() as session:
        first = search.last_change(session)
        assert first >= 3
        seen = search.changes_since(session, 0)
        assert [s for s, _ in seen] == sorted(s for s, _ in seen)
        assert session.execute(text(f"SELECT count(*) FROM {search.FTS_TABLE}")).scalar() == 3
    change(instance, "abfall-quartier", metadata_modified=dt.datetime(2030, 1, 1))
    with instance.sessions() as session:
        assert search.changes_since(session, first)[-1][1] is not None
        assert session.execute(text(f"SELECT count(*) FROM {search.FTS_TABLE}")).scalar() == 3


WRITER = """
import sys
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from ogd.catalog.models import Dataset
from ogd.catalog.publishing import index_dataset

from tests.conftest import ON_BOTH_BACKENDS

pytestmark = ON_BOTH_BACKENDS
engine = create_engine(sys.argv[1])
with Session(engine) as session, session.begin():
    dataset = session.scalar(select(Dataset).where(Dataset.name == "abfall-quartier"))
    dataset.title = "Kehrichtmengen nach Quartier"
    index_dataset(session, dataset)
"""


def test_a_write_by_another_process_is_seen_at_once(instance: Instance, ctx: Context) -> None:
    import subprocess
    import sys

    assert names(ctx, q="Kehricht") == []  # this process builds its index
    assert names(ctx, q="Kehricht") == []  # and answers from it (SQLite: files unchanged)
    url = instance.settings.resolved_database_url
    subprocess.run([sys.executable, "-c", WRITER, url], check=True, timeout=120)
    assert names(ctx, q="Kehricht") == ["abfall-quartier"]
