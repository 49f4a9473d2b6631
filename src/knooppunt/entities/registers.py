"""Register adapters that add entities and links: company-register extracts (KvK) and the
address register (BAG).

An adapter answers with plain data (`CompanyExtract`, `RegisterAddress`); `add_company`
and `add_address` turn it into FtM entities and store them with register provenance
(origin `register`, id `kvk` or `bag`, no supplying organisation: a public register).
Settings choose the implementation, as for the other registers
(`KNOOPPUNT_COMPANY_EXTRACTS`, default: none configured; the demo uses
`DemoCompanyExtracts`, which reads the demo's synthetic companies and officers).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.conf import settings

from knooppunt.registers.adapters import load
from knooppunt.registers.models import Address
from knooppunt.registers.models import Company as RegisterCompany

from .services import (
    LEGAL_BASIS_BAG,
    LEGAL_BASIS_KVK,
    FtmEntity,
    Provenance,
    record_entities,
)
from .subjects_bridge import bag_entity_id, kvk_entity_id

REGISTER_KVK = "kvk"
REGISTER_BAG = "bag"


@dataclass(frozen=True)
class Officer:
    """A person registered as officer (bestuurder) of a company."""

    name: str
    birth_date: date | None
    role: str
    start: date | None
    end: date | None = None


@dataclass(frozen=True)
class Registration:
    """A registered address of a company, with the period it held."""

    nummeraanduiding_id: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class CompanyExtract:
    """What an extract of the company register says about one company."""

    kvk_number: str
    name: str
    registered_on: date | None
    legal_form: str
    addresses: tuple[Registration, ...]
    officers: tuple[Officer, ...] = field(default=())
    source_date: date | None = None
    dissolved_on: date | None = None  # datum opheffing, when the register has one


class CompanyExtracts(Protocol):
    def extract(self, kvk_number: str) -> CompanyExtract | None:
        """The extract of one company, None when the register does not know it."""
        ...


class NoCompanyExtracts:
    """No extract service configured: nothing is added (the default outside the demo)."""

    def extract(self, kvk_number: str) -> CompanyExtract | None:
        return None


class KvkApiCompanyExtracts:
    """Sketch of the KvK Handelsregister extract (Basisprofiel API + functionarissen); it
    needs a contract and a key and is not implemented beyond this interface."""

    def extract(self, kvk_number: str) -> CompanyExtract | None:
        raise NotImplementedError("KvK-uittrekselkoppeling is nog niet geïmplementeerd")


DEMO_GIVEN = ("Jan", "Petra", "Mohamed", "Anouk", "Sander", "Fatima", "Kees", "Ilse")
DEMO_SURNAMES = ("de Vries", "Jansen", "Bakker", "El Amrani", "Visser", "Smit", "de Boer",
                 "Yilmaz", "Mulder", "van Dijk")


class DemoCompanyExtracts:
    """Extracts made from the demo's synthetic companies: the same company gives the same
    officers every time (seeded by its KvK number); `demo_network` adds the patterns."""

    def extract(self, kvk_number: str) -> CompanyExtract | None:
        company = (RegisterCompany.objects.filter(kvk_number=kvk_number, is_synthetic=True)
                   .select_related("address").first())
        if company is None:
            return None
        rng = random.Random(f"officers:{kvk_number}")
        start = company.registered_on or company.source_date
        officers = tuple(
            Officer(f"{rng.choice(DEMO_GIVEN)} {rng.choice(DEMO_SURNAMES)} (fictief)",
                    date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                    "bestuurder", start)
            for _ in range(rng.choice((1, 1, 2))))
        addresses = ((Registration(company.address.nummeraanduiding_id, start),)
                     if company.address else ())
        from .demo import dissolved, patterned

        addresses, officers = patterned(kvk_number, addresses, officers, start)
        return CompanyExtract(kvk_number, company.name, company.registered_on, "B.V.",
                              addresses, officers, company.source_date,
                              dissolved(kvk_number, company.registered_on))


def company_extracts() -> CompanyExtracts:
    return load("KNOOPPUNT_COMPANY_EXTRACTS")


def person_entity_id(name: str, birth_date: date | None) -> str:
    """A register officer's id: stable for the same name and birth date."""
    key = f"{name.strip().lower()}|{birth_date.isoformat() if birth_date else ''}"
    return "nl-kvk-person-" + hashlib.sha1(key.encode()).hexdigest()[:20]  # noqa: S324


def _register(origin: str, when: date | None, end: date | None = None) -> Provenance:
    return Provenance(origin_kind="register", origin_id=origin,
                      legal_basis=LEGAL_BASIS_KVK if origin == REGISTER_KVK else LEGAL_BASIS_BAG,
                      first_seen=when, last_seen=end or when, confidentiality=1)


def add_address(nummeraanduiding_id: str, user=None) -> str | None:
    """The BAG address as an Address entity (`nl-bag-<id>`); None when it is not known."""
    address = Address.objects.filter(nummeraanduiding_id=nummeraanduiding_id).first()
    if address is None:
        return None
    number = f"{address.house_number}{address.house_letter}"
    if address.house_number_addition:
        number += f"-{address.house_number_addition}"
    entity = FtmEntity(bag_entity_id(nummeraanduiding_id), "Address", {
        "full": (str(address),), "street": (f"{address.street} {number}",),
        "postalCode": (address.postcode,), "city": (address.city,), "country": ("nl",)})
    record_entities([entity], _register(REGISTER_BAG, address.source_date), user)
    return entity.id


def add_company(kvk_number: str, user=None, extracts: CompanyExtracts | None = None
                ) -> str | None:
    """Company, its registered addresses and its officers (Directorship) from an extract
    (of `extracts`, by default the configured service)."""
    extract = (extracts or company_extracts()).extract(kvk_number)
    if extract is None:
        return None
    company_id = kvk_entity_id(extract.kvk_number)
    for registration in extract.addresses:
        address_id = add_address(registration.nummeraanduiding_id, user)
        if address_id:
            # Each registration is its own statement, dated: a move is a new address.
            record_entities([FtmEntity(company_id, "Company", {"addressEntity": (address_id,)})],
                            _register(REGISTER_KVK, registration.start, registration.end), user)
    props = {"name": (extract.name,), "registrationNumber": (extract.kvk_number,),
             "jurisdiction": ("nl",)}
    if extract.legal_form:
        props["legalForm"] = (extract.legal_form,)
    if extract.registered_on:
        props["incorporationDate"] = (extract.registered_on.isoformat(),)
    if extract.dissolved_on:
        props["dissolutionDate"] = (extract.dissolved_on.isoformat(),)
    record_entities([FtmEntity(company_id, "Company", props)],
                    _register(REGISTER_KVK, extract.source_date or extract.registered_on), user)
    for officer in extract.officers:
        person_id = person_entity_id(officer.name, officer.birth_date)
        person = {"name": (officer.name,)}
        if officer.birth_date:
            person["birthDate"] = (officer.birth_date.isoformat(),)
        link_id = f"{company_id}-dir-{person_id[-12:]}"
        link = {"director": (person_id,), "organization": (company_id,),
                "role": (officer.role,)}
        if officer.start:
            link["startDate"] = (officer.start.isoformat(),)
        if officer.end:
            link["endDate"] = (officer.end.isoformat(),)
        record_entities([FtmEntity(person_id, "Person", person),
                         FtmEntity(link_id, "Directorship", link)],
                        _register(REGISTER_KVK, officer.start, officer.end), user)
    return company_id


def configured() -> bool:
    """Whether a company-extract service is configured (pages may offer to fetch one)."""
    return not settings.KNOOPPUNT_COMPANY_EXTRACTS.endswith("NoCompanyExtracts")
