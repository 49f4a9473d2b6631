"""Network benchmark: a 5,000-node network opens and lays out in Chromium (issue 16: under
2 seconds).

    tools/install_chromium.sh; (cd frontend && npm ci && npm run build)
    .venv/bin/python benchmarks/network_benchmark.py [--data-dir var/network-bench]
        [--nodes 5000] [--rounds 5] [--cose-large]

1. Makes its own SQLite database in `--data-dir` (migrations and one account, once) and
   serves it with `knooppunt serve` (gunicorn) and the demo switch on, which opens the
   example page `/netwerk/voorbeeld/` (a generated, synthetic network; decision 0049).
2. Opens the page in headless Debian chromium (Playwright) and, `--rounds` times after one
   warm-up, asks the page's own loader (`window.__kpNetwork.load`) to open:
   - the goal: `--nodes` nodes with the view's choice for large networks (ring positions
     computed before the elements are added, canvas renderer), from request to the second
     frame drawn, split into fetch (server, transfer, JSON parse), build (Cytoscape
     instance with the elements and their positions, plus a layout run where there is one)
     and render (two animation frames);
   - baseline, same page and round: the same network with Cytoscape's own concentric
     layout run after the elements are added (canvas renderer) — the straightforward use of
     the library;
   - for comparison: the same network on rings with Cytoscape's WebGL renderer, and 150
     nodes (the largest network the view lays out by force) with cose.
   `--cose-large` adds cose on the large network once (minutes on a busy machine).
3. Prints p50/p95 of each and the ratio goal / baseline.
Headless chromium draws with its software renderer (SwiftShader): a real GPU is faster.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 2.0
USER = "netwerk.benchmark"
DATA = "/netwerk/voorbeeld/netwerk.json?knopen={n}"
LOAD = ("async ([url, layout, webgl]) => { await window.__kpNetwork.load(url, layout || "
        "undefined, webgl === null ? undefined : webgl); return window.__kpNetwork.timings; }")


def _knooppunt(*args: str) -> list[str]:
    return [sys.executable, "-m", "knooppunt.cli", *args]


def prepare(env: dict[str, str], data_dir: Path) -> None:
    marker = data_dir / "prepared"
    if marker.exists():
        return
    from browser_session import PASSWORD

    print("database opbouwen (eenmalig) …", flush=True)
    subprocess.run(_knooppunt("migrate", "--no-input"), check=True, env=env,  # noqa: S603
                   stdout=subprocess.DEVNULL)
    create = ("from django.contrib.auth import get_user_model; U = get_user_model(); "
              f"U.objects.filter(username={USER!r}).exists() or "
              f"U.objects.create_user({USER!r}, password={PASSWORD!r})")
    subprocess.run(_knooppunt("shell", "-c", create), check=True, env=env,  # noqa: S603
                   stdout=subprocess.DEVNULL)
    marker.touch()


def summary(name: str, rows: list[dict]) -> dict[str, float]:
    totals = sorted(r["total"] / 1000 for r in rows)
    p50 = statistics.median(totals)
    p95 = totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))]
    parts = ", ".join(f"{k} {statistics.median(r[k] for r in rows) / 1000:.2f}"
                      for k in ("fetch", "layout", "render"))
    print(f"{name:<58} p50 {p50:6.2f} s  p95 {p95:6.2f} s  ({parts}; "
          f"webgl={rows[0]['webgl']})", flush=True)
    return {"p50": p50, "p95": p95}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "network-bench"))
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cose-large", action="store_true")
    args = parser.parse_args()
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("KNOOPPUNT_TESTING", "DATABASE_URL")}
    env.update({"KNOOPPUNT_DATA_DIR": str(data_dir), "KNOOPPUNT_DEMO": "1",
                "PYTHONPATH": str(ROOT / "src")})
    prepare(env, data_dir)

    sys.path.insert(0, str(ROOT / "src"))
    from browser_session import launch, log_in, wait_until
    from playwright.sync_api import sync_playwright

    from tests.served_demo import free_port

    port = free_port()
    server = subprocess.Popen(_knooppunt("serve", f"127.0.0.1:{port}", "--workers", "2"),  # noqa: S603
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)  # noqa: S310
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("knooppunt serve did not start") from None
                time.sleep(0.5)
        large, small = DATA.format(n=args.nodes), DATA.format(n=150)
        cases = {
            f"goal: {args.nodes} nodes, rings, canvas (the view's choice)": (large, "", None),
            f"baseline: {args.nodes} nodes, Cytoscape concentric, canvas": (large, "concentric",
                                                                            False),
            f"compare: {args.nodes} nodes, rings, WebGL renderer": (large, "", True),
            "scale: 150 nodes, cose (the largest size laid out by force)": (small, "cose", False),
        }
        results: dict[str, list[dict]] = {name: [] for name in cases}
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            log_in(page, base, USER)
            page.goto(base + "/netwerk/voorbeeld/")
            wait_until(page, "window.__kpNetwork && window.__kpNetwork.ready")
            for url, layout, webgl in cases.values():  # warm-up: caches, JIT
                page.evaluate(LOAD, [url, layout, webgl])
            for round_ in range(args.rounds):
                for name, (url, layout, webgl) in cases.items():
                    results[name].append(page.evaluate(LOAD, [url, layout, webgl]))
                print(f"ronde {round_ + 1}/{args.rounds} klaar", flush=True)
            if args.cose_large:
                results[f"extra: {args.nodes} nodes, cose (once)"] = [
                    page.evaluate(LOAD, [large, "cose", False])]
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=40)

    print(f"\n{args.rounds} rounds; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    figures = {name: summary(name, rows) for name, rows in results.items()}
    goal, baseline = list(figures.values())[:2]
    print(f"\nratio goal / baseline (p50): {goal['p50'] / baseline['p50']:.2f}")
    met = "met" if goal["p95"] < GOAL_SECONDS else "NOT met"
    print(f"goal of issue 16: {args.nodes} nodes open and laid out in under "
          f"{GOAL_SECONDS:.0f} s (p95): {met}")


if __name__ == "__main__":
    main()
