"""The area of an area scan: a municipality, a wijk, a buffer around an address or a
polygon a person drew (`drawn.drawn_area`, kind "getekend").

`resolve(user, area=..., address=..., radius=...)` turns what a person typed or picked
into a `ScanArea`, or raises `AreaError` with a message for people (Dutch, English by
gettext) and an HTTP-like status: 400 for input that cannot be an area, 404 for a code
or address that does not exist, 403 for an area outside the user's municipalities
(`organisations.scope.municipalities_for`). Nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import F, Q, Value
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext as _

from knooppunt.geo.models import District, Municipality, SafetyRegion
from knooppunt.organisations import scope

MIN_RADIUS_M = 25
MAX_RADIUS_M = 5000
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")
DISTRICT_CODE = re.compile(r"^WK\d{6}$")
REGISTER_ID = re.compile(r"^\d{16}$")
POSTCODE_NUMBER = re.compile(r"^(\d{4})\s?([A-Z]{2})\s*[- ]?\s*(\d{1,5})\s*([A-Z]?)$")


class AreaError(ValueError):
    """Input that is no area the user may scan; `status` as HTTP, `field` the parameter."""

    def __init__(self, message: str, status: int = 400, field: str = "area") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@dataclass(frozen=True)
class ScanArea:
    """Where a scan looks. `kind`: "gemeente", "wijk", "buffer" or "getekend"."""

    kind: str
    code: str  # GM0153, WK015301, or "<nummeraanduiding-id>@<radius>m" for a buffer
    name: str
    municipality: Municipality
    region: SafetyRegion | None
    district: District | None = None
    centre: tuple[float, float] | None = None  # RD New metres (buffer)
    radius: int | None = None  # metres (buffer)
    polygon: object | None = None  # shapely Polygon in RD New (getekend)

    def address_q(self, prefix: str = "") -> Q:
        """The register addresses in the area (`prefix` for a related path, e.g. "address__")."""
        if self.kind == "gemeente":
            return Q(**{f"{prefix}municipality_id": self.municipality.pk})
        if self.kind == "wijk":
            return Q(**{f"{prefix}district_id": self.district.pk})
        if self.kind == "getekend":
            from .drawn import inside_q

            return inside_q(self.polygon, prefix)
        return self._circle_q(prefix)

    def signal_q(self, prefix: str = "") -> Q:
        """The signals in the area: placed in it, or (buffer) within the radius."""
        if self.kind == "buffer":
            # Only signals of the address's municipality: the aggregates' area.
            return self._circle_q(prefix) & Q(**{f"{prefix}municipality_id":
                                                 self.municipality.pk})
        return self.address_q(prefix)

    def _circle_q(self, prefix: str) -> Q:
        x, y = self.centre
        r = self.radius
        box = Q(**{f"{prefix}x_rd__gte": x - r, f"{prefix}x_rd__lte": x + r,
                   f"{prefix}y_rd__gte": y - r, f"{prefix}y_rd__lte": y + r})
        dx, dy = F(f"{prefix}x_rd") - x, F(f"{prefix}y_rd") - y
        # The exact circle inside the box (a lookup as expression: SQLite and PostgreSQL).
        return box & Q(LessThanOrEqual(dx * dx + dy * dy, Value(float(r * r))))


def district_name(district: District) -> str:
    """The wijk's name where geo has one (helper `wijken` adds it), else its code."""
    return getattr(district, "name", "") or district.code


def choices(user) -> list[tuple[str, str]]:
    """(code, label) of the municipalities and wijken the user may scan, for a picker."""
    municipalities = list(scope.municipalities_for(user).order_by("name"))
    out: list[tuple[str, str]] = []
    districts: dict[int, list[District]] = {}
    for d in District.objects.filter(municipality__in=municipalities).order_by("code"):
        districts.setdefault(d.municipality_id, []).append(d)
    for m in municipalities:
        out.append((m.code, m.name))
        out += [(d.code, f"{m.name} – {district_name(d)}") for d in districts.get(m.pk, [])]
    return out


def _served(user, municipality: Municipality) -> None:
    if not scope.municipalities_for(user).filter(pk=municipality.pk).exists():
        raise AreaError(_("Dit gebied ligt buiten de gemeenten van uw organisatie."), 403)


def resolve(user, area: str = "", address: str = "", radius: object = None) -> ScanArea:
    """The area the user asked for, or AreaError (see the module docstring)."""
    area = (area or "").strip().upper()
    address = (address or "").strip().upper()
    if area and address:
        raise AreaError(_("Kies een gebied of een adres met straal, niet allebei."))
    if area:
        return _by_code(user, area)
    if address:
        return _buffer(user, address, radius)
    raise AreaError(_("Kies een gemeente of wijk, of geef een adres en een straal."))


def _by_code(user, code: str) -> ScanArea:
    if MUNICIPALITY_CODE.match(code):
        municipality = Municipality.objects.select_related("safety_region").filter(
            code=code).first()
        if municipality is None:
            raise AreaError(_("Er is geen gemeente met deze code."), 404)
        _served(user, municipality)
        return ScanArea("gemeente", code, municipality.name, municipality,
                        municipality.safety_region)
    if DISTRICT_CODE.match(code):
        district = District.objects.select_related(
            "municipality__safety_region").filter(code=code).first()
        if district is None:
            raise AreaError(_("Er is geen wijk met deze code."), 404)
        _served(user, district.municipality)
        municipality = district.municipality
        return ScanArea("wijk", code, district_name(district), municipality,
                        municipality.safety_region, district=district)
    raise AreaError(_("Geef een gemeentecode (GM0153) of een wijkcode (WK015301)."))


def parse_radius(radius: object) -> int:
    """The radius in whole metres, MIN_RADIUS_M to MAX_RADIUS_M, or AreaError."""
    text = str(radius if radius is not None else "").strip()
    message = _("Geef een straal in hele meters van %(min)d tot en met %(max)d.") % {
        "min": MIN_RADIUS_M, "max": MAX_RADIUS_M}
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise AreaError(message, field="radius")
    value = int(text)
    if not MIN_RADIUS_M <= value <= MAX_RADIUS_M:
        raise AreaError(message, field="radius")
    return value


def _buffer(user, typed: str, radius: object) -> ScanArea:
    from knooppunt.registers.models import Address

    metres = parse_radius(radius)
    if REGISTER_ID.match(typed):
        found = Address.objects.filter(nummeraanduiding_id=typed)
    else:
        match = POSTCODE_NUMBER.match(typed)
        if not match:
            raise AreaError(_("Geef een adres als postcode en huisnummer (7511 GA 12) of "
                              "als nummeraanduiding-id (16 cijfers)."), field="address")
        digits, letters, number, letter = match.groups()
        found = Address.objects.filter(postcode=digits + letters, house_number=int(number),
                                       house_letter=letter)
    found = found.select_related("municipality__safety_region")
    address = found.order_by("house_number_addition").first()
    if address is None:
        raise AreaError(_("Dit adres staat niet in het adresregister."), 404, "address")
    if address.municipality is None:
        raise AreaError(_("Dit adres ligt niet in een bekende gemeente."), 404, "address")
    _served(user, address.municipality)
    municipality = address.municipality
    # Aggregates-only roles (bestuurders) get no addresses, not even in the area's name.
    name = (_("%(metres)d m rond %(address)s") % {"metres": metres, "address": str(address)}
            if scope.sees_personal_data(user)
            else _("%(metres)d m rond het opgegeven adres") % {"metres": metres})
    return ScanArea("buffer", f"{address.nummeraanduiding_id}@{metres}m", name,
                    municipality, municipality.safety_region,
                    centre=(address.x_rd, address.y_rd), radius=metres)


SCAN_ROLES = frozenset({"analist", "coordinator", "medewerker", "bestuurder"})


def may_scan(user) -> bool:
    """Every role with a view on figures of municipalities (not the beheerder alone);
    what a scan shows of personal data is decided in `areascan`."""
    return bool(scope.roles_of(user) & SCAN_ROLES) and scope.municipalities_for(
        user).exists()
