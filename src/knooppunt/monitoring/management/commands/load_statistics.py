"""`knooppunt load_statistics`: the real shipped figures and the size-class peer groups."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from knooppunt.monitoring.benchmark import ensure_peer_groups
from knooppunt.monitoring.external import load_real_figures


class Command(BaseCommand):
    help = ("Laadt de echte cijfers (misdrijven 2023 per gemeente, landelijk 2012-2023) en "
            "maakt de vergelijkingsgroepen naar grootteklasse. Veilig om te herhalen.")

    def handle(self, *args, **options):
        self.stdout.write(f"statistieken: {load_real_figures()}")
        self.stdout.write(f"vergelijkingsgroepen: {ensure_peer_groups()}")
