"""Correcting the address of a signal that the address register could not resolve.

Intake never drops an address it cannot find: the signal keeps it as given, with
`address_status = niet_gevonden`, and lands on the page "Adressen controleren". There a
person corrects postcode, house number, letter, addition (and street and place), and
`correct_address` looks the corrected address up again:

* found in the signal's own municipality: street, place, point, wijk and buurt come from
  the register and the status becomes `gevonden`;
* found in another municipality: refused, nothing changes (the municipality decides who
  may see the signal, so it is never moved by an address correction);
* still not found: the corrected values are kept and the status stays `niet_gevonden`.

Each correction is one transaction and one row in the processing log (action `update`),
whose detail names the fields that changed, never their values or anyone's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING, Action, record
from knooppunt.geo.lookup import district_at
from knooppunt.geo.models import Municipality
from knooppunt.organisations import permissions, scope
from knooppunt.registers import addresses

from .models import AddressStatus, Signal

# The fields a correction may change, in the order they are reported in the log.
CORRECTED_FIELDS: tuple[str, ...] = (
    "postcode", "house_number", "house_letter", "house_number_addition", "street", "city",
    "x_rd", "y_rd", "latitude", "longitude", "district_id", "neighbourhood_id",
    "address_status", "address_register_id",
)


@dataclass(frozen=True)
class AddressCorrection:
    """What a person typed to correct an address (street and place may be empty)."""

    postcode: str
    house_number: int | str | None
    house_letter: str = ""
    house_number_addition: str = ""
    street: str = ""
    city: str = ""


@dataclass(frozen=True)
class CorrectionResult:
    """The outcome of one correction: the signal as stored, and what changed."""

    signal: Signal
    resolved: bool
    changed: tuple[str, ...]


def unresolved_for(user, municipality: Municipality | None = None) -> QuerySet[Signal]:
    """Signals the user may see whose address the register did not find, oldest first."""
    # Only signals the user may correct: partners do not fix others' addresses.
    queryset = permissions.changeable_signals(user).filter(
        address_status=AddressStatus.UNRESOLVED)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return queryset.select_related(
        "theme", "source_type", "municipality", "reporting_organisation"
    ).order_by("received_on", "pk")


def _new_values(signal: Signal, correction: AddressCorrection) -> tuple[dict[str, object], bool]:
    key = addresses.normalise_address(
        correction.postcode, correction.house_number, correction.house_letter,
        correction.house_number_addition,
    )
    values: dict[str, object] = {
        "postcode": key.postcode,
        "house_number": key.house_number,
        "house_letter": key.house_letter,
        "house_number_addition": key.addition,
        "street": correction.street.strip(),
        "city": correction.city.strip(),
    }
    found = addresses.resolve(key)
    if found is None:
        values["address_status"] = AddressStatus.UNRESOLVED
        values["address_register_id"] = ""
        return values, False
    if found.municipality_id is not None and found.municipality_id != signal.municipality_id:
        other = Municipality.objects.filter(pk=found.municipality_id).first()
        raise ValidationError(
            _("Dit adres ligt volgens de adresregistratie in %(found)s, niet in %(given)s "
              "(de gemeente van dit signaal). Het adres is niet gewijzigd."),
            params={
                "found": other.name if other else _("een andere gemeente"),
                "given": signal.municipality.name,
            },
            code="address_in_other_municipality",
        )
    values.update(
        street=found.street,
        city=found.city,
        x_rd=found.x_rd,
        y_rd=found.y_rd,
        latitude=found.latitude,
        longitude=found.longitude,
        district_id=found.district_id or district_at(signal.municipality_id, found.x_rd,
                                                     found.y_rd),
        neighbourhood_id=found.neighbourhood_id,
        address_status=AddressStatus.RESOLVED,
        address_register_id=found.nummeraanduiding_id,
    )
    return values, True


@transaction.atomic
def correct_address(*, user, signal: Signal, correction: AddressCorrection) -> CorrectionResult:
    """Correct and re-resolve the address of an unresolved signal the user may see.

    Raises PermissionDenied when the user may not see the signal, ValidationError (Dutch)
    when the address is unusable, already resolved, or lies in another municipality; in
    those cases nothing is stored.
    """
    locked = scope.signals_for(user).select_for_update().filter(pk=signal.pk).first()
    if locked is None:
        raise PermissionDenied(_("U heeft geen toegang tot dit signaal."))
    permissions.require(user, permissions.Action.SIGNAL_CORRECT_ADDRESS, locked,
                        _("U mag het adres van dit signaal niet corrigeren; dat doet de "
                          "organisatie die het meldde of de gemeente waar het speelt."))
    if locked.address_status != AddressStatus.UNRESOLVED:
        raise ValidationError(
            _("Het adres van dit signaal is niet als 'niet gevonden' gemarkeerd en hoeft "
              "niet gecorrigeerd te worden."),
            code="address_not_unresolved",
        )
    values, resolved = _new_values(locked, correction)
    changed = tuple(
        name for name in CORRECTED_FIELDS
        if name in values and getattr(locked, name) != values[name]
    )
    if changed:
        Signal.objects.filter(pk=locked.pk).update(**values, updated_at=timezone.now())
        for name, value in values.items():
            setattr(locked, name, value)
    outcome = "gevonden" if resolved else "niet gevonden"
    record(
        user=user,
        action=Action.UPDATE,
        obj=locked,
        purpose=PURPOSE_SIGNAL_HANDLING,
        detail=f"adrescorrectie: {outcome}; gewijzigd: {', '.join(changed) or '-'}",
    )
    return CorrectionResult(locked, resolved, changed)
