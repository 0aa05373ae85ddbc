"""`run_workers`: serve a WSGI app with gunicorn, pre-forked, keep-alive, balanced.

gunicorn's pre-forked workers share one listening socket, and a keep-alive connection
stays with the worker that accepted it. A client opening many connections at once (a
harvester, a load balancer's pool, a benchmark) can land them all on one worker while
the other idles: measured here, 16 connections on 2 workers gave 2,300 req/s one run
and 1,100 the next, with one worker's CPU time at zero. Like nginx's
`keepalive_requests`, each connection is closed after `KEEPALIVE_REQUESTS` answers; the
client reconnects and the kernel hands the new connection to whichever worker accepts
first, which is the idle one, so the load spreads within a second.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

KEEPALIVE_REQUESTS = 100


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's threaded worker, closing a connection after `KEEPALIVE_REQUESTS` answers."""

    def handle_request(self, req: Any, conn: Any) -> Any:
        """Count the connection's requests; the last one answers `Connection: close`."""
        served = getattr(conn, "ogd_served", 0) + 1
        conn.ogd_served = served
        if served >= KEEPALIVE_REQUESTS:
            req.must_close = True
        return super().handle_request(req, conn)


def run_workers(app: Any, host: str, port: int, workers: int) -> None:
    """Serve `app` on host:port with `workers` pre-forked processes (two threads each)."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": f"{__name__}.BalancedThreadWorker",
        "threads": 2,
        "keepalive": 30,
        "backlog": 2048,
        "loglevel": "warning",
        "accesslog": None,
    }

    class _Server(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    _Server().run()
