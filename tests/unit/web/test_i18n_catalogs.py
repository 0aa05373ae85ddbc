"""The gettext catalogues: every UI string of every template (and of `_()` in ogd/web) is
translated into French, Italian and English, with the same placeholders; pages switch."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from ogd.web.i18n import LANGUAGES, compile_catalogs

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "web" / "translations"
TARGETS = [lang for lang in LANGUAGES if lang != "de"]  # German is the msgid
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _used() -> dict[str, set[str | tuple[str, ...]]]:
    """msgids by file, extracted as `make translations` does (babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, set[str | tuple[str, ...]]] = defaultdict(set)
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found[filename].add(tuple(message) if isinstance(message, (list, tuple)) else message)
    return dict(found)


USED = _used()


def _catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


CATALOGS = {lang: _catalog(lang) for lang in TARGETS}


def _is_translated(catalog: Catalog, message: str | tuple[str, ...]) -> bool:
    key = message[0] if isinstance(message, tuple) else message
    entry = catalog.get(key)
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(strings) and len(strings) == (catalog.num_plurals if entry.pluralizable else 1)


def test_extraction_finds_templates_and_views() -> None:
    assert any(f.startswith("web/templates/") for f in USED)
    assert "ogd/web/portal_search.py" in USED
    assert "Datensätze durchsuchen" in USED["web/templates/_search_form.html"]


@pytest.mark.parametrize("filename", sorted(USED))
def test_every_string_is_translated(filename: str) -> None:
    missing = {
        lang: sorted(str(m) for m in USED[filename] if not _is_translated(CATALOGS[lang], m))
        for lang in TARGETS
    }
    missing = {lang: ids for lang, ids in missing.items() if ids}
    assert not missing, f"{filename}: untranslated msgids (run `make translations`): {missing}"


@pytest.mark.parametrize("lang", TARGETS)
def test_translations_keep_the_placeholders(lang: str) -> None:
    for entry in CATALOGS[lang]:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        wanted = {p for text in ids for p in _PLACEHOLDER.findall(text)}
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            if text:
                assert set(_PLACEHOLDER.findall(text)) <= wanted | {"num"}, (entry.id, text)
                assert wanted - {"num"} <= set(_PLACEHOLDER.findall(text)), (entry.id, text)


def test_catalogues_compile(tmp_path: Path) -> None:
    target = compile_catalogs(TRANSLATIONS, tmp_path)
    for lang in TARGETS:
        assert (target / lang / "LC_MESSAGES" / "messages.mo").stat().st_size > 0


def test_makefile_updates_the_catalogues() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^translations: .*## ", makefile, re.MULTILINE)
    assert "pybabel extract -F babel.cfg" in makefile and "pybabel update" in makefile


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("fr", ["Jeux de données les plus récents", "Aller au contenu", "Principes"]),
        ("it", ["Set di dati più recenti", "Vai al contenuto", "Principi"]),
        ("en", ["Newest datasets", "Skip to content", "Principles"]),
        ("de", ["Neueste Datensätze", "Zum Inhalt springen", "Grundsätze"]),
    ],
)
def test_pages_speak_the_chosen_language(client: FlaskClient, lang: str, texts: list[str]) -> None:
    html = client.get(f"/?lang={lang}").get_data(as_text=True)
    for text in texts:
        assert text in html
    search = client.get("/dataset/?q=Quartier&page=x").get_data(as_text=True)
    principles = client.get("/grundsaetze").get_data(as_text=True)
    missing = client.get("/nirgends").get_data(as_text=True)
    if lang != "de":  # nothing German left in the portal's own sentences
        for page in (search, principles, missing):
            for german in ("Datensätze gefunden", "Grundsätze für offene Daten", "Zur Startseite"):
                assert german not in page
