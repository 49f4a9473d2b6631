"""`{% signal_enrichment signal as e %}`: the enrichment for the signal and the request's user."""

from __future__ import annotations

from django import template

from knooppunt.signals.enrichment import Enrichment, enrich

register = template.Library()


@register.simple_tag(takes_context=True)
def signal_enrichment(context, signal) -> Enrichment:
    return enrich(context["request"].user, signal)
