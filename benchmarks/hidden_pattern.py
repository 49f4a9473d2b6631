"""What reading the stored hidden pattern saves (decision 0026), on an existing database.

    KNOOPPUNT_DEMO=1 DATABASE_URL=sqlite:////tmp/x/demo.sqlite3 \\
        .venv/bin/python benchmarks/hidden_pattern.py [--user burgemeester.enschede]

For a user who gets suppressed figures: the monthly series of a municipality and the
quarterly series of its safety region for every indicator the user sees, each in its own
`memo.active()` (as one page request), once reading the pattern the monitoring job
stored (`monitoring.hidden`) and once computing it on the fly (the baseline, the way
before the job stored it). Prints CPU seconds of both and their ratio, and whether the
figures are the same. Run `compute_indicators` first so the pattern is stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from knooppunt.monitoring import hidden, memo, queries
    from knooppunt.monitoring.models import HiddenPattern

    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="burgemeester.enschede")
    parser.add_argument("--municipality", default="GM0153")
    parser.add_argument("--region", default="VR05")
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    args = parser.parse_args()
    user = get_user_model().objects.get(username=args.user)
    codes = [i.code for i in queries.indicators(user)]
    first, last = dt.date(args.year - 1, 1, 1), dt.date(args.year, 12, 1)

    def run() -> list:
        out = []
        for code in codes:
            with memo.active():
                for level, area, kind in (("gemeente", args.municipality, "maand"),
                                          ("veiligheidsregio", args.region, "kwartaal")):
                    try:
                        found = queries.series(user, code, level, area, kind, first, last)
                    except (LookupError, PermissionError, ValueError):
                        continue
                    out += [(code, f.period.start, f.value, f.suppressed) for f in found]
        return out

    def timed() -> tuple[float, list]:
        started = time.process_time()
        result = run()
        return time.process_time() - started, result

    print(f"{user.username}: {len(codes)} indicators, {HiddenPattern.objects.count():,} "
          f"stored pattern rows")
    stored_s, stored = timed()
    read = hidden.read
    hidden.read = lambda *args, **kwargs: None  # the baseline: compute on the fly
    try:
        live_s, live = timed()
    finally:
        hidden.read = read
    print(f"  stored pattern: {stored_s:6.2f} s CPU")
    print(f"  computed:       {live_s:6.2f} s CPU (baseline)")
    print(f"  ratio stored/computed: {stored_s / live_s:.2f}; same figures: {stored == live}")


if __name__ == "__main__":
    main()
