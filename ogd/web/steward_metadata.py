"""The steward's metadata form: a dataset dict to form values and back to a `package_patch`.

Titles, descriptions and keywords come in four languages (German first and required);
contact, landing page and update frequency once. Keywords live in the `keywords` extra
(language -> words, as the pipelines write it) and the German ones are also the tags.
The quality score (`quality`, a key or an extra with total, rating and indicators) is read
here for the hints beside the form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ogd.catalog.dictize import extras_of
from ogd.pipeline.spec import FREQUENCIES
from ogd.web.i18n import LANGUAGES

SINGLE_FIELDS = ("maintainer", "maintainer_email", "url", "accrual_periodicity")


def form_values(pkg: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields filled from a `package_show` dict."""
    extras = extras_of(pkg)
    titles = pkg.get("title_translated") or {}
    notes = pkg.get("notes_translated") or {}
    found = extras.get("keywords")
    keywords: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    values: dict[str, str] = {}
    for lang in LANGUAGES:
        german = lang == "de"
        values[f"title_{lang}"] = titles.get(lang) or (pkg.get("title") or "" if german else "")
        values[f"notes_{lang}"] = notes.get(lang) or (pkg.get("notes") or "" if german else "")
        values[f"keywords_{lang}"] = ", ".join(keywords.get(lang) or [])
    for key in ("maintainer", "maintainer_email", "url"):
        values[key] = pkg.get(key) or ""
    values["accrual_periodicity"] = str(extras.get("accrual_periodicity") or "")
    return values


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(w.strip() for w in text.split(",") if w.strip()))


def _texts(form: Mapping[str, str], prefix: str) -> dict[str, str]:
    found = {lang: (form.get(f"{prefix}_{lang}") or "").strip() for lang in LANGUAGES}
    return {lang: text for lang, text in found.items() if text}


def check_form(form: Mapping[str, str]) -> dict[str, list[str]]:
    """Problems of the form before anything is sent (field -> messages, in German)."""
    errors: dict[str, list[str]] = {}
    if not (form.get("title_de") or "").strip():
        errors["title_de"] = ["Der deutsche Titel fehlt."]
    frequency = form.get("accrual_periodicity") or ""
    if frequency and frequency not in FREQUENCIES:
        errors["accrual_periodicity"] = ["Unbekannte Aktualisierungshäufigkeit."]
    return errors


def patch_from_form(pkg: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The `package_patch` data for the form's values (the other extras are kept).

    Args:
        pkg: the dataset as `package_show` gave it.
        form: the submitted form.

    Returns:
        The data dict, with `id`.
    """
    titles, notes = _texts(form, "title"), _texts(form, "notes")
    keywords = {lang: _words(form.get(f"keywords_{lang}") or "") for lang in LANGUAGES}
    keywords = {lang: words for lang, words in keywords.items() if words}
    extras = {e["key"]: e["value"] for e in pkg.get("extras") or []}
    current = extras_of(pkg).get("keywords")
    # An unchanged value goes back as the text package_show gave, so it keeps its structure.
    if keywords != current:
        extras["keywords"] = json.dumps(keywords, ensure_ascii=False, sort_keys=True)
    frequency = (form.get("accrual_periodicity") or "").strip()
    if frequency:
        extras["accrual_periodicity"] = frequency
    else:
        extras.pop("accrual_periodicity", None)
    return {
        "id": pkg["id"],
        "title": titles.get("de") or pkg.get("title"),
        "title_translated": titles,
        "notes": notes.get("de", ""),
        "notes_translated": notes,
        "tags": [{"name": word} for word in keywords.get("de", [])],
        "extras": [{"key": k, "value": v} for k, v in sorted(extras.items())],
        **{key: (form.get(key) or "").strip() or None for key in SINGLE_FIELDS[:3]},
    }


def quality_hints(quality: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The indicators that miss points, with what to do, in `lang` (else German, English)."""
    hints = []
    for item in quality.get("indicators") or []:
        if not isinstance(item, Mapping) or item.get("passed", True):
            continue
        how = item.get("how") or {}
        hints.append(
            {
                "id": item.get("id", ""),
                "name": item.get("name", ""),
                "points": item.get("points"),
                "max": item.get("max"),
                "how": how.get(lang) or how.get("de") or how.get("en") or item.get("reason", ""),
            }
        )
    return hints
