"""Dashboard benchmark at national scale: page render time against DuckDB and the naive way.

    .venv/bin/python benchmarks/dashboard_benchmark.py [--rows 10000000] [--signals 1000000]
        [--municipalities 20] [--naive 6]
        [--database postgresql://postgres@127.0.0.1:5432/kp_dashboards_bench] [--reuse]

1. Generates, in a fresh PostgreSQL database, registered-crime rows shaped like CBS/Politie
   47022NED (342 municipalities plus real wijken, 10 years monthly, 60 crime types incl.
   the '0.0.0' total) and signals spread over the municipalities by population; runs the
   monitoring job (`compute_all`) that stores the indicator values the pages read.
2. Times the municipality dashboard page as the mayor opens it (`?jaar=<year of the data>`,
   the real view through Django's test client, logged in as that municipality's mayor),
   three ways: (a) after the job warmed it, as users get it (`dashboards.warm`, with the
   process-local caches emptied, as in a web process that did not run the job); (b) a
   repeat view; (c) the cold worst case, every cache emptied. The figure cache is the
   production default (file-based) unless KNOOPPUNT_FIGURE_CACHE_BACKEND says otherwise.
3. Times DuckDB alone on the same aggregate queries over the raw rows (loaded once into
   the embedded engine through Arrow, as `knooppunt.analytics` does), per municipality.
4. Times the naive way: the same figures with the Django ORM on PostgreSQL per request.
5. Prints p50/p95 and the goals of issue 5: p95 < 300 ms, page <= 1.5x DuckDB, page >= 10x
   faster than naive, for each of (a), (b), (c). All in the same run; the load average is
   printed with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_P95_MS = 300.0
GOAL_DUCKDB_RATIO = 1.5
GOAL_NAIVE_FACTOR = 10.0
MONTHS = 120
CRIME_TYPES = 60  # '0.0.0' (total) + 59 types
TREND_INDICATOR = "misdrijven-totaal-maand"  # a key figure with a target, as signalen-totaal


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def _ms(values: list[float]) -> str:
    return f"p50 {_p(values, 50) * 1000:7.1f} ms   p95 {_p(values, 95) * 1000:7.1f} ms"


def _crime_type_codes() -> list[str]:
    # 1.1.1 is "diefstal/inbraak woning" (an indicator reads it); the rest are shaped alike.
    return ["0.0.0"] + [f"{(i - 1) // 9 + 1}.{((i - 1) % 9) // 3 + 1}.{(i - 1) % 3 + 1}"
                        for i in range(1, CRIME_TYPES)]


def generate(rows: int, signals: int, last_year: int) -> dict[str, float]:
    """All generation inside PostgreSQL (generate_series), so it takes minutes, not hours."""
    from django.db import connection

    timings = {}
    first_month = dt.date(last_year - 9, 1, 1)
    per_area = MONTHS * CRIME_TYPES
    wanted_areas = max(342, rows // per_area)
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("CREATE TEMP TABLE bench_types (i int, code text, weight float8)")
        c.executemany("INSERT INTO bench_types VALUES (%s, %s, %s)", [
            (i, code, 0.2 + 1.6 * ((i * 37) % 59) / 58) for i, code in
            enumerate(_crime_type_codes())])
        # Municipalities, then their real wijken round by round (1st of each, 2nd, ...).
        c.execute("""
            CREATE TEMP TABLE bench_areas AS
            SELECT 'gemeente'::text AS level, code, population FROM geo_municipality
            UNION ALL
            SELECT 'wijk', code, population FROM (
                SELECT d.code, d.population,
                       row_number() OVER (PARTITION BY d.municipality_id ORDER BY d.code) AS rn
                FROM geo_district d) w
            ORDER BY 1, 2
        """)
        c.execute("""
            DELETE FROM bench_areas WHERE level = 'wijk' AND code NOT IN (
              SELECT code FROM (SELECT d.code, row_number() OVER (
                  PARTITION BY d.municipality_id ORDER BY d.code) AS rn FROM geo_district d) w
              ORDER BY rn, code LIMIT %s)
        """, [wanted_areas - 342])
        c.execute("""
            INSERT INTO monitoring_statistic ("table", measure, crime_type_code,
                crime_type_label, area_level, area_code, period_type, period_start, value,
                source, source_date, is_synthetic)
            SELECT '47022NED', 'geregistreerde_misdrijven', t.code, 'Soort ' || t.code,
                   a.level, a.code, 'maand', m.start,
                   floor(a.population / 1000.0 * 3.75 / 59 * t.weight
                         * (0.7 + 0.6 * random()) + random())::bigint,
                   'CBS/Politie 47022NED (synthetisch, benchmark)', %s, true
            FROM bench_areas a
            CROSS JOIN bench_types t
            CROSS JOIN (SELECT generate_series(%s::date, %s::date, interval '1 month')::date
                        AS start) m
            WHERE t.code <> '0.0.0'
        """, [dt.date(last_year + 1, 1, 31), first_month, dt.date(last_year, 12, 1)])
        c.execute("""
            INSERT INTO monitoring_statistic ("table", measure, crime_type_code,
                crime_type_label, area_level, area_code, period_type, period_start, value,
                source, source_date, is_synthetic)
            SELECT "table", measure, '0.0.0', 'Totaal misdrijven', area_level, area_code,
                   period_type, period_start, SUM(value), MIN(source), MIN(source_date), true
            FROM monitoring_statistic GROUP BY 1, 2, 5, 6, 7, 8
        """)
        timings["statistics"] = time.perf_counter() - started

        started = time.perf_counter()
        # Municipalities weighted by population through 10,000 slots; themes and sources
        # drawn uniformly. One reporting organisation (the figures do not depend on it).
        c.execute("""
            CREATE TEMP TABLE bench_slots AS
            SELECT row_number() OVER () - 1 AS slot, id FROM (
              SELECT id, generate_series(1, greatest(1, round(population * 10000.0 /
                  (SELECT sum(population) FROM geo_municipality))::int)) FROM geo_municipality
            ) s
        """)
        c.execute("SELECT count(*) FROM bench_slots")
        slots = c.fetchone()[0]
        from knooppunt.organisations.models import Organisation

        org_id = Organisation.objects.create(name="Politie (benchmark)", kind="politie").pk
        c.execute("""
            INSERT INTO signals_signal (reference, received_on, street, house_letter,
                house_number_addition, postcode, city, description, confidentiality,
                is_anonymous, reporter_name, reporter_contact, status, is_synthetic,
                created_at, updated_at, municipality_id, reporting_organisation_id,
                source_type_id, theme_id, address_register_id, address_status)
            SELECT 'BENCH-' || lpad(g::text, 8, '0'),
                   %s::date + (random() * %s)::int, '', '', '', '', '',
                   'Synthetisch benchmarksignaal', 1, false, '', '', 'ontvangen', true,
                   now(), now(), s.id, %s,
                   (SELECT array_agg(id ORDER BY id) FROM taxonomy_sourcetype)[1 + (g %% 7)],
                   (SELECT array_agg(id ORDER BY id) FROM taxonomy_theme)[1 + (g %% 8)],
                   '', 'geen'
            FROM generate_series(1, %s) g
            JOIN bench_slots s ON s.slot = (hashint4(g) & 2147483647) %% %s
        """, [first_month, (dt.date(last_year, 12, 31) - first_month).days, org_id,
              signals, slots])
        timings["signals"] = time.perf_counter() - started
        c.execute("ANALYZE")
    return timings


def counts() -> dict[str, int]:
    from knooppunt.monitoring.models import IndicatorValue, Statistic
    from knooppunt.signals.models import Signal

    return {"statistics": Statistic.objects.count(), "signals": Signal.objects.count(),
            "indicator values": IndicatorValue.objects.count()}


# ---------------------------------------------------------------- what a page shows


class FigureSet:
    """The aggregates the municipality page shows, to compute them the other two ways.

    Only what a view needs to know before it computes anything: which indicators are the
    key figures (and what each counts), the municipality, its safety region and its peer
    groups. Everything numeric is computed by the two ways themselves."""

    def __init__(self, code: str, year: int) -> None:
        from knooppunt.geo.models import Municipality
        from knooppunt.monitoring.keyfigures import _default_codes
        from knooppunt.monitoring.models import Indicator, PeerGroup, PeerKind

        municipality = Municipality.objects.get(code=code)
        self.code, self.year, self.id = code, year, municipality.pk
        key_codes = _default_codes(code, year)
        self.key_themes: list[str | None] = []
        self.key_signals: list[tuple[str, str | None]] = []  # (indicator, theme or None)
        self.key_crime: list[tuple[str, str]] = []  # (indicator, crime type)
        for indicator in Indicator.objects.filter(code__in=key_codes):
            if indicator.measure == "signals" and set(indicator.parameters) <= {"theme"}:
                self.key_themes.append(indicator.parameters.get("theme"))
                self.key_signals.append((indicator.code, indicator.parameters.get("theme")))
            elif indicator.measure == "police_monthly":
                self.key_crime.append((indicator.code, indicator.parameters["crime_type"]))
            else:
                raise SystemExit(f"key figure {indicator.code} ({indicator.measure}) has no "
                                 "naive path in this benchmark")
        self.key_codes = key_codes
        # The page's chart, map and benchmark panel show the first key figure (the mayor
        # opens the page without choosing an indicator).
        first = next(i for i in Indicator.objects.filter(code=key_codes[0]))
        self.trend_code = first.code
        self.trend_crime = first.parameters.get("crime_type") \
            if first.measure == "police_monthly" else None
        self.trend_theme = first.parameters.get("theme") if first.measure == "signals" \
            else None
        # As monitoring.benchmark: published figures against the size class, own records
        # against the covered municipalities of the safety region.
        group = PeerGroup.objects.filter(members=municipality, kind=PeerKind.SIZE).first()
        self.peers = list(group.members.values_list("code", flat=True)) if group else [code]
        self.region = list(Municipality.objects.filter(
            safety_region_id=municipality.safety_region_id).values_list("code", flat=True))
        covered = set(Municipality.objects.filter(organisations__active=True)
                      .values_list("code", flat=True))
        self.peer_ids = list(Municipality.objects.filter(
            code__in=[c for c in self.region if c in covered]).values_list("pk", flat=True))
        self.region_ids = list(Municipality.objects.filter(code__in=self.region)
                               .values_list("pk", flat=True))
        from knooppunt.taxonomy.models import Theme

        self.theme_ids = dict(Theme.objects.values_list("code", "pk"))


def duckdb_figures(engine, f: FigureSet) -> dict:
    """The page's aggregates from the raw rows in DuckDB: key figures (this and last year,
    the peers' year counts for the indices), the early-warning months, trend and map."""
    from knooppunt.monitoring import early_warning as ew

    y0, y1 = dt.date(f.year - 1, 1, 1), dt.date(f.year, 12, 31)
    out = {}
    out["key"] = engine.query(
        "SELECT theme_id, year(received_on) AS y, count(*) AS n FROM signals "
        "WHERE municipality_id = ? AND received_on BETWEEN ? AND ? GROUP BY ALL",
        [f.id, y0, y1]).num_rows
    peer_ids = ",".join(str(int(i)) for i in f.peer_ids)
    out["key_benchmark"] = engine.query(
        f"SELECT municipality_id, theme_id, count(*) AS n FROM signals "  # noqa: S608
        f"WHERE municipality_id IN ({peer_ids}) AND received_on BETWEEN ? AND ? GROUP BY ALL",
        [dt.date(f.year, 1, 1), y1]).num_rows
    month = ew._months_back(dt.date.today().replace(day=1), 1)
    out["alerts"] = engine.query(
        "SELECT theme_id, date_trunc('month', received_on) AS m, count(*) FROM signals "
        "WHERE municipality_id = ? AND received_on >= ? AND received_on < ? GROUP BY ALL",
        [f.id, ew._months_back(month, ew.HISTORY_MONTHS + ew.CUSUM_WINDOW),
         ew._months_back(month, -1)]).num_rows
    crime_types = sorted({t for _c, t in f.key_crime})
    codes = sorted(set(f.peers) | {f.code})
    out["crime_key"] = engine.query(
        "SELECT area_code, crime_type_code, year(period_start), sum(value) FROM crime "
        "WHERE area_code IN (SELECT unnest(?)) AND crime_type_code IN (SELECT unnest(?)) "
        "AND period_start BETWEEN ? AND ? GROUP BY ALL", [codes, crime_types, y0, y1]).num_rows
    first = dt.date(f.year - 2, 1, 1)
    if f.trend_crime:
        out["trend"] = engine.query(
            "SELECT period_start, value FROM crime WHERE area_code = ? AND crime_type_code = ? "
            "AND period_start BETWEEN ? AND ? ORDER BY 1",
            [f.code, f.trend_crime, first, y1]).num_rows
        out["map"] = engine.query(
            "SELECT area_code, sum(value) FROM crime WHERE area_code IN (SELECT unnest(?)) "
            "AND crime_type_code = ? AND period_start BETWEEN ? AND ? GROUP BY 1",
            [f.region, f.trend_crime, dt.date(f.year, 1, 1), y1]).num_rows
    else:
        theme = "" if f.trend_theme is None else \
            f" AND theme_id = {int(f.theme_ids[f.trend_theme])}"
        out["trend"] = engine.query(
            "SELECT date_trunc('month', received_on) AS m, count(*) FROM signals "  # noqa: S608
            f"WHERE municipality_id = ? AND received_on BETWEEN ? AND ?{theme} GROUP BY 1 "
            "ORDER BY 1", [f.id, first, y1]).num_rows
        region_ids = ",".join(str(int(i)) for i in f.region_ids)
        out["map"] = engine.query(
            "SELECT municipality_id, count(*) FROM signals "  # noqa: S608
            f"WHERE municipality_id IN ({region_ids}) AND received_on BETWEEN ? AND ?{theme} "
            "GROUP BY 1", [dt.date(f.year, 1, 1), y1]).num_rows
    return out


def _index(own: str | int, values: dict, population: dict) -> float | None:
    """As monitoring.benchmark: own rate per 1,000 over the unweighted mean of the
    members' rates (at least 3 members), times 100."""
    rates = {k: values.get(k, 0) / population[k] * 1000 for k in population if population[k]}
    if len(rates) < 3 or own not in rates:
        return None
    average = sum(rates.values()) / len(rates)
    return round(rates[own] / average * 100, 1) if average else None


def naive_figures(f: FigureSet) -> dict:
    """What a view without the monitoring layer would do per request: every figure the
    page shows computed from the raw rows it is made of (signals; the monthly 47022NED
    statistic rows) with the Django ORM, figure by figure:

    * key figures: per key indicator this year's and last year's count (the target's
      "realised" is the same number), and the benchmark index: the year counts of every
      peer (covered municipalities of the region for own records, the size class for
      published figures) per 1,000 inhabitants against the unweighted peer mean;
    * alerts: the last 19 months per early-warning key indicator and the Poisson / CUSUM
      tests of `monitoring.early_warning` on them;
    * trend: the 36 monthly totals; map: the year totals of the region's municipalities
      (of the indicator the page's chart shows: its first key figure).
    """
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from knooppunt.geo.models import Municipality
    from knooppunt.monitoring import early_warning as ew
    from knooppunt.monitoring.models import Statistic
    from knooppunt.signals.models import Signal

    out: dict[str, object] = {}
    month = ew._months_back(timezone.localdate().replace(day=1), 1)
    first_month = ew._months_back(month, ew.HISTORY_MONTHS + ew.CUSUM_WINDOW)
    peer_population = dict(Municipality.objects.filter(pk__in=f.peer_ids)
                           .values_list("pk", "population"))
    for code, theme in f.key_signals:
        qs = Signal.objects.all()
        if theme:
            qs = qs.filter(theme_id=f.theme_ids[theme])
        own = qs.filter(municipality_id=f.id)
        now = own.filter(received_on__year=f.year).count()
        before = own.filter(received_on__year=f.year - 1).count()
        peers = dict(qs.filter(municipality_id__in=f.peer_ids, received_on__year=f.year)
                     .values_list("municipality_id").annotate(n=Count("id")))
        by_month = dict(own.filter(received_on__gte=first_month,
                                   received_on__lt=ew._months_back(month, -1))
                        .annotate(m=TruncMonth("received_on")).values_list("m")
                        .annotate(n=Count("id")))
        series = [by_month.get(ew._months_back(month, n), 0)
                  for n in range(ew.HISTORY_MONTHS + ew.CUSUM_WINDOW, -1, -1)]
        alert = ew.poisson_test(series[-1], series[-ew.HISTORY_MONTHS - 1:-1], code,
                                f.code, "") or ew.cusum_test(
            series[-ew.CUSUM_WINDOW:], series[:-ew.CUSUM_WINDOW][-ew.HISTORY_MONTHS:], code,
            f.code, "")
        out[code] = (now, before, _index(f.id, peers, peer_population), alert is not None)
    size_population = dict(Municipality.objects.filter(code__in=f.peers)
                           .values_list("code", "population"))
    for code, crime_type in f.key_crime:
        crime = Statistic.objects.filter(crime_type_code=crime_type, period_type="maand")
        own = crime.filter(area_code=f.code)
        now = own.filter(period_start__year=f.year).aggregate(v=Sum("value"))["v"]
        before = own.filter(period_start__year=f.year - 1).aggregate(v=Sum("value"))["v"]
        peers = dict(crime.filter(area_code__in=f.peers, period_start__year=f.year)
                     .values_list("area_code").annotate(v=Sum("value")))
        out[code] = (now, before, _index(f.code, peers, size_population), False)
    if f.trend_crime:
        crime = Statistic.objects.filter(crime_type_code=f.trend_crime, period_type="maand")
        out["trend"] = list(crime.filter(area_code=f.code, period_start__year__gte=f.year - 2,
                                         period_start__year__lte=f.year)
                            .values("period_start").annotate(v=Sum("value")))
        out["map"] = list(crime.filter(area_code__in=f.region, period_start__year=f.year)
                          .values("area_code").annotate(v=Sum("value")))
        return out
    signals = Signal.objects.all()
    if f.trend_theme:
        signals = signals.filter(theme_id=f.theme_ids[f.trend_theme])
    out["trend"] = list(signals.filter(municipality_id=f.id,
                                       received_on__year__gte=f.year - 2,
                                       received_on__year__lte=f.year)
                        .annotate(m=TruncMonth("received_on")).values("m")
                        .annotate(n=Count("id")))
    out["map"] = list(signals.filter(municipality_id__in=f.region_ids,
                                     received_on__year=f.year)
                      .values("municipality_id").annotate(n=Count("id")))
    return out


def check_naive(f: FigureSet, user) -> str:
    """Do the naive figures equal the page's (value, previous year, benchmark index)?"""
    from knooppunt.monitoring import queries

    naive = naive_figures(f)
    compared = differ = 0
    for figure in queries.key_figures(user, f.code, f.year):
        code = figure.indicator.code
        now, before, index, _alert = naive[code]
        pairs = [(figure.current.value, now), (figure.benchmark_index, index)]
        if figure.previous is not None:
            pairs.append((figure.previous.value, before))
        for page_value, naive_value in pairs:
            if page_value is None:  # suppressed for the mayor: nothing to compare
                continue
            compared += 1
            if naive_value is None or abs(float(page_value) - float(naive_value)) > 0.051:
                differ += 1
                print(f"  naive differs: {code} page {page_value} naive {naive_value}")
    # The trend chart: every month the page shows (suppressed ones are not shown).
    months = {row.get("m") or row.get("period_start"): row.get("n", row.get("v"))
              for row in naive["trend"]}
    trend_compared = trend_differ = 0
    for figure in queries.series(user, f.trend_code, "gemeente", f.code, "maand",
                                 dt.date(f.year - 2, 1, 1), dt.date(f.year, 12, 31)):
        if figure.value is None:
            continue
        trend_compared += 1
        if abs(float(figure.value) - float(months.get(figure.period.start, 0))) > 0.051:
            trend_differ += 1
            print(f"  naive differs: trend {figure.period.start} page {figure.value}")
    return (f"{compared - differ} of {compared} key-figure numbers and "
            f"{trend_compared - trend_differ} of {trend_compared} trend months equal to the "
            "page's")


def load_engine():
    """The raw rows into embedded DuckDB through Arrow (as the analytics layer does)."""
    import pyarrow as pa

    from knooppunt.analytics.engine import DuckDBEngine, arrow_from_query

    engine = DuckDBEngine()
    signals = arrow_from_query(
        "SELECT municipality_id, theme_id, received_on FROM signals_signal", [],
        pa.schema([("municipality_id", pa.int64()), ("theme_id", pa.int64()),
                   ("received_on", pa.date32())]))
    crime = arrow_from_query(
        "SELECT area_code, crime_type_code, period_start, value FROM monitoring_statistic "
        "WHERE period_type = 'maand'", [],
        pa.schema([("area_code", pa.string()), ("crime_type_code", pa.string()),
                   ("period_start", pa.date32()), ("value", pa.int64())]))
    engine.register("signals", signals)
    engine.register("crime", crime)
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--municipalities", type=int, default=20)
    parser.add_argument("--naive", type=int, default=6)
    parser.add_argument("--database",
                        default="postgresql://postgres@127.0.0.1:5432/kp_dashboards_bench")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the data of an earlier run (skip generation and the job)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("KNOOPPUNT_TESTING", "1")  # no HTTPS redirect for the test client
    os.environ["DJANGO_SETTINGS_MODULE"] = "knooppunt.settings"
    os.environ.setdefault("KNOOPPUNT_ANALYTICS_THREADS", "2")
    # The shared figure cache as production has it (file-based), not the tests' LocMem.
    os.environ.setdefault("KNOOPPUNT_FIGURE_CACHE_BACKEND",
                          "django.core.cache.backends.filebased.FileBasedCache")
    os.environ.setdefault("KNOOPPUNT_FIGURE_CACHE_LOCATION",
                          tempfile.mkdtemp(prefix="kp-bench-figures-"))
    sys.path.insert(0, str(ROOT / "src"))
    last_year = dt.date.today().year - 1
    if not args.reuse:
        from bench_db import recreate

        recreate(args.database)
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    print(f"load: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    if not args.reuse:
        call_command("migrate", verbosity=0)
        from knooppunt.geo.loading import load_geography

        load_geography()
        timings = generate(args.rows, args.signals, last_year)
        print(f"generated: statistics {timings['statistics']:.0f} s, "
              f"signals {timings['signals']:.0f} s")
        from knooppunt.monitoring.benchmark import ensure_peer_groups
        from knooppunt.monitoring.compute import compute_all

        ensure_peer_groups()
        started = time.perf_counter()
        compute_all(force=True)
        print(f"monitoring job (compute_all, every indicator): "
              f"{time.perf_counter() - started:.0f} s")
    from knooppunt.monitoring.benchmark import ensure_peer_groups

    ensure_peer_groups()  # idempotent; a reused database may predate a peer-group kind
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts().items()))

    import random

    from django.test import Client

    from knooppunt.geo.models import Municipality
    from knooppunt.monitoring.models import AreaLevel, Indicator, Target
    from knooppunt.organisations.models import Membership, Organisation, Role
    from knooppunt.signals.models import Signal  # noqa: F401 - loaded for the ORM path

    rng = random.Random(5)
    sample = rng.sample(sorted(Municipality.objects.values_list("code", flat=True)),
                        args.municipalities)
    from django.contrib.auth import get_user_model

    users = {}
    for code in sample:
        org, _ = Organisation.objects.get_or_create(name=f"Gemeente {code} (benchmark)",
                                                    defaults={"kind": "gemeente"})
        org.municipalities.set(Municipality.objects.filter(code=code))
        user, _ = get_user_model().objects.get_or_create(username=f"bench-{code}")
        Membership.objects.get_or_create(user=user, organisation=org,
                                         defaults={"role": Role.BESTUURDER})
        users[code] = user
        for indicator in ("signalen-totaal", TREND_INDICATOR):
            Target.objects.get_or_create(
                indicator=Indicator.objects.get(code=indicator),
                area_level=AreaLevel.MUNICIPALITY, area_code=code, year=last_year,
                defaults={"value": 100, "basis": "benchmark"})

    client = Client()
    cpu: list[float] = []  # CPU seconds of this process per page (steadier under load)

    def page(code: str) -> float:
        client.force_login(users[code])
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/dashboard/gemeente/{code}/", {"jaar": last_year})
        elapsed = time.perf_counter() - started
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.status_code
        return elapsed

    from knooppunt.charts import render, vega
    from knooppunt.dashboards import warm
    from knooppunt.dashboards.figures import figure_cache

    def forget_in_process() -> None:
        """What a web process keeps for itself: chart SVGs, compiled Vega, spec skeletons."""
        render._cache.clear()
        render._compiled.cache_clear()
        vega._trend_skeleton.cache_clear()
        vega._bar_skeleton.cache_clear()

    page(sample[0])  # start-up: vl-convert's JavaScript engine, template loading
    # (c) the cold worst case: every cache emptied (figures, fragments, SVGs, skeletons)
    # before each page; (b) the same page viewed again at once, by the same process.
    cold, repeat, cold_cpu = [], [], []
    for code in sample:
        figure_cache().clear()
        forget_in_process()
        cold.append(page(code))
        cold_cpu.append(cpu[-1])
        repeat.append(page(code))
    # (a) as users get it after the job: the job's warm-up (`figures_computed` ->
    # `dashboards.warm`) for the year of the data, which ends with `last_year` (the job
    # warms the running year), then a web process that did not run the job.
    figure_cache().clear()
    forget_in_process()
    started = time.perf_counter()
    built = warm.warm(last_year)
    warm_seconds = time.perf_counter() - started
    forget_in_process()
    warmed = [page(code) for code in sample]
    cache_name = type(figure_cache()).__name__
    print(f"\npage /dashboard/gemeente/<code>/?jaar={last_year} ({len(sample)} municipalities, "
          f"real view; figure cache {cache_name}):")
    print(f"  (a) after the job warmed it        {_ms(warmed)}")
    print(f"  (b) repeat view                    {_ms(repeat)}")
    print(f"  (c) cold, every cache emptied      {_ms(cold)}")
    print(f"      (c) in CPU of this process     {_ms(cold_cpu)}   (without PostgreSQL's; "
          "the machine is shared)")
    print(f"  the job's warm-up: {built} pages in {warm_seconds:.1f} s "
          f"({warm_seconds / max(built, 1) * 1000:.0f} ms a page)")

    started = time.perf_counter()
    engine = load_engine()
    print(f"\nDuckDB: raw rows loaded through Arrow in {time.perf_counter() - started:.1f} s")
    sets = {code: FigureSet(code, last_year) for code in sample}
    duckdb_figures(engine, sets[sample[0]])  # warm-up
    duck, duck_cpu = [], []
    for code in sample:
        started, started_cpu = time.perf_counter(), time.process_time()
        duckdb_figures(engine, sets[code])
        duck.append(time.perf_counter() - started)
        duck_cpu.append(time.process_time() - started_cpu)
    print(f"DuckDB, same aggregates from the raw rows ({len(sample)}): {_ms(duck)}")
    print(f"      in CPU of this process (its {os.environ['KNOOPPUNT_ANALYTICS_THREADS']} "
          f"threads)            {_ms(duck_cpu)}")

    print(f"naive computes the page's figures: {check_naive(sets[sample[0]], users[sample[0]])}")
    naive = []
    for code in sample[: args.naive]:
        started = time.perf_counter()
        naive_figures(sets[code])
        naive.append(time.perf_counter() - started)
    print(f"naive, Django ORM on PostgreSQL per request ({len(naive)}): {_ms(naive)}")

    p95_duck, p95_naive = _p(duck, 95), _p(naive, 95)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average now (1, 5, 15 min): {load}")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    views = (("(a) after job", warmed), ("(b) repeat", repeat), ("(c) cold", cold))
    print("goals (issue 5), on p95:      " + "".join(f"{name:>22s}" for name, _v in views))
    cells = []
    for _name, values in views:
        p95 = _p(values, 95) * 1000
        cells.append(f"{p95:9.1f} ms {verdict(p95 < GOAL_P95_MS):>8s}")
    print(f"  page p95 < {GOAL_P95_MS:.0f} ms          " + "".join(f"{c:>22s}" for c in cells))
    cells = []
    for _name, values in views:
        ratio = _p(values, 95) / p95_duck
        cells.append(f"{ratio:9.2f}x   {verdict(ratio <= GOAL_DUCKDB_RATIO):>8s}")
    print(f"  page <= {GOAL_DUCKDB_RATIO}x DuckDB         " + "".join(f"{c:>22s}" for c in cells))
    cells = []
    for _name, values in views:
        factor = p95_naive / _p(values, 95)
        cells.append(f"{factor:9.1f}x   {verdict(factor >= GOAL_NAIVE_FACTOR):>8s}")
    print(f"  page >= {GOAL_NAIVE_FACTOR:.0f}x faster than naive " +
          "".join(f"{c:>22s}" for c in cells))
    engine.close()


if __name__ == "__main__":
    main()
