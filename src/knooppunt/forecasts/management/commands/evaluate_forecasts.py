"""(Re)evaluate place-based forecasts: `evaluate_forecasts CODE` for a whole events
dataset, `evaluate_forecasts --theme hennepteelt --area VR05` for a theme's signals in an
area, `evaluate_forecasts CODE --area GM0153 [--offence 3.1.1]` for a Dutch dataset's
police incidents in an area.

For a whole dataset: the rolling-origin backtest over the twelve months of a year (by
default the last year whose December holds events) for all offences and, with --offence, one
offence. In an area (signals or incidents): the last twelve complete forecast periods before
today, in each area given (with --offence: per offence, else all offences). Each evaluation
is stored with its data version. Meant for a schedule (cron/systemd timer); `knooppunt
run_jobs` also re-evaluates stale signal evaluations (`forecasts.jobs`).
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
        parser.add_argument("dataset", nargs="?", help="code of the events dataset")
        parser.add_argument("--theme", help="signals of this theme (instead of a dataset)")
        parser.add_argument("--area", action="append", default=[],
                            help="with --theme: region, municipality or wijk code "
                                 "(repeatable)")
        parser.add_argument("--offence", action="append", default=[],
                            help="offence code (repeatable); without it: all offences")
        parser.add_argument("--year", type=int, help="year to backtest (default: the last "
                            "complete year of the data)")
        parser.add_argument("--cell", type=int, choices=(100, 250, 500),
                            help="cell size in m (default 250 for a dataset, 500 for "
                                 "signals)")
        parser.add_argument("--horizon", type=int, default=1, choices=(1, 3))

    def handle(self, *args, **options) -> None:
        if options["theme"] or options["area"]:
            self._areas(options)
            return
        if not options["dataset"]:
            raise CommandError("Geef een incidentenbestand of --theme met --area / give a "
                               "dataset or --theme with --area.")
        options["cell"] = options["cell"] or 250
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

    def _targets(self, options) -> list:
        from knooppunt.analytics.hotspot_service import HotspotError
        from knooppunt.forecasts.targets import resolve

        if options["theme"] and options["dataset"]:
            raise CommandError("Geef --theme of een incidentenbestand, niet allebei / give "
                               "--theme or a dataset, not both.")
        try:
            if options["theme"]:
                return [resolve(theme=options["theme"])]
            return [resolve(incidents=options["dataset"], offence=code)
                    for code in options["offence"] or [""]]
        except HotspotError as error:
            raise CommandError(f"{error} ({error.param})") from error

    def _areas(self, options) -> None:
        from django.utils import timezone

        from knooppunt.analytics.hotspot_service import HotspotError
        from knooppunt.forecasts.evaluation import evaluate_area

        if not options["area"]:
            raise CommandError("Geef minstens één --area / give at least one --area.")
        for target in self._targets(options):
            for code in options["area"]:
                label = f"{target.code} {code}"
                try:
                    stored = evaluate_area(target, code, today=timezone.localdate(),
                                           cell_size=options["cell"] or 500,
                                           horizon=options["horizon"])
                except ForecastRefused as refused:
                    self.stderr.write(f"{label}: geweigerd: {refused.message_nl} / "
                                      f"refused: {refused.message_en}")
                    continue
                except (TooManyCells, HotspotError) as refused:
                    self.stderr.write(f"{label}: geweigerd / refused: {refused}")
                    continue
                self.stdout.write(f"{label} {stored.first_month}–{stored.last_month}: "
                                  f"{stored.shown_method} ({stored.reason_en}) "
                                  f"[{stored.seconds:.1f} s, {stored.data_version}]")
