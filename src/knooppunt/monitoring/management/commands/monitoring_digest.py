"""`knooppunt monitoring_digest [--days 7] [--dry-run]`: the weekly early-warning digest."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from knooppunt.monitoring.digest import send_digests


class Command(BaseCommand):
    help = ("Stuurt iedere coördinator, analist en bestuurder met een e-mailadres de nieuwe "
            "signaleringen van de afgelopen week die hij of zij mag zien (met --dry-run: "
            "alleen tonen).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days=7, dry_run=False, **options):
        for digest in send_digests(days=days, send=not dry_run):
            self.stdout.write(f"== {digest.recipient} ({len(digest.alerts)} signaleringen)")
            if dry_run:
                self.stdout.write(digest.body)
