"""`knooppunt intake_worker`: process queued deliveries (large files) in the background."""

from django.core.management.base import BaseCommand

from knooppunt.intake import jobs


class Command(BaseCommand):
    help = "Verwerkt aanleveringen die in de wachtrij staan."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Stop als de wachtrij leeg is.")
        parser.add_argument("--poll", type=float, default=2.0, help="Seconden tussen pogingen.")

    def handle(self, *args, once=False, poll=2.0, **options):
        if once:
            count = jobs.run_pending()
            self.stdout.write(f"{count} aanlevering(en) verwerkt.")
            return
        self.stdout.write("Worker gestart; stoppen met Ctrl-C.")
        jobs.work_forever(poll)
