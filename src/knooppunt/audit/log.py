"""Writing to the processing log. Every access path to personal data calls `record`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import models

from . import idranges
from .context import current_request
from .models import Action, Outcome, ProcessingLogEntry

# Purposes (verwerkingsactiviteiten) named once, so reports on the log can group by them.
PURPOSE_SIGNAL_HANDLING = "Behandeling signaal ondermijning"
PURPOSE_SIGNAL_INTAKE = "Registratie signaal ondermijning"
PURPOSE_PARTNER_DELIVERY = "Aanlevering door partner"
PURPOSE_EXPORT = "Export voor analyse"
PURPOSE_KEY_MANAGEMENT = "Beheer van API-sleutels en systeemaccounts"


def _organisation_names(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    names = sorted({m.organisation.name for m in user.memberships.select_related("organisation")})
    return "; ".join(names)[:200]


def record(
    *,
    user,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_ids: Iterable[object] = (),
    purpose: str,
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
    channel: str | None = None,
    ranged: bool = False,
) -> ProcessingLogEntry:
    """Append one row. `obj` or `object_type`/`object_ids` name what was touched.

    `ranged=True` (integer ids): `object_ids` is stored as runs ("17-2040", "2043"), see
    `idranges`; `object_count` stays the number of records, `expand` gives them back.
    """
    request = current_request()
    count = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        ids = [str(obj.pk)]
    elif ranged:
        ids, count = idranges.encode(object_ids)
    else:
        ids = [str(i) for i in object_ids]
    if channel is None:
        channel = "api" if request is not None and request.path.startswith("/api/") else "web"
    return ProcessingLogEntry.objects.create(
        trace_id=getattr(request, "trace_id", None) or uuid.uuid4().hex,
        user_id=getattr(user, "pk", None),
        username=getattr(user, "get_username", lambda: "")() if user is not None else "",
        organisation=_organisation_names(user),
        channel=channel,
        action=action,
        object_type=object_type or "",
        object_id=ids[0] if len(ids) == 1 and (count is None or count == 1) else "",
        object_ids=ids,
        object_count=len(ids) if count is None else count,
        purpose=purpose,
        outcome=outcome,
        detail=detail[:500],
    )


__all__ = ["Action", "Outcome", "record"]
