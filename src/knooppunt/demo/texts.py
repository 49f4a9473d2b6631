"""Dutch wording for synthetic signals: descriptions, status notes, street and reporter names.

Descriptions are templates per (theme, source type), filled with random but plausible
figures. They describe places and behaviour, never named persons: even synthetic data
should look like what a careful AOV'er would write down.
"""

from __future__ import annotations

import random
from datetime import date

# --- descriptions -------------------------------------------------------------------------

DESCRIPTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("hennepteelt", "politie"): (
        "Hennepkwekerij ontmanteld op zolder: {planten} planten, {lampen} assimilatielampen. "
        "Stroom illegaal afgetapt vóór de meter.",
        "Hennepbericht: kwekerij met {planten} planten in de garage aangetroffen na melding van "
        "buren. Bewoner aangehouden.",
        "In de schuur achter de woning een in werking zijnde kwekerij aangetroffen "
        "({planten} planten, {ruimtes} kweekruimtes).",
        "Restanten van een hennepkwekerij aangetroffen (potten, koolstoffilters, bekabeling); "
        "geen planten meer aanwezig.",
        "Hennepkwekerij in {ruimte} ontmanteld; {planten} planten in de bloeifase, "
        "brandgevaarlijke elektrische installatie.",
        "Bestuurlijke rapportage hennep: {planten} stekken en moederplanten, aanwijzingen voor "
        "bedrijfsmatige teelt.",
    ),
    ("hennepteelt", "netbeheerder"): (
        "Netbeheerder: onverklaard verbruik {kwh} kWh/jaar op de aansluiting, ruim boven het "
        "verwachte profiel.",
        "Netmeting (Clean Sweep): afwijkend belastingpatroon, 's nachts constant {kw} kW afname.",
        "Netbeheerder: aanwijzingen voor illegale aftap vóór de meter; verzegeling van de "
        "hoofdaansluiting verbroken.",
        "Slimme meter registreert al {weken} weken nauwelijks verbruik terwijl de woning bewoond "
        "lijkt; vermoeden van omleiding.",
    ),
    ("hennepteelt", "woningcorporatie"): (
        "Huurder weigert herhaaldelijk toegang voor onderhoud; ramen op zolder zijn dichtgeplakt.",
        "Woonconsulent merkt sterke hennepgeur in het portiek en condens op de ramen van de "
        "bovenwoning.",
        "Bij reparatie van de cv-ketel zag de monteur verzwaarde bekabeling en afzuiging naar de "
        "spouw.",
        "Buren klagen bij de corporatie over een zoemend geluid en hennepgeur; ramen altijd "
        "geblindeerd.",
    ),
    ("hennepteelt", "mma"): (
        "Anonieme tip via Meld Misdaad Anoniem: in de woning zou een hennepkwekerij zitten; er "
        "komen 's avonds wisselende auto's.",
        "MMA: melder stelt dat in de schuur op dit adres hennep wordt gekweekt; afval wordt 's "
        "nachts afgevoerd.",
        "MMA-melding: bewoner zou meerdere kwekerijen 'beheren' op verschillende adressen in de "
        "gemeente.",
    ),
    ("hennepteelt", "bewoner"): (
        "Sterke hennepgeur en dichtgeplakte ramen bij de buren.",
        "Bewoner meldt dat op het dak van de woning nooit sneeuw blijft liggen en dat er 's "
        "nachts een ventilator draait.",
        "Melding openbare ruimte: hennepgeur in de straat, vooral 's avonds.",
        "Buurtbewoner ziet regelmatig zakken potgrond en jerrycans naar binnen gaan bij het pand.",
    ),
    ("hennepteelt", "gemeente"): (
        "Handhaving: bij controle op woonfraude hennepgeur en afgeplakte ramen waargenomen.",
        "Boa's zagen in het buitengebied een schuur met verse ventilatieopeningen en hennepgeur.",
        "Burgerzaken: niemand ingeschreven op het adres terwijl er wel energieverbruik is; bij "
        "huisbezoek hennepgeur.",
    ),
    ("hennepteelt", "waterbedrijf"): (
        "Waterbedrijf: waterverbruik {m3} m³ per maand, ver boven het normale verbruik voor dit "
        "type woning.",
        "Waterbedrijf: aanwijzingen voor een illegale aansluiting vóór de watermeter.",
    ),
    ("drugslab", "politie"): (
        "Drugslab aangetroffen in {ruimte}: kookopstelling en {vaten} vaten met chemicaliën. "
        "Brandweer en LFO ingeschakeld.",
        "Opslag van precursoren (o.a. BMK) aangetroffen; mogelijk productielocatie synthetische "
        "drugs.",
        "Opgebouwd maar niet actief drugslab aangetroffen; glaswerk en kookketels in beslag "
        "genomen.",
    ),
    ("drugslab", "mma"): (
        "MMA: in de loods zouden synthetische drugs worden geproduceerd; 's nachts activiteit en "
        "een chemische anijslucht.",
        "MMA: agrarisch bedrijf verhuurt een schuur aan 'Brabanders' die er niet wonen; 's "
        "nachts bestelbusjes.",
    ),
    ("drugslab", "netbeheerder"): (
        "Netbeheerder: plotselinge piekbelasting van {kw} kW op een agrarische aansluiting "
        "zonder bedrijfsactiviteit.",
    ),
    ("drugslab", "bewoner"): (
        "Bewoner meldt een scherpe anijsgeur rond een loods en busjes die 's nachts af en aan "
        "rijden.",
        "Buurman ziet dat de ramen van een verhuurde schuur zijn dichtgemaakt en hoort "
        "afzuiginstallaties.",
    ),
    ("drugslab", "gemeente"): (
        "Toezichthouder ziet bij controle van een verhuurde agrarische schuur jerrycans, "
        "afgeplakte ramen en een afzuiginstallatie.",
    ),
    ("drugslab", "waterbedrijf"): (
        "Waterbedrijf: afwijkende stoffen gemeten in het riool stroomafwaarts van het "
        "buitengebied.",
        "Waterbedrijf: hoog waterverbruik op een leegstaande bedrijfslocatie.",
    ),
    ("drugsdump", "gemeente"): (
        "Drugsafval gedumpt langs de {straat}: {vaten} vaten en jerrycans, sterke chemische "
        "lucht. Opruiming aangevraagd.",
        "Buitendienst vond {vaten} blauwe vaten in de berm; vermoedelijk synthetisch drugsafval.",
        "Gedumpt drugsafval in een bosperceel; bodemverontreiniging, provincie en waterschap "
        "geïnformeerd.",
    ),
    ("drugsdump", "bewoner"): (
        "Wandelaar meldt jerrycans met een bijtende lucht in de sloot langs de {straat}.",
        "Agrariër vindt op zijn land {vaten} vaten met een onbekende vloeistof.",
    ),
    ("drugsdump", "politie"): (
        "Aanhangwagen met drugsafval aangetroffen op een parkeerplaats langs de {straat}.",
        "Uitgebrande bestelbus met vaten drugsafval aangetroffen aan de {straat}.",
    ),
    ("drugsdump", "waterbedrijf"): (
        "Waterbedrijf/waterschap: lozing van drugsafval in het riool vastgesteld bij het gemaal.",
    ),
    ("drugshandel", "politie"): (
        "Straathandel waargenomen vanuit de woning; veel kortdurend bezoek.",
        "Aanhouding voor handel in harddrugs; in de woning {gram} gram cocaïne en contant geld "
        "aangetroffen.",
        "Dealpand: buurt meldt structureel overlast, politie bevestigt handel.",
    ),
    ("drugshandel", "mma"): (
        "MMA: vanuit deze woning zou cocaïne worden verkocht; bestellingen worden op de hoek "
        "afgeleverd.",
        "MMA: jongeren worden vanaf dit adres ingezet als drugsrunner.",
    ),
    ("drugshandel", "bewoner"): (
        "Veel kortdurend bezoek aan de woning, ook 's nachts; auto's met draaiende motor voor de "
        "deur.",
        "Bewoner ziet dagelijks overdrachten bij de speeltuin tegenover het portiek.",
        "Melding overlast: drugsgebruik en handel in de portiekflat.",
    ),
    ("drugshandel", "woningcorporatie"): (
        "Corporatie ontvangt klachten over aanloop en drugsoverlast; huurder is onbereikbaar.",
        "Bij een woningschouw weegschaal en verpakkingsmateriaal gezien.",
    ),
    ("drugshandel", "gemeente"): (
        "Handhaving: horecazaak met aanhoudende aanloop; vermoeden van drugshandel achter de bar.",
        "Jongerenwerk signaleert dat jongeren worden benaderd om drugs te vervoeren.",
    ),
    ("mensenhandel", "politie"): (
        "Controle op uitbuiting: {personen} arbeidsmigranten op één adres, paspoorten ingehouden "
        "door de werkgever.",
        "Signalen van seksuele uitbuiting in een woning; online advertenties gelinkt aan dit "
        "adres.",
    ),
    ("mensenhandel", "gemeente"): (
        "Burgerzaken: {personen} personen ingeschreven op één adres, steeds wisselende "
        "inschrijvingen.",
        "Handhaving: overbewoning; arbeidsmigranten betalen hoge huur contant aan de "
        "'huisbaas'.",
        "Massagesalon zonder exploitatievergunning; vermoeden van seksuele uitbuiting.",
    ),
    ("mensenhandel", "overig"): (
        "Zorgaanbieder: cliënt lijkt gedwongen te werken en heeft geen toegang tot de eigen "
        "bankrekening.",
        "Zorgmedewerker meldt signalen van gedwongen prostitutie bij een jonge cliënt.",
    ),
    ("mensenhandel", "mma"): (
        "MMA: in dit pand zouden vrouwen worden uitgebuit; bezoekers komen alleen 's avonds.",
    ),
    ("mensenhandel", "bewoner"): (
        "Bewoner ziet dagelijks een busje dat grote groepen werknemers ophaalt; mensen lijken "
        "angstig.",
    ),
    ("witwassen-vastgoed", "gemeente"): (
        "Bibob-toets bij aanvraag exploitatievergunning: onduidelijke financiering van "
        "€ {bedrag}.",
        "Vergunningen: pand gekocht voor € {bedrag}, grotendeels contant, via een pas "
        "opgerichte bv.",
        "Opvallende vastgoedtransacties: pand in {maanden} maanden drie keer doorverkocht met "
        "telkens een forse waardestijging.",
        "Handhaving: kapsalon zonder zichtbare klanten met hoge omzet; mogelijk witwassen.",
        "Bibob: vergunningaanvrager heeft banden met eerder gesloten horeca.",
    ),
    ("witwassen-vastgoed", "belastingdienst"): (
        "Belastingdienst: vermogen en bestedingen niet te verklaren uit opgegeven inkomen.",
        "Belastingdienst: contante aflossingen op de hypotheek van € {bedrag}.",
    ),
    ("witwassen-vastgoed", "politie"): (
        "Vermoeden van witwassen via autohandel; dure auto's op naam van stromannen.",
    ),
    ("witwassen-vastgoed", "mma"): (
        "MMA: eigenaar zou meerdere panden met contant geld hebben gekocht.",
    ),
    ("witwassen-vastgoed", "om"): (
        "OM: lopend strafrechtelijk onderzoek; bestuurlijke interventie gewenst op vastgoed op "
        "dit adres.",
    ),
    ("witwassen-vastgoed", "riec"): (
        "RIEC-casus: vastgoedportefeuille gelinkt aan een crimineel samenwerkingsverband; "
        "integrale aanpak voorgesteld.",
    ),
    ("zorgfraude", "gemeente"): (
        "Sociale recherche: zorgaanbieder declareert Wmo-uren die niet zijn geleverd.",
        "Wmo-consulent: cliënt kent de op zijn naam gedeclareerde zorg niet.",
        "Zorgaanbieder gevestigd op een woonadres; personeel niet BIG- of SKJ-geregistreerd.",
        "Pgb-budget wordt doorgesluisd naar familieleden van de zorgverlener.",
    ),
    ("zorgfraude", "overig"): (
        "Zorgkantoor: declaratiepatroon wijkt sterk af van vergelijkbare aanbieders.",
        "Zorgkantoor: {personen} cliënten van deze aanbieder staan op hetzelfde adres "
        "ingeschreven.",
    ),
    ("zorgfraude", "belastingdienst"): (
        "Belastingdienst: zorgaanbieder keert hoge bedragen contant uit aan bestuurders.",
    ),
    ("zorgfraude", "mma"): ("MMA: zorgbedrijf zou fictieve cliënten opvoeren.",),
    ("omg", "politie"): (
        "Clubhuis van een motorclub in gebruik genomen; samenkomsten met leden van buiten de "
        "regio.",
        "Leden van een OMG gesignaleerd bij een horecazaak; intimidatie van personeel.",
        "Colours gedragen tijdens een bijeenkomst ondanks het verbod; {personen} leden "
        "geïdentificeerd.",
    ),
    ("omg", "gemeente"): (
        "Handhaving: verbouwing van een loods tot clubhuis zonder omgevingsvergunning.",
        "Evenementvergunning aangevraagd door een aan een OMG gelieerde stichting.",
    ),
    ("omg", "mma"): ("MMA: motorclub zou 'beveiliging' aanbieden aan horeca in het centrum.",),
    ("omg", "riec"): (
        "RIEC: afdeling van een OMG zoekt een nieuwe vestiging in de regio; bestuurlijke aanpak "
        "afstemmen.",
    ),
    ("ondermijning-overig", "gemeente"): (
        "Vrijkomende agrarische bebouwing verhuurd aan een onbekende partij; veel verkeer in de "
        "avond.",
        "Handhaving: opslag van grote hoeveelheden illegaal vuurwerk in een bedrijfspand.",
        "Burgerzaken: adresfraude, post voor {personen} verschillende personen.",
        "Autobedrijf zonder zichtbare activiteit met een opvallend dure voorraad.",
        "Loods verhuurd via een stroman; huur contant betaald.",
    ),
    ("ondermijning-overig", "bewoner"): (
        "Schuur bij een boerderij is verhuurd; vrachtwagens rijden 's nachts af en aan.",
        "Nieuwe eigenaar van het bedrijfspand laat camera's en een hoog hek plaatsen; er is geen "
        "bedrijvigheid.",
    ),
    ("ondermijning-overig", "mma"): (
        "MMA: in de garagebox zouden wapens worden opgeslagen.",
        "MMA: bedrijf wordt gebruikt als dekmantel voor criminele activiteiten.",
    ),
    ("ondermijning-overig", "politie"): (
        "Vuurwapen aangetroffen bij doorzoeking; adres eerder in beeld bij ondermijning.",
        "Explosie bij een woning; aanwijzingen voor een conflict in het criminele milieu.",
    ),
    ("ondermijning-overig", "woningcorporatie"): (
        "Woning wordt zonder toestemming onderverhuurd, vermoedelijk als opslagplaats.",
    ),
}

FALLBACK = "Signaal van mogelijke ondermijning; nadere informatie volgt."

ROOMS = ("de garage", "een schuur", "de kelder", "een loods", "een bijgebouw",
         "twee slaapkamers", "een zeecontainer op het erf", "een leegstaande stal")

ADDITIONS = (
    "",
    "",
    "",
    " Foto's bijgevoegd.",
    " Melding telefonisch nagevraagd.",
    " Buren bevestigen het beeld.",
    " Bij de gemeente nog niet eerder bekend.",
)


def description(rng: random.Random, theme: str, source: str, street: str,
                repeat: bool = False) -> str:
    """A varied Dutch description for one signal."""
    templates = DESCRIPTIONS.get((theme, source))
    if not templates:
        return FALLBACK
    values = {
        "planten": rng.choice((80, 120, 150, 200, 250, 300, 350, 450, 600, 800, 1200)),
        "lampen": rng.choice((6, 8, 10, 12, 16, 20, 24, 32)),
        "ruimtes": rng.randint(2, 4),
        "ruimte": rng.choice(ROOMS),
        "kwh": f"{rng.randrange(18, 95) * 1000:,}".replace(",", "."),
        "kw": rng.choice((4, 6, 8, 9, 12, 15)),
        "weken": rng.randint(5, 30),
        "m3": rng.randint(25, 90),
        "vaten": rng.randint(3, 40),
        "gram": rng.choice((50, 120, 250, 400, 800)),
        "personen": rng.randint(6, 19),
        "bedrag": f"{rng.randrange(15, 180) * 5_000:,}".replace(",", "."),
        "maanden": rng.randint(4, 18),
        "straat": street or "de doorgaande weg",
    }
    text = rng.choice(templates).format(**values)
    if repeat:
        return text + " Eerdere melding op dit adres bekend."
    return text + rng.choice(ADDITIONS)


# --- status notes ---------------------------------------------------------------------------

REGISTERED = ("Geregistreerd.", "Ontvangen en geregistreerd.", "Geregistreerd; ontvangst "
              "bevestigd aan de melder.")
TAKEN_UP = (
    "In behandeling genomen; adres verrijkt met BAG en KvK.",
    "Opgepakt door de AOV'er; eerdere meldingen op het adres nagetrokken.",
    "In behandeling; geagendeerd voor het signalenoverleg.",
    "In behandeling; informatie opgevraagd bij de partners.",
)
WEIGHED = (
    "Gewogen in het signalenoverleg van {day}: integrale aanpak.",
    "Gewogen in het signalenoverleg van {day}: bestuurlijke aanpak door de gemeente.",
    "Gewogen in het signalenoverleg van {day}: strafrechtelijke aanpak via de politie.",
    "Gewogen op {day}: doorgezet naar het informatieplein (preweegdocument).",
    "Gewogen op {day}: korte klap (POB), besluit binnen drie maanden.",
)
CLOSED_AT_INTAKE = (
    "Afgesloten na intake: geen aanknopingspunten.",
    "Afgesloten: dubbele melding, samengevoegd met een eerdere melding.",
    "Afgesloten: onvoldoende informatie om op te handelen.",
)
CLOSED_GENERIC = (
    "Afgesloten: informatie gedeeld met de partners, geen verdere actie.",
    "Afgesloten: geen vervolg, onvoldoende aanwijzingen.",
    "Afgesloten: bestuurlijke waarschuwing verstuurd.",
)
CLOSED_BY_THEME: dict[str, tuple[str, ...]] = {
    "hennepteelt": (
        "Afgesloten: woning gesloten op grond van art. 13b Opiumwet (3 maanden).",
        "Afgesloten: huurovereenkomst ontbonden door de woningcorporatie.",
        "Afgesloten: energieaansluiting afgesloten door de netbeheerder.",
        "Afgesloten: waarschuwing burgemeester (eerste overtreding).",
        "Afgesloten: last onder dwangsom opgelegd.",
    ),
    "drugslab": (
        "Afgesloten: pand gesloten op grond van art. 13b Opiumwet (6 maanden).",
        "Afgesloten: strafrechtelijk onderzoek door de politie, lab ontmanteld.",
    ),
    "drugsdump": (
        "Afgesloten: afval geruimd door een gespecialiseerd bedrijf, kosten voor de gemeente.",
        "Afgesloten: afval geruimd; proces-verbaal milieudelict opgemaakt.",
    ),
    "drugshandel": (
        "Afgesloten: woning gesloten op grond van art. 13b Opiumwet.",
        "Afgesloten: strafrechtelijke afdoening door het OM.",
        "Afgesloten: gesprek met huurder en corporatie, overlast gestopt.",
    ),
    "mensenhandel": (
        "Afgesloten: slachtoffers in beeld bij zorg; strafrechtelijk onderzoek gestart.",
        "Afgesloten: pand gesloten wegens overbewoning; huurders herhuisvest.",
    ),
    "witwassen-vastgoed": (
        "Afgesloten: vergunning geweigerd op grond van de Wet Bibob.",
        "Afgesloten: vergunning verleend onder voorwaarden na Bibob-advies.",
        "Afgesloten: overgedragen aan de Belastingdienst (fiscale aanpak).",
        "Afgesloten: beslag gelegd door het OM (afpakken).",
    ),
    "zorgfraude": (
        "Afgesloten: terugvordering ingesteld en contract met de zorgaanbieder beëindigd.",
        "Afgesloten: aangifte gedaan; pgb stopgezet.",
    ),
    "omg": (
        "Afgesloten: clubhuis gesloten, omgevingsvergunning geweigerd.",
        "Afgesloten: evenementvergunning geweigerd.",
    ),
    "ondermijning-overig": (
        "Afgesloten: last onder dwangsom opgelegd aan de eigenaar.",
        "Afgesloten: huurcontract van de loods beëindigd.",
    ),
}
REOPENED = "Heropend: nieuwe informatie ontvangen van een partner."


def weighed_note(rng: random.Random, day: date) -> str:
    return rng.choice(WEIGHED).format(day=day.strftime("%d-%m-%Y"))


def closed_note(rng: random.Random, theme: str) -> str:
    options = CLOSED_BY_THEME.get(theme, ()) + CLOSED_GENERIC
    return rng.choice(options)


# --- names ----------------------------------------------------------------------------------

STREET_STEMS = (
    "Linde", "Eiken", "Beuken", "Berken", "Essen", "Populieren", "Hazelaar", "Vlier",
    "Meidoorn", "Wilgen", "Kastanje", "Ooievaar", "Merel", "Lijster", "Zwaluw", "Kievit",
    "Reiger", "Buizerd", "Molen", "Kerk", "Brink", "Kamp", "Hoeve", "Smeden", "Wevers",
    "Spinners", "Textiel", "Fabriek", "Haven", "Kanaal", "Sluis", "Zon", "Lente", "Zomer",
    "Herfst", "Rembrandt", "Vermeer", "Mondriaan", "Esdoorn", "Heide", "Vennen", "Beek",
    "Roggen", "Tarwe", "Haver", "Boekweit", "Dorps", "Stations", "School", "Markt",
    "Tuinders", "Koekoek", "Uilen", "Valk", "Havik", "Zwanen", "Dassen", "Vossen",
    "Bunder", "Akker", "Weide", "Horst", "Loo", "Holt", "Broek", "Veen", "Zand", "Enk",
)
URBAN_SUFFIXES = ("straat", "straat", "straat", "laan", "laan", "weg", "hof", "plein",
                  "singel", "park", "erf", "dreef", "kade", "pad")
RURAL_SUFFIXES = ("weg", "weg", "dijk", "esweg", "veldweg", "pad", "kampweg", "horsterweg",
                  "broekweg")

INITIALS = "ABCDEGHJKLMNPRSTW"
SURNAMES = (
    "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Dijkstra",
    "Kuipers", "Nijhuis", "Oude Luttikhuis", "ten Brinke", "Lansink", "Wolbers", "Kamphuis",
    "Pierik", "Wissink", "Scholten", "Leferink", "Bruggink", "Morsink", "Hofstede",
    "Aydın", "Öztürk", "Bouzid", "Nguyen", "Kowalski", "Pereira",
)


def street_name(rng: random.Random, rural: bool) -> str:
    suffix = rng.choice(RURAL_SUFFIXES if rural else URBAN_SUFFIXES)
    stem = rng.choice(STREET_STEMS)
    name = f"{stem}{suffix}"
    if rural and rng.random() < 0.15:
        name = f"Oude {name}"
    return name


def reporter(rng: random.Random) -> tuple[str, str]:
    """A made-up resident: name and an address under the reserved .invalid domain."""
    initial = rng.choice(INITIALS)
    surname = rng.choice(SURNAMES)
    handle = surname.lower().replace(" ", "").replace("ı", "i").replace("ö", "o")
    return f"{initial}. {surname}", f"{initial.lower()}.{handle}{rng.randint(1, 99)}@melder.invalid"
