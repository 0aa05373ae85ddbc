"""The one catalogue transaction that registers a release and switches a dataset to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ogd.catalog import search
from ogd.catalog.models import (
    Dataset,
    License,
    Organization,
    Release,
    Resource,
    Tag,
    Theme,
)
from ogd.errors import PublishError


@dataclass(frozen=True)
class PublishedFile:
    """A file of a release, already in storage."""

    key: str
    name: str
    description: str
    format: str
    mimetype: str
    filename: str
    storage_key: str
    size: int
    sha256: str
    rows: int | None = None
    sha1: str = ""


@dataclass(frozen=True)
class DatasetRecord:
    """Catalogue metadata of a pipeline's dataset."""

    name: str
    title: Mapping[str, str]
    notes: Mapping[str, str]
    organization: str
    license: str
    themes: Sequence[str]
    tags: Sequence[str]
    maintainer: str | None
    maintainer_email: str | None
    url: str | None
    extras: Mapping[str, Any]
    pipeline: str


@dataclass(frozen=True)
class ReleaseRecord:
    """Everything one release registers."""

    id: str
    dataset: DatasetRecord
    files: Sequence[PublishedFile]
    rows: int
    source_checksum: str
    pipeline_version: str
    reports: Mapping[str, Any] = field(default_factory=dict)
    changelog: Mapping[str, Any] = field(default_factory=dict)


def last_release(session: Session, dataset_name: str) -> Release | None:
    """The release the dataset serves now, if any."""
    dataset = session.scalar(select(Dataset).where(Dataset.name == dataset_name))
    if dataset is None or dataset.current_release_id is None:
        return None
    return session.get(Release, dataset.current_release_id)


def _lookup(session: Session, model: Any, column: Any, value: str, what: str) -> Any:
    obj = session.scalar(select(model).where(column == value))
    if obj is None:
        raise PublishError(f"{what} `{value}` is not in the catalogue", hint="run `ogd check`")
    return obj


def _tags(session: Session, names: Sequence[str]) -> list[Tag]:
    tags = []
    for name in dict.fromkeys(names):
        tag = session.scalar(select(Tag).where(Tag.name == name))
        tags.append(tag or Tag(name=name))
    return tags


def _apply_metadata(session: Session, dataset: Dataset, record: DatasetRecord) -> None:
    org = _lookup(session, Organization, Organization.name, record.organization, "organisation")
    _lookup(session, License, License.id, record.license, "licence")
    dataset.title = record.title.get("de", record.name)
    dataset.title_translated = dict(record.title)
    dataset.notes = record.notes.get("de")
    dataset.notes_translated = dict(record.notes)
    dataset.owner_org = org.id
    dataset.license_id = record.license
    dataset.themes = [
        _lookup(session, Theme, Theme.name, t, "theme") for t in dict.fromkeys(record.themes)
    ]
    dataset.tags = _tags(session, record.tags)
    dataset.maintainer = record.maintainer
    dataset.maintainer_email = record.maintainer_email
    dataset.url = record.url
    dataset.extras = dict(record.extras)
    dataset.pipeline = record.pipeline
    dataset.state = "active"


def _apply_files(dataset: Dataset, files: Sequence[PublishedFile], now: dt.datetime) -> None:
    existing = {r.key: r for r in dataset.resources if r.key}
    keep = []
    for position, f in enumerate(files):
        resource = existing.pop(f.key, None) or Resource(key=f.key, created=now)
        resource.position = position
        resource.name, resource.description = f.name, f.description
        resource.format, resource.mimetype = f.format, f.mimetype
        resource.url_type, resource.url = "upload", f.filename
        resource.filename, resource.storage_key = f.filename, f.storage_key
        resource.size, resource.hash, resource.rows = (
            f.size,
            f"sha256:{f.sha256}",
            f.rows,
        )
        resource.last_modified = resource.metadata_modified = now
        if f.sha1:
            resource.extras = {**(resource.extras or {}), "checksum": f"sha1:{f.sha1}"}
        keep.append(resource)
    others = [r for r in dataset.resources if not r.key]
    dataset.resources = keep + others


def switch_release(session: Session, record: ReleaseRecord) -> Dataset:
    """Register the release and make it the one the dataset serves; the caller commits.

    Raises:
        PublishError: the organisation, licence or a theme is unknown.
    """
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    dataset = session.scalar(select(Dataset).where(Dataset.name == record.dataset.name))
    if dataset is None:
        dataset = Dataset(name=record.dataset.name, metadata_created=now)
        session.add(dataset)
    _apply_metadata(session, dataset, record.dataset)
    _apply_files(dataset, record.files, now)
    dataset.metadata_modified = now
    session.flush()
    number = (
        session.scalar(select(func.max(Release.number)).where(Release.dataset_id == dataset.id))
        or 0
    ) + 1
    files = [{**f.__dict__, "resource_id": _resource_id(dataset, f.key)} for f in record.files]
    session.add(
        Release(
            id=record.id,
            dataset_id=dataset.id,
            number=number,
            created=now,
            source_checksum=record.source_checksum,
            pipeline_version=record.pipeline_version,
            rows=record.rows,
            files=files,
            reports=dict(record.reports),
            changelog=dict(record.changelog),
        )
    )
    dataset.current_release_id = record.id
    index_dataset(session, dataset)
    from ogd.catalog.activity import record_activity

    brief = {"id": dataset.id, "name": dataset.name, "title": dataset.title, "private": False}
    kind = "new package" if number == 1 else "changed package"
    record_activity(session, dataset.id, kind, None, {**brief, "release": number})
    return dataset


def _resource_id(dataset: Dataset, key: str) -> str:
    return next(r.id for r in dataset.resources if r.key == key)


def index_dataset(session: Session, dataset: Dataset) -> None:
    """Bring the dataset's search entry up to date (inside the caller's transaction).

    Every writer calls this after changing a dataset (content, state, private flag): it
    replaces the full-text entry and appends the dataset to the search change log, which
    the search index of every worker follows before it answers.
    """
    session.flush()
    keywords = (dataset.extras or {}).get("keywords")
    translated = keywords.values() if isinstance(keywords, dict) else ()
    texts = {
        "name": [dataset.name],
        "title": [dataset.title, *dataset.title_translated.values()],
        "tags": [t.name for t in dataset.tags] + [str(k) for kws in translated for k in kws],
        "notes": [dataset.notes or "", *dataset.notes_translated.values()]
        + [f"{r.name or ''} {r.description or ''}" for r in dataset.resources]
        + [t.title for t in dataset.themes],
    }
    search.index_document(session, dataset.id, texts)
    search.record_change(session, dataset.id)
    session.info[search.PENDING_KEY] = session.get_transaction()
