"""`knooppunt compute_indicators [--force] [--indicator CODE ...] [--alerts]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

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

    def handle(self, *args, force=False, codes=None, alerts=False, **options):
        results = compute_all(force=force, codes=codes)
        for r in results:
            state = f"{r.values} waarden in {r.seconds:.2f} s" if r.recomputed else "ongewijzigd"
            self.stdout.write(f"{r.indicator}: {state}")
        if alerts:
            from knooppunt.monitoring.early_warning import evaluate

            fired = evaluate()
            self.stdout.write(f"signaleringen: {len(fired)}")
