"""SBI sections (Standaard Bedrijfsindeling, CBS): the letter of a code's first two digits."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (first division, last division, section letter), CBS SBI 2008.
DIVISIONS = (
    (1, 3, "A"), (6, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"),
    (45, 47, "G"), (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"),
    (69, 75, "M"), (77, 82, "N"), (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"),
    (94, 96, "S"), (97, 98, "T"), (99, 99, "U"),
)
LABELS = {
    "A": _("Landbouw, bosbouw en visserij"), "B": _("Delfstoffenwinning"),
    "C": _("Industrie"), "D": _("Energievoorziening"),
    "E": _("Waterbedrijven en afvalbeheer"), "F": _("Bouwnijverheid"),
    "G": _("Handel"), "H": _("Vervoer en opslag"), "I": _("Horeca"),
    "J": _("Informatie en communicatie"), "K": _("Financiële dienstverlening"),
    "L": _("Verhuur van en handel in onroerend goed"),
    "M": _("Specialistische zakelijke diensten"), "N": _("Verhuur en overige zakelijke diensten"),
    "O": _("Openbaar bestuur"), "P": _("Onderwijs"), "Q": _("Gezondheids- en welzijnszorg"),
    "R": _("Cultuur, sport en recreatie"), "S": _("Overige dienstverlening"),
    "T": _("Huishoudens"), "U": _("Extraterritoriale organisaties"),
}
UNKNOWN = "?"


def section_of(code: str | None) -> str:
    """'6820' -> 'L'; '?' when the code is missing or not an SBI division."""
    digits = (code or "")[:2]
    if not digits.isdigit():
        return UNKNOWN
    division = int(digits)
    return next((letter for low, high, letter in DIVISIONS if low <= division <= high),
                UNKNOWN)


def section_label(letter: str) -> str:
    if letter == UNKNOWN:
        return str(_("onbekend"))
    return f"{letter} {LABELS[letter]}"
