"""Stored candidate matches, the linkage runs that proposed them, and review decisions.

A `CandidateMatch` links two entity ids; it never changes or merges the entities. Its
`state` is a copy of the latest `MatchDecision` (open when there is none), kept for
filtering; the decisions themselves are append-only: an undo is a new decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.entities.models import Entity


class State(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Bevestigd")
    REJECTED = "rejected", _("Afgewezen")


class Verdict(models.TextChoices):
    CONFIRM = "confirm", _("Bevestigd")
    REJECT = "reject", _("Afgewezen")
    UNDO = "undo", _("Teruggedraaid")


class LinkageRun(models.Model):
    """One run of the linkage: over which data (a digest of its input) with which settings."""

    started_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    data_version = models.CharField(_("gegevensversie"), max_length=80)
    records = models.PositiveIntegerField(_("records"))
    settings = models.JSONField(_("instellingen"), default=dict)
    proposed = models.PositiveIntegerField(_("nieuw voorgesteld"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("koppelrun")
        verbose_name_plural = _("koppelruns")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.data_version}"


class CandidateMatch(models.Model):
    """Two entities that may be one person; `left` < `right` by id, one row per pair."""

    left = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("soort"), max_length=20, default="person")
    match_probability = models.FloatField(_("kans op dezelfde"))
    match_weight = models.FloatField(_("gewicht"))
    prior_weight = models.FloatField(_("beginwaarde gewicht"))
    # [{field, level, weight, left, right}]: the values as seen when the pair was scored.
    waterfall = models.JSONField(_("uitleg per veld"), default=list)
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="matches")
    state = models.CharField(_("stand"), max_length=10, choices=State.choices,
                             default=State.OPEN, db_index=True)
    created_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)

    class Meta:
        ordering = ["-match_probability", "pk"]
        verbose_name = _("kandidaat-koppeling")
        verbose_name_plural = _("kandidaat-koppelingen")
        constraints = [
            models.UniqueConstraint(fields=["left", "right", "kind"], name="matches_one_pair"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")),
                                   name="matches_left_before_right"),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.match_probability:.2f})"


class DecisionQuerySet(models.QuerySet):
    """Decisions are append-only: undoing is a new decision."""

    def update(self, **kwargs):
        raise PermissionError("Match decisions are append-only")

    def delete(self):
        raise PermissionError("Match decisions are append-only")


class MatchDecision(models.Model):
    match = models.ForeignKey(CandidateMatch, on_delete=models.PROTECT,
                              related_name="decisions")
    verdict = models.CharField(_("besluit"), max_length=10, choices=Verdict.choices)
    state_before = models.CharField(_("stand ervoor"), max_length=10, choices=State.choices)
    state_after = models.CharField(_("stand erna"), max_length=10, choices=State.choices)
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("besloten op"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("besluit over koppeling")
        verbose_name_plural = _("besluiten over koppelingen")

    def __str__(self) -> str:
        return f"{self.verdict} {self.match_id}: {self.state_before} -> {self.state_after}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Match decisions are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Match decisions are append-only")
