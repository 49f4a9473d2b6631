"""knooppunt case_digest [--date YYYY-MM-DD] [--send]: the daily deadline digest."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from knooppunt.cases import digest


class Command(BaseCommand):
    help = "Dagelijks overzicht van casussen over (of bijna over) de beslistermijn."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Peildatum (standaard vandaag), JJJJ-MM-DD.")
        parser.add_argument("--send", action="store_true",
                            help="Ook mailen (Django-mailinstellingen) aan coördinatoren "
                            "met een e-mailadres.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Geef de datum als JJJJ-MM-DD, bijv. 2026-11-25.") from exc
        failures: list[str] = []
        digests = digest.run(today, send=options["send"], failures=failures)
        for item in digests:
            self.stdout.write(f"== {item.user.get_username()} ==")
            self.stdout.write(item.text(today))
        for failure in failures:
            self.stderr.write(f"Mail niet verstuurd aan {failure}; controleer EMAIL_HOST.")
        self.stdout.write(self.style.SUCCESS(
            f"{len(digests)} overzicht(en); "
            f"{sum(len(d.overdue) for d in digests)} casus(sen) over de termijn."))
