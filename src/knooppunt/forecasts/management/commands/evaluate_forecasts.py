"""(Re)evaluate place-based forecasts on an events dataset: `evaluate_forecasts CODE`.

Runs the rolling-origin backtest over the twelve months of a year (by default the last
year whose December holds events) for all offences and, with --offence, one offence, and stores
each evaluation with its data version. Meant for a schedule (cron/systemd timer).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max

from knooppunt.analytics.forecasts import ForecastRefused
from knooppunt.analytics.hotspots import TooManyCells
from knooppunt.events.models import EventDataset, OffenceCode
from knooppunt.forecasts.evaluation import evaluate


class Command(BaseCommand):
    help = "Backtest place-based forecasts on an events dataset and store the evaluation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("dataset", help="code of the events dataset")
        parser.add_argument("--offence", action="append", default=[],
                            help="offence code (repeatable); without it: all offences")
        parser.add_argument("--year", type=int, help="year to backtest (default: the last "
                            "complete year of the data)")
        parser.add_argument("--cell", type=int, default=250, choices=(100, 250, 500))
        parser.add_argument("--horizon", type=int, default=1, choices=(1, 3))

    def handle(self, *args, **options) -> None:
        try:
            dataset = EventDataset.objects.get(code=options["dataset"])
        except EventDataset.DoesNotExist as error:
            raise CommandError(f"Onbekend incidentenbestand / unknown dataset: "
                               f"{options['dataset']}") from error
        year = options["year"]
        if year is None:
            last = dataset.events.aggregate(last=Max("occurred_on"))["last"]
            if last is None:
                raise CommandError("Het bestand heeft geen incidenten / no events.")
            # The last year whose December holds events counts as complete.
            year = last.year if last.month == 12 else last.year - 1
        offences: list[OffenceCode | None] = [None]
        for code in options["offence"]:
            try:
                offences.append(OffenceCode.objects.get(code_list=dataset.code_list, code=code))
            except OffenceCode.DoesNotExist as error:
                raise CommandError(f"Onbekende delictcode / unknown offence: {code}") from error
        for offence in offences:
            label = offence.code if offence else "alle delicten"
            try:
                stored = evaluate(dataset, offence=offence, year=year,
                                  cell_size=options["cell"], horizon=options["horizon"])
            except ForecastRefused as refused:
                self.stderr.write(f"{label}: geweigerd: {refused.message_nl} / "
                                  f"refused: {refused.message_en}")
                continue
            except TooManyCells as refused:
                self.stderr.write(f"{label}: geweigerd, te veel cellen / refused: {refused}")
                continue
            self.stdout.write(f"{label} {stored.first_month}–{stored.last_month}: "
                              f"{stored.shown_method} ({stored.reason_en}) "
                              f"[{stored.seconds:.1f} s, {stored.data_version}]")
