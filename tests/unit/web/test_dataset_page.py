"""The dataset page over the published `register` table: preview, sort, filters, paging,
chart, downloads, snippets, history, metadata, quality badge, and every bad input."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ogd.catalog.models import Dataset, Release
from ogd.instance import Instance
from ogd.web.app import create_app
from tests.unit.datastore.conftest import Published, published_instance  # noqa: F401

PAGE = "/dataset/register"


@pytest.fixture
def instance(published_instance: tuple[Instance, Published]) -> Instance:  # noqa: F811
    """The instance with the public `register` and the private `geheim` dataset."""
    return published_instance[0]


@pytest.fixture
def ids(published_instance: tuple[Instance, Published]) -> Published:  # noqa: F811
    """Ids of the published resources."""
    return published_instance[1]


@pytest.fixture
def app(instance: Instance) -> Flask:
    """The web app over the instance."""
    return create_app(instance.settings, instance)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """Its test client."""
    yield app.test_client()


def page(client: FlaskClient, query: str = "") -> str:
    response = client.get(f"{PAGE}?{query}" if query else PAGE)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(text: str) -> list[list[str]]:
    """The cells of the preview table's body."""
    body = text.split('<table class="ds-table">', 1)[1].split("</tbody>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    return [
        [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def problems(text: str) -> list[str]:
    if 'class="ds-problems"' not in text:
        return []
    box = text.split('class="ds-problems"', 1)[1].split("</div>", 1)[0]
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", box, re.S)]


def set_extras(instance: Instance, name: str, **extras: Any) -> None:
    with instance.sessions() as session, session.begin():
        dataset = session.query(Dataset).filter_by(name=name).one()
        dataset.extras = {**(dataset.extras or {}), **extras}


# -- preview ------------------------------------------------------------------------------


def test_preview_shows_the_first_page_in_file_order(client: FlaskClient) -> None:
    text = page(client)
    table = rows(text)
    assert len(table) == 20
    assert table[0][:3] == ["Altstadt", "2020", "w"]
    assert table[3][3] == ""  # anzahl is NULL in row 4
    assert "30 Zeilen" in text and "Seite 1 von 2" in text
    assert problems(text) == []


def test_preview_sorts_by_a_clicked_column_with_aria_sort(client: FlaskClient) -> None:
    text = page(client, "sort=anzahl&dir=desc")
    values = [int(r[3]) for r in rows(text) if r[3]]
    assert values == sorted(values, reverse=True)
    header = re.search(r'<th scope="col" aria-sort="descending"[^>]*>\s*<a href="([^"]+)"', text)
    assert header is not None
    assert "sort=anzahl" in header[1] and "dir=desc" not in header[1]  # click: ascending
    assert text.count("aria-sort=") == 1
    ascending = page(client, "sort=quartier")
    assert 'aria-sort="ascending"' in ascending
    assert [r[0] for r in rows(ascending)][:6] == ["Altstadt"] * 6


def test_preview_filters_exactly_and_by_full_text(client: FlaskClient) -> None:
    text = page(client, "f.quartier=Wesemlin&f.jahr=2021")
    table = rows(text)
    assert table and all(r[0] == "Wesemlin" and r[1] == "2021" for r in table)
    assert "2 Zeilen gefunden" in text
    assert 'name="f.quartier" maxlength="200" value="Wesemlin"' in text
    found = page(client, "q=Bern")
    assert {r[9] for r in rows(found)} == {"Wegzug nach Bern"}
    assert 'value="Bern"' in found


def test_preview_pages_keep_the_state(client: FlaskClient) -> None:
    text = page(client, "page=2&sort=jahr")
    assert len(rows(text)) == 10
    assert "Seite 2 von 2" in text
    previous = re.search(r'<a href="([^"]+)" rel="prev">', text)
    assert previous is not None
    args = parse_qs(urlsplit(html.unescape(previous[1])).query)
    assert args == {"sort": ["jahr"]}  # page 1 is the default
    first = page(client, "sort=jahr")
    following = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert following is not None and "page=2" in following[1] and "sort=jahr" in following[1]


def test_download_of_the_filtered_rows(client: FlaskClient, ids: Published) -> None:
    text = page(client, "f.quartier=Altstadt&q=Zürich&sort=jahr&dir=desc")
    link = re.search(r'<a class="download" href="(/datastore/dump/[^"]+)" download>', text)
    assert link is not None
    url = html.unescape(link[1])
    path, query = url.split("?", 1)
    assert path == f"/datastore/dump/{ids.csv}"
    args = parse_qs(query)
    assert json.loads(args["filters"][0]) == {"quartier": "Altstadt"}
    assert args["q"] == ["Zürich"] and args["sort"] == ["jahr desc"] and args["format"] == ["csv"]
    assert args["fields"] == [
        "quartier,jahr,geschlecht,anzahl,anteil,betrag,stichtag,datum,aktiv,text"
    ]
    dump = client.get(url)
    assert dump.status_code == 200
    lines = dump.get_data(as_text=True).splitlines()
    assert len(lines) == 1 + 6
    assert lines[0] == args["fields"][0]
    assert all(line.startswith("Altstadt,") and "Zürich" in line for line in lines[1:])
    years = [line.split(",")[1] for line in lines[1:]]
    assert years == sorted(years, reverse=True)


# -- chart --------------------------------------------------------------------------------


def test_chart_is_an_accessible_inline_svg_with_a_table(client: FlaskClient) -> None:
    text = page(client, "x=quartier&y=anzahl")
    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Balkendiagramm: Summe von anzahl nach quartier" in svg
    assert svg.count("<rect x=") == 5  # one bar per quarter
    table = text.split('class="ds-chart-data"', 1)[1].split("</details>", 1)[0]
    assert re.findall(r"<td>(.*?)</td>", table) == sorted(
        ["Altstadt", "Hirschmatt", "Wesemlin", "Würzenbach", "Zürichstrasse"]
    )
    assert "style=" not in svg and "<script" not in svg


def test_chart_follows_the_filters_and_draws_a_line(client: FlaskClient) -> None:
    text = page(client, "x=jahr&y=anzahl&chart=line&f.quartier=Altstadt")
    assert "Liniendiagramm" in text and "<polyline" in text
    table = text.split('class="ds-chart-data"', 1)[1].split("</details>", 1)[0]
    assert re.findall(r"<td>(.*?)</td>", table) == ["2020", "2021", "2022"]
    sums = re.findall(r'<td class="ds-num">(.*?)</td>', table)
    assert sums == ["5", "25", "75"]


def test_chart_svg_file(client: FlaskClient) -> None:
    response = client.get(f"{PAGE}/chart.svg?x=geschlecht&y=anteil")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert body.count("<rect x=") == 2


@pytest.mark.parametrize(
    "query", ["x=quartier&y=text", "x=nope&y=anzahl", "x=quartier", "x=jahr&y=anzahl&f.jahr=abc"]
)
def test_chart_svg_file_refuses_bad_input(client: FlaskClient, query: str) -> None:
    response = client.get(f"{PAGE}/chart.svg?{query}")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Bad request")


# -- the rest of the page -----------------------------------------------------------------


def test_downloads_per_table(client: FlaskClient, ids: Published) -> None:
    text = page(client)
    for fmt in ("json", "xlsx"):
        assert f'href="/datastore/dump/{ids.csv}?format={fmt}"' in text
    assert f"/resource/{ids.csv}/download/register.csv" in text
    assert f"/resource/{ids.parquet}/download/register.parquet" in text
    assert f"/resource/{ids.json}/download/reports.json" in text
    assert "datapackage.json" not in text
    xlsx = client.get(f"/datastore/dump/{ids.csv}?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_api_snippets_use_the_site_url(client: FlaskClient, ids: Published) -> None:
    text = html.unescape(page(client))
    search = f"http://portal.test/api/3/action/datastore_search?resource_id={ids.csv}"
    assert f"curl '{search}&limit=5'" in text
    assert 'RemoteCKAN("http://portal.test")' in text and f'resource_id="{ids.csv}"' in text
    assert (
        "library(jsonlite)" in text
        and f'read.csv("http://portal.test/datastore/dump/{ids.csv}' in text
    )


def test_metadata_table(client: FlaskClient, instance: Instance) -> None:
    set_extras(
        instance,
        "register",
        accrual_periodicity="quarterly",
        temporal_start="2020-01-01",
        temporal_end="2022-12-31",
        spatial="Stadt Luzern",
    )
    text = page(client)
    meta = text.split('id="meta-heading"', 1)[1].split("</table>", 1)[0]
    for label, value in [
        ("Herausgeber", "Einwohnerdienste"),
        ("Lizenz", "Freie Nutzung. Quellenangabe ist Pflicht."),
        ("Aktualisierung", "vierteljährlich"),
        ("Zeitraum", "2020-01-01 – 2022-12-31"),
        ("Gebiet", "Stadt Luzern"),
        ("Letzte Version", "Version 1 vom"),
    ]:
        assert re.search(rf"<th scope=\"row\">{label}</th><td>.*{value}", meta), label
    english = client.get(f"{PAGE}?lang=en").get_data(as_text=True)
    assert "<h1>register</h1>" in english


def test_version_history_with_changelog(client: FlaskClient, instance: Instance) -> None:
    assert "Erste Veröffentlichung" in page(client)
    with instance.sessions() as session, session.begin():
        release = session.query(Release).filter_by(id="register-r1").one()
        release.changelog = {
            "rows_added": 12,
            "rows_removed": 3,
            "columns_added": ["bemerkung"],
            "columns_removed": [],
            "columns_retyped": [{"column": "jahr", "from": "string", "to": "integer"}],
        }
    history = page(client).split('id="history-heading"', 1)[1]
    assert "12 Zeilen neu" in history and "3 Zeilen entfernt" in history
    assert "Neue Spalten: bemerkung" in history
    assert "Entfernte Spalten" not in history
    assert "Spalten mit neuem Typ: jahr (string → integer)" in history
    assert re.search(r'<td class="ds-num">30</td>', history)


QUALITY = {
    "total": 310,
    "max": 405,
    "rating": "good",
    "dimensions": {"findability": 80, "reusability": 50},
    "indicators": [
        {
            "id": "F1",
            "name": "Keyword usage",
            "points": 30,
            "max": 30,
            "how": {},
        },
        {
            "id": "R1",
            "name": "License information",
            "points": 0,
            "max": 20,
            "how": {"de": "Lizenz angeben", "en": "Give a licence"},
        },
    ],
}


def test_quality_badge_is_hidden_without_a_score(client: FlaskClient) -> None:
    assert "Metadatenqualität" not in page(client)


@pytest.mark.parametrize("as_extra", [True, False])
def test_quality_badge_with_details(
    client: FlaskClient, instance: Instance, monkeypatch: pytest.MonkeyPatch, as_extra: bool
) -> None:
    if as_extra:
        set_extras(instance, "register", quality=QUALITY)
    else:
        from ogd.catalog import actions

        show = actions.package_show
        monkeypatch.setattr(
            actions, "package_show", lambda ctx, data: {**show(ctx, data), "quality": QUALITY}
        )
    text = page(client)
    assert "Metadatenqualität: 310 von 405 Punkten – gut" in text
    assert "ds-rating-good" in text
    assert "Auffindbarkeit" in text and "Wiederverwendbarkeit" in text
    assert "Lizenz angeben" in text and "0 / 20" in text
    assert "Give a licence" in client.get(f"{PAGE}?lang=en").get_data(as_text=True)


def test_page_links_its_css_and_js_and_has_no_inline_code(client: FlaskClient) -> None:
    text = page(client, "x=quartier&y=anzahl")
    assert 'href="/static/dataset.css"' in text and 'src="/static/dataset.js"' in text
    assert " style=" not in text and " onclick=" not in text and "<style" not in text
    scripts = re.findall(r"<script([^>]*)>", text)
    assert all("src=" in s or 'type="application/ld+json"' in s for s in scripts)


# -- bad input ----------------------------------------------------------------------------


def test_unknown_and_private_datasets_are_404(client: FlaskClient) -> None:
    for url in ("/dataset/gibt-es-nicht", "/dataset/geheim", "/dataset/geheim/chart.svg?x=a&y=b"):
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Seite nicht gefunden" in client.get("/dataset/geheim").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message", "first_rows"),
    [
        ("page=abc", "„abc“ ist keine gültige Seitennummer", 20),
        ("page=0", "„0“ ist keine gültige Seitennummer", 20),
        ("page=-3", "„-3“ ist keine gültige Seitennummer", 20),
        ("page=99", "Seite 99 gibt es nicht: Die Vorschau hat 2 Seiten.", 0),
        ("sort=nope", "Nach „nope“ kann nicht sortiert werden", 20),
        ("sort=jahr&dir=sideways", "„sideways“ ist keine Sortierrichtung", 20),
        ("f.nope=1", "Filter nicht verwendet: Die Spalte „nope“ gibt es nicht.", 20),
        ("f.jahr=abc", "„abc“ ist kein gültiger Wert für die Spalte „jahr“", 20),
        ("q=" + "x" * 201, "Der Suchtext ist zu lang (höchstens 200 Zeichen)", 20),
        ("f.text=" + "x" * 201, "Der Filterwert für die Spalte „text“ ist zu lang", 20),
        ("resource=nope", "Die Tabelle „nope“ gehört nicht zu diesem Datensatz", 20),
        ("x=quartier&y=text", "Die Spalte „text“ enthält keine Zahlen", 20),
        ("x=nope&y=anzahl", "Diagramm: Die Spalte „nope“ gibt es nicht.", 20),
        ("x=quartier&y=anzahl&chart=pie", "„pie“ ist keine Diagrammart", 20),
    ],
)
def test_bad_input_is_explained_on_the_page(
    client: FlaskClient, query: str, message: str, first_rows: int
) -> None:
    text = page(client, query)
    assert any(message in p for p in problems(text)), problems(text)
    table = rows(text)
    assert len([r for r in table if len(r) > 1]) == first_rows


def test_bad_input_leaves_the_good_parts(client: FlaskClient) -> None:
    text = page(client, "f.jahr=2021&sort=nope&resource=nope")
    assert len(problems(text)) == 2
    assert all(r[1] == "2021" for r in rows(text))
    main = text.split("<h1>", 1)[1]  # the language links keep the query as it came
    assert "resource=nope" not in main and "sort=nope" not in main
