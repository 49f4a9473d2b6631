"""A fresh PostgreSQL database for a benchmark (shared by the benchmark scripts)."""

from __future__ import annotations


def recreate(url: str, *, connect_timeout: int | None = None) -> str:
    """Drop the database named at the end of `url` (ending its sessions: a benchmark's
    own database, never one in use by people) and create it empty; returns `url`.

    Connects through the server's `postgres` database, so `url` need not exist yet."""
    import psycopg

    base, name = url.rsplit("/", 1)
    name = name.split("?")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True,
                         connect_timeout=connect_timeout) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return url
