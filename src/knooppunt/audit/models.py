"""The processing log (verwerkingenlog): append-only, one row per access to personal data.

Shaped after the draft standard "Logboek Dataverwerkingen" (Logius): a trace id per
request, the activity performed, the object(s) concerned, the processing purpose
(verwerkingsactiviteit) and outcome. Actor and organisation are copied as text so the
log stays readable when accounts are removed. Database triggers (see the migrations)
refuse UPDATE and DELETE on SQLite and PostgreSQL, and on SQLite a REPLACE of an existing
row; the model refuses them too. On PostgreSQL the application can run as a role that may
only INSERT and SELECT here (`knooppunt grant_app_role`). Each row carries a hash of its
content and of the row before it (`audit.chain`), so a row changed, removed, inserted or
moved by someone who got round all of that shows up in `knooppunt verify_log`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Ingezien")
    LIST = "list", _("Lijst ingezien")
    CREATE = "create", _("Aangemaakt")
    UPDATE = "update", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    EXPORT = "export", _("Geëxporteerd")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Gelukt")
    DENIED = "denied", _("Geweigerd")
    ERROR = "error", _("Fout")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The processing log is append-only")

    def delete(self):
        raise PermissionError("The processing log is append-only")

    def bulk_create(self, *args, **kwargs):
        # Rows are chained one by one under the chain lock (`save`).
        raise PermissionError("The processing log is written row by row")


class ProcessingLogEntry(models.Model):
    # Set before the row is written (not auto_now_add) because the hash covers it.
    timestamp = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    trace_id = models.CharField(_("trace-id"), max_length=32, db_index=True)
    user_id = models.BigIntegerField(_("gebruiker-id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    channel = models.CharField(_("kanaal"), max_length=10, default="web")
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("soort object"), max_length=60)
    object_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    object_ids = models.JSONField(_("alle objecten"), default=list, blank=True)
    object_count = models.PositiveIntegerField(_("aantal objecten"), default=1)
    purpose = models.CharField(_("doel (verwerkingsactiviteit)"), max_length=200)
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    detail = models.CharField(_("toelichting"), max_length=500, blank=True)
    prev_hash = models.CharField(_("hash vorige regel"), max_length=64, blank=True,
                                 editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("verwerkingslogregel")
        verbose_name_plural = _("verwerkingenlog")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The processing log is append-only")
        from .chain import append

        append(self, lambda: super(ProcessingLogEntry, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise PermissionError("The processing log is append-only")


class LogChainHead(models.Model):
    """One row: the lock every log insert takes, and the last row it chained.

    Taking it (an UPDATE) serialises inserts on both databases, so two at once never
    chain from the same row; `verify_log` compares it with the last row, so a removed
    tail shows too.
    """

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("keten van het verwerkingenlog")

    def __str__(self) -> str:
        return f"{self.last_id}: {self.last_hash[:12]}"
