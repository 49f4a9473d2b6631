"""Template helpers of the reports: a chart's SVG and the footnote. ``{% load reports %}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..labels import confidential_note, made_on_label, suppression_note

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


@register.simple_tag
def confidential(data) -> str:
    return confidential_note()


@register.simple_tag
def may_make_brl(user, signal) -> bool:
    """Whether the signal page offers "Bestuurlijke rapportage maken" (no logging: the
    check looks at roles and memberships only; making it is logged)."""
    from ..access import may_use_kind
    from ..builders.brl import BRL

    return may_use_kind(user, BRL) and BRL.allowed_for_signal(user, signal)
