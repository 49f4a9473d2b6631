"""The synthetic address register of the demo region, with companies and energy anomalies.

Every numbered address the demo's signals use becomes a register address (a made-up BAG
nummeraanduiding id: four digits of the municipality code, "20", and ten digits from
9,000,000,001 up, so they never collide with a real extract) with plausible
building facts. A few percent of signals carry a typing error in the postcode, so they are
not found and the fix-list ("niet gevonden: controleren") has content. Some addresses get a
company (KvK numbers starting with 9, not issued in reality), and every grid operator's
signal an energy anomaly. Re-running replaces the region's synthetic register rows only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from knooppunt.geo.models import Neighbourhood
from knooppunt.registers.models import Address, Company, EnergyAnomaly
from knooppunt.signals.models import AddressStatus

from .places import POSTCODE_LETTERS

SOURCE_BAG = "Synthetisch adresregister (demo)"
SOURCE_KVK = "Synthetisch handelsregister (demo)"
SOURCE_ENERGY = "Netbeheerder (demo)"
TYPO_SHARE = 0.04
COMPANY_SHARE = 0.07
# Synthetic ids run from 9,000,000,001 in their ten digits, far above what the BAG issues.
SYNTHETIC_BASE = 9_000_000_000

USAGES = (("woonfunctie", 78), ("woonfunctie, winkelfunctie", 5), ("industriefunctie", 6),
          ("kantoorfunctie", 4), ("bijeenkomstfunctie", 2), ("logiesfunctie", 2),
          ("overige gebruiksfunctie", 3))
RURAL_USAGES = (("woonfunctie", 60), ("industriefunctie", 15), ("overige gebruiksfunctie", 25))
SBI = (("0113", "Teelt van groenten en wortel- en knolgewassen"),
       ("4120", "Algemene burgerlijke en utiliteitsbouw"),
       ("4532", "Detailhandel in onderdelen en accessoires van auto's"),
       ("4711", "Supermarkten en dergelijke winkels"),
       ("5610", "Restaurants, cafetaria's en dergelijke"),
       ("6820", "Verhuur van en handel in eigen of geleasd onroerend goed"),
       ("7022", "Organisatie-adviesbureaus"),
       ("9602", "Kappers en schoonheidsverzorging"),
       ("4941", "Goederenvervoer over de weg"),
       ("5221", "Dienstverlening voor vervoer over land"))
COMPANY_WORDS = ("Handelsonderneming", "Bouw", "Transport", "Vastgoed", "Kwekerij",
                 "Autobedrijf", "Beheer", "Holding", "Service", "Import")


@dataclass
class RegisterResult:
    addresses: int
    companies: int
    anomalies: int
    unresolved: int


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def build_register(municipalities, drafts, *, seed: int, today: date) -> RegisterResult:
    """Write the register for the drafts' addresses and mark each draft signal found or not."""
    rng = random.Random(f"{seed}:register")
    Company.objects.filter(is_synthetic=True, address__municipality__in=municipalities).delete()
    Address.objects.filter(is_synthetic=True, municipality__in=municipalities).delete()
    district_of = dict(Neighbourhood.objects.filter(municipality__in=municipalities)
                       .values_list("pk", "district_id"))
    addresses: dict[tuple, Address] = {}
    counters: dict[int, int] = {}
    unresolved = 0
    for draft in sorted(drafts, key=lambda d: d.signal.reference):
        signal = draft.signal
        signal.district_id = district_of.get(signal.neighbourhood_id)
        if not (signal.postcode and signal.house_number):
            signal.address_status = AddressStatus.NOT_GIVEN
            continue
        key = (signal.postcode, signal.house_number, signal.house_letter,
               signal.house_number_addition)
        address = addresses.get(key)
        if address is None:
            address = addresses[key] = _address(rng, signal, counters, today)
        if rng.random() < TYPO_SHARE:
            signal.postcode = _typo(rng, signal.postcode)
            signal.address_status = AddressStatus.UNRESOLVED
            signal.address_register_id = ""
            unresolved += 1
            continue
        signal.address_status = AddressStatus.RESOLVED
        signal.address_register_id = address.nummeraanduiding_id
    Address.objects.bulk_create(addresses.values(), batch_size=1000)
    stored = {a.nummeraanduiding_id: a for a in Address.objects.filter(
        nummeraanduiding_id__in=[a.nummeraanduiding_id for a in addresses.values()])}
    companies = _companies(rng, stored.values(), today)
    Company.objects.bulk_create(companies, batch_size=1000)
    anomalies = _anomalies(rng, drafts, stored, today)
    EnergyAnomaly.objects.bulk_create(anomalies, batch_size=1000)
    return RegisterResult(len(addresses), len(companies), len(anomalies), unresolved)


def _address(rng: random.Random, signal, counters: dict[int, int], today: date) -> Address:
    municipality = signal.municipality
    counters[municipality.pk] = counters.get(municipality.pk, 0) + 1
    number = counters[municipality.pk]
    prefix = municipality.code[2:6]
    rural = signal.neighbourhood_id is None or rng.random() < 0.1
    usage = _pick(rng, RURAL_USAGES if rural else USAGES)
    living = usage.startswith("woon")
    year = int(min(max(rng.gauss(1972, 28), 1850), today.year - 1))
    area = (rng.randint(45, 180) if living else rng.randint(60, 2500))
    return Address(
        nummeraanduiding_id=f"{prefix}20{SYNTHETIC_BASE + number}",
        street=signal.street, house_number=signal.house_number,
        house_letter=signal.house_letter, house_number_addition=signal.house_number_addition,
        postcode=signal.postcode, city=signal.city,
        x_rd=signal.x_rd, y_rd=signal.y_rd,
        latitude=signal.latitude, longitude=signal.longitude,
        municipality=municipality, district_id=signal.district_id,
        neighbourhood_id=signal.neighbourhood_id,
        verblijfsobject_id=f"{prefix}01{SYNTHETIC_BASE + number}",
        pand_id=f"{prefix}10{SYNTHETIC_BASE + number}",
        usage=usage, construction_year=year, floor_area=area,
        status="Verblijfsobject in gebruik", source=SOURCE_BAG,
        source_date=today.replace(day=1), is_synthetic=True,
    )


def _typo(rng: random.Random, postcode: str) -> str:
    """The same four digits with other letters: a typical typing error."""
    letters = postcode[4:]
    other = rng.choice([p for p in POSTCODE_LETTERS if p != letters])
    return postcode[:4] + other


def _companies(rng: random.Random, addresses, today: date) -> list[Company]:
    companies = []
    for address in addresses:
        share = COMPANY_SHARE if address.usage.startswith("woon") else 0.6
        if rng.random() >= share:
            continue
        code, description = rng.choice(SBI)
        registered = today - timedelta(days=rng.randint(30, 365 * 25))
        companies.append(Company(
            kvk_number=f"9{rng.randrange(10**7):07d}",
            name=f"{rng.choice(COMPANY_WORDS)} {address.street.split()[0]} (demo)",
            sbi_code=code, sbi_description=description, address=address,
            registered_on=registered, source=SOURCE_KVK, source_date=today.replace(day=1),
            is_synthetic=True,
        ))
    return companies


def _anomalies(rng: random.Random, drafts, stored: dict[str, Address],
               today: date) -> list[EnergyAnomaly]:
    anomalies = []
    seen: set[str] = set()
    for draft in drafts:
        signal = draft.signal
        identifier = signal.address_register_id
        if signal.source_type.code != "netbeheerder" or not identifier or identifier in seen:
            continue
        seen.add(identifier)
        end = signal.received_on - timedelta(days=rng.randint(7, 40))
        start = end - timedelta(days=rng.choice((90, 182, 365)))
        expected = rng.randint(2200, 4200) * (end - start).days // 365
        anomalies.append(EnergyAnomaly(
            address=stored[identifier], period_start=start, period_end=end,
            expected_kwh=expected, measured_kwh=int(expected * rng.uniform(2.5, 9.0)),
            source=SOURCE_ENERGY, reported_on=min(signal.received_on, today),
            is_synthetic=True,
        ))
    return anomalies
