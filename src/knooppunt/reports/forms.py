"""The form on /rapportages/: which report, which municipality or region, which period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, services
from .builders.base import ReportBuilder
from .periods import InvalidPeriod, PeriodKind, recent


class ReportForm(forms.Form):
    soort = forms.ChoiceField(label=gettext_lazy("Rapportage"))
    gebied = forms.ChoiceField(label=gettext_lazy("Gemeente of regio"))
    periode = forms.ChoiceField(
        label=gettext_lazy("Periode"),
        help_text=gettext_lazy("Vaste perioden: een heel jaar, een halfjaar of een "
                               "kwartaal. Een lopende periode toont de cijfers tot nu toe."))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.builders = access.area_builders(user)
        self.fields["soort"].choices = [(b.code, b.title) for b in self.builders]
        subjects: dict[str, str] = {}
        kinds: set[PeriodKind] = set()
        for builder in self.builders:
            for subject in access.subject_choices(user, builder):
                subjects.setdefault(subject.code, f"{subject.name} ({subject.code})")
            kinds.update(builder.period_kinds)
        self.fields["gebied"].choices = list(subjects.items())
        self.fields["periode"].choices = [
            (p.code, p.label) for p in recent(tuple(kinds) or (PeriodKind.YEAR,))]

    def clean(self):
        data = super().clean()
        kind, code, period = data.get("soort"), data.get("gebied"), data.get("periode")
        if not (kind and code and period):
            return data
        builder: ReportBuilder = services.builder_for(kind)
        try:
            data["subject"] = access.resolve(self.user, builder, code)
        except (access.NoAccess, access.UnknownSubject):
            self.add_error("gebied", _("Deze rapportage kunt u voor dit gebied niet maken."))
        try:
            data["period"] = services.check_period(builder, period)
        except (InvalidPeriod, services.PeriodNotOffered) as error:
            self.add_error("periode", str(error))
        data["builder"] = builder
        return data
