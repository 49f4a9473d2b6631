"""Confirm, reject or undo a candidate match: with a reason, scoped, logged, append-only.

Every decision is a new `MatchDecision`; the candidate's `state` follows the latest one.
Nothing here touches an entity: a confirmed match links two entity ids, it merges nothing.
A refusal (no reason, wrong state, not allowed) stores nothing and says why in Dutch and
English.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from knooppunt.audit.log import Action, Outcome, record
from knooppunt.entities.ftm_io import PURPOSE
from knooppunt.organisations import permissions

from .models import CandidateMatch, MatchDecision, State, Verdict

OBJECT_TYPE = "matches.candidatematch"
MAX_REASON = 2000
# What each verdict needs and gives: (allowed state before, state after).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Verdict.CONFIRM: (frozenset({State.OPEN}), State.CONFIRMED),
    Verdict.REJECT: (frozenset({State.OPEN}), State.REJECTED),
    Verdict.UNDO: (frozenset({State.CONFIRMED, State.REJECTED}), None),
}
REASON_REQUIRED = ("Geef een reden voor dit besluit. / Give a reason for this decision.")
REASON_TOO_LONG = (f"De reden is langer dan {MAX_REASON} tekens. / The reason is longer "
                   f"than {MAX_REASON} characters.")
NUL_IN_REASON = ("De reden bevat een NUL-teken. / The reason contains a NUL character.")
WRONG_STATE = ("Dit besluit past niet bij de stand van de koppeling ({state}). / This "
               "decision does not fit the match's state ({state}).")


class ReviewRefused(ValueError):
    """A decision that cannot be taken as asked; `field` names the input at fault."""

    def __init__(self, message: str, field: str = "reason", code: str = "invalid") -> None:
        super().__init__(message)
        self.field, self.code = field, code


def clean_reason(reason: object) -> str:
    """The reason, stripped; refused when missing, blank or too long."""
    if not isinstance(reason, str) or not reason.strip():
        raise ReviewRefused(REASON_REQUIRED, code="required")
    text = reason.strip()
    if len(text) > MAX_REASON:
        raise ReviewRefused(REASON_TOO_LONG, code="max_length")
    if "\x00" in text:  # PostgreSQL cannot store NUL in text
        raise ReviewRefused(NUL_IN_REASON)
    return text


def log_read(user, match_ids: list[int], *, action: str = Action.VIEW, channel=None,
             detail: str = "", denied: bool = False) -> None:
    record(user=user, action=action, object_type=OBJECT_TYPE, object_ids=match_ids,
           purpose=PURPOSE, outcome=Outcome.DENIED if denied else Outcome.SUCCESS,
           detail=detail[:200], channel=channel)


def log_shown(user, views, *, action: str = Action.VIEW, channel=None,
              detail: str = "") -> None:
    """Log the candidates shown and the entities on both of their sides."""
    from knooppunt.entities import reading

    from .presenting import entity_ids

    log_read(user, [v.match.pk for v in views], action=action, channel=channel,
             detail=detail)
    if views:
        reading.log_read(user, entity_ids(views), action=Action.LIST, channel=channel,
                         detail="kandidaat-koppelingen")


def decide(user, match: CandidateMatch, verdict: str, reason: object,
           channel: str | None = None) -> MatchDecision:
    """Take `verdict` on `match` for `user`; raises ReviewRefused or PermissionDenied."""
    if verdict not in TRANSITIONS:
        raise ReviewRefused("Onbekend besluit. / Unknown decision.", "verdict")
    if not permissions.may(user, permissions.Action.MATCH_REVIEW, match):
        log_read(user, [match.pk], action=Action.UPDATE, channel=channel, denied=True,
                 detail=f"{verdict} geweigerd")
        raise PermissionDenied("U mag deze koppeling niet beoordelen. / You may not review "
                               "this match.")
    text = clean_reason(reason)
    allowed, after = TRANSITIONS[verdict]
    with transaction.atomic():
        current = CandidateMatch.objects.select_for_update().get(pk=match.pk)
        if current.state not in allowed:
            raise ReviewRefused(WRONG_STATE.format(state=current.state), "state", "state")
        if after is None:  # undo: back to the state before the decision it reverses
            after = current.decisions.exclude(verdict=Verdict.UNDO).last().state_before
        decision = MatchDecision.objects.create(
            match=current, verdict=verdict, state_before=current.state, state_after=after,
            reason=text, decided_by=user)
        CandidateMatch.objects.filter(pk=current.pk).update(state=after)
        log_read(user, [current.pk], action=Action.UPDATE, channel=channel,
                 detail=f"{verdict}: {current.state} -> {after}")
    match.state = after
    return decision
