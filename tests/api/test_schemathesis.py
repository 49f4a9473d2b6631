"""The OpenAPI document is true: schemathesis, every operation, every check, three roles.

Serves its own copy of the session's small demo region (`tests/served_demo.py`: SQLite in
the temp directory, or a PostgreSQL database beside the test database when the suite runs
on PostgreSQL) with `knooppunt serve` on a loopback port, and runs `schemathesis run --checks all`
with the API keys of three system accounts: a coordinator's (cases and signals), a police
employee's (a partner) and a mayor's (aggregates only). Bounded by
`tests/api/schemathesis.toml` (5 examples an operation). Any failure fails the test with
schemathesis's own report.

Every role runs every operation with every check in the examples and fuzzing phases. The
coverage phase (each parameter's boundaries and each kind of invalid value, ~4,700
requests, four fifths of a role's time) runs with the coordinator's key only: no operation
answers that key with only 401/403 (the partner's gets only refusals from four, the
mayor's from many), and the phase's requests follow from the document, not the key.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, knooppunt, serve

# One worker runs the three roles: one copy of the demo, one server, and under
# `--dist loadgroup` the other worker goes on with other tests meanwhile.
pytestmark = pytest.mark.xdist_group("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
# (system account, organisation, role): a municipality's case system as a coordinator, the
# police's system as a medewerker, and a mayor's dashboard feed (aggregates only). API keys
# belong to system accounts (decision 0028), each with every scope.
ROLES = ("coordinator", "medewerker", "bestuurder")
ALL_PHASES = "examples,coverage,fuzzing"
PHASES = {"coordinator": ALL_PHASES, "medewerker": "examples,fuzzing",
          "bestuurder": "examples,fuzzing"}
ISSUE_TOKENS = """
from knooppunt.organisations.api_keys import create_system_account, issue
from knooppunt.organisations.models import Organisation
accounts = {{"coordinator": ("Gemeente Enschede", "coordinator"),
            "medewerker": ("Politie Oost-Nederland", "medewerker"),
            "bestuurder": ("Gemeente Enschede", "bestuurder")}}
for role in {roles!r}:
    name, membership = accounts[role]
    account = create_system_account(username=f"schemathesis.{{role}}",
                                    organisation=Organisation.objects.get(name=name),
                                    role=membership)
    _, key = issue(system_user=account.user, name="schemathesis")
    print(role, key)
"""


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory):
    env = demo_env(tmp_path_factory, "schemathesis", API_RATE="1000000/minute")
    tokens = dict(
        line.split(" ", 1) for line in subprocess.run(  # noqa: S603
            knooppunt("shell", "-c", ISSUE_TOKENS.format(roles=ROLES)), check=True, env=env,
            capture_output=True, text=True).stdout.splitlines() if line.startswith(ROLES)
    )
    with serve(env) as base:
        yield base, tokens


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms_to_the_document(served_demo, role):
    base, tokens = served_demo
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(CONFIG),
         "--no-color", "run", f"{base}/api/v1/openapi.json", "--checks", "all",
         "--header", f"Authorization: Token {tokens[role]}",
         # One worker: schemathesis's generators are not thread-safe in this version
         # (hypothesis' lambda descriptions fail under threads as "Runtime Error").
         "--workers", "1",
         "--phases", PHASES[role],
         "--seed", "20261205"],
        capture_output=True, text=True, timeout=900,
    )
    summary = result.stdout[-6000:]
    assert result.returncode == 0, f"schemathesis as {role}:\n{summary}"
