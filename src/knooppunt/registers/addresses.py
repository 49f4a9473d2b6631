"""Dutch addresses: normalising what people type, and resolving it against a register.

Public API (pure functions; callers need not know which register answers):

* `normalise_address(postcode, house_number, house_letter, addition) -> AddressKey`
* `resolve_many(keys) -> dict[AddressKey, RegisterAddress]` — a few queries for any number
* `resolve(key) -> RegisterAddress | None`
* `by_register_id(nummeraanduiding_id) -> RegisterAddress | None`

The register is chosen by the setting KNOOPPUNT_ADDRESS_REGISTER: the local table
(`LocalAddressRegister`, filled by `knooppunt import-bag` or the demo) by default, or
`BagApiAddressRegister`, a sketch of the Kadaster's BAG individuele bevragingen API.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode

from .adapters import load

MAX_HOUSE_NUMBER = 99_999
# Postcodes per query: well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 900

_NUMBER_RE = re.compile(r"^\s*(\d{1,5})\s*([A-Za-z]?)\s*(?:[-/ ]\s*([A-Za-z0-9]{1,4}))?\s*$")
_ADDITION_RE = re.compile(r"^[A-Z0-9]{1,4}$")


class AddressKey(NamedTuple):
    """A normalised Dutch address: '1234AB', 12, 'A', '2' (letter and addition may be '')."""

    postcode: str
    house_number: int
    house_letter: str = ""
    addition: str = ""


@dataclass(frozen=True)
class RegisterAddress:
    """An address as the register knows it, with its building's facts."""

    nummeraanduiding_id: str
    street: str
    city: str
    postcode: str
    house_number: int
    house_letter: str
    addition: str
    x_rd: float
    y_rd: float
    latitude: float
    longitude: float
    municipality_id: int | None
    district_id: int | None
    neighbourhood_id: int | None
    verblijfsobject_id: str = ""
    pand_id: str = ""
    usage: str = ""
    construction_year: int | None = None
    floor_area: int | None = None
    status: str = ""
    source: str = ""
    source_date: date | None = None

    @property
    def key(self) -> AddressKey:
        return AddressKey(self.postcode, self.house_number, self.house_letter, self.addition)


def _invalid(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def normalise_postcode(value: str) -> str:
    """'1234 ab' -> '1234AB'; '' stays ''; raises ValidationError in Dutch."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        compact = nl_postcode.validate(value)
    except StdnumError as exc:
        raise _invalid(
            _("'%(value)s' is geen geldige Nederlandse postcode (bijv. 7511 AB)."),
            "invalid_postcode", value=value[:20],
        ) from exc
    return compact.replace(" ", "").upper()


def normalise_address(
    postcode: str,
    house_number: int | str | None,
    house_letter: str = "",
    addition: str = "",
) -> AddressKey:
    """The register key for what someone typed; ValidationError (Dutch) when unusable.

    Accepts the usual variants: '7511ab', ' 7511 AB ', house number '12a' or '12-2' in the
    number field, letter 'a', addition '-bis' or ' 2 '.
    """
    code = normalise_postcode(str(postcode or ""))
    if not code:
        raise _invalid(_("Geef een postcode op."), "no_postcode")
    letter = (house_letter or "").strip().upper()
    extra = (addition or "").strip().upper().lstrip("-/ ").strip()
    if house_number is None or (isinstance(house_number, str) and not house_number.strip()):
        raise _invalid(_("Geef een huisnummer op."), "no_house_number")
    if isinstance(house_number, bool):
        raise _invalid(_("Het huisnummer moet een getal zijn."), "invalid_house_number")
    if isinstance(house_number, int):
        number = house_number
    else:
        match = _NUMBER_RE.match(str(house_number))
        if match is None:
            raise _invalid(
                _("'%(value)s' is geen geldig huisnummer."), "invalid_house_number",
                value=str(house_number)[:20],
            )
        number = int(match.group(1))
        if match.group(2):
            if letter and letter != match.group(2).upper():
                raise _invalid(
                    _("Twee verschillende huisletters opgegeven."), "conflicting_letter"
                )
            letter = match.group(2).upper()
        if match.group(3):
            if extra and extra != match.group(3).upper():
                raise _invalid(
                    _("Twee verschillende toevoegingen opgegeven."), "conflicting_addition"
                )
            extra = match.group(3).upper()
    if not 1 <= number <= MAX_HOUSE_NUMBER:
        raise _invalid(
            _("Het huisnummer moet tussen 1 en %(max)s liggen."), "invalid_house_number",
            max=MAX_HOUSE_NUMBER,
        )
    if letter and not (len(letter) == 1 and "A" <= letter <= "Z"):
        raise _invalid(
            _("De huisletter moet één letter zijn (A-Z)."), "invalid_house_letter"
        )
    if extra and not _ADDITION_RE.match(extra):
        raise _invalid(
            _("De toevoeging mag uit hoogstens vier letters of cijfers bestaan."),
            "invalid_addition",
        )
    return AddressKey(code, number, letter, extra)


class AddressRegister(Protocol):
    """What every address register adapter offers."""

    def resolve_many(self, keys: Iterable[AddressKey]) -> dict[AddressKey, RegisterAddress]:
        """The addresses found, by key; keys not found are absent."""
        ...

    def by_register_id(self, nummeraanduiding_id: str) -> RegisterAddress | None:
        ...


def _from_row(row: dict) -> RegisterAddress:
    return RegisterAddress(
        nummeraanduiding_id=row["nummeraanduiding_id"],
        street=row["street"],
        city=row["city"],
        postcode=row["postcode"],
        house_number=row["house_number"],
        house_letter=row["house_letter"],
        addition=row["house_number_addition"],
        x_rd=row["x_rd"],
        y_rd=row["y_rd"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        municipality_id=row["municipality_id"],
        district_id=row["district_id"],
        neighbourhood_id=row["neighbourhood_id"],
        verblijfsobject_id=row["verblijfsobject_id"],
        pand_id=row["pand_id"],
        usage=row["usage"],
        construction_year=row["construction_year"],
        floor_area=row["floor_area"],
        status=row["status"],
        source=row["source"],
        source_date=row["source_date"],
    )


_FIELDS = (
    "nummeraanduiding_id", "street", "city", "postcode", "house_number", "house_letter",
    "house_number_addition", "x_rd", "y_rd", "latitude", "longitude", "municipality_id",
    "district_id", "neighbourhood_id", "verblijfsobject_id", "pand_id", "usage",
    "construction_year", "floor_area", "status", "source", "source_date",
)


class LocalAddressRegister:
    """The `registers.Address` table: one query per 900 postcodes."""

    def resolve_many(self, keys: Iterable[AddressKey]) -> dict[AddressKey, RegisterAddress]:
        from .models import Address

        wanted = set(keys)
        postcodes = sorted({k.postcode for k in wanted})
        found: dict[AddressKey, RegisterAddress] = {}
        for start in range(0, len(postcodes), CHUNK):
            rows = Address.objects.filter(postcode__in=postcodes[start:start + CHUNK]).values(
                *_FIELDS
            )
            for row in rows.iterator(chunk_size=5000):
                key = AddressKey(row["postcode"], row["house_number"], row["house_letter"],
                                 row["house_number_addition"])
                if key in wanted:
                    found[key] = _from_row(row)
        return found

    def by_register_id(self, nummeraanduiding_id: str) -> RegisterAddress | None:
        from .models import Address

        row = Address.objects.filter(nummeraanduiding_id=nummeraanduiding_id).values(
            *_FIELDS
        ).first()
        return _from_row(row) if row else None


class BagApiAddressRegister:
    """Sketch: the Kadaster's BAG individuele bevragingen API (v2), one request per key.

    Needs KNOOPPUNT_BAG_API_KEY. Not used by the tests or the demo; wijk and buurt are not
    in the API's answer and are left empty; the municipality comes from the point.
    """

    timeout = 10

    def __init__(self) -> None:
        self.base_url = settings.KNOOPPUNT_BAG_API_URL.rstrip("/")
        self.api_key = settings.KNOOPPUNT_BAG_API_KEY

    def _get(self, path: str, params: dict) -> dict:
        if not self.api_key:
            raise RuntimeError("KNOOPPUNT_BAG_API_KEY is niet ingesteld")
        url = f"{self.base_url}/{path}?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(  # noqa: S310 - fixed https base URL from settings
            url, headers={"X-Api-Key": self.api_key, "Accept": "application/hal+json",
                          "Accept-Crs": "epsg:28992"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.load(response)

    def resolve_many(self, keys: Iterable[AddressKey]) -> dict[AddressKey, RegisterAddress]:
        from knooppunt.geo.lookup import municipality_at
        from knooppunt.geo.projection import rd_to_wgs84

        found = {}
        for key in set(keys):
            params = {"postcode": key.postcode, "huisnummer": key.house_number,
                      "exacteMatch": "true"}
            if key.house_letter:
                params["huisletter"] = key.house_letter
            if key.addition:
                params["huisnummertoevoeging"] = key.addition
            data = self._get("adressenuitgebreid", params)
            for item in data.get("_embedded", {}).get("adressen", []):
                x, y = item["adresseerbaarObjectGeometrie"]["punt"]["coordinates"][:2]
                lat, lon = rd_to_wgs84(x, y)
                municipality = municipality_at(x, y)
                found[key] = RegisterAddress(
                    nummeraanduiding_id=item["nummeraanduidingIdentificatie"],
                    street=item.get("openbareRuimteNaam", ""),
                    city=item.get("woonplaatsNaam", ""),
                    postcode=key.postcode, house_number=key.house_number,
                    house_letter=key.house_letter, addition=key.addition,
                    x_rd=x, y_rd=y, latitude=lat, longitude=lon,
                    municipality_id=municipality.pk if municipality else None,
                    district_id=None, neighbourhood_id=None,
                    verblijfsobject_id=item.get("adresseerbaarObjectIdentificatie", ""),
                    pand_id=(item.get("pandIdentificaties") or [""])[0],
                    usage=", ".join(item.get("gebruiksdoelen", [])),
                    construction_year=None,
                    floor_area=item.get("oppervlakte"),
                    status=item.get("adresseerbaarObjectStatus", ""),
                    source="BAG API (Kadaster)", source_date=date.today(),
                )
                break
        return found

    def by_register_id(self, nummeraanduiding_id: str) -> RegisterAddress | None:
        return None  # not sketched: the detail page then shows no building facts


def register() -> AddressRegister:
    return load("KNOOPPUNT_ADDRESS_REGISTER")


def resolve_many(keys: Iterable[AddressKey]) -> dict[AddressKey, RegisterAddress]:
    """Resolve many keys at once; keys not in the register are absent from the result."""
    return register().resolve_many(keys)


def resolve(key: AddressKey) -> RegisterAddress | None:
    return resolve_many([key]).get(key)


def by_register_id(nummeraanduiding_id: str) -> RegisterAddress | None:
    if not nummeraanduiding_id:
        return None
    return register().by_register_id(nummeraanduiding_id)
