"""Realistic synthetic example files for each delivery profile (no real people or cases)."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

MUNICIPALITIES = [("GM0153", "Enschede"), ("GM0164", "Hengelo"), ("GM0141", "Almelo"),
                  ("GM0173", "Oldenzaal"), ("GM0183", "Tubbergen"), ("GM0189", "Wierden")]
STREETS = ["Kerkstraat", "Molenweg", "Stationsstraat", "Haaksbergerstraat", "Deurningerstraat",
           "Esweg", "Hengelosestraat", "Boerhaavelaan", "Lindenlaan", "Berkenweg"]
FIRST = ["Jan", "Fatima", "Pieter", "Sanne", "Mehmet", "Lotte", "Kees", "Noor"]
LAST = ["Jansen", "de Vries", "Bakker", "Yilmaz", "Visser", "Smit", "Mulder", "de Boer"]
TEXTS = {
    "politie-hennep": ["Hennepkwekerij aangetroffen op zolder", "Sterke hennepgeur, ramen "
                       "afgeplakt", "Stroom illegaal afgetapt voor kweekruimte"],
    "netbeheerder": ["Afwijkend verbruikspatroon bij netmeting", "Meterfraude vermoed",
                     "Hoog nachtverbruik zonder verklaring"],
    "woningcorporatie": ["Huurder niet aangetroffen, woning lijkt onbewoond",
                         "Veel wisselende bewoners, mogelijk uitbuiting",
                         "Geur en warmte uit berging"],
    "waterbedrijf": ["Illegale aansluiting op waterleiding", "Sterk afwijkend waterverbruik",
                     "Chemische geur bij watermeter"],
    "mma": ["Tip: opslag van drugs in loods", "Tip: handel vanuit woning in de avond",
            "Tip: bedrijf als dekmantel voor witwassen"],
    "gemeente": ["Vergunningaanvraag met onduidelijke geldstroom", "Bibob-signaal bij horeca",
                 "Inschrijving op adres zonder bewoning"],
    "generiek": ["Signaal van ondermijning", "Verdachte activiteiten op bedrijventerrein"],
}
HEADERS = {
    "politie-hennep": ["Registratienummer", "Datum melding", "Gemeentecode", "Straat",
                       "Huisnummer", "Toevoeging", "Postcode", "Plaats", "Omschrijving",
                       "Aantal planten", "Vertrouwelijkheid"],
    "netbeheerder": ["Meetnummer", "Meetdatum", "Gemeente", "Straat", "Huisnummer", "Postcode",
                     "Plaats", "Onverklaard verbruik kWh", "Meetperiode dagen", "Toelichting"],
    "woningcorporatie": ["Dossiernummer", "Datum", "Gemeente", "Straat", "Huisnummer",
                         "Huisletter", "Postcode", "Plaats", "Thema", "Signaal", "Complexnummer",
                         "Medewerker", "Telefoon medewerker"],
    "waterbedrijf": ["Kenmerk", "Datum", "Gemeentecode", "Postcode", "Huisnummer", "Straat",
                     "Plaats", "Thema", "Verbruik m3", "Opmerking"],
    "mma": ["MMA-nummer", "Datum", "Gemeente", "Straat", "Huisnummer", "Plaats", "Categorie",
            "Melding", "Melder", "Contact melder"],
    "gemeente": ["Zaaknummer", "Datum", "Gemeentecode", "Straat", "Huisnummer", "Postcode",
                 "Thema", "Omschrijving", "Afdeling", "Vertrouwelijkheid", "Behandelaar",
                 "E-mail"],
    "generiek": ["Datum", "Thema", "Bron", "Gemeente", "Straat", "Huisnummer", "Postcode",
                 "Omschrijving"],
}
THEMES = {"woningcorporatie": ["mensenhandel", "hennepteelt", "ondermijning-overig"],
          "waterbedrijf": ["drugslab", "hennepteelt"],
          "mma": ["drugshandel", "witwassen-vastgoed", "drugslab"],
          "gemeente": ["witwassen-vastgoed", "mensenhandel", "ondermijning-overig"],
          "generiek": ["hennepteelt", "drugsdump", "omg"]}


def _nl_number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def example_rows(code: str, count: int, *, seed: int = 1, start: date | None = None,
                 end: date | None = None, bad_rows: int = 0, prefix: str = "",
                 municipalities: list[tuple[str, str]] | None = None,
                 addresses: list[tuple[str, str, str, int, str, str]] | None = None,
                 ) -> list[list]:
    """Header plus `count` rows for profile `code`; `bad_rows` rows have a deliberate fault.

    `addresses`: (GM code, municipality name, street, number, postcode, place) to draw
    from instead of invented ones, e.g. the demo register's, so the rows resolve.
    """
    rng = random.Random(f"{code}-{seed}")
    places = municipalities or MUNICIPALITIES
    end = end or date.today() - timedelta(days=1)
    start = start or end - timedelta(days=365)
    span = max(1, (end - start).days)
    header = HEADERS[code]
    rows: list[list] = [header]
    bad = set(rng.sample(range(count), min(bad_rows, count)))
    for i in range(count):
        gm, name = rng.choice(places)
        day = start + timedelta(days=rng.randrange(span + 1))
        street, number = rng.choice(STREETS), rng.randint(1, 180)
        postcode = f"75{rng.randint(10, 99)}{rng.choice('ABCDEGHJKLMNPRTVWXZ')}" \
                   f"{rng.choice('ABCDEGHJKLMNPRTVWXZ')}"
        text = rng.choice(TEXTS[code])
        theme = rng.choice(THEMES.get(code, ["hennepteelt"]))
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        ident = f"{prefix}{code[:3].upper()}-{seed}-{i + 1:06d}"
        city = name
        if addresses:
            gm, name, street, number, postcode, city = rng.choice(addresses)
        values = {
            "Registratienummer": ident, "Meetnummer": ident, "Dossiernummer": ident,
            "Kenmerk": ident, "MMA-nummer": ident, "Zaaknummer": ident,
            "Datum melding": day.strftime("%d-%m-%Y"),
            "Meetdatum": f"{day:%d-%m-%Y} {rng.randint(7, 22)}:{rng.choice(['00', '30'])}",
            "Datum": day.isoformat() if code in ("gemeente", "generiek") else day.strftime(
                "%d-%m-%Y"),
            "Gemeentecode": gm, "Gemeente": name, "Straat": street, "Huisnummer": number,
            "Toevoeging": rng.choice(["", "", "", "A", "2"]), "Huisletter": rng.choice(
                ["", "", "B"]),
            "Postcode": postcode, "Plaats": city, "Omschrijving": text, "Toelichting": text,
            "Signaal": text, "Opmerking": text, "Melding": text,
            "Aantal planten": rng.choice(["", str(rng.randint(50, 1500))]),
            "Vertrouwelijkheid": rng.choice(["normaal", "normaal", "vertrouwelijk"]),
            "Onverklaard verbruik kWh": _nl_number(rng.uniform(2000, 60000), 1),
            "Meetperiode dagen": rng.choice([30, 60, 90]),
            "Thema": theme, "Categorie": theme, "Bron": "overig",
            "Complexnummer": f"C{rng.randint(100, 999)}",
            "Medewerker": person, "Telefoon medewerker": f"06-{rng.randint(10000000, 99999999)}",
            "Verbruik m3": _nl_number(rng.uniform(150, 4000), 1),
            "Melder": person, "Contact melder": f"06-{rng.randint(10000000, 99999999)}",
            "Afdeling": rng.choice(["Vergunningen", "Handhaving", "Burgerzaken"]),
            "Behandelaar": person, "E-mail": f"{person.split()[0].lower()}@gemeente.example",
        }
        if addresses:  # register addresses are used as they are, without letter/addition
            values["Toevoeging"] = values["Huisletter"] = ""
        if i in bad:
            fault = rng.choice(["date", "municipality", "description", "future"])
            if fault == "date":
                for k in ("Datum melding", "Meetdatum", "Datum"):
                    values[k] = "31-02-2023"
            elif fault == "municipality":
                values["Gemeentecode"] = values["Gemeente"] = "GM9999"
            elif fault == "description":
                for k in ("Omschrijving", "Toelichting", "Signaal", "Opmerking", "Melding"):
                    values[k] = ""
            else:
                for k in ("Datum melding", "Meetdatum", "Datum"):
                    values[k] = "01-01-2099"
        rows.append([values[h] for h in header])
    return rows


def to_csv(rows: list[list], delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def to_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Aanlevering")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# How each example file is written: the formats partners really send.
FORMATS = {
    "politie-hennep": ("csv", ";", "utf-8-sig"),
    "netbeheerder": ("csv", ",", "utf-8"),
    "woningcorporatie": ("xlsx", "", ""),
    "waterbedrijf": ("csv", "\t", "cp1252"),
    "mma": ("csv", ";", "utf-8"),
    "gemeente": ("csv", "|", "cp1252"),
    "generiek": ("csv", ";", "utf-8"),
}


def example_file(code: str, rows: list[list]) -> tuple[bytes, str]:
    kind, delimiter, encoding = FORMATS[code]
    if kind == "xlsx":
        return to_xlsx(rows), f"{code}.xlsx"
    return to_csv(rows, delimiter, encoding), f"{code}.csv"
