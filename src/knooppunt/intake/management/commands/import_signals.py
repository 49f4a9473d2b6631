"""`knooppunt import-signals --profile NAME --organisation ID_OR_NAME FILE`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from knooppunt.intake.models import DeliveryProfile, DeliveryStatus
from knooppunt.intake.submit import submit
from knooppunt.organisations import permissions
from knooppunt.organisations.models import Organisation
from knooppunt.signals.bulkload import allow_locking


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width if not total else min(width, width * done // total)
    return "[" + "#" * filled + "." * (width - filled) + f"] {done} regels"


class Command(BaseCommand):
    help = "Leest een aanlevering (CSV of XLSX) in volgens een aanleverprofiel."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--profile", required=True, help="Code van het aanleverprofiel.")
        parser.add_argument("--organisation", required=True,
                            help="Id of naam van de aanleverende organisatie.")
        parser.add_argument("--user", help="Gebruikersnaam van de aanleveraar (lid van de "
                            "organisatie); standaard het eerste lid dat mag aanleveren.")
        parser.add_argument(
            "--bulk-load-locking", action="store_true",
            help="Alleen voor een geplande eerste lading door de beheerder: laat PostgreSQL "
                 "een grote aanlevering als bulklading opslaan (sneller), waarbij inloggen "
                 "en alle pagina's wachten tot de aanlevering klaar is (besluit 0017/0031).")

    def handle(self, *args, file, profile, organisation, user=None, bulk_load_locking=False,
               **options):
        try:
            profile_obj = DeliveryProfile.objects.get(code=profile, active=True)
        except DeliveryProfile.DoesNotExist as exc:
            codes = ", ".join(DeliveryProfile.objects.values_list("code", flat=True))
            raise CommandError(f"Onbekend profiel '{profile}'. Kies uit: {codes}.") from exc
        lookup = {"pk": int(organisation)} if organisation.isdigit() else {"name": organisation}
        org = Organisation.objects.filter(**lookup).first()
        if org is None:
            raise CommandError(f"Onbekende organisatie '{organisation}'.")
        users = get_user_model().objects.filter(
            memberships__organisation=org,
            memberships__role__in=["medewerker", "analist", "coordinator"], is_active=True,
        )
        if profile_obj.organisation_kind and profile_obj.organisation_kind != org.kind:
            raise CommandError(
                f"Profiel '{profile}' is voor een {profile_obj.get_organisation_kind_display()}"
                f", niet voor {org} / profile '{profile}' is for another kind of "
                "organisation.")
        # The same rule as the upload page: the user may register the profile's source
        # type at its confidentiality for this organisation (`permissions.may_deliver`).
        candidates = users.filter(username=user) if user else users.order_by("pk")
        user_obj = next((u for u in candidates.distinct()
                         if permissions.may_deliver(u, org, profile_obj)), None)
        if user_obj is None:
            raise CommandError("Geen gebruiker gevonden die namens deze organisatie dit profiel "
                               "mag aanleveren (gebruik --user) / no user who may deliver this "
                               "profile for this organisation.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")

        def progress(delivery):
            self.stderr.write("\r" + _bar(delivery.rows_done, delivery.rows_total), ending="")

        with allow_locking(bulk_load_locking):
            delivery = submit(profile=profile_obj, organisation=org, user=user_obj,
                              data=path, filename=path.name, channel="cli",
                              inline=True, progress=progress)
        self.stderr.write("\r" + _bar(delivery.rows_total, delivery.rows_total))
        self.stdout.write(f"Aanlevering {delivery.pk}: {delivery.get_status_display()}")
        self.stdout.write(f"opgeslagen: {delivery.accepted}")
        self.stdout.write(f"afgekeurd: {delivery.rejected}")
        self.stdout.write(f"al ontvangen: {delivery.duplicates}")
        for error in delivery.errors.all()[:50]:
            column = f" [{error.column}]" if error.column else ""
            self.stdout.write(f"  regel {error.line}{column}: {error.reason}")
        if delivery.status != DeliveryStatus.ACCEPTED:
            self.stdout.flush()
            sys.exit(1)
