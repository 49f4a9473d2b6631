"""`knooppunt import-statistics --table 47022NED FILE [--published 2025-01-31]`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knooppunt.monitoring.statistics_import import ImportRefused, import_statistics


class Command(BaseCommand):
    help = ("Leest een CBS/Politie-tabel (CSV zoals 47022NED of 47018NED) in: alles of "
            "niets, elke afgekeurde regel met nummer en reden.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--table", required=True, help="Tabelnummer, bijv. 47022NED.")
        parser.add_argument("--published", help="Publicatiedatum (JJJJ-MM-DD).")
        parser.add_argument("--source", help="Bronvermelding (standaard afgeleid van de tabel).")

    def handle(self, *args, file, table, published=None, source=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")
        published_on = None
        if published:
            try:
                published_on = date.fromisoformat(published)
            except ValueError as error:
                raise CommandError("--published moet een datum zijn (JJJJ-MM-DD).") from error
        try:
            report = import_statistics(path.read_bytes(), file_name=path.name, table=table,
                                       published_on=published_on, source=source)
        except ImportRefused as refused:
            self.stdout.write("Niet ingelezen; er is niets opgeslagen.")
            for line, message in refused.errors[:100]:
                self.stdout.write(f"  regel {line}: {message}" if line else f"  {message}")
            if len(refused.errors) > 100:
                self.stdout.write(f"  ... en nog {len(refused.errors) - 100} regels")
            self.stdout.flush()
            sys.exit(1)
        if report.already_imported:
            self.stdout.write(f"Dit bestand is al ingelezen (import {report.statistic_import.pk}); "
                              "niets veranderd.")
            return
        self.stdout.write(f"Import {report.statistic_import.pk}: {report.rows} cijfers, "
                          f"waarvan {report.withheld} niet gepubliceerd (leeg).")
        for reason, count in sorted(report.skipped.items()):
            self.stdout.write(f"  overgeslagen: {count} regels ({reason})")
        # The indicators over this table are recomputed now (others stay as they are).
        from knooppunt.monitoring.compute import compute_all

        changed = [r.indicator for r in compute_all() if r.recomputed]
        if changed:
            self.stdout.write(f"Opnieuw berekend: {', '.join(changed)}")
