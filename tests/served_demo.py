"""A small demo region in its own database, served by `knooppunt serve` on a loopback port.

Used by the tests that need a real server: the OpenAPI check (schemathesis) and the browser
tests. `knooppunt demo` builds each demo (years, scale) once per test session, also across
xdist workers (a file lock in the session's temp root); every test module then serves its
own copy of that database and data directory, so what one module writes (a visit, a
confirmed match, schemathesis's requests) no other module sees, and the one-time codes of
one module's logins do not block another's. The database is SQLite in the temp directory
(copied with SQLite's backup API), or a PostgreSQL database beside the test database when
the suite runs on PostgreSQL (copied with CREATE DATABASE ... TEMPLATE).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_base() -> tuple[str, str]:
    """The server URL (without a database) and the test database's name."""
    db = settings.DATABASES["default"]
    base = f"postgresql://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:" \
           f"{db.get('PORT') or 5432}"
    return base, db["NAME"]


def _is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def database_url(tmp: Path, suffix: str, template: str | None = None, *,
                 per_worker: bool = True) -> str:
    """A new, empty database for `suffix` (or a copy of the PostgreSQL database `template`).

    On PostgreSQL the name carries the xdist worker (`per_worker`): the tests of one module
    may run on both workers, each with its own module fixture, and a shared name would let
    one worker drop the database the other is serving. Only `built_once`'s build, shared by
    the workers on purpose, goes without."""
    if _is_sqlite():
        return f"sqlite:///{tmp / f'{suffix}.sqlite3'}"
    import psycopg

    base, test_name = _postgres_base()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "") if per_worker else ""
    name = f"{test_name}_{suffix}{f'_{worker}' if worker else ''}"
    assert len(name) <= 63, f"PostgreSQL cuts names at 63 characters: {name}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"{copy}')
    return f"{base}/{name}"


def knooppunt(*args: str) -> list[str]:
    return [sys.executable, "-m", "knooppunt.cli", *args]


def _environment(database: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KNOOPPUNT_TESTING"}
    env.update({"DATABASE_URL": database, "KNOOPPUNT_DATA_DIR": str(data_dir),
                "KNOOPPUNT_DEMO": "1", **extra})
    return env


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Under xdist every worker has its own base temp directory inside the session's one.
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def built_once(tmp_path_factory: pytest.TempPathFactory, key: str,
               build: Callable[[str, Path], None]) -> Iterator[tuple[str, Path]]:
    """The URL of the database `build(url, directory)` filled, and that directory: built
    once per test session for `key` (also across xdist workers: the first worker builds,
    the other waits). The lock is held in the block, so copies are made one at a time
    (PostgreSQL copies a template only while nobody else uses it)."""
    root = _session_root(tmp_path_factory)
    built = root / key
    with _locked(root / f"{key}.lock"):
        if not (built / "built").exists():
            shutil.rmtree(built, ignore_errors=True)
            built.mkdir()
            # PostgreSQL: one template per session, named after the test database.
            url = database_url(built, key, per_worker=False)
            build(url, built)
            (built / "built").write_text(url)
        yield (built / "built").read_text(), built


def copy_database(url: str, tmp: Path, suffix: str) -> str:
    """A copy of the database at `url` (built by `built_once`) for `suffix`."""
    if _is_sqlite():
        copy = database_url(tmp, suffix)
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as source, \
                contextlib.closing(sqlite3.connect(copy.removeprefix("sqlite:///"))) as target:
            source.backup(target)
        return copy
    return database_url(tmp, suffix, template=url.rsplit("/", 1)[1])


def demo_env(tmp_path_factory: pytest.TempPathFactory, suffix: str, *, years: str = "1",
             scale: str = "0.2", **extra: str) -> dict[str, str]:
    """The environment of a demo built with `knooppunt demo` (by default one year, a fifth
    of the signals): this module's own copy, in its own database and data directory, of the
    demo the session built once for these parameters. `extra` is added to the environment
    of the copy (the server's settings), not of the build."""

    def build(url: str, directory: Path) -> None:
        subprocess.run(knooppunt("demo", "--no-serve", "--years", years,  # noqa: S603
                                 "--scale", scale),
                       check=True, env=_environment(url, directory / "data"),
                       stdout=subprocess.DEVNULL)

    key = f"demo_{years}y_{scale}".replace(".", "_")
    with built_once(tmp_path_factory, key, build) as (url, built):
        tmp = tmp_path_factory.mktemp(suffix)
        copy = copy_database(url, tmp, suffix)
        shutil.copytree(built / "data", tmp / "data")
    return _environment(copy, tmp / "data", **extra)


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
