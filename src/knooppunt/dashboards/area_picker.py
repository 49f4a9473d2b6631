"""The area picker of the dashboard filters: a text field with a list of suggestions
(HTML `<datalist>`), so the user types a name ("Binnensingelgebied", "Hengelo") instead of
a CBS code, with the keyboard and without JavaScript.

The suggestions are the areas whose own-data figures the user may see: the country, the
police unit, safety region and province of each served municipality, those
municipalities and their wijken. Each suggestion reads "name · code"; what the user sends
is resolved by `resolve`: a code (alone or at the end, as a suggestion puts it), else an
exact name among the suggestions or the 342 municipalities (public figures exist for all
of them). An unknown or ambiguous name is a form error, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.dispatch import receiver
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from knooppunt.geo.loading import geography_loaded
from knooppunt.geo.models import District, Municipality
from knooppunt.monitoring import areas as area_lookup
from knooppunt.monitoring.models import COUNTRY_CODE
from knooppunt.organisations import scope

SEPARATOR = " · "
_TRAILING_CODE = re.compile(r"(?:^|\s)((?:BU|WK|GM|VR|PE|PV|NL)[0-9A-Z]{2,10})\s*$")


@dataclass(frozen=True)
class Option:
    code: str
    name: str

    @property
    def text(self) -> str:
        return f"{self.name}{SEPARATOR}{self.code}"


class AmbiguousArea(LookupError):
    """Several areas have that name."""


def options_for(user) -> list[Option]:
    """The suggestions for `user`, regions first, then municipalities and their wijken."""
    return list(_options(tuple(sorted(scope.figure_municipality_codes(user)))))


@lru_cache(maxsize=256)
def _options(served: tuple[str, ...]) -> tuple[Option, ...]:
    """Two queries per set of served municipalities, kept until the geography is reloaded
    (the analysis page has a query budget, tests/dashboards/test_query_count.py)."""
    country = [Option(COUNTRY_CODE, "Nederland")]
    if not served:
        return tuple(country)
    rows = list(Municipality.objects.filter(code__in=served).values_list(
        "code", "name", "safety_region__police_unit__code", "safety_region__police_unit__name",
        "safety_region__code", "safety_region__name", "province__code", "province__name"))
    regions: list[Option] = []
    for start in (2, 4, 6):  # police unit, safety region, province
        found = {Option(r[start], r[start + 1]) for r in rows if r[start]}
        regions += sorted(found, key=lambda o: o.name)
    municipalities = sorted((Option(r[0], r[1]) for r in rows), key=lambda o: o.name)
    wijken = sorted(
        (Option(code, f"{area_lookup.district_label(code, name)} ({municipality})")
         for code, name, municipality in District.objects.filter(
             municipality__code__in=served).values_list("code", "name", "municipality__name")),
        key=lambda o: o.name)
    return tuple(country + regions + municipalities + wijken)


@receiver(geography_loaded)
def _forget_options(**kwargs) -> None:
    _options.cache_clear()


def resolve(text: str, options: list[Option]) -> str:
    """The CBS code the user means by `text` ("" for nothing). Raises LookupError for an
    unknown name and AmbiguousArea for a name that several areas share."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    upper = text.upper()
    if area_lookup.level_of(upper) and upper.isalnum() and upper.isascii():
        return upper  # a bare code: checked against the 2024 division by the caller
    trailing = _TRAILING_CODE.search(upper)
    if trailing:
        return trailing.group(1)
    wanted = text.casefold()
    matches = {o.code for o in options if o.name.casefold() == wanted}
    if not matches:
        # A wijk's suggestion is named "Wijk 00 Binnensingelgebied (Enschede)"; its bare
        # name and every municipality's name are accepted too.
        matches = {o.code for o in options
                   if o.code.startswith("WK") and o.name.casefold().rsplit(" (", 1)[0] == wanted}
        matches |= set(Municipality.objects.filter(name__iexact=text)
                       .values_list("code", flat=True))
    if len(matches) > 1:
        raise AmbiguousArea(text)
    if not matches:
        raise LookupError(text)
    return matches.pop()


class AreaPickerInput(forms.TextInput):
    """A text input tied to a `<datalist>` of the user's areas (`options`)."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.options: list[Option] = []

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}-keuzes"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        items = format_html_join("", '<option value="{}"></option>',
                                 ((o.text,) for o in self.options))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, items)


def error_message(text: str, error: Exception) -> str:
    if isinstance(error, AmbiguousArea):
        return _("Meerdere gebieden heten '%(name)s'. Kies er een uit de lijst (met code).") \
            % {"name": text[:60]}
    return _("Geen gebied gevonden met de naam of code '%(name)s'. Typ een deel van de naam "
             "en kies uit de lijst.") % {"name": text[:60]}


PLACE_PREFIXES = ("VR", "GM", "WK")


def place_options(user) -> list[Option]:
    """The suggestions that are places with a boundary: safety regions, municipalities and
    wijken of the user's municipalities (the hotspot page and the incident list)."""
    return [o for o in options_for(user) if o.code.startswith(PLACE_PREFIXES)]


def clean_place(text: str, options: list[Option]) -> str:
    """The code of the region, municipality or wijk the user typed ("" for nothing); a
    form error (Dutch, with the reason) for an unknown, ambiguous or other kind of area."""
    try:
        code = resolve(text, options)
    except LookupError as error:
        raise forms.ValidationError(error_message(text, error)) from error
    if code and not code.startswith(PLACE_PREFIXES):
        raise forms.ValidationError(
            _("Kies een veiligheidsregio, gemeente of wijk uit de lijst."))
    return code
