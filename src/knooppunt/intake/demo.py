"""Demo deliveries: each partner profile delivers over three years, some files with bad rows.

Called by `knooppunt demo` after the demo region is built, so the import history and its
error reports can be seen. Safe to run again: earlier synthetic deliveries are replaced.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from knooppunt.organisations.models import Membership
from knooppunt.organisations.scope import CREATE_ROLES

from .examples import example_file, example_rows
from .models import Delivery, DeliveryProfile
from .submit import submit

ROWS_PER_FILE = 15


def _partners(orgs) -> dict[str, object]:
    return {
        "politie-hennep": orgs.politie,
        "netbeheerder": orgs.netbeheerder,
        "woningcorporatie": orgs.woningcorporaties[0] if orgs.woningcorporaties else None,
        "waterbedrijf": orgs.waterbedrijf,
        "mma": orgs.politie,
        "gemeente": orgs.gemeenten.get(orgs.largest.pk),
        "generiek": orgs.riec,
    }


def _deliverer(organisation):
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=CREATE_ROLES,
                                  user__is_active=True)
        .select_related("user").order_by("pk").first()
    )
    return membership.user if membership else None


def _register_addresses(municipalities) -> list[tuple[str, str, str, int, str, str]]:
    """Plain addresses (no letter or addition) of the demo register in the region, so the
    delivered rows are placed on them like real partner rows on real addresses."""
    from knooppunt.registers.models import Address

    return [
        (code, name, street, number, postcode, city)
        for code, name, street, number, postcode, city in Address.objects.filter(
            municipality__in=municipalities, house_letter="", house_number_addition="",
        ).order_by("pk").values_list("municipality__code", "municipality__name", "street",
                                     "house_number", "postcode", "city")
    ]


@transaction.atomic
def build_demo_deliveries(orgs, *, years: int = 3, today: date | None = None) -> int:
    """Create the demo deliveries for the region in `orgs`; returns how many."""
    today = today or timezone.localdate()
    places = [(m.code, m.name) for m in orgs.municipalities]
    addresses = _register_addresses(orgs.municipalities) or None
    Delivery.objects.filter(is_synthetic=True, organisation__in=orgs.all()).delete()
    made = 0
    for code, organisation in _partners(orgs).items():
        profile = DeliveryProfile.objects.filter(code=code, active=True).first()
        user = _deliverer(organisation) if organisation else None
        if profile is None or user is None:
            continue
        for year in range(years):
            end = today - timedelta(days=365 * year + 1)
            start = end - timedelta(days=364)
            common = {"start": start, "end": end, "municipalities": places,
                      "addresses": addresses, "prefix": f"DEMO{year}-"}
            delivered_at = timezone.make_aware(datetime.combine(end, time(9, 30)))
            first_pk = Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            if year == 1:
                # A file with bad rows is refused; the corrected file follows.
                rows = example_rows(code, ROWS_PER_FILE, seed=year, bad_rows=3, **common)
                data, name = example_file(code, rows)
                submit(profile=profile, organisation=organisation, user=user, data=data,
                       filename=f"{year}-fout-{name}", inline=True, is_synthetic=True)
                made += 1
            rows = example_rows(code, ROWS_PER_FILE, seed=year, **common)
            data, name = example_file(code, rows)
            submit(profile=profile, organisation=organisation, user=user, data=data,
                   filename=f"{year}-{name}", inline=True, is_synthetic=True)
            made += 1
            if year == 0:
                # The same file delivered twice: recognised, nothing stored again.
                submit(profile=profile, organisation=organisation, user=user, data=data,
                       filename=f"{year}-opnieuw-{name}", inline=True, is_synthetic=True)
                made += 1
            # Shown in the history on the day the partner delivered.
            Delivery.objects.filter(pk__gt=first_pk).update(
                created_at=delivered_at, started_at=delivered_at, finished_at=delivered_at
            )
    return made
