"""Shared fixtures of the browser tests (headless Debian chromium through Playwright)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from browser_session import chromium_path  # noqa: E402


@pytest.fixture(scope="module")
def chromium():
    """The chromium binary, installed by tools/install_chromium.sh when missing. (The
    done-when walks define their own, which fails instead of skipping.)"""
    path = chromium_path(install=True)
    if path is None:
        pytest.skip("chromium ontbreekt en tools/install_chromium.sh kon het niet installeren")
    return path
