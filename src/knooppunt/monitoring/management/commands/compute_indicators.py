"""`knooppunt compute_indicators [--force] [--indicator CODE ...] [--alerts]`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from knooppunt.monitoring.compute import compute_all


class Command(BaseCommand):
    help = ("Berekent indicatorwaarden opnieuw waar de brongegevens veranderd zijn "
            "(met --force: alle), en toetst daarna op ongewone stijgingen (--alerts).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Alles opnieuw berekenen.")
        parser.add_argument("--indicator", action="append", dest="codes",
                            help="Alleen deze indicator (code); mag vaker.")
        parser.add_argument("--alerts", action="store_true",
                            help="Daarna de vroegsignalering voor de laatste maand draaien.")
        parser.add_argument("--watch", type=int, metavar="SECONDEN",
                            help="Blijf draaien en kijk elke SECONDEN of de gegevens "
                            "veranderd zijn (goedkoop als er niets veranderde).")

    def handle(self, *args, force=False, codes=None, alerts=False, watch=None, **options):
        if watch is not None and watch < 1:
            raise CommandError("--watch moet ten minste 1 seconde zijn.")
        self._run(force, codes, alerts)
        while watch:
            time.sleep(watch)
            self._run(False, codes, alerts)

    def _run(self, force, codes, alerts) -> None:
        results = compute_all(force=force, codes=codes)
        for r in results:
            state = f"{r.values} waarden in {r.seconds:.2f} s" if r.recomputed else "ongewijzigd"
            self.stdout.write(f"{r.indicator}: {state}")
        if alerts and any(r.recomputed for r in results):
            from knooppunt.monitoring.early_warning import evaluate

            fired = evaluate()
            self.stdout.write(f"signaleringen: {len(fired)}")
        from knooppunt.monitoring.events import announce

        announce([r.indicator for r in results if r.recomputed])
