"""Synthetic Dutch person records with the errors real files have, for benchmarks and tests.

Each generated person gets one clean record and, with some probability, copies "supplied by
another partner" carrying typical faults: a typo in a name, initials instead of a first
name, the surname written with or without its tussenvoegsel or in register order ("Vries,
de"), day and month of birth swapped, first name and surname swapped, a missing field, a
new address after a move, a BSN left out or mistyped (which the check then drops). The
truth (which records are one person) is returned beside the records. The name lists are
common Dutch names written down for this purpose; the people are invented.

Companies (`generate_companies`) and vehicles (`generate_vehicles`) are made the same way:
invented trade names, KvK numbers and plates, with copies that carry typical faults.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from .companies import CompanyRecord
from .records import PersonRecord
from .vehicles import VehicleRecord


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split()))


_FIRST = _words(
    "jan pieter kees henk gerrit willem johannes cornelis hendrik jacob dirk klaas arie "
    "theo bert frank erik mark sander thomas daan lucas sem bram ruben tim niels jeroen "
    "bas koen joost stefan martijn wouter rick jesse lars milan finn noah levi luuk thijs "
    "max stijn jasper hugo floris maarten rutger bart ronald peter marcel richard michiel "
    "anna maria johanna cornelia elisabeth wilhelmina hendrika geertje aaltje grietje "
    "anne sanne lisa emma julia sophie eva fleur lotte iris femke anouk esther linda "
    "monique sandra petra ingrid marloes ilse mirjam nicole saskia karin yvonne wendy "
    "mohamed ahmed youssef fatima khadija ayoub mehmet ayse emre zeynep priya rohan "
    "jasmijn noor tess roos nina lieke vera evi sara mila zoe fenna isa lynn merel "
    "annemarie marieke willemijn tjitske sjoerd douwe wietse hidde gerben jelle"
)

_SURNAME = _words(
    "jong jansen vries berg bakker janssen visser smit meijer boer mulder groot bos vos "
    "peters hendriks leeuwen dekker brouwer wit dijk smits graaf meer linden kok jacobs "
    "haan vermeulen heuvel veen broek bruijn bruin heijden schouten beek willems vliet "
    "hoek dam verhoeven koster prins maas postma huisman kuipers wijk blom vermeer "
    "bosch kramer molen wouters timmermans graaf koning gerritsen maas hoekstra jonge "
    "hermans kuijpers wolters schipper evers claassen kamp koning wal schreurs sanders "
    "yilmaz kaya demir bouzid elamrani elidrissi benali ouali ramdin sewnarain "
    "haverkamp dijkstra bosma veenstra zijlstra visscher bouwman blokland zwart "
    "oosterhout kortekaas lammers stam driessen reijnders goossens verbeek pauwels "
    "biesheuvel lubbers drost huizinga mol steenbergen aalbers rietveld terpstra"
)

# Surnames that usually carry a tussenvoegsel, with the one they carry.
_PREFIXED = {
    "jong": "de", "vries": "de", "berg": "van den", "boer": "de", "groot": "de",
    "leeuwen": "van", "wit": "de", "dijk": "van", "graaf": "de", "meer": "van der",
    "linden": "van der", "haan": "de", "heuvel": "van den", "veen": "van", "broek": "van den",
    "bruijn": "de", "bruin": "de", "heijden": "van der", "beek": "van", "vliet": "van",
    "hoek": "van", "dam": "van", "wijk": "van", "bosch": "van den", "molen": "van der",
    "jonge": "de", "kamp": "van de", "wal": "van der", "koning": "de", "zwart": "de",
}

_CITIES = _words("amsterdam rotterdam den-haag utrecht eindhoven tilburg groningen almere breda "
           "nijmegen apeldoorn haarlem arnhem enschede amersfoort zaanstad zwolle leiden "
           "maastricht dordrecht deventer emmen venlo helmond heerlen")

_STREETS = _words("dorpsstraat kerkstraat molenweg schoolstraat stationsweg julianastraat "
            "wilhelminastraat beatrixstraat nieuwstraat markt kastanjelaan eikenlaan "
            "industrieweg havenstraat emmastraat parallelweg sportlaan prinsengracht")

_LETTERS = "ABCEGHJKLMNPRTVWXZ"


def _bsn(rng: random.Random) -> str:
    """A nine-digit number that passes the elfproef (weights 9..2 and -1)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        if digits[0] == 0:
            continue
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:  # a letter replaced
        return text[:i] + rng.choice("abcdefghijklmnoprstuvwz") + text[i + 1:]
    if kind < 0.6:  # a letter dropped
        return text[:i] + text[i + 1:]
    if kind < 0.8:  # two letters transposed
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + text[i] + text[i:]  # a letter doubled


def _person(rng: random.Random, index: int, today: date) -> PersonRecord:
    core = rng.choice(_SURNAME)
    prefix = _PREFIXED.get(core, "")
    surname = f"{prefix} {core}".strip().title() if prefix else core.title()
    given = " ".join(n.title() for n in rng.sample(_FIRST, rng.choice((1, 1, 2, 2, 3))))
    born = today - timedelta(days=rng.randint(18 * 365, 95 * 365))
    postcode = f"{rng.randint(1000, 9999)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
    return PersonRecord(
        record_id=f"p{index}-0", source="register", given_names=given, surname=surname,
        date_of_birth=born.strftime("%d-%m-%Y"), postcode=postcode,
        house_number=str(rng.randint(1, 250)), street=rng.choice(_STREETS).title(),
        city=rng.choice(_CITIES).title(), bsn=_bsn(rng) if rng.random() < 0.7 else "",
    )


def _corrupt(rng: random.Random, person: PersonRecord, copy: int, today: date) -> PersonRecord:
    rec = replace(person, record_id=f"{person.record_id[:-2]}-{copy}",
                  source=rng.choice(("politie", "gemeente", "woningcorporatie", "belastingdienst")))
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        fault = rng.random()
        if fault < 0.18:
            rec = replace(rec, surname=_typo(rng, rec.surname))
        elif fault < 0.32:
            rec = replace(rec, given_names=_typo(rng, rec.given_names))
        elif fault < 0.42:  # initials only: "J.P."
            rec = replace(rec, given_names="".join(f"{n[0].upper()}." for n in
                                                   rec.given_names.split()))
        elif fault < 0.50:  # register order or prefix lost
            parts = rec.surname.split(" ")
            if len(parts) > 1:
                rec = replace(rec, surname=(f"{parts[-1]}, {' '.join(parts[:-1]).lower()}"
                                            if rng.random() < 0.5 else parts[-1]))
        elif fault < 0.58 and rec.date_of_birth:  # day and month swapped (if day <= 12)
            d, m, y = str(rec.date_of_birth).split("-")
            if int(d) <= 12:
                rec = replace(rec, date_of_birth=f"{m}-{d}-{y}")
        elif fault < 0.64 and rec.date_of_birth:  # last digit of the year mistyped
            dob = str(rec.date_of_birth)
            rec = replace(rec, date_of_birth=dob[:-1] + str((int(dob[-1]) + 1) % 10))
        elif fault < 0.70:  # first name and surname swapped
            rec = replace(rec, given_names=rec.surname, surname=rec.given_names)
        elif fault < 0.80:  # moved
            rec = replace(rec, postcode=f"{rng.randint(1000, 9999)}"
                                        f"{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}",
                          house_number=str(rng.randint(1, 250)),
                          street=rng.choice(_STREETS).title(), city=rng.choice(_CITIES).title())
        elif fault < 0.88:  # a field left out
            field = rng.choice(("date_of_birth", "postcode", "house_number", "bsn",
                                "given_names", "street", "city"))
            rec = replace(rec, **{field: ""})
        elif fault < 0.94 and rec.bsn:  # BSN mistyped: fails the elfproef (mostly)
            i = rng.randrange(9)
            rec = replace(rec, bsn=rec.bsn[:i] + str((int(rec.bsn[i]) + 1) % 10) + rec.bsn[i + 1:])
        else:
            rec = replace(rec, postcode=rec.postcode[:4] + " " + rec.postcode[4:].lower())
    return rec


def generate(count: int, seed: int = 7, duplicate_share: float = 0.4,
             today: date | None = None) -> tuple[list[PersonRecord], dict[str, str]]:
    """About `count` records and {record_id: person_id}: the truth of who is who.

    Roughly `duplicate_share` of the records are corrupted copies of another record.
    """
    rng = random.Random(seed)
    today = today or date(2026, 1, 1)
    records: list[PersonRecord] = []
    truth: dict[str, str] = {}
    index = 0
    while len(records) < count:
        person = _person(rng, index, today)
        records.append(person)
        truth[person.record_id] = f"p{index}"
        copies = 0
        while rng.random() < duplicate_share / (1 - duplicate_share) / (copies + 1) \
                and len(records) < count:
            copies += 1
            copy = _corrupt(rng, person, copies, today)
            records.append(copy)
            truth[copy.record_id] = f"p{index}"
        index += 1
    rng.shuffle(records)
    return records, truth


_TRADES = _words("bakkerij kapsalon nagelstudio autobedrijf schoonmaak bouwbedrijf "
                 "installatietechniek transport carwash shoarma snackbar loodgietersbedrijf "
                 "schildersbedrijf belwinkel taxi beveiliging uitzendbureau horeca")
_MAKES = _words("volkswagen opel renault peugeot toyota ford kia bmw mercedes-benz audi "
                "skoda hyundai citroen fiat volvo nissan seat mazda suzuki tesla")
_COLOURS = _words("zwart grijs wit blauw rood groen geel bruin beige oranje paars")
_PLATE_FORMS = ("99XXX9", "9XXX99", "XX999X", "X999XX", "XXX99X", "X99XXX", "9XX999",
                "999XX9")
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"  # the letters the RDW issues


def _company(rng: random.Random, index: int) -> CompanyRecord:
    name = f"{rng.choice(_TRADES).title()} {rng.choice(_SURNAME).title()}"
    return CompanyRecord(
        record_id=f"c{index}-0", source="kvk", trade_name=f"{name} {rng.choice(('B.V.', ''))}",
        kvk=f"{rng.randint(10_000_000, 99_999_999)}",
        postcode=f"{rng.randint(1000, 9999)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}",
        house_number=str(rng.randint(1, 250)), street=rng.choice(_STREETS).title(),
        city=rng.choice(_CITIES).title())


def _corrupt_company(rng: random.Random, company: CompanyRecord, copy: int) -> CompanyRecord:
    rec = replace(company, record_id=f"{company.record_id[:-2]}-{copy}",
                  source=rng.choice(("politie", "gemeente", "belastingdienst")))
    fault = rng.random()
    if fault < 0.3:
        rec = replace(rec, trade_name=_typo(rng, rec.trade_name))
    elif fault < 0.45:  # words in another order, legal form dropped
        words = rec.trade_name.replace("B.V.", "").split()
        rec = replace(rec, trade_name=" ".join(reversed(words)))
    elif fault < 0.65:
        rec = replace(rec, kvk="")
    elif fault < 0.8:  # moved
        postcode = f"{rng.randint(1000, 9999)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
        rec = replace(rec, postcode=postcode, house_number=str(rng.randint(1, 250)))
    else:
        rec = replace(rec, trade_name=rec.trade_name.upper())
    return rec


def generate_companies(count: int, seed: int = 7) -> tuple[list[CompanyRecord], dict[str, str]]:
    """About `count` company records (a third are altered copies) and their truth."""
    rng = random.Random(seed)
    records: list[CompanyRecord] = []
    truth: dict[str, str] = {}
    index = 0
    while len(records) < count:
        company = _company(rng, index)
        records.append(company)
        truth[company.record_id] = f"c{index}"
        if rng.random() < 0.5 and len(records) < count:
            copy = _corrupt_company(rng, company, 1)
            records.append(copy)
            truth[copy.record_id] = f"c{index}"
        index += 1
    rng.shuffle(records)
    return records, truth


def _plate(rng: random.Random) -> str:
    form = rng.choice(_PLATE_FORMS)
    return "".join(rng.choice(_PLATE_LETTERS) if c == "X" else str(rng.randint(0, 9))
                   for c in form)


def _written_plate(rng: random.Random, plate: str) -> str:
    """A plate as people write it: with or without dashes, any case."""
    groups, current = [], plate[0]
    for char in plate[1:]:
        if char.isdigit() == current[-1].isdigit():
            current += char
        else:
            groups.append(current)
            current = char
    groups.append(current)
    text = rng.choice(("-", "", " ")).join(groups)
    return text.lower() if rng.random() < 0.3 else text


def generate_vehicles(count: int, seed: int = 7) -> tuple[list[VehicleRecord], dict[str, str]]:
    """About `count` vehicle records (a third are copies, some with two characters swapped)."""
    rng = random.Random(seed)
    records: list[VehicleRecord] = []
    truth: dict[str, str] = {}
    index = 0
    while len(records) < count:
        plate = _plate(rng)
        vehicle = VehicleRecord(f"v{index}-0", "rdw", _written_plate(rng, plate),
                                rng.choice(_MAKES).title(), rng.choice(_COLOURS))
        records.append(vehicle)
        truth[vehicle.record_id] = f"v{index}"
        if rng.random() < 0.5 and len(records) < count:
            copied = plate
            if rng.random() < 0.3:  # two neighbouring characters swapped
                i = rng.randrange(5)
                copied = plate[:i] + plate[i + 1] + plate[i] + plate[i + 2:]
            copy = VehicleRecord(f"v{index}-1", rng.choice(("politie", "gemeente")),
                                 _written_plate(rng, copied),
                                 vehicle.make if rng.random() < 0.9 else "",
                                 vehicle.colour if rng.random() < 0.8 else rng.choice(_COLOURS))
            records.append(copy)
            truth[copy.record_id] = f"v{index}"
        index += 1
    rng.shuffle(records)
    return records, truth
