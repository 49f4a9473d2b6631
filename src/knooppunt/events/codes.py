"""Code lists shipped with Knooppunt, loaded by a data migration and editable in /beheer/.

`politie-nl`: the classes ("soort misdrijf") under which the Dutch police publish their
registered crimes on data.politie.nl, plus the nuisance incidents of the same system that
municipal dashboards (Tilburg, Enschede) show. Codes and labels were written from the
published classification; a beheerder checks them against the police's current list
before real use (decision 0037). `toronto-mci`: the five Major Crime Indicators of the
Toronto Police Service, whose files carry the label only (code = label).
"""

from __future__ import annotations

CRIME, NUISANCE = "misdrijf", "overlast"

# (code, Dutch label, English label, category)
POLITIE_NL: list[tuple[str, str, str, str]] = [
    ("1.1.1", "Diefstal/inbraak woning", "Burglary (dwelling)", CRIME),
    ("1.1.2", "Diefstal/inbraak box/garage/schuur", "Burglary (shed, garage)", CRIME),
    ("1.2.1", "Diefstal uit/vanaf motorvoertuigen", "Theft from motor vehicle", CRIME),
    ("1.2.2", "Diefstal van motorvoertuigen", "Theft of motor vehicle", CRIME),
    ("1.2.3", "Diefstal van brom-, snor-, fietsen", "Theft of bicycle or moped", CRIME),
    ("1.2.4", "Zakkenrollerij", "Pickpocketing", CRIME),
    ("1.4.2", "Moord, doodslag", "Murder, manslaughter", CRIME),
    ("1.4.3", "Openlijk geweld (persoon)", "Public violence", CRIME),
    ("1.4.4", "Bedreiging", "Threat", CRIME),
    ("1.4.5", "Mishandeling", "Assault", CRIME),
    ("1.4.6", "Straatroof", "Street robbery", CRIME),
    ("1.4.7", "Overval", "Hold-up", CRIME),
    ("1.6.1", "Brand/ontploffing", "Arson, explosion", CRIME),
    ("1.6.3", "Mensenhandel", "Human trafficking", CRIME),
    ("2.1.1", "Drugs/drankoverlast", "Drug or alcohol nuisance", NUISANCE),
    ("2.2.1", "Vernieling cq. zaakbeschadiging", "Vandalism", CRIME),
    ("2.4.1", "Burengerucht (relatieproblemen)", "Neighbour disturbance", NUISANCE),
    ("2.4.2", "Huisvredebreuk", "Trespass", CRIME),
    ("2.5.1", "Diefstal/inbraak bedrijven en instellingen", "Burglary (business)", CRIME),
    ("2.5.2", "Winkeldiefstal", "Shoplifting", CRIME),
    ("3.1.1", "Drugshandel", "Drug trafficking", CRIME),
    ("3.1.3", "Wapenhandel", "Arms trafficking", CRIME),
    ("3.6.4", "Aantasting openbare orde", "Public order offence", NUISANCE),
    ("3.7.4", "Cybercrime", "Cybercrime", CRIME),
    ("3.9.1", "Horizontale fraude", "Fraud (horizontal)", CRIME),
    ("3.9.2", "Verticale fraude", "Fraud (vertical)", CRIME),
    ("E33", "Overlast jeugd", "Youth nuisance", NUISANCE),
    ("E35", "Overlast zwervers", "Nuisance by homeless persons", NUISANCE),
    ("E38", "Overlast verward persoon", "Nuisance by confused person", NUISANCE),
]

TORONTO_MCI: list[tuple[str, str, str, str]] = [
    ("Assault", "Mishandeling", "Assault", CRIME),
    ("Break and Enter", "Inbraak", "Break and Enter", CRIME),
    ("Auto Theft", "Diefstal van auto", "Auto Theft", CRIME),
    ("Robbery", "Beroving", "Robbery", CRIME),
    ("Theft Over", "Diefstal boven $5.000", "Theft Over", CRIME),
]

CODE_LISTS: dict[str, tuple[str, str, list]] = {
    "politie-nl": ("Politie: soort misdrijf en incidentcodes",
                   "Politie, data.politie.nl (geregistreerde misdrijven) en incidentcodes "
                   "voor overlast; te controleren door de beheerder", POLITIE_NL),
    "toronto-mci": ("Toronto Police Service: Major Crime Indicators",
                    "Toronto Police Service Public Safety Data Portal (Open Government "
                    "Licence - Toronto)", TORONTO_MCI),
}


def load_code_lists(apps=None) -> None:
    """Create or update the shipped code lists (a data migration passes its `apps`)."""
    if apps is None:
        from django.apps import apps
    code_list_model = apps.get_model("events", "CodeList")
    code_model = apps.get_model("events", "OffenceCode")
    for slug, (name, source, rows) in CODE_LISTS.items():
        code_list, _ = code_list_model.objects.update_or_create(
            code=slug, defaults={"name": name, "source": source})
        for code, label, label_en, category in rows:
            code_model.objects.update_or_create(
                code_list=code_list, code=code,
                defaults={"label": label, "label_en": label_en, "category": category})
