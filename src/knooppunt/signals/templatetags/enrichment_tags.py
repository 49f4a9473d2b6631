"""`{% signal_enrichment signal as e %}`: the enrichment for the signal and the request's user,
with the signals it lists written to the processing log."""

from __future__ import annotations

from django import template

from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING
from knooppunt.signals.enrichment import Enrichment, enrich, log_shown

register = template.Library()


@register.simple_tag(takes_context=True)
def signal_enrichment(context, signal) -> Enrichment:
    user = context["request"].user
    result = enrich(user, signal)
    log_shown(user, signal, result, purpose=PURPOSE_SIGNAL_HANDLING)
    return result
