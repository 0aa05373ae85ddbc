"""SQLAlchemy models: organisations, themes, licences, datasets, resources, releases, tags."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_id() -> str:
    """A new random UUID as text (CKAN ids are UUID strings)."""
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    """Naive UTC now, as CKAN stores timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every catalogue table."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


dataset_theme = Table(
    "dataset_theme",
    Base.metadata,
    Column("dataset_id", ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)

dataset_tag = Table(
    "dataset_tag",
    Base.metadata,
    Column("dataset_id", ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Organization(Base):
    """A publishing body (a department of the city); CKAN organisation."""

    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    title_translated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    description_translated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    image_url: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="active")
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Theme(Base):
    """A theme (CKAN group): one of the EU data themes."""

    __tablename__ = "theme"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    title_translated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="active")
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class License(Base):
    """Terms of use (opendata.swiss) with an optional Creative Commons licence."""

    __tablename__ = "license"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    title_translated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    url: Mapped[str] = mapped_column(Text, default="")
    rights: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)


class Tag(Base):
    """A free keyword."""

    __tablename__ = "tag"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Dataset(Base):
    """A dataset (CKAN package); pipeline-owned ones name their pipeline."""

    __tablename__ = "dataset"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    title_translated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes_translated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[str | None] = mapped_column(String(100), nullable=True)
    author: Mapped[str | None] = mapped_column(Text, nullable=True)
    author_email: Mapped[str | None] = mapped_column(Text, nullable=True)
    maintainer: Mapped[str | None] = mapped_column(Text, nullable=True)
    maintainer_email: Mapped[str | None] = mapped_column(Text, nullable=True)
    owner_org: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), nullable=True)
    license_id: Mapped[str | None] = mapped_column(ForeignKey("license.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="active")
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    type: Mapped[str] = mapped_column(String(50), default="dataset")
    pipeline: Mapped[str | None] = mapped_column(String(100), nullable=True)
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metadata_created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    metadata_modified: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    creator_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    current_release_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    organization: Mapped[Organization | None] = relationship(lazy="joined")
    license: Mapped[License | None] = relationship(lazy="joined")
    themes: Mapped[list[Theme]] = relationship(secondary=dataset_theme, lazy="selectin")
    tags: Mapped[list[Tag]] = relationship(secondary=dataset_tag, lazy="selectin")
    resources: Mapped[list[Resource]] = relationship(
        back_populates="dataset",
        order_by="Resource.position",
        lazy="selectin",
        cascade="all, delete-orphan",
    )


class Resource(Base):
    """A file of a dataset: an upload in storage or a link."""

    __tablename__ = "resource"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"))
    key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str | None] = mapped_column(Text, nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    format: Mapped[str] = mapped_column(String(50), default="")
    mimetype: Mapped[str | None] = mapped_column(String(100), nullable=True)
    url: Mapped[str] = mapped_column(Text, default="")
    url_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    storage_key: Mapped[str | None] = mapped_column(Text, nullable=True)
    filename: Mapped[str | None] = mapped_column(Text, nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hash: Mapped[str | None] = mapped_column(String(100), nullable=True)
    rows: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="active")
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_modified: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    metadata_modified: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")


class Release(Base):
    """One publication of a pipeline's dataset: files, counts and reports of that run."""

    __tablename__ = "release"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    source_checksum: Mapped[str] = mapped_column(String(100), default="")
    pipeline_version: Mapped[str] = mapped_column(String(100), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    files: Mapped[list[Any]] = mapped_column(default=list)
    reports: Mapped[dict[str, Any]] = mapped_column(default=dict)
    changelog: Mapped[dict[str, Any]] = mapped_column(default=dict)


class User(Base):
    """A person or machine account; sysadmins may do everything."""

    __tablename__ = "user_account"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    fullname: Mapped[str | None] = mapped_column(Text, nullable=True)
    email: Mapped[str | None] = mapped_column(Text, nullable=True)
    sysadmin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="active")
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    """An API token of a user; only the SHA-256 of the token is stored."""

    __tablename__ = "api_token"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_access: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class Member(Base):
    """A user's role in an organisation: member, editor or admin."""

    __tablename__ = "member"
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    capacity: Mapped[str] = mapped_column(String(20), default="member")


class Activity(Base):
    """A change to a dataset (new, changed, deleted package), for the activity stream."""

    __tablename__ = "activity"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    timestamp: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    object_id: Mapped[str] = mapped_column(String(36), index=True)
    activity_type: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DownloadCount(Base):
    """How often the files of a dataset were downloaded: one counter, no personal data."""

    __tablename__ = "download_count"
    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
    )
    downloads: Mapped[int] = mapped_column(Integer, default=0, index=True)


class QualityScore(Base):
    """The metadata-quality (MQA) report of a dataset, for the metadata it was computed on."""

    __tablename__ = "quality_score"
    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True
    )
    dataset_modified: Mapped[dt.datetime] = mapped_column(DateTime)
    computed: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    total: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[str] = mapped_column(String(20), default="")
    report: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditEntry(Base):
    """A write to the catalogue through the API: who, what, when, from where, and the answer.

    Read by sysadmins (`ogd audit`); never shown publicly. Holds the caller's user name
    and address, never a token or a request body."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    timestamp: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_name: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[int] = mapped_column(Integer)


class PipelineRun(Base):
    """One run of one pipeline (`ogd.pipeline.history.RunRecord`), for every host to read."""

    __tablename__ = "pipeline_run"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    pipeline: Mapped[str] = mapped_column(String(100), index=True)
    started: Mapped[str] = mapped_column(String(40), index=True)  # ISO 8601, UTC
    ended: Mapped[str] = mapped_column(String(40))
    user_name: Mapped[str] = mapped_column(String(100))
    pipeline_version: Mapped[str] = mapped_column(String(100))
    source_checksum: Mapped[str] = mapped_column(String(100))
    rows_in: Mapped[int] = mapped_column(BigInteger)
    rows_out: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(20))
    release_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    steps: Mapped[list[Any]] = mapped_column(default=list)
    reports: Mapped[dict[str, Any]] = mapped_column(default=dict)
