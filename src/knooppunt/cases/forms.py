"""Forms of the case pages. Choices are limited to what the user may use; the rules
themselves are checked again in `services`."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation
from knooppunt.subjects.models import SubjectKind

from . import attendance
from .models import (
    Case,
    DecisionKind,
    Forum,
    InterventionStatus,
    InterventionType,
    Meeting,
    Stage,
    Transition,
)

REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")
EARLIEST = date(2000, 1, 1)


def date_field(label, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class _DateRange:
    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, date) and value < EARLIEST:
                self.add_error(name, _("Deze datum is ongeldig (vóór 2000)."))
        return data


def parse_references(text: str) -> list[str]:
    parts = [p for p in re.split(r"[\s,;]+", text or "") if p]
    bad = [p for p in parts if not REFERENCE.fullmatch(p)]
    if bad:
        raise forms.ValidationError(_("'%(ref)s' is geen kenmerk van een signaal."),
                                    params={"ref": bad[0][:30]})
    return parts


class CaseForm(_DateRange, forms.Form):
    forum = forms.ModelChoiceField(Forum.objects.none(), label=_("Overleg"))
    title = forms.CharField(label=_("Titel"), max_length=200,
                            help_text=_("Kort en zonder namen van personen."))
    signals = forms.CharField(
        label=_("Signalen"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kenmerken van de signalen, gescheiden door spaties of komma's."),
    )
    opened_on = date_field(_("Geopend op"), required=False,
                           help_text=_("Leeg: vandaag."))
    meeting = forms.ModelChoiceField(Meeting.objects.none(), required=False,
                                     label=_("Op de agenda van"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = scope.forums_for(user).select_related("kind")
        self.fields["meeting"].queryset = scope.meetings_for(user).filter(
            held_on__gte=timezone.localdate())

    def clean(self):
        data = super().clean()
        meeting, forum = data.get("meeting"), data.get("forum")
        if meeting is not None and forum is not None and meeting.forum_id != forum.pk:
            self.add_error("meeting", _("Deze vergadering is van een ander overleg."))
        return data

    def clean_signals(self):
        return parse_references(self.cleaned_data["signals"])


class StageForm(forms.Form):
    to_stage = forms.ModelChoiceField(Stage.objects.none(), label=_("Naar fase"))
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, roles: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [t.to_stage_id for t in Transition.objects.filter(from_stage=case.stage)
                   if roles & set(t.roles)]
        self.fields["to_stage"].queryset = Stage.objects.filter(pk__in=allowed)
        self.fields["version"].initial = case.version


class DecisionForm(_DateRange, forms.Form):
    kind = forms.ModelChoiceField(DecisionKind.objects.filter(active=True), label=_("Besluit"))
    decided_on = date_field(_("Datum besluit"))
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Waarom dit besluit? Verplicht."))
    meeting = forms.ModelChoiceField(Meeting.objects.none(), label=_("In vergadering"),
                                     required=False)
    decided_by = forms.ModelChoiceField(
        get_user_model().objects.none(), label=_("Besloten door"), required=False,
        empty_label=_("Ikzelf (wie het besluit vastlegt)"),
        help_text=_("De persoon die besloot, bijv. de voorzitter; een lid van een "
                    "deelnemende organisatie."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(forum=case.forum)
        people = attendance.eligible_people(case.forum, (case.owner_id,))
        self.fields["decided_by"].queryset = people
        self.fields["decided_by"].label_from_instance = attendance.display_name
        self.fields["version"].initial = case.version
        self.fields["decided_on"].initial = timezone.localdate()


class InterventionForm(_DateRange, forms.Form):
    intervention_type = forms.ModelChoiceField(InterventionType.objects.filter(active=True),
                                               label=_("Soort interventie"))
    organisation = forms.ModelChoiceField(Organisation.objects.none(),
                                          label=_("Uitvoerende organisatie"))
    planned_on = date_field(_("Gepland op"))
    subject = forms.ModelChoiceField(None, label=_("Betreft"), required=False)
    duration_months = forms.IntegerField(label=_("Duur (maanden)"), required=False,
                                         min_value=1, max_value=120,
                                         help_text=_("Alleen bij een sluiting."))

    def __init__(self, *args, case: Case, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [case.owner_id, *case.forum.members.values_list("pk", flat=True),
                   *case.forum.partners.values_list("pk", flat=True)]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=allowed)
        self.fields["subject"].queryset = scope.subjects_for(user).filter(case_links__case=case)
        self.fields["planned_on"].initial = timezone.localdate()


class InterventionReportForm(_DateRange, forms.Form):
    status = forms.ChoiceField(choices=InterventionStatus.choices, label=_("Status"))
    started_on = date_field(_("Gestart op"), required=False)
    ended_on = date_field(_("Afgerond op"), required=False)
    duration_months = forms.IntegerField(label=_("Duur (maanden)"), required=False,
                                         min_value=1, max_value=120)
    amount_recovered = forms.DecimalField(label=_("Afgepakt bedrag (€)"), required=False,
                                          min_value=0, max_digits=12, decimal_places=2)
    hours_spent = forms.DecimalField(label=_("Bestede uren"), required=False, min_value=0,
                                     max_digits=8, decimal_places=1)
    result = forms.CharField(label=_("Resultaat"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, intervention, **kwargs):
        super().__init__(*args, **kwargs)
        if not intervention.type.has_duration:
            del self.fields["duration_months"]
        if not intervention.type.has_amount:
            del self.fields["amount_recovered"]


class LinkSignalsForm(forms.Form):
    signals = forms.CharField(label=_("Signalen toevoegen"),
                              help_text=_("Kenmerken, gescheiden door spaties of komma's."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_signals(self):
        return parse_references(self.cleaned_data["signals"])


class SubjectForm(_DateRange, forms.Form):
    kind = forms.ChoiceField(choices=SubjectKind.choices, label=_("Soort"))
    name = forms.CharField(label=_("Naam, adres of kenteken"), max_length=200)
    role = forms.CharField(label=_("Rol in de casus"), max_length=80, required=False)
    kvk_number = forms.RegexField(label=_("KvK-nummer"), regex=r"^\d{8}$", required=False,
                                  error_messages={"invalid": _("Een KvK-nummer heeft 8 cijfers.")})
    address_register_id = forms.RegexField(
        label=_("BAG nummeraanduiding-id"), regex=r"^\d{16}$", required=False,
        error_messages={"invalid": _("Een nummeraanduiding-id heeft 16 cijfers.")})
    licence_plate = forms.RegexField(
        label=_("Kenteken"), regex=r"^[A-Za-z0-9-]{6,8}$", required=False,
        error_messages={"invalid": _("Een kenteken heeft 6 letters en cijfers, bijv. AB-123-C.")})
    valid_from = date_field(_("Betrokken vanaf"), required=False)


class PreweighForm(forms.Form):
    content = forms.CharField(label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 24}))


class MeetingForm(_DateRange, forms.Form):
    forum = forms.ModelChoiceField(Forum.objects.none(), label=_("Overleg"))
    held_on = date_field(_("Datum"))
    attendees = forms.CharField(label=_("Gasten"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Aanwezigen van buiten de deelnemende "
                                            "organisaties; één per regel: naam en organisatie. "
                                            "Leden kiest u op de pagina van de vergadering."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = scope.forums_for(user)


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), label=_("Aanwezige leden"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mensen van de deelnemende organisaties die aanwezig waren."))
    chair = forms.ModelChoiceField(get_user_model().objects.none(), label=_("Voorzitter"),
                                   required=False, help_text=_("Een van de aanwezigen."))
    guests = forms.CharField(label=_("Gasten"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Eén per regel: naam en organisatie."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        memberships = {}
        for m in attendance.eligible_memberships(meeting.forum):
            memberships.setdefault(m.user_id, m)
        people = attendance.eligible_people(meeting.forum)
        for name in ("present", "chair"):
            self.fields[name].queryset = people
        self.fields["present"].label_from_instance = lambda p: (
            f"{attendance.display_name(p)} ({memberships[p.pk].organisation.name})")
        self.fields["chair"].label_from_instance = attendance.display_name
        if not self.is_bound:
            self.initial.update(
                present=list(meeting.attendance.values_list("person_id", flat=True)),
                chair=meeting.chair_id, guests=meeting.attendees, version=meeting.version)


class AgendaForm(forms.Form):
    case = forms.ModelChoiceField(Case.objects.none(), label=_("Casus"))

    def __init__(self, *args, user, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = scope.cases_for(user).filter(
            forum=meeting.forum, closed_on__isnull=True).exclude(agenda_items__meeting=meeting)


class FollowUpForm(_DateRange, forms.Form):
    gemeente = forms.ModelChoiceField(None, label=_("Gemeente"), to_field_name="code")
    periode = forms.CharField(
        label=_("Periode"), required=False, max_length=10,
        help_text=_("Vaste periode, bijv. 2026, 2026-H1, 2026-K1 of 2026-03 (in plaats van "
                    "van/tot en met)."))
    van = date_field(_("Van"), required=False)
    tot = date_field(_("Tot en met"), required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = scope.municipalities_for(user).order_by("name")

    def clean(self):
        from . import followup

        data = super().clean()
        if data.get("van") and data.get("tot") and data["tot"] < data["van"]:
            self.add_error("tot", _("'Tot en met' ligt vóór 'van'."))
            return data
        if data.get("periode"):
            try:
                data["van"], data["tot"] = followup.parse_period(data["periode"])
            except ValueError:
                self.add_error("periode", _("Onbekende periode: kies bijv. 2026, 2026-H1, "
                                            "2026-K1 of 2026-03."))
                return data
        municipality = data.get("gemeente")
        if municipality is None or self.errors:
            return data
        exact = followup.exact_for(self.user, municipality)
        start, end = followup.default_period(fixed=not exact)
        data["van"], data["tot"] = data.get("van") or start, data.get("tot") or end
        if not exact and not followup.is_fixed(data["van"], data["tot"]):
            self.add_error("van", _("Kies een vaste periode: een maand, kwartaal, halfjaar of "
                                    "jaar (van de eerste tot en met de laatste dag). Vrije "
                                    "data zijn niet mogelijk omdat kleine aantallen zijn "
                                    "afgeschermd."))
        return data
