"""What the chain starts with (seeds 003 and 004): forum kinds, stages, transitions,
decision kinds and the intervention catalogue.

Kept as data: migration 0002 loads these once; a beheerder changes them in the admin.
"""

COORDINATOR = "coordinator"
ANALIST = "analist"
MEDEWERKER = "medewerker"

# code, name, English, decision deadline in months (None: none)
FORUM_KINDS = [
    ("signalenoverleg", "Signalenoverleg / lokaal ondermijningsoverleg",
     "Local signal meeting", None),
    ("informatieplein", "Informatieplein (district)", "Information plaza", None),
    ("driehoek", "Lokale driehoek", "Local triangle", None),
    ("stuur-en-weegploeg", "Integrale stuur- en weegploeg", "Steering-and-weighing team", None),
    ("pob", "POB / korte klap", "Quick-strike consultation", 3),
]

# code, name, English, initial, closed, counts as weighed, signal status on entry
STAGES = [
    ("intake", "Intake", "Intake", True, False, False, "in_behandeling"),
    ("verrijking", "Verrijking", "Enrichment", False, False, False, "in_behandeling"),
    ("preweging", "Preweging", "Pre-weighing", False, False, False, ""),
    ("driehoek", "Driehoek", "Triangle", False, False, False, ""),
    ("weging", "Weging", "Weighing", False, False, True, "gewogen"),
    ("aanpak", "Integrale aanpak", "Approach", False, False, True, ""),
    ("evaluatie", "Evaluatie", "Evaluation", False, False, True, ""),
    ("afgesloten", "Afgesloten", "Closed", False, True, False, "afgesloten"),
]

_ALL = [MEDEWERKER, ANALIST, COORDINATOR]
_ANALYSTS = [ANALIST, COORDINATOR]
_CHAIR = [COORDINATOR]

# from, to, roles
TRANSITIONS = [
    ("intake", "verrijking", _ALL),
    ("intake", "afgesloten", _CHAIR),
    ("verrijking", "preweging", _ANALYSTS),
    ("verrijking", "afgesloten", _CHAIR),
    ("preweging", "verrijking", _ANALYSTS),
    ("preweging", "driehoek", _CHAIR),
    ("preweging", "weging", _CHAIR),
    ("driehoek", "weging", _CHAIR),
    ("weging", "aanpak", _CHAIR),
    ("weging", "verrijking", _ANALYSTS),
    ("weging", "preweging", _CHAIR),
    ("weging", "driehoek", _CHAIR),
    ("weging", "afgesloten", _CHAIR),
    ("aanpak", "evaluatie", _CHAIR),
    ("evaluatie", "aanpak", _CHAIR),
    ("evaluatie", "afgesloten", _CHAIR),
]

# code, name, English, next stage, next forum kind
DECISION_KINDS = [
    ("lokale-aanpak", "Lokale integrale aanpak", "Local integrated approach", "aanpak", None),
    ("naar-informatieplein", "Naar het informatieplein", "To the information plaza",
     "preweging", "informatieplein"),
    ("naar-riec", "Naar het RIEC (stuur- en weegploeg)", "To the RIEC", "weging",
     "stuur-en-weegploeg"),
    ("naar-driehoek", "Naar de driehoek", "To the triangle", "driehoek", "driehoek"),
    ("korte-klap", "Snelle interventie (korte klap)", "Quick intervention", "aanpak", None),
    ("verder-verrijken", "Verder verrijken", "Enrich further", "verrijking", None),
    ("geen-actie", "Geen actie", "No action", "afgesloten", None),
]

# code, name, English, duration, amount, quick intervention, usual organisation kinds
INTERVENTION_TYPES = [
    ("sluiting-13b", "Sluiting art. 13b Opiumwet", "Closure (art. 13b Opium Act)",
     True, False, True, ["gemeente"]),
    ("bibob", "Bibob: weigering of intrekking", "Bibob refusal or withdrawal",
     False, False, True, ["gemeente"]),
    ("last-onder-dwangsom", "Last onder dwangsom", "Penalty payment order",
     False, False, True, ["gemeente"]),
    ("bestuursdwang", "Bestuursdwang", "Administrative enforcement", False, False, True,
     ["gemeente"]),
    ("bestuurlijke-boete", "Bestuurlijke boete", "Administrative fine", False, True, True,
     ["gemeente"]),
    ("woningwet", "Woningwetmaatregel", "Housing Act measure", False, False, True,
     ["gemeente"]),
    ("huurontbinding", "Ontbinding huurcontract", "Rental-contract termination", False, False,
     False, ["woningcorporatie"]),
    ("afsluiting-energie", "Afsluiting energie", "Energy disconnection", False, False, True,
     ["netbeheerder"]),
    ("waarschuwingsbrief", "Waarschuwingsbrief", "Warning letter", False, False, True,
     ["gemeente"]),
    ("strafrechtelijk", "Strafrechtelijk onderzoek (OM/politie)", "Criminal investigation",
     False, False, False, ["politie", "om"]),
    ("fiscaal", "Fiscale actie (Belastingdienst)", "Tax action", False, True, False,
     ["belastingdienst"]),
    ("afpakken", "Afpakken (crimineel vermogen)", "Asset recovery", False, True, False,
     ["om", "politie", "belastingdienst"]),
    ("zorg-begeleiding", "Zorg en begeleiding (bijv. buitengebiedcoach)",
     "Care and coaching", False, False, False, ["gemeente", "zorg"]),
    ("geen-actie", "Geen actie", "No action", False, False, False, []),
]
