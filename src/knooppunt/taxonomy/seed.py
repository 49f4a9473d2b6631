"""The themes and source types Knooppunt starts with (seeds 000-004).

Kept as data: the migration loads these once; a beheerder changes them in the admin.
"""

THEMES = [
    ("hennepteelt", "Hennepteelt", "Cannabis cultivation"),
    ("drugslab", "Drugslab", "Drug lab"),
    ("drugsdump", "Drugsdump", "Drug-waste dumping"),
    ("drugshandel", "Drugshandel", "Drug trafficking"),
    ("mensenhandel", "Mensenhandel en uitbuiting", "Human trafficking and exploitation"),
    ("witwassen-vastgoed", "Witwassen / vastgoed", "Money laundering / real estate"),
    ("zorgfraude", "Zorgfraude", "Care fraud"),
    ("omg", "Outlaw motorcycle gangs (OMG)", "Outlaw motorcycle gangs"),
    ("ondermijning-overig", "Ondermijning overig", "Other undermining"),
]

SOURCE_TYPES = [
    # code, name, English, anonymous by default
    ("politie", "Politie (hennepbericht, bestuurlijke rapportage)", "Police", False),
    ("netbeheerder", "Netbeheerder (netmeting, onverklaard verbruik)", "Grid operator", False),
    ("woningcorporatie", "Woningcorporatie", "Housing corporation", False),
    ("waterbedrijf", "Waterbedrijf", "Water company", False),
    ("mma", "Meld Misdaad Anoniem", "Crime Stoppers (anonymous)", True),
    ("bewoner", "Bewoner / melding openbare ruimte", "Resident", False),
    ("gemeente", "Gemeentelijke afdeling (vergunningen, handhaving, burgerzaken)",
     "Municipal department", False),
    ("belastingdienst", "Belastingdienst", "Tax office", False),
    ("om", "Openbaar Ministerie", "Public prosecutor", False),
    ("riec", "RIEC", "RIEC", False),
    ("overig", "Overige bron", "Other source", False),
]
