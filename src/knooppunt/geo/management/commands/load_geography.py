"""`knooppunt load_geography [--source DIR]`: load or refresh the 2024 geography."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from knooppunt.geo.loading import GeographyError, load_geography


class Command(BaseCommand):
    help = "Laadt gemeenten, veiligheidsregio's, provincies, wijken en buurten (2024)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="Map met de bronbestanden (standaard: de kopie in het pakket).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = load_geography(options.get("source"))
        except (GeographyError, OSError, ValueError) as exc:
            raise CommandError(f"Geografie niet geladen: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.municipalities} gemeenten, {result.safety_regions} veiligheidsregio's, "
                f"{result.provinces} provincies, {result.police_units} politie-eenheden, "
                f"{result.districts} wijken, {result.neighbourhoods} buurten geladen "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
