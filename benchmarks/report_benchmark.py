"""Report benchmark: factsheet, jaarbericht and voortgangsrapportage (HTML and PDF) on
the demo region.

    .venv/bin/python benchmarks/report_benchmark.py [--data-dir /tmp/kp-report-bench]
        [--municipality GM0153] [--region VR05] [--rounds 5]
        [--kinds factsheet,jaarbericht,voortgang]

1. Builds the demo (Twente, three years of synthetic signals, the monitoring job) in its
   own data directory with `knooppunt demo --no-serve`, unless it is there already.
2. Baseline, in the same run: the municipality dashboard page for the same municipality
   and year (the real view through Django's test client, logged in as its mayor), with
   an empty figure cache ("cold") and again ("warm").
3. The factsheet, the jaarbericht and the voortgangsrapportage (`--kinds`) for the same
   municipality, and for the region (the last whole year;
   the voortgangsrapportage its second half): gathering the data (cold and warm figure
   cache, like the page), the HTML, the PDF (typst), and the whole `services.generate`
   (gather, both renderings, store, log) as the page does it.
4. Prints p50/p95 per step, the page counts, and the ratios to the dashboard page; the
   goal of issue 6 is a whole factsheet (HTML and PDF) under 2 s on 2 cores (the other
   kinds are measured against the same figure, without a goal of their own).
5. The other kinds, whole `services.generate` with a cold figure cache: raadsvragen
   (hennepteelt) for the municipality and the region, and the bestuurlijke rapportage
   light of a police cannabis notice in a case, made by the municipality's coordinator;
   their page counts and the ratio to the cold dashboard page.
The first render in a process pays the start-up of vl-convert and typst; it is printed
on its own line ("first") and left out of the percentiles.
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
GOAL_SECONDS = 2.0


def _p(values: list[float], q: int) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[q - 1]


def _line(label: str, values: list[float]) -> str:
    return (f"  {label:<48} p50 {_p(values, 50) * 1000:8.1f} ms   "
            f"p95 {_p(values, 95) * 1000:8.1f} ms   (n={len(values)})")


def _build_demo(data_dir: Path) -> None:
    if (data_dir / "knooppunt.sqlite3").exists():
        print(f"demo data in {data_dir} (reused)")
        return
    print(f"building the demo in {data_dir} ...", flush=True)
    started = time.perf_counter()
    env = {**os.environ, "KNOOPPUNT_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    command = [str(Path(sys.executable).with_name("knooppunt")), "demo", "--no-serve"]
    subprocess.run(command, check=True, env=env, cwd=ROOT,  # noqa: S603 - our own command
                   stdout=subprocess.DEVNULL)
    print(f"  built in {time.perf_counter() - started:.0f} s")


def _clear_figures() -> None:
    from knooppunt.dashboards.figures import figure_cache

    figure_cache().clear()


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "report-bench"))
    parser.add_argument("--municipality", default="GM0153")
    parser.add_argument("--region", default="VR05")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kinds", default="factsheet,jaarbericht,voortgang")
    args = parser.parse_args()
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    _build_demo(data_dir)

    os.environ["KNOOPPUNT_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
    os.environ.setdefault("KNOOPPUNT_DEMO", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone, translation

    from knooppunt.reports import render, services
    from knooppunt.reports.access import resolve
    from knooppunt.reports.builders import get
    from knooppunt.reports.periods import parse

    setup_test_environment()
    users = get_user_model().objects
    mayor = users.get(username="burgemeester.enschede")
    regional = users.get(username="analist.riec")  # the RIEC: every municipality of Twente
    year = timezone.localdate().year - 1  # the last whole year
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    periods = {"factsheet": str(year), "jaarbericht": str(year), "voortgang": f"{year}-H2"}
    client = Client()
    client.force_login(mayor)
    url = reverse("dashboards:municipality", args=[args.municipality])

    def dashboard() -> None:
        response = client.get(url, {"jaar": year})
        assert response.status_code == 200, response.status_code

    def gather(kind, user, code):
        builder = get(kind)
        return builder.gather(user, resolve(user, builder, code), parse(periods[kind]))

    print(f"\nReport benchmark: {', '.join(kinds)} for {args.municipality} and "
          f"{args.region}, {year}; {args.rounds} rounds; load {os.getloadavg()[0]:.2f}")
    first_dashboard, _ = _timed(dashboard)
    with translation.override("nl"):
        first_pdf, _ = _timed(lambda: render.pdf(get("factsheet"), gather(
            "factsheet", mayor, args.municipality)))
    print(f"  first dashboard page {first_dashboard * 1000:.0f} ms; first factsheet PDF "
          f"(typst and vl-convert start-up) {first_pdf * 1000:.0f} ms")

    results: dict[str, list[float]] = {}
    pages: dict[str, int] = {}

    def add(label: str, seconds: float) -> None:
        results.setdefault(label, []).append(seconds)

    for _round in range(args.rounds):
        _clear_figures()
        add("dashboard page, cold figure cache", _timed(dashboard)[0])
        add("dashboard page, warm", _timed(dashboard)[0])
        with translation.override("nl"):
            for kind in kinds:
                builder = get(kind)
                for where, user, code in (("municipality", mayor, args.municipality),
                                          ("region", regional, args.region)):
                    label = f"{kind} {where}"
                    _clear_figures()
                    seconds, data = _timed(gather, kind, user, code)
                    add(f"{label}: gather, cold figure cache", seconds)
                    seconds, data = _timed(gather, kind, user, code)
                    add(f"{label}: gather, warm", seconds)
                    add(f"{label}: HTML", _timed(render.html, builder, data)[0])
                    seconds, (_pdf, count) = _timed(render.pdf, builder, data)
                    add(f"{label}: PDF (typst)", seconds)
                    pages[label] = count
                    _clear_figures()
                    seconds, _report = _timed(services.generate, user, kind, code,
                                              periods[kind])
                    add(f"{label}: whole generate, cold figure cache", seconds)

    for label, values in results.items():
        print(_line(label, values))
    baseline = _p(results["dashboard page, cold figure cache"], 50)
    print("\n  pages: " + ", ".join(f"{label} {n}" for label, n in pages.items()))
    verdict = True
    for label in pages:
        whole = _p(results[f"{label}: whole generate, cold figure cache"], 95)
        ratio = _p(results[f"{label}: whole generate, cold figure cache"], 50) / baseline
        line = f"  {label}: whole report p95 {whole:.2f} s; p50 = {ratio:.1f}x the cold " \
               "dashboard page"
        if label.startswith("factsheet"):
            ok = whole < GOAL_SECONDS
            verdict &= ok
            line += f" (goal < {GOAL_SECONDS:.0f} s: {'met' if ok else 'NOT met'})"
        print(line)
    _other_kinds(args, year, regional, baseline)
    sys.exit(0 if verdict else 1)


def _other_kinds(args, year: int, regional, baseline: float) -> None:
    """Raadsvragen and the BRL, whole generate, cold figure cache (printed, no goal)."""
    from django.contrib.auth import get_user_model

    from knooppunt.cases.models import Case
    from knooppunt.reports import services
    from knooppunt.signals.models import Signal

    users = get_user_model().objects
    mayor = users.get(username="burgemeester.enschede")
    coordinator = users.get(username="coordinator.enschede")
    in_case = Case.objects.values("signal_links__signal")
    notice = (Signal.objects.filter(municipality__code=args.municipality,
                                    theme__code="hennepteelt", source_type__code="politie",
                                    pk__in=in_case).order_by("-received_on").first())
    runs = [("raadsvragen municipality", mayor, "raadsvragen", args.municipality, "hennepteelt"),
            ("raadsvragen region", regional, "raadsvragen", args.region, "hennepteelt")]
    if notice is not None:
        runs.append(("BRL (one notice)", coordinator, "bestuurlijke-rapportage-light",
                     str(notice.pk), ""))
    print()
    for label, user, kind, code, theme in runs:
        times, pages = [], 0
        for _round in range(args.rounds):
            _clear_figures()
            seconds, report = _timed(services.generate, user, kind, code, str(year),
                                     theme=theme)
            times.append(seconds)
            pages = report.page_count
        print(_line(f"{label}: whole generate, cold", times)
              + f"   {pages} p., {_p(times, 50) / baseline:.1f}x dashboard")


if __name__ == "__main__":
    main()
