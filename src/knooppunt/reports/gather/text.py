"""The active language for the few words the gatherers write themselves."""

from __future__ import annotations

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "").startswith("en")


def localized(name: str, name_en: str) -> str:
    """The English name on English pages when there is one (as taxonomy's LocalizedName)."""
    return name_en if name_en and english() else name
