"""Load benchmark: 50 users for 3 minutes against the production server, on PostgreSQL.

    .venv/bin/pip install -e ".[bench]"          # locust
    .venv/bin/python benchmarks/load_benchmark.py [--users 50] [--minutes 3] \
        [--database postgresql://postgres@127.0.0.1:5432/knooppunt_load] [--reuse] \
        [--baseline-minutes 1]

1. Builds the demo region (Twente) in a fresh PostgreSQL database (`--reuse` keeps one
   built earlier), as `knooppunt demo --no-serve` does.
2. Starts `knooppunt serve` (gunicorn, WhiteNoise; decision 0032) on a free loopback port and
   runs locust headless with `benchmarks/locustfile.py` (a mix of pages and API calls of
   case workers, a mayor and partners; every virtual user logs in with an account of its
   own, a copy of a demo account with the demo's authenticator key where the role needs a
   second factor). Users arrive at 2 a second;
   statistics are reset once all are in (`--reset-stats`), so the figures are of the
   steady state and do not include the logins.
3. In the same run, the baseline: the same load (`--baseline-minutes`, 0 skips it) against
   Django's development server (`runserver`), which the demo used before.
4. Prints, for both: requests, failures, requests per second, p50/p95/p99 and the slowest
   pages, the ratio of the p95s, the load average, and whether the goal of issue 13
   (p95 < 500 ms and no errors) is met.

Only loopback addresses are used; every request loop is bounded by --minutes.
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95_MS = 500.0
SPAWN_RATE = 2  # users arriving per second: 50 people log in over 25 s


LOAD_ACCOUNTS = """
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from knooppunt.demo.users import DEMO_PASSWORD, seed_demo_devices
from knooppunt.organisations.models import Membership
User = get_user_model()
password = make_password(DEMO_PASSWORD)
made = []
for n in range({users}):
    for kind, source in (("werker", "coordinator.enschede"),
                         ("bestuurder", "burgemeester.enschede"),
                         ("partner", "medewerker.netbeheerder")):
        user, _ = User.objects.update_or_create(
            username=f"last.{{kind}}.{{n}}", defaults={{"password": password, "is_active": True}})
        Membership.objects.filter(user=user).delete()
        for m in Membership.objects.filter(user__username=source):
            Membership.objects.create(user=user, organisation=m.organisation, role=m.role)
        made.append(user)
seed_demo_devices(made)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _knooppunt() -> list[str]:
    return [sys.executable, "-m", "knooppunt.cli"]


def _wait_until_up(port: int, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server on port {port} did not come up within {seconds:.0f} s")


def _run_load(env: dict[str, str], server: list[str], label: str, users: int,
              minutes: float, workdir: Path) -> dict[str, object]:
    port = _free_port()
    process = subprocess.Popen(server + [f"127.0.0.1:{port}"], env=env,  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(port)
        # Every worker loads the geography on its first request: warm them, as a server
        # that has been running would be.
        for _ in range(20):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/inloggen/", timeout=60).read()  # noqa: S310
        prefix = workdir / label
        load_before = os.getloadavg()[0]
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"),
             "--headless", "--users", str(users), "--spawn-rate", str(SPAWN_RATE),
             # Logins (a deliberately slow password hash, ~0.3 s of CPU each) happen
             # while users arrive; the figures are of the steady state after everyone is
             # in, so they do not include the logins.
             "--reset-stats",
             "--run-time", f"{int(minutes * 60)}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
             "--exit-code-on-error", "0"],
            check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        load_after = os.getloadavg()[0]
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = sorted((r for r in rows if r["Name"] != "Aggregated"),
                   key=lambda r: -float(r["95%"] or 0))
    return {"label": label, "total": total, "pages": pages[:5],
            "load": (load_before, load_after)}


def _print(result: dict[str, object]) -> None:
    total = result["total"]
    print(f"\n== {result['label']} ==")
    print(f"requests {total['Request Count']}, failures {total['Failure Count']}, "
          f"{float(total['Requests/s']):.1f} req/s; p50 {total['50%']} ms, "
          f"p95 {total['95%']} ms, p99 {total['99%']} ms, max {total['Max Response Time']} ms "
          f"(load {result['load'][0]:.1f} -> {result['load'][1]:.1f})")
    print("slowest pages (p95):")
    for row in result["pages"]:
        print(f"  {row['Name']:<32} {row['Request Count']:>6} req  p50 {row['50%']:>5} ms  "
              f"p95 {row['95%']:>5} ms  failures {row['Failure Count']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--baseline-minutes", type=float, default=1.0)
    parser.add_argument("--database",
                        default="postgresql://postgres@127.0.0.1:5432/knooppunt_load")
    parser.add_argument("--reuse", action="store_true",
                        help="use the database (and demo) of an earlier run")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="knooppunt-load-"))
    env = os.environ.copy()
    env.update({
        "DATABASE_URL": args.database,
        "KNOOPPUNT_DATA_DIR": str(workdir / "data"),
        "KNOOPPUNT_DEMO": "1",
    })
    env.pop("KNOOPPUNT_TESTING", None)
    if not args.reuse:
        from bench_db import recreate

        recreate(args.database)
        started = time.perf_counter()
        subprocess.run(_knooppunt() + ["demo", "--no-serve"], check=True, env=env,  # noqa: S603
                       stdout=subprocess.DEVNULL)
        print(f"demo built in {time.perf_counter() - started:.0f} s")
    subprocess.run(_knooppunt() + ["collectstatic", "--noinput", "-v", "0"],  # noqa: S603
                   check=True, env=env)
    # Fifty people, fifty accounts: a copy of a demo account's memberships (and, where the
    # role needs one, its authenticator) per virtual user. Sharing five accounts would make
    # the second factor refuse a code already used by the same account in the same 30 s.
    subprocess.run(_knooppunt() + ["shell", "-c", LOAD_ACCOUNTS.format(users=args.users)],  # noqa: S603
                   check=True, env=env, stdout=subprocess.DEVNULL)

    results = [_run_load(env, _knooppunt() + ["serve", "--no-collectstatic"],
                         "knooppunt serve (gunicorn)", args.users, args.minutes, workdir)]
    if args.baseline_minutes > 0:
        results.append(_run_load(env, _knooppunt() + ["runserver", "--noreload", "--insecure"],
                                 "baseline: runserver", args.users, args.baseline_minutes,
                                 workdir))
    for result in results:
        _print(result)
    served = results[0]["total"]
    p95 = float(served["95%"])
    failures = int(served["Failure Count"])
    if len(results) > 1:
        baseline_p95 = float(results[1]["total"]["95%"])
        print(f"\np95 ratio serve / runserver: {p95 / baseline_p95:.2f}")
    met = p95 < GOAL_P95_MS and failures == 0
    print(f"goal (p95 < {GOAL_P95_MS:.0f} ms, no errors): {'met' if met else 'NOT met'}")
    print(f"locust statistics: {workdir}")


if __name__ == "__main__":
    main()
