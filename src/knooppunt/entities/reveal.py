""""Toon naam": showing the name behind a pseudonym, on purpose, with a reason (decision 0054).

POST only, CSRF-protected, decided by `permissions` (`entity.reveal`, rules in
`entities.need_to_know.may_reveal`). The reason is required (at most 500 characters, no
NUL); an analyst names a case they work on. A reveal stores a `Reveal` (the name is
shown to this user for `REVEAL_HOURS`) and one processing-log row with the reason and the
case; a refusal stores nothing but the log row that says it was refused, and says why in
Dutch and English.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knooppunt.audit.log import Action, Outcome, record
from knooppunt.organisations import permissions, scope

from . import pseudonyms
from .ftm_io import OBJECT_TYPE, PURPOSE
from .models import Reveal
from .need_to_know import REVEAL_HOURS, pseudonym_organisation, reveal_until

MAX_REASON = 500
REASON_REQUIRED = "Geef een reden om de naam te tonen. / Give a reason to show the name."
REASON_TOO_LONG = (f"De reden is langer dan {MAX_REASON} tekens. / The reason is longer "
                   f"than {MAX_REASON} characters.")
NUL_IN_REASON = "De reden bevat een NUL-teken. / The reason contains a NUL character."
UNKNOWN_CASE = ("Er is geen casus met dit kenmerk die u mag openen. / There is no case "
                "with this reference that you may open.")
NOT_ALLOWED = ("U mag deze naam niet tonen: alleen een coördinator, of een analist voor "
               "een casus waaraan uw organisatie deelneemt. / You may not show this name: "
               "only a coordinator, or an analyst for a case their organisation takes part in.")


class RevealRefused(Exception):
    """A reveal that is not made, with the reason in Dutch and English."""


def clean_reason(reason: object) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise RevealRefused(REASON_REQUIRED)
    if "\x00" in reason:
        raise RevealRefused(NUL_IN_REASON)
    text = reason.strip()
    if len(text) > MAX_REASON:
        raise RevealRefused(REASON_TOO_LONG)
    return text


def reveal_entity(user, entity_id: str, reason: object, case_reference: str = "") -> Reveal:
    """Record that `user` sees the name of `entity_id` (RevealRefused otherwise)."""
    text = clean_reason(reason)
    case = None
    if case_reference:
        case = scope.cases_for(user).filter(reference=case_reference[:20]).first()
        if case is None:
            raise RevealRefused(UNKNOWN_CASE)
    if not permissions.may(user, permissions.Action.ENTITY_REVEAL, entity_id, case=case):
        raise RevealRefused(NOT_ALLOWED)
    from knooppunt.cases.services import PURPOSE_CASE

    with transaction.atomic():
        found = Reveal.objects.create(
            user=user, organisation_id=pseudonym_organisation(user), entity_id=entity_id,
            case=case, reason=text, expires_at=reveal_until())
        record(user=user, action=Action.VIEW, object_type=OBJECT_TYPE, object_ids=[entity_id],
               purpose=PURPOSE_CASE if case else PURPOSE,
               detail=(f"naam getoond (toon naam){' via casus ' + case.reference if case else ''}"
                       f": {text}")[:500])
    return found


@login_required
@require_POST
@permissions.guards(permissions.Action.ENTITY_REVEAL)
def reveal(request: HttpRequest, entity_id: str) -> HttpResponse:
    """The form on the entity page: back to the page with the name (a redirect), or the
    page again with the refusal (400, or 403 when the role or case does not allow it)."""
    from .views import render_detail

    user = request.user
    reference = str(request.POST.get("casus", "")).strip()[:20]
    via_case = scope.cases_for(user).filter(reference=reference).first() if reference else None
    real_id = pseudonyms.resolve(user, entity_id[:64], via_case=via_case) or ""
    if not real_id or not scope.entities_for(user).filter(pk=real_id).exists():
        record(user=user, action=Action.VIEW, object_type=OBJECT_TYPE, object_ids=[],
               purpose=PURPOSE, outcome=Outcome.DENIED, detail=f"toon naam: id {entity_id[:64]}")
        raise Http404(_("Er is geen entiteit met dit id die u mag zien."))
    try:
        reveal_entity(user, real_id, request.POST.get("reden", ""),
                      request.POST.get("casus", "").strip())
    except RevealRefused as error:
        record(user=user, action=Action.VIEW, object_type=OBJECT_TYPE, object_ids=[real_id],
               purpose=PURPOSE, outcome=Outcome.DENIED,
               detail=f"toon naam geweigerd: {error}"[:500])
        status = 403 if str(error) == NOT_ALLOWED else 400
        # The page again by the token (a real id asked here may not be shown by name).
        shown_id = entity_id[:64] if pseudonyms.is_token(entity_id) else pseudonyms.token(
            pseudonym_organisation(user), real_id)
        return render_detail(request, shown_id, reveal_error=str(error), status=status,
                             reason=str(request.POST.get("reden", ""))[:MAX_REASON]
                             .replace("\x00", ""))
    messages.success(request, _("De naam wordt %(hours)s uur aan u getoond; dit staat in het "
                                "verwerkingslogboek.") % {"hours": REVEAL_HOURS})
    return redirect(reverse("entities:detail", args=[real_id]))
