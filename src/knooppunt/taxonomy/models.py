"""Themes and source types as data, so a beheerder can add one without code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    active = models.BooleanField(_("actief"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name


class SourceType(models.Model):
    """Where a signal comes from: police, grid operator, MMA, a municipal department, ..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    name_en = models.CharField(_("naam (Engels)"), max_length=120, blank=True)
    anonymous_by_default = models.BooleanField(
        _("standaard anoniem"),
        default=False,
        help_text=_("Meldingen uit deze bron worden zonder melder vastgelegd (bijv. MMA)."),
    )
    active = models.BooleanField(_("actief"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("brontype")
        verbose_name_plural = _("brontypen")

    def __str__(self) -> str:
        return self.name
