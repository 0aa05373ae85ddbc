"""The search page: facets, removable filters, sort, paging, shareable URLs, bad input."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from ogd.web import portal_search
from ogd.web.portal_search import SearchState, parse_search

TITLES = ("Bevölkerung nach Quartier", "Abfallmengen nach Quartier", "Personal-Kennzahlen")


def _order(html: str) -> list[str]:
    return [t for t in re.findall(r'<h3><a href="/dataset/[^"]+">([^<]+)</a></h3>', html)]


def test_facets_filter_and_each_filter_is_a_removable_chip(client: FlaskClient) -> None:
    page = client.get("/dataset/?tags=Quartier&groups=envi")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _order(html) == ["Abfallmengen nach Quartier"]
    for heading in ("Organisation", "Thema", "Stichwort", "Format", "Lizenz"):
        assert f'">{heading}</h3>' in html
    # chips: removing one filter keeps the other
    assert 'href="/dataset/?groups=envi" aria-label="Filter entfernen: Stichwort Quartier"' in html
    assert 'href="/dataset/?tags=Quartier" aria-label="Filter entfernen: Thema Umwelt"' in html
    assert 'href="/dataset/">Alle Filter entfernen</a>' in html
    # the active facet value is marked and its link removes it
    assert 'href="/dataset/?tags=Quartier" aria-current="true" class="active">Umwelt (1)' in html


def test_facet_links_add_a_value_and_keep_the_query(client: FlaskClient) -> None:
    html = client.get("/dataset/?q=Quartier").get_data(as_text=True)
    assert "2 Datensätze gefunden für «Quartier»" in html
    assert 'href="/dataset/?q=Quartier&amp;organization=umweltschutz">Umweltschutz (1)' in html
    assert 'href="/dataset/?q=Quartier&amp;license_id=terms_by">' in html
    assert 'href="/dataset/?q=Quartier&amp;res_format=CSV">CSV (2)' in html


def test_licence_and_format_facets_filter(client: FlaskClient) -> None:
    html = client.get("/dataset/?license_id=terms_by&res_format=CSV").get_data(as_text=True)
    assert sorted(_order(html)) == sorted(TITLES)
    assert "Lizenz: Freie Nutzung. Quellenangabe ist Pflicht." in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "name",
            ["Abfallmengen nach Quartier", "Bevölkerung nach Quartier", "Personal-Kennzahlen"],
        ),
        (
            "modified",
            ["Personal-Kennzahlen", "Abfallmengen nach Quartier", "Bevölkerung nach Quartier"],
        ),
    ],
)
def test_sort_orders(client: FlaskClient, sort: str, expected: list[str]) -> None:
    html = client.get(f"/dataset/?sort={sort}").get_data(as_text=True)
    assert _order(html) == expected
    label = {"name": "Name", "modified": "Zuletzt geändert"}[sort]
    assert f'aria-current="true">{label}</a>' in html


def test_relevance_is_the_default_with_free_text(client: FlaskClient) -> None:
    html = client.get("/dataset/?q=Quartier").get_data(as_text=True)
    assert 'href="/dataset/?q=Quartier" aria-current="true">Relevanz</a>' in html
    assert 'href="/dataset/?q=Quartier&amp;sort=name">Name</a>' in html


def test_paging_keeps_the_search_and_marks_the_page(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal_search, "PAGE_SIZE", 1)
    html = client.get("/dataset/?sort=name&page=2").get_data(as_text=True)  # name: default
    assert _order(html) == ["Bevölkerung nach Quartier"]
    assert 'href="/dataset/?page=2" aria-label="Seite 2" aria-current="page"' in html
    assert 'href="/dataset/" rel="prev"' in html
    assert 'href="/dataset/?page=3" rel="next"' in html
    html = client.get("/dataset/?q=Quartier&page=2").get_data(as_text=True)
    assert 'href="/dataset/?q=Quartier" aria-label="Seite 1"' in html


def test_search_form_keeps_filters_and_order(client: FlaskClient) -> None:
    html = client.get("/dataset/?organization=personal&sort=modified").get_data(as_text=True)
    assert '<input type="hidden" name="organization" value="personal">' in html
    assert '<input type="hidden" name="sort" value="modified">' in html


def test_state_round_trips_through_the_url(app: Flask) -> None:
    query = "q=Abfall&organization=umweltschutz&tags=Quartier&tags=Abfall&sort=name&page=2"
    with app.test_request_context(f"/dataset/?{query}"):
        from flask import request

        state = parse_search(request.args)
        assert state == SearchState(
            "Abfall",
            (("organization", "umweltschutz"), ("tags", "Quartier"), ("tags", "Abfall")),
            "name",
            2,
        )
        assert state.url() == f"/dataset/?{query}"
        assert state.url_without("tags", "Quartier") == (
            "/dataset/?q=Abfall&organization=umweltschutz&tags=Abfall&sort=name"
        )
        assert state.url_sorted("relevance").endswith("tags=Abfall")  # default: no sort


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=-1", "Ungültige Seitenzahl: «-1»."),
        ("page=x", "Ungültige Seitenzahl: «x»."),
        ("page=0", "Ungültige Seitenzahl: «0»."),
        ("page=1.5", "Ungültige Seitenzahl: «1.5»."),
        ("page=1000000000", "Ungültige Seitenzahl: «1000000000»."),
        ("page=%D9%A3", "Ungültige Seitenzahl: «٣»."),
        ("page=7", "Seite 7 gibt es nicht."),
        ("sort=bogus", "Diese Sortierung gibt es nicht: «bogus»."),
        ("sort=title_string+asc", "Diese Sortierung gibt es nicht: «title_string asc»."),
        ("q=" + "a" * 501, "Der Suchbegriff ist zu lang (höchstens 500 Zeichen)."),
        ("organization=nope", "Den Filterwert «nope» gibt es nicht; er wurde entfernt."),
        ("groups=%22%29+OR+%28", "Den Filterwert «&#34;) OR (» gibt es nicht; er wurde entfernt."),
        (
            "tags=" + "&tags=".join(str(n) for n in range(11)),
            "Zu viele Filter: höchstens 10 je Art.",
        ),
    ],
)
def test_bad_input_gives_a_clear_page(client: FlaskClient, query: str, message: str) -> None:
    page = client.get(f"/dataset/?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'role="alert"' in html and message in html
    assert "<h1>Datensätze</h1>" in html


@pytest.mark.parametrize(
    "q", ["Zeit:2020", '"(AND', "*:*", "%00", "Bev%C3%B6lkerung\x00", "a" * 500, "%", "\\"]
)
def test_odd_free_text_is_searched_as_text(client: FlaskClient, q: str) -> None:
    page = client.get("/dataset/", query_string={"q": q})
    assert page.status_code == 200
    assert 'role="alert"' not in page.get_data(as_text=True)


def test_bad_values_are_left_out_and_the_rest_still_searches(client: FlaskClient) -> None:
    page = client.get("/dataset/?organization=nope&organization=umweltschutz&page=x")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert _order(html) == ["Abfallmengen nach Quartier"]
    assert 'href="/dataset/?organization=umweltschutz">Zur gültigen Suche</a>' in html


def test_parse_search_defaults(app: Flask) -> None:
    with app.test_request_context("/dataset/"):
        state = parse_search(MultiDict())
        assert state == SearchState() and not state.problems
        assert parse_search(MultiDict({"q": " Abfall "})).sort == "relevance"
        assert parse_search(MultiDict({"q": "a\x00b"})).q == "a b"
