"""The signal-to-result chain: forums, meetings, cases, decisions, interventions.

Forum kinds, stages, transitions (with the roles that may make them), decision kinds and
intervention types are data: seeded by migration from `seed.py`, edited in the admin.
`services.py` is the only code that writes cases; `organisations.scope` decides who sees
them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import Municipality
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.signals.models import Signal
from knooppunt.signals.models import Status as SignalStatus
from knooppunt.subjects.models import Subject
from knooppunt.taxonomy.models import LocalizedName, Theme


class ForumKind(LocalizedName, models.Model):
    """Signalenoverleg, informatieplein, driehoek, stuur- en weegploeg, POB."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    decision_months = models.PositiveSmallIntegerField(
        _("beslistermijn (maanden)"), null=True, blank=True,
        help_text=_("Binnen hoeveel maanden na het openen een casus een besluit moet hebben "
                    "(POB/korte klap: 3). Leeg: geen termijn. Een overleg kan afwijken."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("soort overleg")
        verbose_name_plural = _("soorten overleg")

    def __str__(self) -> str:
        return self.localized_name


class Forum(models.Model):
    """One concrete forum, e.g. 'Signalenoverleg Enschede', with its member organisations."""

    kind = models.ForeignKey(ForumKind, on_delete=models.PROTECT, verbose_name=_("soort"))
    name = models.CharField(_("naam"), max_length=200, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="+", verbose_name=_("gemeenten"),
        help_text=_("De gemeenten waarvan dit overleg casussen behandelt."),
    )
    members = models.ManyToManyField(
        Organisation, related_name="forums", verbose_name=_("deelnemende organisaties"),
        help_text=_("Zitten aan tafel en zien de casussen van dit overleg (tot hun "
                    "vertrouwelijkheidsniveau)."),
    )
    partners = models.ManyToManyField(
        Organisation, related_name="partner_forums", blank=True,
        verbose_name=_("uitvoerende partners"),
        help_text=_("Krijgen interventies toegewezen en zien alleen die, met de kop van de "
                    "casus; niet de casus zelf."),
    )
    decision_months = models.PositiveSmallIntegerField(
        _("beslistermijn (maanden)"), null=True, blank=True,
        help_text=_("Leeg: de termijn van de soort overleg."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["kind__order", "name"]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")

    def __str__(self) -> str:
        return self.name

    @property
    def deadline_months(self) -> int | None:
        return self.decision_months if self.decision_months is not None \
            else self.kind.decision_months


class Stage(LocalizedName, models.Model):
    """A step of a case: intake, verrijking, preweging, driehoek, weging, aanpak, ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_initial = models.BooleanField(_("beginfase"), default=False)
    is_closed = models.BooleanField(_("afgesloten"), default=False)
    counts_as_weighed = models.BooleanField(
        _("telt als gewogen"), default=False,
        help_text=_("Een casus in of voorbij deze fase is gewogen (opvolgingscijfers)."),
    )
    signal_status = models.CharField(
        _("status gekoppelde signalen"), max_length=20, choices=SignalStatus.choices,
        blank=True,
        help_text=_("De status die gekoppelde signalen krijgen als de casus deze fase ingaat."),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("fase")
        verbose_name_plural = _("fasen")

    def __str__(self) -> str:
        return self.localized_name


class Transition(models.Model):
    """An allowed move between stages and the roles that may make it."""

    from_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="exits",
                                   verbose_name=_("van"))
    to_stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="entries",
                                 verbose_name=_("naar"))
    roles = models.JSONField(
        _("rollen"), default=list,
        help_text=_('Rollen die deze stap mogen zetten, bijv. ["coordinator", "analist"].'),
    )
    forum_kinds = models.ManyToManyField(
        ForumKind, blank=True, verbose_name=_("alleen bij"),
        help_text=_("Leeg: bij elke soort overleg."),
    )

    class Meta:
        ordering = ["from_stage__order", "to_stage__order"]
        verbose_name = _("toegestane overgang")
        verbose_name_plural = _("toegestane overgangen")
        constraints = [
            models.UniqueConstraint(fields=["from_stage", "to_stage"], name="unique_transition")
        ]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class DecisionKind(LocalizedName, models.Model):
    """What a forum can decide: local approach, to the information plaza, no action, ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    next_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("volgende fase"),
        help_text=_("De fase waarin de casus door dit besluit komt (leeg: blijft staan)."),
    )
    next_forum_kind = models.ForeignKey(
        ForumKind, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("naar soort overleg"),
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("soort besluit")
        verbose_name_plural = _("soorten besluit")

    def __str__(self) -> str:
        return self.localized_name


class InterventionType(LocalizedName, models.Model):
    """The catalogue: 13b closure, Bibob, last onder dwangsom, afpakken, zorg, ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=160)
    name_en = models.CharField(_("naam (Engels)"), max_length=160, blank=True)
    has_duration = models.BooleanField(
        _("met duur"), default=False, help_text=_("Bijv. sluiting: duur in maanden.")
    )
    has_amount = models.BooleanField(
        _("met bedrag"), default=False, help_text=_("Bijv. afpakken: bedrag in euro's.")
    )
    stops_case = models.BooleanField(
        _("snelle interventie"), default=False,
        help_text=_("Telt als 'gestopt door een snelle interventie' (korte klap)."),
    )
    usual_organisation_kinds = models.JSONField(
        _("gebruikelijke organisatiesoorten"), default=list, blank=True,
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("soort interventie")
        verbose_name_plural = _("soorten interventie")

    def __str__(self) -> str:
        return self.localized_name


class Case(models.Model):
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    title = models.CharField(
        _("titel"), max_length=200,
        help_text=_("Kort en zonder namen, bijv. 'Hennepkwekerij buitengebied Lonneker'."),
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, verbose_name=_("thema"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="cases",
                              verbose_name=_("overleg"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("fase"))
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_cases",
        verbose_name=_("regievoerder"),
    )
    confidentiality = models.PositiveSmallIntegerField(
        _("vertrouwelijkheid"), choices=Confidentiality.choices, default=Confidentiality.NORMAAL
    )
    opened_on = models.DateField(_("geopend op"), db_index=True)
    decision_due_on = models.DateField(_("besluit uiterlijk"), null=True, blank=True,
                                       db_index=True)
    decided_on = models.DateField(_("eerste besluit op"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    signals = models.ManyToManyField(Signal, through="CaseSignal", related_name="cases")
    subjects = models.ManyToManyField(Subject, through="CaseSubject", related_name="cases")
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        indexes = [models.Index(fields=["municipality", "opened_on"])]

    def __str__(self) -> str:
        return self.reference

    def is_overdue(self, today) -> bool:
        return (self.decision_due_on is not None and self.decided_on is None
                and self.closed_on is None and self.decision_due_on < today)


class CaseSignal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signal_links")
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="case_links")
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "signal"],
                                               name="unique_case_signal")]

    def __str__(self) -> str:
        return f"{self.case_id} <- {self.signal_id}"


class CaseSubject(models.Model):
    """A dated link between a case and a subject, with who supplied it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_links")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("rol in de casus"), max_length=80, blank=True,
                            help_text=_("Bijv. bewoner, eigenaar pand, bestuurder bedrijf."))
    valid_from = models.DateField(_("vanaf"))
    valid_until = models.DateField(_("tot en met"), null=True, blank=True)
    supplied_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("aangeleverd door"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "subject", "valid_from"],
                                               name="unique_case_subject")]

    def __str__(self) -> str:
        return f"{self.case_id} <- subject {self.subject_id}"


class StageChange(models.Model):
    """Append-only (model, queryset and database triggers): the case's stage history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    reason = models.TextField(_("reden"))

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("fasewijziging")
        verbose_name_plural = _("fasewijzigingen")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage_id} -> {self.to_stage_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("StageChange is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("StageChange is append-only")


class PreweighDocument(models.Model):
    """One version of a case's preweegdocument. Versions are added, never edited;
    `frozen_at` is set once, when the version is presented to a forum."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preweigh_versions")
    number = models.PositiveIntegerField(_("versie"))
    content = models.TextField(_("inhoud"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    frozen_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["case", "-number"]
        verbose_name = _("preweegdocument")
        verbose_name_plural = _("preweegdocumenten")
        constraints = [models.UniqueConstraint(fields=["case", "number"],
                                               name="unique_preweigh_version")]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.number}"


class Meeting(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings",
                              verbose_name=_("overleg"))
    held_on = models.DateField(_("datum"), db_index=True)
    attendees = models.TextField(
        _("gasten"), blank=True,
        help_text=_("Aanwezigen die geen lid zijn van een deelnemende organisatie; één per "
                    "regel: naam en organisatie."),
    )
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="MeetingAttendee", related_name="+",
        verbose_name=_("aanwezigen"),
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("voorzitter"),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    notes = models.TextField(_("aantekeningen"), blank=True)
    agenda = models.ManyToManyField(Case, through="AgendaItem", related_name="meetings")
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("overlegvergadering")
        verbose_name_plural = _("overlegvergaderingen")

    def __str__(self) -> str:
        return f"{self.forum} {self.held_on:%d-%m-%Y}"


class MeetingAttendee(models.Model):
    """A member of a forum organisation who was present, for that organisation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("persoon"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("namens"))

    class Meta:
        ordering = ["organisation__name", "person__last_name", "person__username"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"],
                                               name="unique_meeting_attendee")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.person_id} ({self.organisation_id})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"],
                                               name="unique_agenda_item")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.case_id}"


class Decision(models.Model):
    """A named person's decision in a forum, always with a reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("overleg"))
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="decisions")
    kind = models.ForeignKey(DecisionKind, on_delete=models.PROTECT, verbose_name=_("besluit"))
    decided_on = models.DateField(_("datum besluit"))
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("besloten door"),
        help_text=_("De persoon die besloot (lid van een deelnemende organisatie)."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""),
                                              name="decision_has_reason")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind_id} ({self.decided_on})"


class InterventionStatus(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    RUNNING = "lopend", _("Lopend")
    DONE = "afgerond", _("Afgerond")
    STOPPED = "gestopt", _("Gestopt zonder resultaat")


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="interventions")
    type = models.ForeignKey(InterventionType, on_delete=models.PROTECT,
                             verbose_name=_("soort"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="interventions",
                                     verbose_name=_("uitvoerende organisatie"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="interventions", verbose_name=_("betreft"))
    status = models.CharField(_("status"), max_length=10, choices=InterventionStatus.choices,
                              default=InterventionStatus.PLANNED)
    planned_on = models.DateField(_("gepland op"))
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    ended_on = models.DateField(_("afgerond op"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duur (maanden)"), null=True,
                                                       blank=True)
    amount_recovered = models.DecimalField(_("afgepakt bedrag (€)"), max_digits=12,
                                           decimal_places=2, null=True, blank=True)
    hours_spent = models.DecimalField(_("bestede uren"), max_digits=8, decimal_places=1,
                                      default=0)
    result = models.TextField(_("resultaat"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("interventie")
        verbose_name_plural = _("interventies")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_recovered__gte=0)
                                   | models.Q(amount_recovered__isnull=True),
                                   name="intervention_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(hours_spent__gte=0),
                                   name="intervention_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.type_id} -> {self.organisation_id}"
