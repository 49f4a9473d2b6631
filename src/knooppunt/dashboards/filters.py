"""The filters of the dashboards: all in the URL (GET), so a view can be shared.

Bad input (an unknown area code, an indicator that does not exist, a year out of range)
gives a clear Dutch message on the page and no figures; it never raises.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunt.monitoring import areas as area_lookup
from knooppunt.monitoring import periods
from knooppunt.monitoring.models import PeriodType

from . import area_picker
from .area_picker import AreaPickerInput

FIRST_YEAR = 2000
EXPORT_FORMATS = ("csv", "xlsx")


def _this_year() -> int:
    return timezone.localdate().year


class DashboardFilterForm(forms.Form):
    """Area, indicator (optionally narrowed by theme), period type and period."""

    gebied = forms.CharField(
        label=_("Gebied"), required=False, max_length=200, widget=AreaPickerInput,
        help_text=_("Typ een deel van de naam en kies uit de lijst (gemeente, wijk of "
                    "regio), of een CBS-code zoals GM0153."),
    )
    thema = forms.ChoiceField(label=_("Thema"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    periode = forms.ChoiceField(
        label=_("Per"), required=False,
        # The year first: it is what the page shows when nothing is chosen.
        choices=[(PeriodType.YEAR.value, PeriodType.YEAR.label),
                 (PeriodType.QUARTER.value, PeriodType.QUARTER.label),
                 (PeriodType.MONTH.value, PeriodType.MONTH.label)],
    )
    jaar = forms.IntegerField(label=_("Jaar"), required=False)
    maand = forms.IntegerField(
        label=_("Maand of kwartaal (nummer)"), required=False, min_value=1, max_value=12,
        help_text=_("Leeg: het hele jaar, of de laatste maand met cijfers."),
    )

    def __init__(self, data, *, indicators, themes, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.area_options = area_picker.options_for(user) if user is not None else []
        self.fields["gebied"].widget.options = self.area_options
        self.indicators = {i.code: i for i in indicators}
        self.fields["indicator"].choices = [("", _("(standaard)"))] + [
            (i.code, i.name) for i in indicators]
        self.fields["thema"].choices = [("", _("alle thema's"))] + list(themes)

    def clean_gebied(self) -> str:
        text = self.cleaned_data.get("gebied") or ""
        try:
            code = area_picker.resolve(text, self.area_options)
        except LookupError as error:
            raise forms.ValidationError(area_picker.error_message(text, error)) from error
        if not code:
            return ""
        level = area_lookup.level_of(code)
        if level is None:
            raise forms.ValidationError(
                _("Onbekende gebiedscode. Gebruik een CBS-code zoals GM0153, VR05 of WK015301."))
        try:
            area_lookup.area(level, code)
        except area_lookup.UnknownArea as error:
            raise forms.ValidationError(
                _("Gebied %(code)s bestaat niet in de indeling van 2024.") % {"code": code}
            ) from error
        return code

    def clean_jaar(self) -> int | None:
        year = self.cleaned_data.get("jaar")
        if year is not None and not FIRST_YEAR <= year <= _this_year() + 1:
            raise forms.ValidationError(
                _("Kies een jaar van %(first)s tot en met %(last)s.")
                % {"first": FIRST_YEAR, "last": _this_year() + 1})
        return year

    def clean(self):
        cleaned = super().clean()
        period_type = cleaned.get("periode") or ""
        month = cleaned.get("maand")
        if period_type == PeriodType.QUARTER and month is not None and month > 4:
            self.add_error("maand", _("Een kwartaal heeft een nummer van 1 tot en met 4."))
        code = cleaned.get("indicator")
        if code and period_type and code in self.indicators:
            allowed = self.indicators[code].period_types
            if period_type not in allowed:
                self.add_error("periode", _(
                    "Deze indicator heeft geen cijfers per %(type)s.")
                    % {"type": PeriodType(period_type).label.lower()})
        return cleaned

    def period_start(self, latest: dt.date) -> tuple[str, dt.date]:
        """The chosen period type and the first day of the chosen period.

        Without a year the latest period with figures (`latest`) is taken; with a year but
        no month/quarter number, the year's last period (or `latest` within that year).
        """
        period_type = self.cleaned_data.get("periode") or PeriodType.YEAR
        year = self.cleaned_data.get("jaar") or latest.year
        number = self.cleaned_data.get("maand")
        if period_type == PeriodType.YEAR:
            return period_type, dt.date(year, 1, 1)
        if number is None:
            if year == latest.year:
                return period_type, periods.start_of(period_type, latest)
            number = 12 if period_type == PeriodType.MONTH else 4
        if period_type == PeriodType.QUARTER:
            return period_type, dt.date(year, 3 * (number - 1) + 1, 1)
        return period_type, dt.date(year, number, 1)
