"""docs/deploy.md works as written: every `$` command runs, in order, against a fresh
PostgreSQL database and an S3 server on loopback; the systemd units pass
`systemd-analyze verify`, the nginx site passes `nginx -t`, and the settings file names
only settings that exist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from ogd.config import setting_names
from tests.conftest import PG_DSN, ROOT
from tests.integration.s3 import BUCKET, s3_server

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

PAGE = ROOT / "docs" / "deploy.md"
BLOCK = re.compile(r"^```(\w+)(?: file=(\S+))?\n(.*?)^```", re.MULTILINE | re.DOTALL)
VENV = Path(sys.executable).parent.parent


@dataclass(frozen=True)
class Step:
    """A `$` command of a console block and the output the page shows for it."""

    command: str
    shown: list[str]


def _blocks() -> list[tuple[str, str | None, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in BLOCK.finditer(PAGE.read_text())]


def _steps() -> list[Step]:
    steps: list[Step] = []
    for kind, _, body in _blocks():
        if kind != "console":
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:], []))
            elif line.strip() and steps:
                steps[-1].shown.append(line)
    return steps


def _files() -> dict[str, str]:
    return {name: body for _, name, body in _blocks() if name}


def _local(text: str, folder: Path) -> str:
    """A unit file with this machine's paths (the venv, the checkout, a temporary folder)."""
    return (
        text.replace("/srv/ogd/venv", str(VENV))
        .replace("/srv/ogd/src", str(ROOT))
        .replace("/etc/ogd/ogd.env", str(folder / "ogd.env"))
        .replace("/var/lib/ogd", str(folder))
        .replace("/srv/ogd-shared", str(folder))
        .replace("User=ogd", "User=root")
        .replace("Group=ogd", "Group=root")
    )


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh PostgreSQL database (libpq DSN), dropped afterwards."""
    name = f"ogd_deploy_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_DSN} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_DSN} is not reachable: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_DSN.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_every_command_of_the_page_runs_as_written(
    tmp_path: Path, demo_sources: Path, database: str
) -> None:
    steps = _steps()
    assert len(steps) >= 10
    with s3_server() as s3:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OGD_", "AWS_"))} | {
            **s3,
            "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}",
            "OGD_DATABASE_URL": database.replace("postgresql://", "postgresql+psycopg://", 1),
            "OGD_PG_DSN": database,
            "OGD_STORAGE_URL": f"s3://{BUCKET}/portal",
            "OGD_SITE_URL": "https://data.stadtluzern.test",
            "OGD_TRUSTED_PROXIES": "1",
            "OGD_SECRET_KEY": "5e" * 32,
            "OGD_PSEUDONYM_KEY": "7e" * 32,
            "OGD_INSTANCE_DIR": str(tmp_path / "var"),
            "OGD_RUNS_DIR": str(tmp_path / "var" / "runs"),
            "OGD_SOURCES_DIR": str(demo_sources),
        }
        for step in steps:
            program = step.command.split()[0]
            assert program in {"ogd", "pg_dump", "pg_restore"}, f"not exercised: {step.command}"
            result = subprocess.run(
                ["bash", "-c", step.command],
                env=env,
                cwd=tmp_path if program != "ogd" else ROOT,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            assert result.returncode == 0, (step.command, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr
            if step.shown:
                assert result.stdout.strip().splitlines() == step.shown, step.command
            if step.command.startswith("ogd token create"):
                assert len(result.stdout.strip()) >= 32  # the token alone
            if step.command == "ogd run --due --quiet":
                assert result.stdout == ""  # quiet: errors only, and there were none
    assert (tmp_path / "ogd-catalog.dump").stat().st_size > 0


def test_the_systemd_units_pass_systemd_analyze(tmp_path: Path) -> None:
    files = _files()
    units = [name for name in files if name.endswith((".service", ".timer"))]
    assert sorted(units) == ["ogd-run.service", "ogd-run.timer", "ogd-web.service"]
    (tmp_path / "ogd.env").write_text(_local(files["ogd.env"], tmp_path))
    for name in units:
        (tmp_path / name).write_text(_local(files[name], tmp_path))
    result = subprocess.run(
        ["systemd-analyze", "verify", *[str(tmp_path / n) for n in units]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    site = tmp_path / "ogd.conf"
    site.write_text(_files()["ogd.conf"])
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n  include {site};\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_settings_file_names_only_real_settings() -> None:
    names = set(setting_names())
    for line in _files()["ogd.env"].splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key = line.split("=", 1)[0]
        assert key.startswith(("OGD_", "AWS_")), key
        if key.startswith("OGD_"):
            assert key.removeprefix("OGD_").lower() in names, key
