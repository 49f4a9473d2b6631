"""A small demo region in its own database, served by `knooppunt serve` on a loopback port.

Used by the tests that need a real server: the OpenAPI check (schemathesis) and the map's
browser test. The database is SQLite in the temp directory, or a fresh PostgreSQL database
beside the test database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp: Path, suffix: str) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{tmp / f'{suffix}.sqlite3'}"
    import psycopg

    name = f"{db['NAME']}_{suffix}"[:63]
    base = f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:" \
           f"{db.get('PORT') or 5432}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def knooppunt(*args: str) -> list[str]:
    return [sys.executable, "-m", "knooppunt.cli", *args]


def demo_env(tmp: Path, suffix: str, *, years: str = "1", scale: str = "0.2",
             **extra: str) -> dict[str, str]:
    """The environment of a demo built with `knooppunt demo` (by default one year, a fifth
    of the signals) in its own database and data directory."""
    env = {k: v for k, v in os.environ.items() if k != "KNOOPPUNT_TESTING"}
    env.update({"DATABASE_URL": database_url(tmp, suffix), "KNOOPPUNT_DATA_DIR":
                str(tmp / "data"), "KNOOPPUNT_DEMO": "1", **extra})
    subprocess.run(knooppunt("demo", "--no-serve", "--years", years, "--scale", scale),  # noqa: S603
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return env


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """`knooppunt serve` on a free port until the block ends; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(knooppunt("serve", f"127.0.0.1:{port}", "--workers",  # noqa: S603
                                        str(workers)),
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)  # noqa: S310
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("knooppunt serve did not start")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=40)
