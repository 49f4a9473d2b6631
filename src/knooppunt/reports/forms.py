"""The forms on /rapportages/: make a report (kind, area, period and, for raadsvragen, a
theme; for the ondermijningsbeeld the maker's own texts) and plan one (the same plus
recurrence, language and recipients)."""

from __future__ import annotations

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, services
from .builders.base import Audience, ReportBuilder
from .models import Recurrence
from .periods import InvalidPeriod, PeriodKind, recent


class ReportForm(forms.Form):
    soort = forms.ChoiceField(label=gettext_lazy("Rapportage"))
    gebied = forms.ChoiceField(label=gettext_lazy("Gemeente of regio"))
    periode = forms.ChoiceField(
        label=gettext_lazy("Periode"),
        help_text=gettext_lazy("Vaste perioden: een heel jaar, een halfjaar of een "
                               "kwartaal. Een lopende periode toont de cijfers tot nu toe."))
    thema = forms.ChoiceField(
        label=gettext_lazy("Thema (alleen bij raadsvragen)"), required=False,
        help_text=gettext_lazy("Leeg: alle signalen samen."))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.builders = access.area_builders(user)
        # Prose fields of the kinds that take them (the ondermijningsbeeld), once each.
        self.text_keys: list[str] = []
        for builder in self.builders:
            for key, label in builder.text_fields:
                if key in self.text_keys:
                    continue
                self.text_keys.append(key)
                self.fields[f"tekst_{key}"] = forms.CharField(
                    label=label, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 4}))
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
        self.fields["thema"].choices = theme_choices(user) if any(
            b.takes_theme for b in self.builders) else [("", "–")]

    @property
    def text_boxes(self) -> list[forms.BoundField]:
        return [self[f"tekst_{key}"] for key in self.text_keys]

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
        try:
            data["theme"] = services.check_theme(self.user, builder, data.get("thema", ""))
        except services.InvalidTheme as error:
            self.add_error("thema", str(error))
        texts = {key: data.get(f"tekst_{key}", "") for key in self.text_keys
                 if data.get(f"tekst_{key}", "").strip()}
        try:
            data["texts"] = builder.check_texts(texts)
        except services.InvalidTexts as error:
            self.add_error(None, str(error))
        data["builder"] = builder
        return data


def theme_choices(user) -> list[tuple[str, str]]:
    from .builders.raadsvragen import theme_choices as found

    return found(user)


class ScheduleForm(forms.Form):
    """A new schedule of a board report; checked by `schedules.check` on submit."""

    soort = forms.ChoiceField(label=gettext_lazy("Rapportage"))
    gebied = forms.ChoiceField(label=gettext_lazy("Gemeente of regio"))
    thema = forms.ChoiceField(label=gettext_lazy("Thema (alleen bij raadsvragen)"),
                              required=False)
    herhaling = forms.ChoiceField(label=gettext_lazy("Herhaling"), choices=Recurrence.choices,
                                  help_text=gettext_lazy(
                                      "Gemaakt wordt steeds de laatste volledige periode: "
                                      "het kwartaal of halfjaar dat net voorbij is, of bij "
                                      "jaarlijks het vorige jaar."))
    maand = forms.TypedChoiceField(label=gettext_lazy("Maand (bij jaarlijks)"), coerce=int,
                                   choices=[(m, MONTHS[m]) for m in range(1, 13)], initial=3)
    taal = forms.ChoiceField(label=gettext_lazy("Taal"),
                             choices=[("nl", "Nederlands"), ("en", "English")])
    ontvangers = forms.MultipleChoiceField(
        label=gettext_lazy("Ontvangers"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Collega's van uw organisatie met een e-mailadres. Zij krijgen "
                               "een link; wie de rapportage dan niet (meer) mag zien, krijgt "
                               "niets."))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.builders = [b for b in access.area_builders(user)
                         if b.audience == Audience.BOARD]
        self.fields["soort"].choices = [(b.code, b.title) for b in self.builders]
        subjects: dict[str, str] = {}
        for builder in self.builders:
            for subject in access.subject_choices(user, builder):
                subjects.setdefault(subject.code, f"{subject.name} ({subject.code})")
        self.fields["gebied"].choices = list(subjects.items())
        self.fields["thema"].choices = theme_choices(user)
        self.colleagues = {str(u.pk): u for u in colleagues(user)}
        self.fields["ontvangers"].choices = [
            (pk, f"{u.get_full_name() or u.get_username()} ({u.email})")
            for pk, u in self.colleagues.items()]

    def clean(self):
        from .schedules import ScheduleError, check

        data = super().clean()
        if not all(data.get(k) for k in ("soort", "gebied", "herhaling", "maand")):
            return data
        data["recipients"] = [self.colleagues[pk] for pk in data.get("ontvangers", [])]
        try:
            builder, name = check(self.user, data["soort"], data["gebied"], data["herhaling"],
                                  data["maand"], data.get("thema", ""), data["recipients"])
        except ScheduleError as error:
            self.add_error(None, str(error))
            return data
        data["subject_name"] = name
        data["theme"] = builder.check_theme(self.user, data.get("thema", ""))
        return data


def colleagues(user):
    """Active users with an e-mail address in the user's active organisations."""
    from django.contrib.auth import get_user_model

    organisations = user.memberships.filter(organisation__active=True).values(
        "organisation_id")
    return (get_user_model().objects.filter(
        is_active=True, memberships__organisation_id__in=organisations)
        .exclude(email="").distinct().order_by("last_name", "first_name", "username"))
