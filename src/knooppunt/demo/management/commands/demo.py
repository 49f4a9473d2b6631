"""`knooppunt demo`: a working Knooppunt with a synthetic region in one command.

Creates or updates the database (SQLite by default), migrates, loads the real geography,
builds the demo region (organisations, accounts, three years of synthetic signals) and
serves it on http://127.0.0.1:8000. Running it again refreshes the synthetic signals and
resets the demo accounts; nothing is duplicated.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from knooppunt.demo.builder import DEFAULT_REGION, DEFAULT_SEED, DemoError, DemoResult, build_demo
from knooppunt.demo.users import DEMO_PASSWORD, demo_totp_secret
from knooppunt.geo.loading import GeographyError, load_geography
from knooppunt.organisations.models import Role
from knooppunt.taxonomy.models import Theme


class Command(BaseCommand):
    help = (
        "Bouwt een demo-omgeving met een synthetische regio (standaard Twente) en start de "
        "webserver op http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default=DEFAULT_REGION,
                            help="Veiligheidsregio, VR01 t/m VR25 (standaard VR05, Twente).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="Startwaarde van de toevalsgenerator (zelfde waarde, zelfde "
                                 "demo).")
        parser.add_argument("--years", type=float, default=3.0,
                            help="Aantal jaren signalen terug vanaf vandaag (standaard 3).")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Vermenigvuldiger voor het aantal signalen (standaard 1).")
        parser.add_argument("--no-serve", action="store_true",
                            help="Alleen opbouwen, geen webserver starten.")
        parser.add_argument("--addrport", default="127.0.0.1:8000",
                            help="Adres en poort van de webserver (standaard 127.0.0.1:8000).")

    def handle(self, *args, **options):
        started = time.perf_counter()
        self._ensure_database_directory()
        self.stdout.write("Database bijwerken (migraties)…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Gemeenten, regio's en buurten laden (CBS, Kadaster/PDOK)…")
        try:
            load_geography()
        except (GeographyError, OSError) as exc:
            raise CommandError(f"Geografie niet geladen: {exc}") from exc
        self.stdout.write(f"Demoregio {options['region'].upper()} opbouwen…")
        try:
            result = build_demo(
                options["region"],
                seed=options["seed"],
                years=options["years"],
                scale=options["scale"],
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        from knooppunt.intake.demo import build_demo_deliveries

        deliveries = build_demo_deliveries(result.organisations)
        self.stdout.write(f"{deliveries} demo-aanleveringen van partners verwerkt.")
        from knooppunt.events.demo import build_demo_events

        events = build_demo_events(result.organisations, years=options["years"],
                                   scale=options["scale"], seed=options["seed"])
        self.stdout.write(f"{events} politie-incidenten (demo) aangeleverd.")
        self._build_monitoring(result, options)
        from django.utils import timezone

        from knooppunt.forecasts.demo import build_demo_forecasts

        self.stdout.write("Voorspellingen van hennepsignalen en drugshandel evalueren (12 maanden "
                          "terug)…")
        for line in build_demo_forecasts(result.region.code, timezone.localdate()):
            self.stdout.write(line)
        self._report(result, time.perf_counter() - started)
        if options["no_serve"]:
            return
        # The demo runs with DEBUG off; collected static files let WhiteNoise serve them.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"Knooppunt demo draait op http://{options['addrport']}/ (stoppen: Ctrl+C)."
        ))
        from knooppunt.web.server import ServerOptions, serve

        # The production server (gunicorn), with the background jobs (queued deliveries,
        # indicator refresh) in a process of their own beside it.
        serve(ServerOptions(bind=options["addrport"]), with_jobs=True)

    def _build_monitoring(self, result: DemoResult, options) -> None:
        # After the deliveries: the indicators count every signal that is in by now.
        from knooppunt.monitoring.demo import build_monitoring

        self.stdout.write("Indicatoren, streefcijfers en signaleringen berekenen…")
        coordinator = next(u for spec, u, _ in result.users if spec.role == Role.COORDINATOR)
        police_unit = result.region.police_unit
        monitoring = build_monitoring(
            result.organisations.municipalities, police_unit.code if police_unit else "",
            user=coordinator, seed=options["seed"], years=options["years"],
        )
        self.stdout.write(
            f"Monitoring: {monitoring.statistics} statistieken, {monitoring.indicator_values} "
            f"indicatorwaarden, {monitoring.targets} streefcijfers, {monitoring.alerts} "
            "signaleringen."
        )

    def _ensure_database_directory(self) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] == "django.db.backends.sqlite3":
            name = str(database["NAME"])
            if name and name != ":memory:" and not name.startswith("file:"):
                Path(name).parent.mkdir(parents=True, exist_ok=True)

    def _report(self, result: DemoResult, seconds: float) -> None:
        orgs, signals = result.organisations, result.signals
        out = self.stdout
        out.write("")
        out.write(self.style.MIGRATE_HEADING(
            f"Demoregio {result.region.name} ({result.region.code}), "
            f"{len(orgs.municipalities)} gemeenten"
        ))
        out.write(f"  Organisaties:       {len(orgs.all())}")
        out.write(f"  Convenanten:        {len(orgs.covenants)}")
        out.write(f"  Gebruikers:         {len(result.users)}")
        out.write(f"  Signalen:           {signals.created} (synthetisch; {signals.deleted} "
                  "vorige vervangen)")
        out.write(f"  Statuswijzigingen:  {signals.status_changes}")
        if signals.register is not None:
            reg = signals.register
            out.write(f"  Adresregister:      {reg.addresses} adressen, {reg.companies} "
                      f"bedrijven, {reg.anomalies} energie-afwijkingen; {reg.unresolved} "
                      "signalen met een niet gevonden adres")
        names = dict(Theme.objects.values_list("code", "name"))
        for code, count in sorted(signals.per_theme.items(), key=lambda item: -item[1]):
            out.write(f"    {names.get(code, code):<34} {count:>6}")
        if result.cases is not None:
            c = result.cases
            out.write(f"  Casussen:           {c.cases} in {c.forums} overleggen, "
                      f"{c.meetings} vergaderingen, {c.decisions} besluiten, "
                      f"{c.interventions} interventies, {c.overdue} over de termijn, "
                      "€ " + f"{c.recovered:,.0f}".replace(",", ".") + " afgepakt")
        out.write(f"  Tijd:               {seconds:.1f} s")
        out.write("")
        out.write(self.style.MIGRATE_HEADING("Demo-accounts"))
        rows = [("Gebruikersnaam", "Rol", "Organisatie", "Functie")]
        rows += [(spec.username, Role(spec.role).label, org.name, spec.function)
                 for spec, _user, org in result.users]
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            line = "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True))
            out.write("  " + line.rstrip())
            if index == 0:
                out.write("  " + "  ".join("-" * w for w in widths))
        rural_id = signals.rural.get("municipality_id") if signals.rural else None
        if rural_id:
            from knooppunt.demo.users import municipality_slug
            from knooppunt.geo.models import Municipality

            name = Municipality.objects.get(pk=rural_id).name
            # The rural municipality's list of vulnerable places is worked by its own
            # coordinator; a new user cannot guess that account's name from the table.
            out.write(f"  Kwetsbare plekken buitengebied ({name}, vijf jaar): "
                      f"coordinator.{municipality_slug(name)}, /kwetsbare-plekken/")
            out.write("  Elke andere gemeente heeft een coördinator: coordinator.<gemeente>.")
        out.write(f"  Wachtwoord voor alle accounts: {DEMO_PASSWORD}")
        out.write("  Tweede factor (coördinatoren, analisten, beheerder): demosleutel "
                  f"{demo_totp_secret()}; de inlogpagina van de demo toont de code.")
        out.write("  Beheer (Django-admin): /beheer/ met account 'beheerder'.")
        out.write("")
