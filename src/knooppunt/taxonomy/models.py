"""Themes and source types as data, so a beheerder can add one without code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedName:
    """Shows `name_en` on English pages when it is filled in, else the Dutch name."""

    name: str
    name_en: str

    @property
    def localized_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.localized_name


class Theme(LocalizedName, models.Model):
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



class SourceType(LocalizedName, models.Model):
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

