"""One in-process demo build per test session, for the test modules that start from it.

`build_demo` costs tens of seconds, and several modules began by building the same demo
(same region, seed, years, scale and day) in their own test database. `shared_demo(spec)`
makes a module-scoped fixture instead: the session builds that demo once (`built_once` in
tests/served_demo.py, also across xdist workers) in a subprocess that migrates a new
database, loads the geography, as `django_db_setup` does, and calls `build_demo` with the
test settings that touch the build (the fast password hasher, no second-factor roles);
each module gets its own copy, and Django's default connection points at that copy from
the module's first test to its last. Every test still runs in a transaction that is
rolled back, so what one test writes the next does not see. The fixture yields a
`SharedDemo`: the build's own `DemoResult` (pickled by the build) and `rebuild()`, which
calls `build_demo` again with the same arguments (the idempotence tests).

Because the whole module runs on the copy, every test of such a module must use the
fixture; the fixture refuses a module where one does not. The tests of one shared demo
form one xdist group (`group_by_shared_demo`, tests/conftest.py), so under `--dist
loadgroup` one worker builds it while the other goes on with other tests.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from .served_demo import built_once, copy_database, knooppunt

ROOT = Path(__file__).resolve().parents[1]
RESULT = "result.pickle"

if TYPE_CHECKING:
    from knooppunt.demo.builder import DemoResult

# Run by `knooppunt shell` in the new database; the result is pickled for every worker.
BUILD = """
import datetime, pickle
from django.core.management import call_command
from django.test.utils import override_settings
from knooppunt.demo.builder import build_demo
from knooppunt.geo.loading import load_geography

call_command("migrate", interactive=False, verbosity=0)
load_geography()
with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                       KNOOPPUNT_REQUIRE_2FA_ROLES=[]):
    result = build_demo({region!r}, years={years!r}, scale={scale!r},
                        today=datetime.date.fromisoformat({today!r}), **{seed!r})
with open({out!r}, "wb") as handle:
    pickle.dump(result, handle)
"""


@dataclass(frozen=True)
class DemoSpec:
    """The arguments of one `build_demo` call."""

    scale: float
    years: float
    today: date
    region: str = "VR05"
    seed: int | None = None  # None: the builder's default seed

    @property
    def key(self) -> str:
        # Short: PostgreSQL names the copies <test database>_<key>_copy, at most 63 bytes.
        seed = "" if self.seed is None else self.seed
        return f"inproc_{self.region}{seed}_{self.years}y_{self.scale}_{self.today:%y%m%d}" \
            .replace(".", "_").lower()

    def build(self) -> DemoResult:
        from knooppunt.demo.builder import build_demo

        arguments = {k: v for k, v in asdict(self).items() if v is not None}
        return build_demo(arguments.pop("region"), **arguments)


@dataclass
class SharedDemo:
    spec: DemoSpec
    result: DemoResult

    def rebuild(self, **changes: object) -> DemoResult:
        """`build_demo` again, in the test's transaction: with the same arguments, or with
        `changes` (another seed, say)."""
        return replace(self.spec, **changes).build()


def _builder(spec: DemoSpec) -> Callable[[str, Path], None]:
    def build(url: str, directory: Path) -> None:
        seed = {} if spec.seed is None else {"seed": spec.seed}
        code = BUILD.format(region=spec.region, seed=seed, years=spec.years,
                            scale=spec.scale, today=spec.today.isoformat(),
                            out=str(directory / RESULT))
        subprocess.run(knooppunt("shell", "-c", code), check=True, cwd=ROOT,  # noqa: S603
                       env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL)

    return build


@contextlib.contextmanager
def default_database(url: str) -> Iterator[None]:
    """Django's default connection on the database at `url` until the block ends."""
    from django.contrib.contenttypes.models import ContentType

    connection = connections[DEFAULT_DB_ALIAS]
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = url.removeprefix("sqlite:///") \
        if url.startswith("sqlite:") else url.rsplit("/", 1)[1]
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
        ContentType.objects.clear_cache()


def _drop(url: str) -> None:
    if url.startswith("sqlite:"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def shared_demo(spec: DemoSpec) -> Callable[..., Iterator[SharedDemo]]:
    """A module-scoped fixture: the module's tests run on a copy of `spec`'s demo."""

    @pytest.fixture(scope="module")
    def fixture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                django_db_setup: None) -> Iterator[SharedDemo]:
        module = request.node
        others = [item.name for item in request.session.items
                  if getattr(item, "module", None) is getattr(module, "obj", None)
                  and request.fixturename not in getattr(item, "fixturenames", ())]
        if others:
            raise pytest.UsageError(
                f"{module.nodeid}: every test must use {request.fixturename}, "
                f"the module runs on its database; not: {', '.join(others)}")
        # A name of its own: the build's database is named after the key.
        suffix = f"{spec.key}_copy"
        with built_once(tmp_path_factory, spec.key, _builder(spec)) as (url, built):
            copy = copy_database(url, tmp_path_factory.mktemp(suffix), suffix)
            result = pickle.loads((built / RESULT).read_bytes())  # noqa: S301 (our own file)
        try:
            with default_database(copy):
                yield SharedDemo(spec, result)
        finally:
            _drop(copy)

    return fixture


TODAY = date(2026, 6, 15)
# The demo that the tests of matches, registers, entities and cases start from.
TWENTE = DemoSpec(scale=0.2, years=1.0, today=TODAY)
# tests/demo's small one: a tenth of the signals.
SMALL_TWENTE = DemoSpec(scale=0.1, years=1.0, today=TODAY)

twente_demo = shared_demo(TWENTE)
small_twente_demo = shared_demo(SMALL_TWENTE)
FIXTURES = ("twente_demo", "small_twente_demo")


def group_by_shared_demo(items: list[pytest.Item]) -> None:
    """Mark each test that uses a shared demo with that demo's xdist group."""
    for item in items:
        for name in FIXTURES:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))
