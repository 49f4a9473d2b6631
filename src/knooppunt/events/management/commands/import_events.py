"""`knooppunt import_events FILE --dataset CODE [--crs EPSG] ...`: police incidents through
the delivery machinery (the dataset's events profile), like `import-signals`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from knooppunt.events.datasets import NETHERLANDS, DatasetSpec, ensure_dataset
from knooppunt.events.models import CodeList, EventDataset
from knooppunt.events.placing import UnknownCRS
from knooppunt.intake.models import DeliveryStatus
from knooppunt.intake.submit import submit
from knooppunt.organisations.models import Organisation


def _area(text: str) -> tuple[float, float, float, float]:
    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError as exc:
        raise CommandError("--area: vier getallen, bijv. 43.58,43.86,-79.64,-79.11") from exc
    if len(parts) != 4 or parts[0] >= parts[1] or parts[2] >= parts[3]:
        raise CommandError("--area: min. breedte, max. breedte, min. lengte, max. lengte.")
    return parts  # type: ignore[return-value]


class Command(BaseCommand):
    help = ("Leest politie-incidenten (CSV of XLSX) in een incidentenbestand in, via het "
            "aanleverprofiel van dat bestand (alles of niets, herkent eerdere regels).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dataset", required=True, help="Code van het incidentenbestand.")
        parser.add_argument("--organisation", help="Id of naam van de houder (politie); "
                            "nodig bij een nieuw bestand.")
        parser.add_argument("--name", help="Naam van een nieuw bestand.")
        parser.add_argument("--crs", type=int, help="EPSG-code van het geprojecteerde stelsel "
                            "(standaard 28992, RD New).")
        parser.add_argument("--country", help="Landcode (NL: in een Nederlandse gemeente).")
        parser.add_argument("--area", help="Gebied van het bestand: min. breedte, max. "
                            "breedte, min. lengte, max. lengte (standaard Nederland).")
        parser.add_argument("--code-list", help="Codelijst (standaard politie-nl).")
        parser.add_argument("--source", help="Herkomst en licentie.")
        parser.add_argument("--user", help="Gebruikersnaam van de aanleveraar.")

    def _dataset(self, options) -> EventDataset:
        existing = EventDataset.objects.filter(code=options["dataset"]).first()
        given = [k for k in ("organisation", "name", "crs", "country", "area", "code_list",
                             "source") if options.get(k) is not None]
        if existing and not given:
            return existing
        lookup = options.get("organisation") or (
            str(existing.organisation_id) if existing else None)
        if not lookup:
            raise CommandError("Nieuw incidentenbestand: geef --organisation (de houder).")
        org = Organisation.objects.filter(
            **({"pk": int(lookup)} if lookup.isdigit() else {"name": lookup})).first()
        if org is None:
            raise CommandError(f"Onbekende organisatie '{lookup}'.")
        base = existing
        spec = DatasetSpec(
            code=options["dataset"], organisation=org,
            name=options.get("name") or (base.name if base else options["dataset"]),
            crs=options.get("crs") or (base.crs if base else 28992),
            country=options.get("country") or (base.country if base else "NL"),
            area=_area(options["area"]) if options.get("area") else (
                (base.min_latitude, base.max_latitude, base.min_longitude,
                 base.max_longitude) if base else NETHERLANDS),
            code_list=options.get("code_list") or (
                base.code_list.code if base else "politie-nl"),
            source=options.get("source") or (base.source if base else ""),
        )
        try:
            return ensure_dataset(spec)
        except UnknownCRS as exc:
            raise CommandError(str(exc)) from exc
        except CodeList.DoesNotExist as exc:
            codes = ", ".join(CodeList.objects.values_list("code", flat=True))
            raise CommandError(f"Onbekende codelijst. Kies uit: {codes}.") from exc

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")
        dataset = self._dataset(options)
        org = dataset.organisation
        users = get_user_model().objects.filter(
            memberships__organisation=org,
            memberships__role__in=["medewerker", "analist", "coordinator"], is_active=True)
        user = (users.filter(username=options["user"]).first() if options.get("user")
                else users.order_by("pk").first())
        if user is None:
            raise CommandError("Geen gebruiker gevonden die namens de houder mag aanleveren "
                               "(gebruik --user).")

        def progress(delivery):
            self.stderr.write(f"\r{delivery.rows_done} regels", ending="")

        delivery = submit(profile=dataset.profile, organisation=org, user=user, data=path,
                          filename=path.name, channel="cli", inline=True, progress=progress)
        self.stderr.write("")
        self.stdout.write(f"Aanlevering {delivery.pk}: {delivery.get_status_display()}")
        self.stdout.write(f"incidentenbestand: {dataset.code} (EPSG:{dataset.crs})")
        self.stdout.write(f"opgeslagen: {delivery.accepted}")
        self.stdout.write(f"afgekeurd: {delivery.rejected}")
        self.stdout.write(f"al ontvangen: {delivery.duplicates}")
        for error in delivery.errors.all()[:50]:
            column = f" [{error.column}]" if error.column else ""
            self.stdout.write(f"  regel {error.line}{column}: {error.reason}")
        if delivery.status != DeliveryStatus.ACCEPTED:
            self.stdout.flush()
            sys.exit(1)
