"""`manage.py propose_matches`: store new candidate matches between person entities."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from knooppunt.analytics.linkage import DEFAULT_THRESHOLD
from knooppunt.matches.proposing import propose_matches


class Command(BaseCommand):
    help = "Stel kandidaat-koppelingen tussen personen voor (nooit een samenvoeging)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
        parser.add_argument("--threads", type=int, default=2)

    def handle(self, *args, threshold: float, threads: int, **options) -> None:
        found = propose_matches(threshold=threshold, threads=threads)
        self.stdout.write(f"{found.records} personen, {found.candidates} kandidaten, "
                          f"{found.added} nieuw voorgesteld")
