"""`knooppunt serve`: the production web server (gunicorn, static files by WhiteNoise)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from knooppunt.web.server import ServerOptions, default_workers, serve


class Command(BaseCommand):
    help = (
        "Start de webserver (gunicorn) voor productie. / Start the production web server "
        "(gunicorn)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000",
                            help="Adres en poort (standaard 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, default=0,
                            help=f"Aantal processen (standaard {default_workers()} op deze "
                                 "machine: twee per kern, hoogstens 8).")
        parser.add_argument("--threads", type=int, default=8,
                            help="Threads per proces (standaard 8).")
        parser.add_argument("--timeout", type=int, default=120,
                            help="Seconden voordat een vastgelopen verzoek wordt afgebroken.")
        parser.add_argument("--access-log", action="store_true",
                            help="Elk verzoek op standaarduitvoer loggen.")
        parser.add_argument("--with-jobs", action="store_true",
                            help="Ook de achtergrondtaken starten (aanleveringen, indicatoren) "
                                 "in een eigen proces.")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="Statische bestanden niet eerst verzamelen.")

    def handle(self, *args, **options):
        addrport = options["addrport"]
        if ":" not in addrport or not addrport.rsplit(":", 1)[1].isdigit():
            raise CommandError(
                f"Ongeldig adres '{addrport}': gebruik host:poort, bijv. 127.0.0.1:8000. / "
                "Invalid address: use host:port."
            )
        for name in ("workers", "threads", "timeout"):
            if options[name] < 0 or (name != "workers" and options[name] == 0):
                raise CommandError(f"--{name} moet positief zijn. / --{name} must be positive.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        serve(
            ServerOptions(bind=addrport, workers=options["workers"], threads=options["threads"],
                          timeout=options["timeout"], access_log=options["access_log"]),
            with_jobs=options["with_jobs"],
        )
