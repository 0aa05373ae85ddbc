"""The portal's language: `?lang=`, the cookie, `Accept-Language`, and the switch links."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from ogd.web.i18n import compile_catalogs


def test_lang_parameter_is_remembered(client: FlaskClient) -> None:
    page = client.get("/?lang=fr")
    assert '<html lang="fr">' in page.get_data(as_text=True)
    assert "lang=fr" in page.headers["Set-Cookie"]
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_browser_language_is_used_without_a_choice(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "it-CH,it;q=0.9,de;q=0.5"})
    assert '<html lang="it">' in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "es"})
    assert '<html lang="de">' in page.get_data(as_text=True)


def test_unknown_language_falls_back_to_german(client: FlaskClient) -> None:
    page = client.get("/?lang=xx")
    assert '<html lang="de">' in page.get_data(as_text=True)
    assert "Set-Cookie" not in page.headers or "lang=" not in page.headers["Set-Cookie"]


def test_switch_keeps_the_page_and_its_query(client: FlaskClient) -> None:
    page = client.get("/dataset/?q=Abfall").get_data(as_text=True)
    assert 'href="/dataset/?q=Abfall&amp;lang=fr"' in page


def test_dataset_title_in_the_chosen_language(client: FlaskClient) -> None:
    english = client.get("/dataset/abfall-quartier?lang=en").get_data(as_text=True)
    assert "Abfallmengen nach Quartier (en)" in english
    french = client.get("/dataset/abfall-quartier?lang=fr").get_data(as_text=True)
    assert "Abfallmengen nach Quartier" in french  # no French title: German


def test_catalogues_compile_once(tmp_path: Path) -> None:
    po = tmp_path / "src" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Datensätze"\nmsgstr "Jeux de données"\n', encoding="utf-8")
    target = compile_catalogs(tmp_path / "src", tmp_path / "out")
    mo = target / "fr" / "LC_MESSAGES" / "messages.mo"
    assert mo.exists()
    stamp = mo.stat().st_mtime_ns
    compile_catalogs(tmp_path / "src", tmp_path / "out")
    assert mo.stat().st_mtime_ns == stamp


def test_switch_on_an_error_page_keeps_the_path(client: FlaskClient) -> None:
    page = client.get("/nirgends/x?a=1").get_data(as_text=True)
    assert 'href="/nirgends/x?a=1&amp;lang=it"' in page
    assert "Pagina non trovata" in client.get("/nirgends?lang=it").get_data(as_text=True)
