"""`ogd backup` and `ogd restore` for the embedded default (SQLite catalogue, local files).

A backup is one `.tar.gz`: `manifest.json` first (format, time, schema revision, every
file with its size and SHA-256), then `catalog.db`, `storage/…` and `runs/…`. It is
consistent while the portal serves and pipelines publish: the catalogue is copied with
SQLite's online backup API (one snapshot), and a release's files are uploaded before the
catalogue points at them, so every file the snapshot names is already in storage; the
backup checks that each one is in the archive. The archive is written beside the target
and renamed when complete.

A restore goes into an empty instance only: it refuses members outside the three
folders (absolute paths, `..`, links), checks every file against the manifest, then moves
the files into place; opening the instance afterwards upgrades an older schema. Secrets
(`<instance_dir>/secrets`: the pseudonymisation and session keys) are never in a backup:
keep them in the secret store they came from. On PostgreSQL and S3, use pg_dump and
bucket versioning instead (docs/deploy.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ogd.config import Settings
from ogd.errors import ConfigError, OgdError

FORMAT = "ogd-backup/1"
MANIFEST = "manifest.json"
FOLDERS = ("storage", "runs")
_CHUNK = 1 << 20


class BackupError(OgdError):
    """A backup could not be written, or an archive cannot be restored."""

    code = "backup-error"


@dataclass(frozen=True)
class Summary:
    """What a backup holds or a restore brought back."""

    archive: Path
    files: int
    bytes: int
    revision: str | None
    datasets: int


def _paths(settings: Settings) -> tuple[Path, Path, Path]:
    """The catalogue file, the storage folder and the runs folder of the embedded default.

    Raises:
        ConfigError: the catalogue is not SQLite or the storage not a local folder.
    """
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///"):
        raise ConfigError(
            "ogd backup and restore are for the embedded default (a SQLite catalogue)",
            where="database_url",
            hint="on PostgreSQL use pg_dump / pg_restore (see docs/deploy.md)",
        )
    storage = settings.resolved_storage_url
    if "://" in storage and not storage.startswith("file://"):
        raise ConfigError(
            "ogd backup and restore are for the embedded default (files in a local folder)",
            where="storage_url",
            hint="on S3 turn on bucket versioning (see docs/deploy.md)",
        )
    return (
        Path(url.removeprefix("sqlite:///")),
        Path(storage.removeprefix("file://")),
        settings.path(settings.runs_dir),
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield f"{prefix}/{path.relative_to(folder).as_posix()}", path


def _snapshot_facts(database: Path) -> tuple[str | None, int, set[str]]:
    """The snapshot's schema revision, dataset count and the storage keys it names."""
    with sqlite3.connect(database) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        datasets = connection.execute("SELECT count(*) FROM dataset").fetchone()[0]
        keys = {
            r[0]
            for r in connection.execute(
                "SELECT storage_key FROM resource"
                " WHERE storage_key IS NOT NULL AND state = 'active'"
            )
        }
    connection.close()
    return revision, int(datasets), keys


def backup(settings: Settings, target: Path) -> Summary:
    """Write one consistent archive of the catalogue, its files and the run records.

    Raises:
        ConfigError: not the embedded default.
        BackupError: no catalogue yet, or a file the catalogue names is missing.
    """
    database, storage, runs = _paths(settings)
    if not database.is_file():
        raise BackupError(
            f"there is no catalogue at {database}",
            where=str(database),
            hint="run `ogd run` (or `ogd db upgrade`) first, or check instance_dir",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ogd-backup-", dir=target.parent) as tmp:
        snapshot = Path(tmp) / "catalog.db"
        source = sqlite3.connect(database)
        try:
            copy = sqlite3.connect(snapshot)
            with copy:
                source.backup(copy)  # one consistent snapshot, writers may go on
            copy.close()
        finally:
            source.close()
        revision, datasets, keys = _snapshot_facts(snapshot)
        members = [("catalog.db", snapshot), *_files(storage, "storage"), *_files(runs, "runs")]
        stored = {name.removeprefix("storage/") for name, _ in members}
        missing = sorted(keys - stored)
        if missing:
            raise BackupError(
                f"{len(missing)} file(s) the catalogue names are not in storage, e.g. {missing[0]}",
                where=str(storage),
                hint="restore them from the previous backup, or re-run their pipelines",
            )
        files: dict[str, dict[str, Any]] = {
            name: {"bytes": path.stat().st_size, "sha256": _sha256(path)} for name, path in members
        }
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "revision": revision,
            "datasets": datasets,
            "files": files,
        }
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in members:
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, target)
    total = sum(int(f["bytes"]) for f in files.values())
    return Summary(target, len(files), total, revision, datasets)


def _read_manifest(archive: tarfile.TarFile, where: str) -> dict[str, Any]:
    first = archive.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError(
            f"not an ogd backup: {MANIFEST} is not its first member",
            where=where,
            hint="give a file written by `ogd backup`",
        )
    handle = archive.extractfile(first)
    assert handle is not None
    try:
        manifest: dict[str, Any] = json.loads(handle.read())
    except ValueError:
        raise BackupError(f"{MANIFEST} is not valid JSON", where=where) from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(
            f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})",
            where=where,
        )
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name == "catalog.db" or (len(path.parts) > 1 and path.parts[0] in FOLDERS))
    )


def _in_use(*places: Path) -> list[Path]:
    """The places that already hold something."""
    used = []
    for place in places:
        if place.is_file() or (place.is_dir() and any(place.iterdir())):
            used.append(place)
    return used


def restore(settings: Settings, source: Path) -> Summary:
    """Bring an archive of `ogd backup` back into an empty instance.

    Raises:
        ConfigError: not the embedded default.
        BackupError: the target is not empty, or the archive is not a sound backup.
    """
    database, storage, runs = _paths(settings)
    used = _in_use(database, storage, runs)
    if used:
        raise BackupError(
            f"{used[0]} is not empty: a restore goes into an empty instance only",
            where=str(used[0]),
            hint="point instance_dir (OGD_INSTANCE_DIR) at a new folder, or move the old one",
        )
    where = str(source)
    if not source.is_file():
        raise BackupError(f"no file {source}", where=where)
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        archive = tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"not a readable .tar.gz: {exc}", where=where) from None
    with archive, tempfile.TemporaryDirectory(prefix="ogd-restore-", dir=database.parent) as tmp:
        manifest = _read_manifest(archive, where)
        expected: dict[str, dict[str, Any]] = manifest["files"]
        seen: set[str] = set()
        try:
            for member in archive:
                if member.name == MANIFEST and not seen and member.offset == 0:
                    continue  # read above
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(
                        f"refusing the member {member.name!r} (only regular files in "
                        "catalog.db, storage/ and runs/ are restored)",
                        where=where,
                    )
                if member.name not in expected:
                    raise BackupError(f"{member.name} is not in the manifest", where=where)
                archive.extract(member, tmp, filter="data")
                seen.add(member.name)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"the archive is damaged: {exc}", where=where) from None
        lost = sorted(set(expected) - seen)
        if lost:
            raise BackupError(
                f"{len(lost)} file(s) of the manifest are missing, e.g. {lost[0]}", where=where
            )
        for name, facts in expected.items():
            path = Path(tmp) / name
            if path.stat().st_size != facts["bytes"] or _sha256(path) != facts["sha256"]:
                raise BackupError(
                    f"{name} does not match its checksum in the manifest", where=where
                )
        shutil.move(Path(tmp) / "catalog.db", database)
        for folder, place in (("storage", storage), ("runs", runs)):
            if (Path(tmp) / folder).is_dir():
                place.parent.mkdir(parents=True, exist_ok=True)
                if place.exists():
                    place.rmdir()  # empty, checked above
                shutil.move(Path(tmp) / folder, place)
    total = sum(int(f["bytes"]) for f in expected.values())
    return Summary(
        source, len(expected), total, manifest.get("revision"), int(manifest.get("datasets", 0))
    )
