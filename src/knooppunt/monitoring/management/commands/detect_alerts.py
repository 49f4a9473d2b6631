"""`knooppunt detect_alerts [--month 2025-03]`: early warning for one month."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from knooppunt.monitoring.early_warning import evaluate


class Command(BaseCommand):
    help = "Toetst de laatste volledige maand (of --month JJJJ-MM) op ongewone stijgingen."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="Maand als JJJJ-MM (standaard de vorige maand).")

    def handle(self, *args, month=None, **options):
        day = None
        if month:
            try:
                day = date.fromisoformat(f"{month}-01")
            except ValueError as error:
                raise CommandError("--month moet JJJJ-MM zijn, bijv. 2025-03.") from error
        for alert in evaluate(day):
            self.stdout.write(alert.reason)
