"""Creating signals and moving their status: the only code that writes them.

Web form and API both call these functions, so both get the same checks, history
and processing-log rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode

from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING, PURPOSE_SIGNAL_INTAKE, Action, record
from knooppunt.geo import lookup
from knooppunt.geo.models import Municipality
from knooppunt.geo.projection import rd_to_wgs84, wgs84_to_rd
from knooppunt.organisations import permissions, scope
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.taxonomy.models import SourceType, Theme

from .models import TRANSITIONS, AddressStatus, Signal, Status, StatusChange

# Older dates are typing errors (e.g. 0001-01-01); no partner delivers signals that old.
EARLIEST_RECEIVED_ON = date(2000, 1, 1)


def normalise_postcode(value: str) -> str:
    """'1234 ab' -> '1234AB'; raises ValidationError with a Dutch message."""
    if not value:
        return ""
    try:
        compact = nl_postcode.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("'%(value)s' is geen geldige Nederlandse postcode (bijv. 7511 AB)."),
            params={"value": value[:20]},
            code="invalid_postcode",
        ) from exc
    return compact.replace(" ", "").upper()


@dataclass
class Location:
    municipality: Municipality
    x_rd: float | None
    y_rd: float | None
    latitude: float | None
    longitude: float | None


def resolve_location(
    municipality: Municipality | None,
    *,
    x_rd: float | None = None,
    y_rd: float | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    postcode: str = "",
    house_number: int | None = None,
    house_letter: str = "",
    house_number_addition: str = "",
) -> Location:
    """Check the point lies in the Netherlands and in the stated municipality.

    A point alone is enough: its municipality is found from the boundaries. Without
    municipality and point, an address found in the register gives the municipality
    (its point is filled in by `create_signal`).
    """
    if municipality is None and x_rd is None and latitude is None and postcode and house_number:
        municipality = _municipality_of_address(
            postcode, house_number, house_letter, house_number_addition
        )
    if (latitude is None) != (longitude is None) or (x_rd is None) != (y_rd is None):
        raise ValidationError(
            _("Geef een volledig punt op: zowel breedte- als lengtegraad (of x en y)."),
            code="incomplete_point",
        )
    if latitude is not None and x_rd is None:
        x_rd, y_rd = wgs84_to_rd(latitude, longitude)
    if x_rd is not None and latitude is None:
        latitude, longitude = rd_to_wgs84(x_rd, y_rd)
    if x_rd is not None:
        found = lookup.municipality_at(x_rd, y_rd)
        if found is None:
            raise ValidationError(
                _("Het punt ligt niet binnen een Nederlandse gemeente."), code="outside_nl"
            )
        if municipality is not None and found.pk != municipality.pk:
            raise ValidationError(
                _("Het punt ligt in %(found)s, niet in %(given)s."),
                params={"found": found.name, "given": municipality.name},
                code="point_not_in_municipality",
            )
        municipality = found
    if municipality is None:
        raise ValidationError(
            _("Geef een gemeente of een punt op."), code="no_location"
        )
    return Location(municipality, x_rd, y_rd, latitude, longitude)


def _municipality_of_address(
    postcode: str, house_number: int, house_letter: str, house_number_addition: str
) -> Municipality | None:
    from knooppunt.registers import addresses

    try:
        key = addresses.normalise_address(postcode, house_number, house_letter,
                                          house_number_addition)
    except ValidationError:
        return None
    found = addresses.resolve(key)
    if found is None or found.municipality_id is None:
        return None
    return Municipality.objects.filter(pk=found.municipality_id).first()


@dataclass
class AddressResolution:
    """What the address register added to a signal's location and address."""

    status: str
    register_id: str = ""
    street: str = ""
    city: str = ""
    location: Location | None = None
    district_id: int | None = None
    neighbourhood_id: int | None = None


def resolve_address(
    location: Location,
    *,
    postcode: str,
    house_number: int | None,
    house_letter: str = "",
    house_number_addition: str = "",
) -> AddressResolution:
    """Look the address up in the register (knooppunt.registers.addresses).

    Found in the stated municipality: street, place, wijk and buurt come from the register,
    and its point too unless a point was given (a given point stays authoritative). Not
    found, unusable or in another municipality: kept as given and flagged for a person to
    fix (`niet_gevonden`), never refused. No postcode or house number: `geen`.
    """
    from knooppunt.registers import addresses

    if not postcode or not house_number:
        return AddressResolution(AddressStatus.NOT_GIVEN)
    try:
        key = addresses.normalise_address(postcode, house_number, house_letter,
                                          house_number_addition)
    except ValidationError:
        return AddressResolution(AddressStatus.UNRESOLVED)
    found = addresses.resolve(key)
    if found is None or (
        found.municipality_id is not None and found.municipality_id != location.municipality.pk
    ):
        return AddressResolution(AddressStatus.UNRESOLVED)
    if location.x_rd is None:
        location = Location(location.municipality, found.x_rd, found.y_rd, found.latitude,
                            found.longitude)
    return AddressResolution(
        AddressStatus.RESOLVED, found.nummeraanduiding_id, found.street, found.city, location,
        found.district_id, found.neighbourhood_id,
    )


@transaction.atomic
def create_signal(
    *,
    user,
    reporting_organisation: Organisation,
    theme: Theme,
    source_type: SourceType,
    received_on: date,
    location: Location,
    description: str,
    confidentiality: int = Confidentiality.NORMAAL,
    street: str = "",
    house_number: int | None = None,
    house_letter: str = "",
    house_number_addition: str = "",
    postcode: str = "",
    city: str = "",
    is_anonymous: bool = False,
    reporter_name: str = "",
    reporter_contact: str = "",
) -> Signal:
    if not scope.organisations_for_create(user).filter(pk=reporting_organisation.pk).exists():
        raise PermissionDenied(
            _("U mag geen signalen registreren namens %(org)s.")
            % {"org": reporting_organisation.name}
        )
    if not permissions.source_type_allowed(reporting_organisation, source_type):
        # A partner registers its own source only (never an MMA tip or a police notice).
        raise ValidationError(
            _("%(org)s mag geen signalen uit de bron '%(source)s' registreren."),
            params={"org": reporting_organisation.name, "source": source_type.name},
            code="source_type_not_allowed",
        )
    if confidentiality > permissions.register_ceiling(user, reporting_organisation):
        # Registering what you could not read back afterwards, or above what your kind of
        # organisation may mark (partners: never RIEC), is refused.
        raise ValidationError(
            _("Uw rol mag geen signalen met vertrouwelijkheid '%(level)s' registreren."),
            params={"level": Confidentiality(confidentiality).label},
            code="confidentiality_above_clearance",
        )
    if received_on < EARLIEST_RECEIVED_ON:
        raise ValidationError(
            _("De datum van ontvangst ligt vóór %(date)s."),
            params={"date": EARLIEST_RECEIVED_ON.strftime("%d-%m-%Y")},
            code="date_too_early",
        )
    if received_on > timezone.localdate():
        raise ValidationError(
            _("De datum van ontvangst ligt in de toekomst."), code="future_date"
        )
    if is_anonymous or source_type.anonymous_by_default:
        # Anonymous stays anonymous: no reporter identity is kept anywhere.
        is_anonymous, reporter_name, reporter_contact = True, "", ""
    postcode = normalise_postcode(postcode)
    address = resolve_address(location, postcode=postcode, house_number=house_number,
                              house_letter=house_letter,
                              house_number_addition=house_number_addition)
    if address.status == AddressStatus.RESOLVED:
        location = address.location or location
        street, city = address.street or street, address.city or city
    signal = Signal.objects.create(
        # Placeholder until the primary key is known; replaced in the same transaction.
        reference=f"TMP-{uuid.uuid4().hex[:14]}",
        theme=theme,
        source_type=source_type,
        received_on=received_on,
        municipality=location.municipality,
        x_rd=location.x_rd,
        y_rd=location.y_rd,
        latitude=location.latitude,
        longitude=location.longitude,
        # The register's wijk; without one, the wijk whose boundary holds the point.
        district_id=address.district_id or lookup.district_at(location.municipality.pk,
                                                              location.x_rd, location.y_rd),
        neighbourhood_id=address.neighbourhood_id,
        street=street,
        house_number=house_number,
        house_letter=house_letter.upper(),
        house_number_addition=house_number_addition,
        postcode=postcode,
        city=city,
        address_status=address.status,
        address_register_id=address.register_id,
        description=description,
        confidentiality=confidentiality,
        reporting_organisation=reporting_organisation,
        is_anonymous=is_anonymous,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        created_by=user,
    )
    signal.reference = f"KNP-{received_on.year}-{signal.pk:06d}"
    Signal.objects.filter(pk=signal.pk).update(reference=signal.reference)
    StatusChange.objects.create(
        signal=signal,
        from_status="",
        to_status=Status.RECEIVED,
        changed_at=timezone.now(),
        changed_by=user,
        note=_("Geregistreerd"),
    )
    record(user=user, action=Action.CREATE, obj=signal, purpose=PURPOSE_SIGNAL_INTAKE)
    from .duplicates import link_possible_duplicates

    link_possible_duplicates(signal)
    return signal


@transaction.atomic
def change_status(*, user, signal: Signal, to_status: str, note: str) -> StatusChange:
    """Move a signal to another status, with a reason, if the rules allow it."""
    locked = scope.signals_for(user).select_for_update().filter(pk=signal.pk).first()
    if locked is None:
        raise PermissionDenied(_("U heeft geen toegang tot dit signaal."))
    permissions.require(user, permissions.Action.SIGNAL_CHANGE_STATUS, locked,
                        _("U mag de status van dit signaal niet wijzigen; dat doet de "
                          "organisatie die het meldde of de gemeente waar het speelt."))
    if to_status not in TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            _("Van '%(from)s' naar '%(to)s' is niet toegestaan."),
            params={
                "from": Status(locked.status).label,
                "to": Status(to_status).label if to_status in Status.values else to_status,
            },
            code="transition_not_allowed",
        )
    if not note.strip():
        raise ValidationError(_("Geef een toelichting bij de statuswijziging."), code="no_reason")
    change = StatusChange.objects.create(
        signal=locked,
        from_status=locked.status,
        to_status=to_status,
        changed_at=timezone.now(),
        changed_by=user,
        note=note.strip(),
    )
    Signal.objects.filter(pk=locked.pk).update(status=to_status, updated_at=timezone.now())
    signal.status = to_status
    record(
        user=user,
        action=Action.UPDATE,
        obj=locked,
        purpose=PURPOSE_SIGNAL_HANDLING,
        detail=f"status {change.from_status} -> {to_status}",
    )
    return change
