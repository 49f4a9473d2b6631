"""Production settings: `knooppunt check --deploy` is clean, and no instance outside the
demo or the tests starts with the published demo key (decision 0029).

These run the real settings module in a fresh process with a production-like environment,
so they test what an operator gets, not settings patched by the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

KNOOPPUNT = [sys.executable, "-c", "from knooppunt.cli import main; main()"]


def _run(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
            "KNOOPPUNT_DATA_DIR": str(tmp_path)}
    return subprocess.run([*KNOOPPUNT, *args], env={**base, **env}, capture_output=True,  # noqa: S603
                          text=True, timeout=120, check=False)


def test_deploy_checks_are_clean_with_production_settings(tmp_path):
    env = {"SECRET_KEY": "k" * 10 + "n0-t-a-real-but-long-and-varied-secret-key-for-tests-9XQ",
           "ALLOWED_HOSTS": "knooppunt.example.nl"}
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("env", [{"DEBUG": "1"}, {}], ids=["debug", "plain"])
def test_no_secret_key_outside_the_demo_refuses_in_one_line(tmp_path, env):
    result = _run(["check"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0  # one line, no traceback
    assert "SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_the_demo_runs_with_its_published_key(tmp_path):
    result = _run(["check"], {"KNOOPPUNT_DEMO": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
