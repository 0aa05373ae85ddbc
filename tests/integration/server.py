"""Start `ogd serve` in a subprocess on a free loopback port, and stop it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import requests


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ogd_env(
    instance: Path, sources: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Environment of an `ogd` subprocess working on a temporary instance."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGD_")}
    env.update(
        OGD_INSTANCE_DIR=str(instance),
        OGD_SOURCES_DIR=str(sources),
        OGD_RUNS_DIR=str(instance / "runs"),
        OGD_PSEUDONYM_KEY="7e" * 32,
    )
    env.update(extra or {})
    return env


def run_ogd(args: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the `ogd` command and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "ogd", *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@contextlib.contextmanager
def serve(
    env: Mapping[str, str], cwd: Path, log: Path | None = None, args: Sequence[str] = ()
) -> Iterator[str]:
    """Run `ogd serve [args]` until the block ends; yields its base URL.

    The server's output goes to `log` (a temporary file when not given): a pipe nobody
    reads would fill up and block the server in a long session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with contextlib.ExitStack() as stack:
        if log is None:
            out = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        else:
            out = stack.enter_context(log.open("w+", encoding="utf-8"))
        proc = subprocess.Popen(
            [sys.executable, "-m", "ogd", "serve", "--port", str(port), *args],
            env=dict(env),
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    out.seek(0)
                    raise RuntimeError(f"ogd serve exited with {proc.returncode}: {out.read()}")
                try:
                    if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("ogd serve did not answer within 60 s")
                time.sleep(0.2)
            yield url
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[Any], timeout: float = 10) -> None:
    """End a server process started by a test: SIGTERM, then SIGKILL after `timeout`."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must have succeeded."""
    assert result.returncode == 0, result.stdout + result.stderr
    return str(result.stdout)


def user_token(env: Mapping[str, str], name: str, *, sysadmin: bool = False, org: str = "") -> str:
    """Create a user (an editor of `org` if given) in the instance of `env`; its token."""
    from ogd.catalog import authz
    from ogd.config import load_settings
    from ogd.instance import open_instance
    from tests.conftest import ROOT

    instance = open_instance(load_settings(None, env, root=ROOT))
    try:
        with instance.sessions() as session, session.begin():
            user = authz.create_user(session, name, sysadmin=sysadmin)
            if org:
                authz.set_member(session, authz.ensure_org(session, org), user, "editor")
            return authz.create_token(session, user, "test")
    finally:
        instance.engine.dispose()
