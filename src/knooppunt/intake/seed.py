"""The delivery profiles Knooppunt starts with; loaded once by a data migration.

Each mapping gives, per signal field, the column names a partner may use (first match
wins, compared without case and surrounding spaces). `details` are extra columns whose
values are added to the description with their label.
"""

from __future__ import annotations

ADDRESS = {
    "street": ["straat", "straatnaam", "openbare ruimte"],
    "house_number": ["huisnummer", "huisnr", "nr"],
    "house_letter": ["huisletter", "letter"],
    "house_number_addition": ["toevoeging", "huisnummertoevoeging"],
    "postcode": ["postcode", "pc"],
    "city": ["plaats", "woonplaats", "plaatsnaam"],
}
LOCATION = {
    "municipality": ["gemeentecode", "gemeente", "gm-code", "cbs-code"],
    "x_rd": ["x", "x_rd", "x-coördinaat", "x-coordinaat"],
    "y_rd": ["y", "y_rd", "y-coördinaat", "y-coordinaat"],
    "latitude": ["lat", "breedtegraad", "latitude"],
    "longitude": ["lon", "lng", "lengtegraad", "longitude"],
}

PROFILES = [
    {
        "code": "politie-hennep",
        "name": "Politie: hennepberichten",
        "description": "Bestuurlijke rapportages en hennepberichten van de politie-eenheid.",
        "source_type": "politie",
        "default_theme": "hennepteelt",
        "organisation_kind": "politie",
        "partner_id_column": "Registratienummer",
        "column_mapping": {
            "partner_id": ["registratienummer", "bhv-nummer", "kenmerk"],
            "received_on": ["datum melding", "datum", "meldingsdatum"],
            "theme": ["thema", "soort"],
            "description": ["omschrijving", "toelichting", "samenvatting"],
            "confidentiality": ["vertrouwelijkheid", "rubricering"],
            **LOCATION,
            **ADDRESS,
            "details": {"Aantal planten": ["aantal planten", "planten"]},
        },
    },
    {
        "code": "netbeheerder",
        "name": "Netbeheerder: netmetingen en onverklaard verbruik",
        "description": "Treffers uit proactieve netmetingen met het onverklaarde verbruik.",
        "source_type": "netbeheerder",
        "default_theme": "hennepteelt",
        "organisation_kind": "netbeheerder",
        "partner_id_column": "Meetnummer",
        "column_mapping": {
            "partner_id": ["meetnummer", "ean-meting", "kenmerk"],
            "received_on": ["meetdatum", "datum"],
            "description": ["toelichting", "opmerking", "omschrijving"],
            **LOCATION,
            **ADDRESS,
            "details": {
                "Onverklaard verbruik (kWh)": ["onverklaard verbruik kwh", "onverklaard kwh",
                                               "onverklaard verbruik (kwh)"],
                "Periode meting (dagen)": ["meetperiode dagen", "periode (dagen)"],
            },
        },
    },
    {
        "code": "woningcorporatie",
        "name": "Woningcorporatie: signalen uit woningbezit",
        "description": "Signalen van huismeesters en wijkconsulenten.",
        "source_type": "woningcorporatie",
        "default_theme": "ondermijning-overig",
        "organisation_kind": "woningcorporatie",
        "partner_id_column": "Dossiernummer",
        "column_mapping": {
            "partner_id": ["dossiernummer", "kenmerk"],
            "received_on": ["datum", "datum signaal"],
            "theme": ["thema", "soort signaal"],
            "description": ["signaal", "omschrijving"],
            "reporter_name": ["medewerker", "gemeld door"],
            "reporter_contact": ["telefoon medewerker", "contact"],
            **LOCATION,
            **ADDRESS,
            "details": {"Complexnummer": ["complexnummer", "complex"]},
        },
    },
    {
        "code": "waterbedrijf",
        "name": "Waterbedrijf: afwijkend waterverbruik",
        "description": "Meldingen van afwijkend verbruik of illegale aansluitingen.",
        "source_type": "waterbedrijf",
        "default_theme": "drugslab",
        "organisation_kind": "waterbedrijf",
        "partner_id_column": "Kenmerk",
        "column_mapping": {
            "partner_id": ["kenmerk", "meldingnummer"],
            "received_on": ["datum", "constateringsdatum"],
            "theme": ["thema"],
            "description": ["opmerking", "omschrijving"],
            **LOCATION,
            **ADDRESS,
            "details": {"Verbruik (m³)": ["verbruik m3", "verbruik (m3)", "verbruik m³"]},
        },
    },
    {
        "code": "mma",
        "name": "Meld Misdaad Anoniem: tips",
        "description": "Anonieme tips; gegevens over de melder worden nooit bewaard.",
        "source_type": "mma",
        "default_theme": "ondermijning-overig",
        "organisation_kind": "",
        "partner_id_column": "MMA-nummer",
        "anonymous": True,
        "column_mapping": {
            "partner_id": ["mma-nummer", "tipnummer"],
            "received_on": ["datum", "datum tip"],
            "theme": ["thema", "categorie"],
            "description": ["melding", "tip", "omschrijving"],
            # Recognised only to be removed: never stored, not even in the kept file.
            "reporter_name": ["melder", "naam melder"],
            "reporter_contact": ["contact melder", "telefoon melder", "e-mail melder"],
            **LOCATION,
            **ADDRESS,
        },
    },
    {
        "code": "gemeente",
        "name": "Gemeentelijke afdelingen",
        "description": "Vergunningen, handhaving, burgerzaken en belastingen.",
        "source_type": "gemeente",
        "default_theme": "ondermijning-overig",
        "organisation_kind": "gemeente",
        "partner_id_column": "Zaaknummer",
        "column_mapping": {
            "partner_id": ["zaaknummer", "kenmerk"],
            "received_on": ["datum", "registratiedatum"],
            "theme": ["thema"],
            "description": ["omschrijving", "signaal"],
            "confidentiality": ["vertrouwelijkheid"],
            "reporter_name": ["behandelaar", "melder"],
            "reporter_contact": ["e-mail", "contact"],
            **LOCATION,
            **ADDRESS,
            "details": {"Afdeling": ["afdeling"]},
        },
    },
    {
        "code": "generiek",
        "name": "Generiek profiel",
        "description": "Voor elke partner; kolomnamen volgen de velden van een signaal.",
        "source_type": "overig",
        "default_theme": None,
        "organisation_kind": "",
        "partner_id_column": "",
        "column_mapping": {
            "partner_id": ["kenmerk", "eigen kenmerk"],
            "received_on": ["datum", "datum ontvangen", "received_on"],
            "theme": ["thema", "theme"],
            "source_type": ["bron", "source_type"],
            "description": ["omschrijving", "description"],
            "confidentiality": ["vertrouwelijkheid", "confidentiality"],
            "reporter_name": ["naam melder", "reporter_name"],
            "reporter_contact": ["contact melder", "reporter_contact"],
            **LOCATION,
            **ADDRESS,
        },
    },
]


def load_profiles(apps) -> None:
    """Create the shipped profiles (used by the data migration and by tests)."""
    profile_model = apps.get_model("intake", "DeliveryProfile")
    theme_model = apps.get_model("taxonomy", "Theme")
    source_model = apps.get_model("taxonomy", "SourceType")
    for spec in PROFILES:
        theme = spec["default_theme"]
        profile_model.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "source_type": source_model.objects.get(code=spec["source_type"]),
                "default_theme": theme_model.objects.get(code=theme) if theme else None,
                "organisation_kind": spec["organisation_kind"],
                "partner_id_column": spec["partner_id_column"],
                "anonymous": spec.get("anonymous", False),
                "column_mapping": spec["column_mapping"],
            },
        )
