"""The fsspec wrapper for published files: a local folder or an S3-compatible store."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, cast

import fsspec

from ogd.errors import PublishError


class Storage:
    """Published files under one root URL; keys are relative paths with `/`."""

    def __init__(self, url: str) -> None:
        self.url = url
        protocol, _ = fsspec.core.split_protocol(url)
        # object stores: no cached listings, since other workers and hosts change them too
        options = {} if protocol in (None, "file", "local") else {"use_listings_cache": False}
        self.fs, self.root = fsspec.core.url_to_fs(url, **options)
        if self.fs.protocol in ("file", "local") or "file" in self.fs.protocol:
            Path(self.root).mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> str:
        parts = [p for p in key.split("/") if p]
        if not parts or any(p in {".", ".."} for p in parts):
            raise PublishError(f"invalid storage key `{key}`")
        return f"{self.root.rstrip('/')}/{'/'.join(parts)}"

    def put(self, local: Path, key: str) -> None:
        """Copy a local file to `key` (parents created)."""
        target = self._path(key)
        try:
            self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            self.fs.put_file(str(local), target)
        except OSError as exc:
            raise PublishError(
                f"cannot write to storage: {exc.strerror or exc}", where=key
            ) from None

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for reading."""
        return cast(BinaryIO, self.fs.open(self._path(key), "rb"))

    def exists(self, key: str) -> bool:
        """Whether `key` is stored."""
        return bool(self.fs.exists(self._path(key)))

    def size(self, key: str) -> int:
        """Size of a stored file in bytes."""
        return int(self.fs.size(self._path(key)))

    def delete(self, key: str) -> None:
        """Remove a stored file or folder (missing is fine)."""
        path = self._path(key)
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    def local_path(self, key: str) -> Path | None:
        """The file's path when storage is a local folder, else None."""
        if "file" in self.fs.protocol or "local" in self.fs.protocol:
            return Path(self._path(key))
        return None

    def list(self, prefix: str = "") -> list[str]:
        """Keys of every stored file below `prefix`."""
        base = self.root.rstrip("/")
        start = self._path(prefix) if prefix else base
        if not self.fs.exists(start):
            return []
        return sorted(p[len(base) + 1 :] for p in self.fs.find(start))
