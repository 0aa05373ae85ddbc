"""An S3 API server on loopback for tests: moto's server mode, stopped by the test."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator

import requests

from tests.integration.server import free_port, stop

BUCKET = "ogd-test"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@contextlib.contextmanager
def s3_server() -> Iterator[dict[str, str]]:
    """Run moto's S3 server with one empty bucket; yields the environment a client needs
    (endpoint and credentials), to add to an `ogd` process's environment."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{endpoint}/moto-api/", timeout=2).status_code < 500:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the moto S3 server did not start")
            time.sleep(0.2)
        requests.put(f"{endpoint}/{BUCKET}", timeout=10).raise_for_status()
        yield {**CREDENTIALS, "AWS_ENDPOINT_URL": endpoint}
    finally:
        stop(proc)
