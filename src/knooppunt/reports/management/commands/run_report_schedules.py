"""`knooppunt run_report_schedules`: make the scheduled reports that are due (for cron).

Safe to run as often as you like (e.g. daily): a period of a schedule is made once.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from knooppunt.reports.schedules import run_due


class Command(BaseCommand):
    help = ("Maakt de ingeplande rapportages die aan de beurt zijn, bewaart ze en mailt "
            "de ontvangers een link. / Makes the scheduled reports that are due.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Doe alsof het deze dag is (JJJJ-MM-DD).")

    def handle(self, *args, today: str | None = None, **options) -> None:
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"Geen geldige datum: {today!r} (JJJJ-MM-DD). / "
                                   "Not a valid date.") from error
        result = run_due(day)
        for report in result.made:
            self.stdout.write(f"gemaakt: {report.kind} {report.subject_code} {report.period} "
                              f"(#{report.pk}, {report.page_count} blz.)")
        for failure in result.failed:
            self.stderr.write(f"niet gemaakt: planning {failure}")
        self.stdout.write(f"{len(result.made)} rapportage(s) gemaakt, {result.mailed} "
                          f"e-mail(s) verstuurd, {len(result.failed)} mislukt.")
