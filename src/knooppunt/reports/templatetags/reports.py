"""Template helpers of the reports: a chart's SVG and the footnote. ``{% load reports %}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..labels import made_on_label, suppression_note

register = template.Library()


@register.simple_tag
def chart(data, key: str) -> SafeString:
    """The inline SVG of a chart of the report (drawn and escaped by `knooppunt.charts`)."""
    found = data.charts.get(key) if key else None
    return mark_safe(found.svg) if found else SafeString("")  # noqa: S308


@register.simple_tag
def suppression(data) -> str:
    return suppression_note(data.threshold, shielded=getattr(data, "shielded", False))


@register.simple_tag
def made_on(data) -> str:
    return made_on_label(data)
