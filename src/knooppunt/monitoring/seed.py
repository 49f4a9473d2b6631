"""The indicators Knooppunt ships (seed 003 ch. 2 "Hoe gaan we dat meten?", seed 000,
RIEC annual plan ch. 2). Loaded by a data migration; a beheerder changes or adds
indicators in the admin. Case-based indicators are added when the cases app lands.

Each entry: code, name, English name, theme code or None, measure, parameters, unit,
per 1,000, higher is better, early warning, reference, definition, source.
"""

from __future__ import annotations

SIGNALS_SOURCE = "Knooppunt: signalen (datum ontvangst)"
POLICE_YEARLY_SOURCE = "CBS/Politie 47018NED (jaarcijfers); bewerking W. Bernasco (NSCR)"
POLICE_MONTHLY_SOURCE = "CBS/Politie 47022NED (maandcijfers)"
PLAN = "Veiligheidsplan (seed 003) hfdst. 2.7: aantal signalen per thema"

THEME_INDICATORS = [
    ("hennepteelt", "Signalen hennepteelt", "Cannabis-cultivation signals",
     "seed 000: opvolging hennepberichten per gemeente"),
    ("drugslab", "Signalen drugslabs", "Drug-lab signals", PLAN),
    ("drugsdump", "Drugsdumpingen", "Drug-waste dumps", "seed 000: drugsdumpingen"),
    ("drugshandel", "Signalen drugshandel", "Drug-trafficking signals", PLAN),
    ("mensenhandel", "Signalen mensenhandel en uitbuiting",
     "Human-trafficking signals", PLAN),
    ("witwassen-vastgoed", "Signalen witwassen / vastgoed",
     "Money-laundering / real-estate signals", PLAN),
    ("zorgfraude", "Signalen zorgfraude", "Care-fraud signals", PLAN),
    ("omg", "Signalen OMG", "Outlaw-motorcycle-gang signals", PLAN),
]

INDICATORS: list[dict] = [
    {
        "code": "signalen-totaal",
        "name": "Signalen ondermijning (totaal)",
        "name_en": "Undermining signals (total)",
        "theme": None,
        "measure": "signals",
        "parameters": {},
        "unit": "aantal",
        "per_1000": True,
        "higher_is_better": None,
        "early_warning": True,
        "reference": "Veiligheidsplan (seed 003) hfdst. 2.7; RIEC-jaarplan",
        "definition": "Aantal signalen van mogelijke ondermijning dat in de periode is "
        "ontvangen, van alle bronnen en thema's, naar de gemeente (wijk, buurt) waar het "
        "signaal betrekking op heeft.",
        "source": SIGNALS_SOURCE,
        "position": 10,
    },
    *[
        {
            "code": f"signalen-{theme}",
            "name": name,
            "name_en": name_en,
            "theme": theme,
            "measure": "signals",
            "parameters": {"theme": theme},
            "unit": "aantal",
            "per_1000": True,
            "higher_is_better": None,
            "early_warning": True,
            "reference": reference,
            "definition": f"Aantal ontvangen signalen met thema '{name}' in de periode.",
            "source": SIGNALS_SOURCE,
            "position": 20 + i,
        }
        for i, (theme, name, name_en, reference) in enumerate(THEME_INDICATORS)
    ],
    {
        "code": "anonieme-meldingen",
        "name": "Anonieme meldingen (Meld Misdaad Anoniem)",
        "name_en": "Anonymous tips (Crime Stoppers)",
        "theme": None,
        "measure": "signals",
        "parameters": {"source_type": "mma"},
        "unit": "aantal",
        "per_1000": True,
        "higher_is_better": None,
        "early_warning": False,
        "reference": "seed 000/004: meldingen via Meld Misdaad Anoniem",
        "definition": "Aantal signalen met bron Meld Misdaad Anoniem in de periode.",
        "source": SIGNALS_SOURCE,
        "position": 40,
    },
    {
        "code": "netbeheerder-meldingen",
        "name": "Meldingen netbeheerder (onverklaard energieverbruik)",
        "name_en": "Grid-operator reports (unexplained energy use)",
        "theme": None,
        "measure": "signals",
        "parameters": {"source_type": "netbeheerder"},
        "unit": "aantal",
        "per_1000": True,
        "higher_is_better": None,
        "early_warning": False,
        "reference": "seed 000: Clean Sweep, proactieve netmetingen",
        "definition": "Aantal signalen van de netbeheerder in de periode.",
        "source": SIGNALS_SOURCE,
        "position": 41,
    },
    {
        "code": "misdrijven-brengdelicten",
        "name": "Geregistreerde misdrijven (brengdelicten)",
        "name_en": "Registered crime (victim-reported offences)",
        "theme": None,
        "measure": "police_yearly",
        "parameters": {"table": "47018NED", "crime_type": "brengdelicten"},
        "unit": "aantal",
        "per_1000": True,
        "higher_is_better": False,
        "early_warning": False,
        "reference": "seed 002: trends in registraties; G32-benchmark",
        "definition": "Door de politie geregistreerde misdrijven die slachtoffers melden "
        "(brengdelicten: o.a. inbraak, diefstal, geweld, vernieling), per jaar. Zonder "
        "haaldelicten (drugs, verkeer, milieu) en zonder zedendelicten.",
        "source": POLICE_YEARLY_SOURCE,
        "position": 60,
    },
    {
        "code": "misdrijven-totaal-maand",
        "name": "Geregistreerde misdrijven (totaal, per maand)",
        "name_en": "Registered crime (total, monthly)",
        "theme": None,
        "measure": "police_monthly",
        "parameters": {"table": "47022NED", "crime_type": "0.0.0"},
        "unit": "aantal",
        "per_1000": True,
        "higher_is_better": False,
        "early_warning": True,
        "reference": "seed 002: trends in registraties",
        "definition": "Totaal geregistreerde misdrijven (soort misdrijf 0.0.0) per maand, "
        "zoals de politie ze publiceert.",
        "source": POLICE_MONTHLY_SOURCE,
        "position": 61,
    },
    {
        "code": "woninginbraak-maand",
        "name": "Diefstal/inbraak woning (per maand)",
        "name_en": "Domestic burglary (monthly)",
        "theme": None,
        "measure": "police_monthly",
        "parameters": {"table": "47022NED", "crime_type": "1.1.1"},
        "unit": "aantal",
        "per_1000": True,
        "higher_is_better": False,
        "early_warning": True,
        "reference": "Veiligheidsplan (seed 003) hfdst. 2.1: politieregistraties",
        "definition": "Geregistreerde diefstal/inbraak woning (soort misdrijf 1.1.1) "
        "per maand.",
        "source": POLICE_MONTHLY_SOURCE,
        "position": 62,
    },
]

CASES_SOURCE = "Knooppunt: casussen, besluiten en interventies"
PLAN_27 = "Veiligheidsplan (seed 003) hfdst. 2.7, 'Hoe gaan we dat meten?'"

# Added with the cases app (migration 0003).
CASE_INDICATORS: list[dict] = [
    {
        "code": "casussen-geopend",
        "name": "Casussen geopend",
        "name_en": "Cases opened",
        "measure": "cases",
        "parameters": {},
        "unit": "aantal",
        "higher_is_better": None,
        "reference": "RIEC-jaarplan: casussen in integrale gremia",
        "definition": "Aantal casussen dat in de periode is geopend, naar de gemeente van "
        "de casus.",
        "position": 70,
    },
    {
        "code": "casussen-lokaal-gewogen",
        "name": "Casussen lokaal gewogen",
        "name_en": "Cases weighed locally",
        "measure": "cases_weighed",
        "parameters": {},
        "unit": "aantal",
        "higher_is_better": True,
        "reference": PLAN_27,
        "definition": "Aantal casussen dat in de periode voor het eerst in een fase kwam "
        "die als gewogen telt (weging, integrale aanpak, evaluatie); elke casus één keer, "
        "op de dag van die eerste weging (catalogus van cijfers, besluit 0024).",
        "position": 71,
    },
    {
        "code": "casussen-naar-riec",
        "name": "Casussen doorgeleid naar het RIEC",
        "name_en": "Cases passed to the RIEC",
        "measure": "decisions",
        "parameters": {"kind": "naar-riec"},
        "unit": "aantal",
        "higher_is_better": True,
        "reference": PLAN_27 + "; RIEC-streefcijfers (stuurploeg)",
        "definition": "Aantal besluiten om een casus naar het RIEC (stuur- en weegploeg) "
        "door te geleiden.",
        "position": 72,
    },
    {
        "code": "snelle-interventies",
        "name": "Casussen gestopt door snelle interventies",
        "name_en": "Cases stopped by quick interventions",
        "measure": "cases_stopped_quickly",
        "parameters": {},
        "unit": "aantal",
        "higher_is_better": True,
        "reference": PLAN_27 + ": casussen lokaal door snelle interventies tegengehouden",
        "definition": "Aantal casussen dat in de periode is gesloten en een afgeronde "
        "interventie van een snelle soort (korte klap) heeft, op de dag van sluiten "
        "(catalogus van cijfers, besluit 0024).",
        "position": 73,
    },
    {
        "code": "sluitingen-13b",
        "name": "Sluitingen art. 13b Opiumwet (gestart of afgerond)",
        "name_en": "Closures art. 13b Opium Act (started or finished)",
        "measure": "interventions",
        "parameters": {"type": "sluiting-13b"},
        "unit": "aantal",
        "higher_is_better": True,
        "reference": "seed 000: bestuurlijke aanpak hennep",
        "definition": "Aantal sluitingen op grond van art. 13b Opiumwet die lopen of "
        "afgerond zijn, op de einddatum (anders de startdatum).",
        "position": 74,
    },
    {
        "code": "afgepakt-bedrag",
        "name": "Afgepakt bedrag (€)",
        "name_en": "Assets recovered (€)",
        "measure": "intervention_sum",
        "parameters": {"field": "amount_recovered"},
        "unit": "euro",
        "higher_is_better": True,
        "reference": PLAN_27 + ": totaalbedrag afpakken",
        "definition": "Som van de afgepakte bedragen van interventies die lopen of "
        "afgerond zijn, op de einddatum (anders de startdatum).",
        "position": 75,
    },
    {
        "code": "uren-inzet",
        "name": "Ingezette uren",
        "name_en": "Hours spent",
        "measure": "intervention_sum",
        "parameters": {"field": "hours_spent"},
        "unit": "uren",
        "higher_is_better": None,
        "reference": PLAN_27 + ": inzet aan uren",
        "definition": "Som van de bestede uren van interventies die lopen of afgerond "
        "zijn, op de einddatum (anders de startdatum).",
        "position": 76,
    },
]
for _entry in CASE_INDICATORS:
    _entry.setdefault("theme", None)
    _entry.setdefault("source", CASES_SOURCE)
    _entry.setdefault("per_1000", _entry["unit"] == "aantal")
    _entry.setdefault("early_warning", False)
