"""Atom feeds through the test client: entries, order, paging links, scopes, 404s, privacy.

Each test runs on SQLite and on PostgreSQL (the `instance` fixture with three datasets).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from ogd.catalog import actions, authz
from ogd.catalog.actions import Context
from ogd.catalog.models import Dataset
from ogd.catalog.publishing import index_dataset
from ogd.instance import Instance
from ogd.web import feeds

A = "{http://www.w3.org/2005/Atom}"
SITE = "http://portal.test"
RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ALL = ["bevoelkerung-quartier", "abfall-quartier", "personal-kennzahlen"]


def atom(client: FlaskClient, url: str, token: str | None = None) -> ET.Element:
    """GET a feed, check its media type and parse it."""
    headers = {"Authorization": token} if token else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{A}feed"
    return root


def alternate(entry: ET.Element) -> str:
    """The entry's alternate link (RFC 4287: a link without `rel` is `alternate`)."""
    hrefs = [
        str(e.get("href"))
        for e in entry.findall(f"{A}link")
        if e.get("rel", "alternate") == "alternate"
    ]
    assert len(hrefs) == 1
    return hrefs[0]


def names(feed: ET.Element) -> list[str]:
    """Dataset names of the entries, in feed order (from their links)."""
    return [alternate(e).rsplit("/", 1)[1] for e in feed.findall(f"{A}entry")]


def link(feed: ET.Element, rel: str) -> str | None:
    """The href of the feed's link with relation `rel`."""
    found = feed.find(f"{A}link[@rel='{rel}']")
    return None if found is None else found.get("href")


def hide(instance: Instance, name: str, how: str) -> None:
    """Make a dataset private or deleted, keeping search current."""
    with instance.sessions() as s, s.begin():
        d = s.scalar(select(Dataset).where(Dataset.name == name))
        assert d is not None
        if how == "private":
            d.private = True
        else:
            d.state = "deleted"
        index_dataset(s, d)


def test_site_feed_lists_public_datasets_newest_first(client: FlaskClient, ctx: Context) -> None:
    feed = atom(client, "/feeds/dataset.atom")
    expected = actions.package_search(ctx, {"sort": "metadata_modified desc", "rows": 20})
    assert names(feed) == [p["name"] for p in expected["results"]]
    assert sorted(names(feed)) == sorted(ALL)
    updated = [e.findtext(f"{A}updated") or "" for e in feed.findall(f"{A}entry")]
    assert all(RFC3339_Z.match(u) for u in updated) and updated == sorted(updated, reverse=True)
    assert RFC3339_Z.match(feed.findtext(f"{A}updated") or "")
    assert feed.findtext(f"{A}id") == f"{SITE}/feeds/dataset.atom"
    assert "neueste Datensätze" in (feed.findtext(f"{A}title") or "")
    assert link(feed, "self") == f"{SITE}/feeds/dataset.atom?page=1"
    assert link(feed, "alternate") == f"{SITE}/dataset/"


def test_entry_carries_title_link_id_summary_author_and_categories(
    client: FlaskClient, ctx: Context
) -> None:
    pkg = actions.package_show(ctx, {"id": "abfall-quartier"})
    feed = atom(client, "/feeds/dataset.atom")
    entry = next(
        e
        for e in feed.findall(f"{A}entry")
        if e.findtext(f"{A}title") == "Abfallmengen nach Quartier"
    )
    assert alternate(entry) == f"{SITE}/dataset/abfall-quartier"
    assert entry.findtext(f"{A}id") == f"urn:uuid:{pkg['id']}"
    modified = pkg["metadata_modified"][:19] + "Z"
    assert entry.findtext(f"{A}updated") == modified
    assert entry.findtext(f"{A}summary") == "Gesammelte Abfallmengen je Quartier und Monat."
    assert entry.findtext(f"{A}author/{A}name") == pkg["organization"]["title"]
    assert entry.findtext(f"{A}author/{A}uri") == f"{SITE}/organization/umweltschutz"
    terms = {c.get("term") for c in entry.findall(f"{A}category")}
    assert terms == {"Abfall", "Quartier", "envi"}


def test_paging_links_first_last_next_prev(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert feeds.PAGE_SIZE == 20
    monkeypatch.setattr(feeds, "PAGE_SIZE", 2)
    first = atom(client, "/feeds/dataset.atom")
    assert len(names(first)) == 2
    assert link(first, "first") == f"{SITE}/feeds/dataset.atom?page=1"
    assert link(first, "last") == f"{SITE}/feeds/dataset.atom?page=2"
    assert link(first, "next") == f"{SITE}/feeds/dataset.atom?page=2"
    assert link(first, "prev") is None
    second = atom(client, "/feeds/dataset.atom?page=2")
    assert link(second, "self") == f"{SITE}/feeds/dataset.atom?page=2"
    assert link(second, "prev") == f"{SITE}/feeds/dataset.atom?page=1"
    assert link(second, "next") is None
    assert sorted(names(first) + names(second)) == sorted(ALL)
    beyond = atom(client, "/feeds/dataset.atom?page=9")
    assert names(beyond) == [] and link(beyond, "last") == f"{SITE}/feeds/dataset.atom?page=2"


@pytest.mark.parametrize("page", ["0", "-1", "zwei", ""])
def test_bad_page_is_400(client: FlaskClient, page: str) -> None:
    assert client.get(f"/feeds/dataset.atom?page={page}").status_code == 400


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/feeds/organization/umweltschutz.atom", ["abfall-quartier"]),
        ("/feeds/group/gove.atom", ["personal-kennzahlen"]),
        ("/feeds/tag/Quartier.atom", ["abfall-quartier", "bevoelkerung-quartier"]),
        ("/feeds/custom.atom?q=Abfall", ["abfall-quartier"]),
        ("/feeds/custom.atom?organization=einwohnerdienste", ["bevoelkerung-quartier"]),
        ("/feeds/custom.atom?tags=Quartier&groups=soci", ["bevoelkerung-quartier"]),
    ],
)
def test_scoped_feeds_list_their_datasets(
    client: FlaskClient, url: str, expected: list[str]
) -> None:
    assert sorted(names(atom(client, url))) == expected


def test_scoped_feed_links_and_titles(client: FlaskClient) -> None:
    org = atom(client, "/feeds/organization/umweltschutz.atom")
    assert link(org, "alternate") == f"{SITE}/organization/umweltschutz"
    assert link(org, "first") == f"{SITE}/feeds/organization/umweltschutz.atom?page=1"
    theme = atom(client, "/feeds/group/envi.atom")
    assert "Umwelt" in (theme.findtext(f"{A}title") or "")
    assert link(theme, "alternate") == f"{SITE}/dataset/?groups=envi"
    custom = atom(client, "/feeds/custom.atom?q=Quartier&sort=name+asc")
    assert names(custom) == ["abfall-quartier", "bevoelkerung-quartier"]
    assert link(custom, "first") == f"{SITE}/feeds/custom.atom?q=Quartier&sort=name+asc&page=1"


def test_custom_feed_sorts_newest_first_by_default(client: FlaskClient, ctx: Context) -> None:
    expected = actions.package_search(ctx, {"sort": "metadata_modified desc"})["results"]
    assert names(atom(client, "/feeds/custom.atom")) == [p["name"] for p in expected]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/organization/gibt-es-nicht.atom",
        "/feeds/group/gibt-es-nicht.atom",
        "/feeds/tag/gibt-es-nicht.atom",
    ],
)
def test_unknown_scope_is_404(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_invalid_sort_is_400(client: FlaskClient) -> None:
    assert client.get("/feeds/custom.atom?sort=gibt_es_nicht+desc").status_code == 400


@pytest.mark.parametrize("how", ["private", "deleted"])
def test_hidden_dataset_never_appears(client: FlaskClient, instance: Instance, how: str) -> None:
    hide(instance, "bevoelkerung-quartier", how)
    with instance.sessions() as session, session.begin():
        admin = authz.create_user(session, "admin", sysadmin=True)
        token = authz.create_token(session, admin)
    for url in (
        "/feeds/dataset.atom",
        "/feeds/custom.atom?q=Bev%C3%B6lkerung",
        "/feeds/custom.atom?include_private=true",
        "/feeds/organization/einwohnerdienste.atom",
        "/feeds/group/soci.atom",
        "/feeds/tag/Quartier.atom",
    ):
        for who in (None, token):  # not even a sysadmin's token shows it in a feed
            assert "bevoelkerung-quartier" not in names(atom(client, url, who)), url
    assert sorted(names(atom(client, "/feeds/dataset.atom"))) == sorted(ALL[1:])


def test_pages_advertise_the_site_feed(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/feeds/dataset.atom"', html
    )
    page = client.get("/dataset/abfall-quartier").get_data(as_text=True)
    assert 'href="/feeds/organization/umweltschutz.atom"' in page
