"""Portal pages and downloads, in German, through the test client."""

from __future__ import annotations

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


def test_search_page_finds_and_filters(client: FlaskClient) -> None:
    html = client.get("/dataset/?q=Bev%C3%B6lkerung").get_data(as_text=True)
    assert "1 Datensätze gefunden" in html and "Bevölkerung nach Quartier" in html
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


def test_unknown_page_is_a_german_404(client: FlaskClient) -> None:
    response = client.get("/dataset/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
