"""Portal pages and downloads, in German, through the test client."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ogd.catalog import actions
from ogd.catalog.actions import Context


def test_home_lists_latest_datasets_and_search_box(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert 'role="search"' in html and "Datensätze durchsuchen" in html
    for title in ("Bevölkerung nach Quartier", "Abfallmengen nach Quartier", "Personal-Kennzahlen"):
        assert title in html
    assert "3 Datensätze" in html
    assert 'href="/" aria-current="page"' in html


def test_search_page_finds_and_filters(client: FlaskClient) -> None:
    html = client.get("/dataset/?q=Bev%C3%B6lkerung").get_data(as_text=True)
    assert "1 Datensatz gefunden" in html and "Bevölkerung nach Quartier" in html
    html = client.get("/dataset/?organization=umweltschutz").get_data(as_text=True)
    assert "Abfallmengen nach Quartier" in html and "Personal-Kennzahlen" not in html


def test_dataset_page_shows_metadata_and_download_links(client: FlaskClient, ctx: Context) -> None:
    pkg = actions.package_show(ctx, {"id": "bevoelkerung-quartier"})
    html = client.get("/dataset/bevoelkerung-quartier").get_data(as_text=True)
    assert "<h1>Bevölkerung nach Quartier</h1>" in html
    assert "Einwohnerdienste" in html
    assert "Freie Nutzung. Quellenangabe ist Pflicht." in html
    assert pkg["resources"][0]["url"] in html


def test_download_streams_the_stored_file(client: FlaskClient, ctx: Context) -> None:
    pkg = actions.package_show(ctx, {"id": "bevoelkerung-quartier"})
    url = pkg["resources"][0]["url"].removeprefix("http://portal.test")
    response = client.get(url)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "quartier,anzahl\nAltstadt,12\nWey,\n"
    assert response.headers["Content-Length"] == str(pkg["resources"][0]["size"])
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get(url.replace(pkg["resources"][0]["id"], "nope")).status_code == 404


def test_download_answers_byte_ranges(client: FlaskClient, ctx: Context) -> None:
    pkg = actions.package_show(ctx, {"id": "bevoelkerung-quartier"})
    resource = pkg["resources"][0]
    url = resource["url"].removeprefix("http://portal.test")
    whole = client.get(url)
    assert whole.headers["Accept-Ranges"] == "bytes"
    body, size, etag = whole.get_data(), len(whole.get_data()), whole.headers["ETag"]
    part = client.get(url, headers={"Range": "bytes=9-14"})
    assert part.status_code == 206 and part.get_data() == body[9:15] == b"anzahl"
    assert part.headers["Content-Range"] == f"bytes 9-14/{size}"
    assert part.headers["Content-Length"] == "6"
    tail = client.get(url, headers={"Range": "bytes=-4"})
    assert tail.status_code == 206 and tail.get_data() == body[-4:]
    assert client.get(url, headers={"Range": "bytes=5-"}).get_data() == body[5:]
    beyond = client.get(url, headers={"Range": f"bytes={size + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    resumed = client.get(url, headers={"Range": "bytes=9-14", "If-Range": etag})
    assert resumed.status_code == 206
    changed = client.get(url, headers={"Range": "bytes=9-14", "If-Range": '"other"'})
    assert changed.status_code == 200 and changed.get_data() == body  # the file changed


def test_unknown_page_is_a_german_404(client: FlaskClient) -> None:
    response = client.get("/dataset/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_home_shows_counts_themes_organisations_and_newest(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "3 Organisationen" in html and "3 Themen" in html
    assert 'href="/group/envi">Umwelt <span class="count">(1)</span>' in html
    assert 'href="/organization/personal">Personal <span class="count">(1)</span>' in html
    assert "Noch keine Downloads gezählt." in html


def test_downloads_are_counted_without_personal_data(client: FlaskClient, ctx: Context) -> None:
    from sqlalchemy import inspect

    from ogd.catalog.models import DownloadCount

    pkg = actions.package_show(ctx, {"id": "abfall-quartier"})
    url = pkg["resources"][0]["url"].removeprefix("http://portal.test")
    for _ in range(2):
        assert client.get(url).status_code == 200
    client.head(url)  # a HEAD is no download
    html = client.get("/").get_data(as_text=True)
    popular = html.split('id="popular-heading"')[1].split("</section>")[0]
    assert "Abfallmengen nach Quartier" in popular and "2 Downloads" in popular
    assert "Bevölkerung nach Quartier" not in popular
    columns = {c.key for c in inspect(DownloadCount).columns}
    assert columns == {"dataset_id", "downloads"}  # no address, time or user


def test_organisation_and_theme_pages(client: FlaskClient) -> None:
    html = client.get("/organization/umweltschutz").get_data(as_text=True)
    assert "<h1>Umweltschutz</h1>" in html and "Abfallmengen nach Quartier" in html
    assert "Personal-Kennzahlen" not in html and "1 Datensatz</h2>" in html
    assert 'href="/dataset/?organization=umweltschutz"' in html
    html = client.get("/group/soci").get_data(as_text=True)
    assert "<h1>Bevölkerung und Gesellschaft</h1>" in html
    assert "Bevölkerung nach Quartier" in html and "Abfallmengen" not in html
    assert 'href="/dataset/?groups=soci"' in html
    html = client.get("/group/agri").get_data(as_text=True)
    assert "Zu diesem Thema gibt es noch keine Datensätze." in html
    listing = client.get("/group/").get_data(as_text=True)
    assert 'href="/group/tran">Verkehr</a>' in listing
    listing = client.get("/organization/").get_data(as_text=True)
    assert 'href="/organization/einwohnerdienste">Einwohnerdienste</a>' in listing


@pytest.mark.parametrize(
    "path",
    [
        "/organization/gibt-es-nicht",
        "/group/gibt-es-nicht",
        "/group/%00",
        "/organization/a%00b",
        "/dataset/%00",
        "/dataset/x/resource/%00/download/x.csv",
        "/nirgends",
    ],
)
def test_unknown_organisation_theme_or_page_is_a_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<h1 id="error-heading">Seite nicht gefunden</h1>' in html
    assert 'role="search"' in html and "Fehlercode 404" in html


def test_principles_page(client: FlaskClient) -> None:
    html = client.get("/grundsaetze").get_data(as_text=True)
    assert "<h1>Grundsätze für offene Daten</h1>" in html
    assert "Schutz der Personendaten" in html
    assert 'href="/grundsaetze" aria-current="page"' in html


def test_server_error_page_in_the_portal_design(app: Flask) -> None:
    def boom() -> str:
        raise RuntimeError("kaputt")

    app.add_url_rule("/boom", view_func=boom)
    response = app.test_client().get("/boom?lang=fr")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Une erreur s’est produite" in html and "kaputt" not in html
    assert 'class="skip-link"' in html and "Content-Security-Policy" in response.headers
