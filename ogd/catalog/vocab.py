"""Loads `catalog/*.yaml` (organisations, themes, licences), checks them, and syncs the database."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ogd.catalog.models import License, Organization, Theme
from ogd.errors import SpecError
from ogd.yamlio import line_of, load_yaml

FILES = {
    "organizations": "organizations.yaml",
    "themes": "themes.yaml",
    "licenses": "licenses.yaml",
}
KEYS = {
    "organizations": {"id", "title", "description", "email", "url", "image_url"},
    "themes": {"id", "code", "title", "description"},
    "licenses": {"id", "title", "url", "rights", "open"},
}


@dataclass(frozen=True)
class Vocabulary:
    """The catalogue's fixed content, keyed by id."""

    organizations: Mapping[str, Mapping[str, Any]]
    themes: Mapping[str, Mapping[str, Any]]
    licenses: Mapping[str, Mapping[str, Any]]


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return {"de": str(value)} if value else {}


def _load_list(path: Path, display: str, kind: str, errors: list[SpecError]) -> dict[str, Any]:
    try:
        data = load_yaml(path, display)
    except SpecError as exc:
        errors.append(exc)
        return {}
    if not isinstance(data, list):
        errors.append(SpecError("must be a list of records", where=display))
        return {}
    records: dict[str, Any] = {}
    for i, item in enumerate(data):
        where = f"{display} line {line_of(data, i)}, [{i}]"
        if not isinstance(item, Mapping) or not item.get("id"):
            errors.append(SpecError("record needs an `id`", where=where))
            continue
        unknown = set(item) - KEYS[kind]
        if unknown:
            errors.append(
                SpecError(
                    f"unknown key(s) {', '.join(sorted(unknown))}",
                    where=where,
                    hint=f"allowed: {', '.join(sorted(KEYS[kind]))}",
                )
            )
        if item["id"] in records:
            errors.append(SpecError(f"duplicate id `{item['id']}`", where=where))
        records[str(item["id"])] = dict(item)
    return records


def load_vocabulary(folder: Path, root: Path | None = None) -> Vocabulary:
    """Read the three catalogue files.

    Raises:
        SpecError: (a SpecErrors) every problem in every file.
    """
    from ogd.errors import SpecErrors

    errors: list[SpecError] = []
    parts: dict[str, dict[str, Any]] = {}
    for kind, filename in FILES.items():
        path = folder / filename
        display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        parts[kind] = _load_list(path, display, kind, errors)
    if errors:
        raise SpecErrors(errors)
    return Vocabulary(**parts)


_NAMESPACE = uuid.UUID("5b0f3f3e-8a51-4c1e-9d0b-6f3c1a2e7d10")


def stable_id(kind: str, name: str) -> str:
    """The id of an organisation or theme from a catalogue file: the same on every
    instance (a UUID derived from the name), so dumps of one load into another."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def sync_vocabulary(session: Session, vocab: Vocabulary) -> None:
    """Insert or update organisations, themes and licences (ids never change)."""
    for name, rec in vocab.organizations.items():
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is None:
            org = Organization(id=stable_id("organization", name), name=name)
            session.add(org)
        title, desc = _texts(rec.get("title")), _texts(rec.get("description"))
        org.title, org.title_translated = title.get("de", name), title
        org.description, org.description_translated = desc.get("de", ""), desc
        org.email, org.url = rec.get("email"), rec.get("url")
        org.image_url = str(rec.get("image_url", ""))
    for name, rec in vocab.themes.items():
        theme = session.scalar(select(Theme).where(Theme.name == name))
        if theme is None:
            theme = Theme(id=stable_id("group", name), name=name)
            session.add(theme)
        title = _texts(rec.get("title"))
        theme.title, theme.title_translated = title.get("de", name), title
        theme.code = str(rec.get("code", name.upper()))
        theme.description = str(rec.get("description", ""))
    for lid, rec in vocab.licenses.items():
        lic = session.get(License, lid) or License(id=lid)
        session.add(lic)
        title = _texts(rec.get("title"))
        lic.title, lic.title_translated = title.get("de", lid), title
        lic.url, lic.rights = str(rec.get("url", "")), rec.get("rights")
        lic.is_open = bool(rec.get("open", True))
