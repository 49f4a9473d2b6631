"""The production web server: gunicorn serving `knooppunt.wsgi`, configured from settings.

`knooppunt serve` and `knooppunt demo` both run it. Background jobs (queued deliveries,
indicator refresh) run in a separate process (`knooppunt run_jobs`), never as threads in
the server's master: gunicorn forks its workers, and a fork while other threads hold locks
can leave a worker hung. Decision 0032.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication


@dataclass(frozen=True)
class ServerOptions:
    """What an operator may choose; everything else is fixed by `gunicorn_config`."""

    bind: str = "127.0.0.1:8000"
    workers: int = 0  # 0: chosen from the number of cores
    threads: int = 8
    timeout: int = 120
    access_log: bool = False


def default_workers() -> int:
    """Two workers a core, at most 8: requests spend much of their time in the database,
    and each worker holds a copy of the geography (~100 MB)."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def gunicorn_config(options: ServerOptions) -> dict[str, object]:
    workers = options.workers or default_workers()
    return {
        "bind": [options.bind],
        "workers": workers,
        # Threads within a worker: pages wait on the database and on SVG rendering.
        "worker_class": "gthread",
        "threads": options.threads,
        "timeout": options.timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Restart a worker now and then so a slow leak in any library cannot grow forever;
        # the jitter keeps all workers from restarting at once.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": "-" if options.access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        # Not preloaded: every worker opens its own database connections after the fork.
        "preload_app": False,
        "proc_name": "knooppunt",
        # gunicorn's runtime control socket sits at one path per system user: two servers
        # (demo and tests, or two instances) would take it from each other. Not used.
        "control_socket_disable": True,
        # The headers a reverse proxy sets are trusted only when the operator says so
        # (TRUST_X_FORWARDED_PROTO in settings); gunicorn itself trusts loopback only.
        "forwarded_allow_ips": "127.0.0.1,::1",
    }


class KnooppuntServer(BaseApplication):
    """gunicorn with our configuration and our WSGI application; no command line of its own."""

    def __init__(self, config: dict[str, object]) -> None:
        self._config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._config.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        from knooppunt.wsgi import application

        return application


def start_jobs_process() -> subprocess.Popen:
    """`knooppunt run_jobs` beside the server, with the same environment."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module, no user input
        [sys.executable, "-m", "knooppunt.cli", "run_jobs"], env=os.environ.copy()
    )


def serve(options: ServerOptions, *, with_jobs: bool = False) -> None:
    """Run the server in the foreground until it is stopped (Ctrl+C, SIGTERM)."""
    from django.db import connections

    # Connections opened before the fork (collectstatic, the demo's build) must not be
    # shared by the workers.
    connections.close_all()
    jobs = start_jobs_process() if with_jobs else None
    try:
        KnooppuntServer(gunicorn_config(options)).run()
    finally:
        if jobs is not None:
            jobs.terminate()
            try:
                jobs.wait(timeout=10)
            except subprocess.TimeoutExpired:
                jobs.kill()
