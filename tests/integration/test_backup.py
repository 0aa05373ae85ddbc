"""`ogd backup` / `ogd restore`: the embedded default in one archive, back into an empty folder."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from ogd.config import load_settings
from ogd.instance import open_instance
from tests.conftest import ROOT
from tests.integration.server import ogd_env, ok, run_ogd

pytestmark = pytest.mark.integration

PIPELINE = "digitalstrategie-massnahmen"


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _catalogue(env: dict[str, str]) -> dict[str, object]:
    from ogd.catalog import actions
    from ogd.catalog.actions import Context

    settings = load_settings(None, env, root=ROOT)
    instance = open_instance(settings, sync=False)
    try:
        with instance.sessions() as session:
            ctx = Context(session, settings, None, instance.storage)
            names = actions.package_list(ctx, {})
            return {n: actions.package_show(ctx, {"id": n}) for n in names}
    finally:
        instance.engine.dispose()


def test_backup_restores_into_an_empty_instance_alike(tmp_path: Path, demo_sources: Path) -> None:
    old = ogd_env(tmp_path / "old", demo_sources)
    ok(run_ogd(["run", PIPELINE], old, ROOT))
    archive = tmp_path / "saved" / "ogd.tar.gz"
    said = ok(run_ogd(["backup", str(archive)], old, ROOT))
    assert said.startswith(f"backup {archive}: 1 datasets")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json" and "catalog.db" in names
    assert any(n.startswith("storage/datasets/") for n in names)
    assert any(n.startswith("runs/") for n in names)
    assert not any("secrets" in n for n in names)  # keys stay in their secret store

    new = ogd_env(tmp_path / "new", demo_sources)
    assert "restored" in ok(run_ogd(["restore", str(archive)], new, ROOT))
    assert _files(tmp_path / "new" / "storage") == _files(tmp_path / "old" / "storage")
    assert _catalogue(new) == _catalogue(old)
    assert ok(run_ogd(["runs", PIPELINE], new, ROOT)) == ok(run_ogd(["runs", PIPELINE], old, ROOT))
    # the restored instance works on: an unchanged source publishes nothing new
    assert "unchanged" in ok(run_ogd(["run", PIPELINE], new, ROOT))

    again = run_ogd(["restore", str(archive)], new, ROOT)
    assert again.returncode == 1 and "is not empty" in again.stderr
    assert "Traceback" not in again.stderr


def _hostile(path: Path, name: str) -> None:
    manifest = {"format": "ogd-backup/1", "files": {name: {"bytes": 4, "sha256": "0"}}}
    with tarfile.open(path, "w:gz") as tar:
        for member, data in (("manifest.json", json.dumps(manifest).encode()), (name, b"evil")):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../escape.txt", "refusing the member"),
        ("/etc/cron.d/evil", "refusing the member"),
        ("secrets/pseudonym.key", "refusing the member"),
        ("storage/ok.csv", "does not match its checksum"),
    ],
)
def test_restore_refuses_a_hostile_or_damaged_archive(
    tmp_path: Path, name: str, message: str
) -> None:
    archive = tmp_path / "bad.tar.gz"
    _hostile(archive, name)
    env = ogd_env(tmp_path / "new", tmp_path / "sources")
    result = run_ogd(["restore", str(archive)], env, ROOT)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "new" / "catalog.db").exists()


def test_backup_needs_the_embedded_default(tmp_path: Path) -> None:
    env = ogd_env(tmp_path / "var", tmp_path / "sources", {"OGD_STORAGE_URL": "s3://bucket/x"})
    result = run_ogd(["backup", str(tmp_path / "b.tar.gz")], env, ROOT)
    assert result.returncode == 1 and "bucket versioning" in result.stderr
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a tar")
    result = run_ogd(["restore", str(garbage)], ogd_env(tmp_path / "v2", tmp_path), ROOT)
    assert result.returncode == 1 and "not a readable .tar.gz" in result.stderr
