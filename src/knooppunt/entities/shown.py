"""Shaping what a user may see as names or pseudonyms, by the rule of `need_to_know`.

Pages, the API and the SVG export call these (through `scope.shown_network` for networks)
after the read is scoped and logged with the real ids; they never decide themselves.
Showing names because of a case is the switch the issue asks to log: each function writes
one processing-log row naming the entities shown by name and the case (purpose: the
case's), beside the read's own row.
"""

from __future__ import annotations

from collections.abc import Iterable

from knooppunt.analytics.networks import Network
from knooppunt.audit.log import Action, record

from . import pseudonyms
from .ftm_io import OBJECT_TYPE
from .need_to_know import pseudonym_organisation, real_ids
from .reading import EntityView, StatementView

PSEUDONYMISED_NOTE = ("Pseudoniemen: namen, geboortedata, huisnummers, registratienummers "
                      "en kentekens zijn vervangen. / Pseudonyms: names, birth dates, house "
                      "numbers, registration numbers and plates are replaced.")


def log_switch(user, entity_ids: Iterable[str], via_case, channel: str | None = None) -> None:
    """The names shown because of `via_case`, in the processing log with its purpose."""
    from knooppunt.cases.services import PURPOSE_CASE

    ids = sorted(entity_ids)
    if via_case is None or not ids:
        return
    record(user=user, action=Action.VIEW, object_type=OBJECT_TYPE, object_ids=ids,
           purpose=PURPOSE_CASE, channel=channel,
           detail=f"namen getoond via casus {via_case.reference} (need-to-know)")


def network(user, found: Network, *, via_case=None, channel: str | None = None) -> Network:
    """`found` with names where the rule allows them and pseudonyms elsewhere."""
    organisation_id = pseudonym_organisation(user)
    if organisation_id is None:
        return found
    ids = {n.id for n in found.nodes}
    real = real_ids(user, ids | {e.id for e in found.edges}, via_case=via_case)
    log_switch(user, real & ids, via_case, channel)
    return pseudonyms.network(organisation_id, found, real)


def shown_id(user, entity_id: str, real: Iterable[str]) -> str:
    """The id to put in a link or answer: the real id when shown by name, else its token."""
    organisation_id = pseudonym_organisation(user)
    if organisation_id is None or entity_id in set(real):
        return entity_id
    return pseudonyms.token(organisation_id, entity_id)


def entity_view(user, view: EntityView, *, real: Iterable[str] = ()) -> EntityView:
    """An entity (and its statements) as shown: itself when in `real`, else pseudonymised:
    token id, pseudonym label, the properties that stay (`pseudonyms.properties`), and
    statements of those properties only, without the origin's id (a case or signal number
    leads to the names)."""
    real = set(real)
    organisation_id = pseudonym_organisation(user)
    if organisation_id is None or view.id in real:
        return view
    hint = (view.properties.get("full") or view.properties.get("street") or [view.label])[0] \
        if view.schema == "Address" else ""
    props = pseudonyms.properties(organisation_id, view.schema, view.properties)
    for prop in list(props):
        # An end the user sees by name keeps its real id, so the link can be followed.
        if prop in pseudonyms.ENTITY_VALUED:
            props[prop] = sorted(v if v in real else pseudonyms.token(organisation_id, v)
                                 for v in view.properties[prop])
    statements = []
    for s in view.statements:
        kept = pseudonyms.properties(organisation_id, view.schema, {s.prop: [s.value]})
        if s.prop not in kept:
            continue
        value = s.value if s.prop in pseudonyms.ENTITY_VALUED and s.value in real \
            else kept[s.prop][0]
        # No statement id: the keys are global and sequential, the same for every
        # organisation, so two organisations could join their pseudonyms on them (M3).
        statements.append(StatementView(
            None, s.prop, value, s.supplier, s.legal_basis, s.origin_kind, "",
            s.first_seen.replace(day=1), s.last_seen.replace(day=1), s.retracted,
            s.created_at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)))
    return EntityView(
        pseudonyms.token(organisation_id, view.id), view.schema,
        pseudonyms.label(organisation_id, view.id, view.schema, hint), props,
        tuple(statements), pseudonymised=True)
