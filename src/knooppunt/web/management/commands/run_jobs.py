"""`knooppunt run_jobs`: the background jobs of a running Knooppunt in one process.

Processes queued deliveries, keeps indicator values (and the dashboards' warmed
figures) fresh and re-evaluates stale forecast evaluations once an hour
(`forecasts.jobs`). `knooppunt serve --with-jobs` and the demo start it beside the server;
production may run it, or `intake_worker` and `compute_indicators --watch`, under its
process supervisor instead.
"""

from __future__ import annotations

import contextlib
import signal
import threading

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Achtergrondtaken: aanleveringen verwerken en indicatoren bijwerken."

    def add_arguments(self, parser):
        parser.add_argument("--refresh-seconds", type=float, default=60.0,
                            help="Seconden tussen twee rondes indicatoren (standaard 60).")

    def handle(self, *args, **options):
        from knooppunt.forecasts.jobs import start_refresh_thread as start_forecast_thread
        from knooppunt.intake.jobs import start_worker_thread
        from knooppunt.monitoring.jobs import start_refresh_thread

        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        start_worker_thread()
        start_refresh_thread(options["refresh_seconds"])
        start_forecast_thread()
        with contextlib.suppress(KeyboardInterrupt):
            stopped.wait()
