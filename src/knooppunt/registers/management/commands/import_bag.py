"""`knooppunt import_bag FILE` (alias `import-bag`): load a BAG extract in CSV form."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knooppunt.registers.bag_import import OPTIONAL, REQUIRED, import_bag_csv


class Command(BaseCommand):
    help = (
        "Laad een BAG-extract (CSV) in het lokale adresregister; opnieuw laden werkt bij. "
        f"Verplichte kolommen: {', '.join(REQUIRED)}. Optioneel: {', '.join(OPTIONAL)}. "
        "x en y in RD (EPSG:28992); scheidingsteken ; of ,; UTF-8 of Windows-1252. "
        "Zie docs/registers.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="BAG-extract", help="Naam van de bron.")
        parser.add_argument("--source-date", type=date.fromisoformat, default=None,
                            help="Peildatum van het extract (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args, file: Path, source: str, source_date, **options):
        if not file.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")
        started = time.perf_counter()
        try:
            result = import_bag_csv(file, source=source, source_date=source_date)
        except ValueError as exc:
            raise CommandError(f"Bestand geweigerd: {exc}") from exc
        seconds = time.perf_counter() - started
        for line, reason in result.rejected[:50]:
            self.stderr.write(f"regel {line}: {reason}")
        if len(result.rejected) > 50:
            self.stderr.write(f"... en nog {len(result.rejected) - 50} geweigerde regels")
        rate = result.stored / seconds if seconds else 0
        self.stdout.write(
            f"gelezen {result.read}, opgeslagen {result.stored}, geweigerd "
            f"{len(result.rejected)}, buiten gemeentegrenzen {result.outside} "
            f"({seconds:.1f} s, {rate:,.0f} adressen/s)"
        )
