"""The `knooppunt` command tells an operator what is missing, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys


def test_missing_secret_key_is_one_clear_line_and_exit_2(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "DEBUG", "KNOOPPUNT_DEMO", "KNOOPPUNT_TESTING",
                        "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["KNOOPPUNT_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "knooppunt.cli", "import-signals", "--help"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "SECRET_KEY ontbreekt" in done.stderr and "SECRET_KEY is not set" in done.stderr
    assert "KNOOPPUNT_DEMO=1" in done.stderr
