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


def prepare_child(database_url: str):
    """In a benchmark's child process: Django on `database_url` (migrated, the real
    geography loaded, media in a temporary folder) and a police organisation with one
    analyst; returns (organisation, user)."""
    import os
    import tempfile
    from pathlib import Path

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("KNOOPPUNT_TESTING", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "knooppunt.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())
    call_command("migrate", verbosity=0)
    from knooppunt.geo.loading import load_geography

    load_geography()
    from django.contrib.auth import get_user_model

    from knooppunt.organisations.models import Membership, Organisation

    org = Organisation.objects.create(name="Politie (benchmark)", kind="politie")
    user = get_user_model().objects.create(username="bench")
    Membership.objects.create(user=user, organisation=org, role="analist")
    return org, user


def run_child(script: str, arguments: list[str], label: str) -> dict | None:
    """Run `script --child *arguments` in a fresh interpreter from the repository root; its
    last line of output, as JSON (None, with the error printed, when it failed)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.run(  # noqa: S603 - our own script, our own arguments
        [sys.executable, script, "--child", *arguments],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], check=False)
    if proc.returncode:
        print(f"{label}: mislukt\n{proc.stderr[-2000:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fresh_beside(base: str, suffix: str) -> str | None:
    """A fresh database beside `base`, named after it plus `suffix` (two people
    benchmarking against their own databases on one server do not drop each other's);
    None, with the reason printed, when PostgreSQL cannot be reached."""
    name = base.rsplit("/", 1)[1].split("?")[0]
    bench = f"knooppunt_{suffix}" if name in ("postgres", "") else f"{name}_{suffix}"
    try:
        return recreate(base.rsplit("/", 1)[0] + f"/{bench}", connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure means: skip PostgreSQL
        print(f"PostgreSQL niet bereikbaar ({exc.__class__.__name__}); overgeslagen.")
        return None
