"""`knooppunt serve`: the production server answers, serves static files, and stops cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from knooppunt.web import server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read()


def test_config_is_a_threaded_multi_process_server():
    config = server.gunicorn_config(server.ServerOptions(bind="127.0.0.1:9000", workers=3))
    assert config["bind"] == ["127.0.0.1:9000"]
    assert config["workers"] == 3
    assert config["worker_class"] == "gthread"
    assert config["preload_app"] is False  # each worker opens its own connections
    assert config["max_requests"] > 0
    assert server.gunicorn_config(server.ServerOptions())["workers"] == server.default_workers()
    assert 2 <= server.default_workers() <= 8


@pytest.mark.parametrize("argv", [["localhost"], ["127.0.0.1:http"], ["--threads", "0"],
                                  ["--workers", "-1"]])
def test_bad_options_are_refused_in_dutch(argv):
    with pytest.raises(CommandError) as error:
        call_command("serve", *argv)
    assert "Ongeldig adres" in str(error.value) or "moet positief zijn" in str(error.value)


def test_jobs_process_is_stopped_with_the_server(monkeypatch):
    events = []

    class FakeProcess:
        def terminate(self):
            events.append("terminate")

        def wait(self, timeout):
            events.append("wait")

    class FailingServer:
        def __init__(self, config):
            pass

        def run(self):
            events.append("run")
            raise KeyboardInterrupt

    monkeypatch.setattr(server, "start_jobs_process", lambda: FakeProcess())
    monkeypatch.setattr(server, "KnooppuntServer", FailingServer)
    with pytest.raises(KeyboardInterrupt):
        server.serve(server.ServerOptions(), with_jobs=True)
    assert events == ["run", "terminate", "wait"]


def test_serve_answers_pages_and_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"KNOOPPUNT_TESTING", "DATABASE_URL"}}
    env.update({"KNOOPPUNT_DATA_DIR": str(tmp_path), "KNOOPPUNT_DEMO": "1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "knooppunt.cli", "serve", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode(errors="replace")
                    pytest.fail(f"server did not start:\n{output[-3000:]}")
                time.sleep(0.3)
        assert status == 200
        assert headers.get("Server", "").startswith("gunicorn")
        status, headers, body = _get(
            f"http://127.0.0.1:{port}/static/knooppunt/knooppunt.css"
        )
        assert status == 200 and body  # WhiteNoise serves the collected file
        assert "max-age" in headers.get("Cache-Control", "")
    finally:
        process.terminate()
        process.wait(timeout=40)
    # gunicorn's master stops its workers on SIGTERM and exits cleanly.
    assert process.returncode == 0
