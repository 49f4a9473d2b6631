"""The entity page: every fact the user may see with its source and date, the links to
other entities, and the cases and signals it touches that the user may open.

Scoped through `reading` (`scope.entities_for`); the read is logged, and so are the
neighbours it names. An entity the user may not see answers 404, the same as one that
does not exist. Names or pseudonyms by the rule of `need_to_know` (decision 0054): by name
through `?casus=` of a case the user works on, or after "toon naam" (`entities.reveal`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from knooppunt.audit.log import Action, record
from knooppunt.organisations import permissions, scope

from . import ftm, need_to_know, pseudonyms, reading, shown
from .ftm_io import PURPOSE
from .network import neighbourhood
from .querysets import may_read_entities


def also_known_as(user, entity_id: str) -> tuple[list, list]:
    """The entities confirmed to be the same person (decision 0053), and those links;
    empty for a user who may not review matches."""
    from knooppunt.matches.clusters import cluster_of
    from knooppunt.matches.querysets import may_review_matches

    if not may_review_matches(user):
        return [], []
    others, links = cluster_of(user, entity_id)
    if not others:
        return [], []
    entities = list(scope.entities_for(user).filter(pk__in=others))
    return reading.views_of(user, entities), links

SCHEMA_LABELS = {name: (s.label_nl, s.label_en) for name, s in ftm.SCHEMATA.items()}


def _prop_label(schema: str, prop: str) -> str:
    found = ftm.properties(schema).get(prop)
    return (found.label_nl if found and found.label_nl else prop)


@login_required
@permissions.read_only
def entity_detail(request: HttpRequest, entity_id: str) -> HttpResponse:
    return render_detail(request, entity_id)


def _via_case(request: HttpRequest):
    reference = request.GET.get("casus", "")[:20]
    if not reference:
        return None
    return scope.cases_for(request.user).filter(reference=reference).first()


def render_detail(request: HttpRequest, entity_id: str, *, reveal_error: str = "",
                  status: int = 200, reason: str = "") -> HttpResponse:
    """The entity page: by name when the need-to-know rule allows (`need_to_know`), as a
    pseudonym otherwise; `entity_id` may be a pseudonym's token."""
    user = request.user
    via_case = _via_case(request) if may_read_entities(user) else None
    # A real id is accepted only where the page shows the name (M1): asked by real id
    # otherwise, the answer is the unknown id's 404, not a redirect to the pseudonym.
    real_id = pseudonyms.resolve(user, entity_id[:64], via_case=via_case) \
        if may_read_entities(user) else None
    found = reading.detail(user, real_id) if real_id else None
    if found is None:
        reading.log_read(user, [], denied=True, detail=f"id {entity_id[:64]}")
        raise Http404(_("Er is geen entiteit met dit id die u mag zien."))
    network = neighbourhood(user, found.id, depth=1)
    ids = {found.id} | {n.id for n in network.nodes}
    real = need_to_know.real_ids(user, ids | {e.id for e in network.edges}, via_case=via_case)
    organisation_id = need_to_know.pseudonym_organisation(user)
    named = found.id in real
    labels = {n.id: n for n in network.nodes}
    links = []
    for edge in network.edges:
        other = edge.target if edge.source == found.id else edge.source
        if other == found.id or other not in labels:
            continue
        kind = (_prop_label(found.schema, edge.type) if edge.type in ftm.properties(
            found.schema) and edge.source == found.id else edge.type)
        node = labels[other]
        links.append({
            "edge": edge, "outgoing": edge.source == found.id,
            "kind": SCHEMA_LABELS.get(edge.type, (kind, kind))[0]
            if edge.type in SCHEMA_LABELS else kind,
            "other_id": other if other in real else pseudonyms.token(organisation_id, other),
            "other_label": node.label if other in real else pseudonyms.label(
                organisation_id, other, node.schema, node.label),
            "label": edge.label if named else "",
            "sources": [(src.supplier, src.first_seen, src.last_seen) if named else
                        (src.supplier, src.first_seen.replace(day=1), None)
                        for src in edge.provenance]})
    cases, signals = reading.touching(user, found.id)
    cases, signals = list(cases), list(signals)
    known_as, confirmed = also_known_as(user, found.id) if named else ([], [])
    reading.log_read(user, [found.id])
    shown.log_switch(user, real & ids, via_case)
    if known_as:
        reading.log_read(user, [v.id for v in known_as], action=Action.LIST,
                         detail=f"bevestigde koppelingen van {found.id}")
    if links:
        reading.log_read(user, sorted({link["edge"].source if link["edge"].target == found.id
                                       else link["edge"].target for link in links}),
                         action=Action.LIST, detail=f"relaties van {found.id}")
    # Cases give names; as a pseudonym the page names only the cases the user works on
    # (each a link that switches to names) and no signals.
    working = [c for c in cases if need_to_know.works_on(user, c)]
    if not named:
        cases, signals = working, []
    if cases:
        record(user=user, action=Action.LIST, object_type="cases.case",
               object_ids=[c.pk for c in cases], purpose=PURPOSE,
               detail=f"casussen van entiteit {found.id}")
    if signals:
        record(user=user, action=Action.LIST, object_type="signals.signal",
               object_ids=[s.pk for s in signals], purpose=PURPOSE,
               detail=f"signalen van entiteit {found.id}")
    view = shown.entity_view(user, found, real=real)
    targets = {n.id: {"id": n.id if n.id in real else pseudonyms.token(organisation_id, n.id),
                      "label": n.label if n.id in real else pseudonyms.label(
                          organisation_id, n.id, n.schema, n.label)} for n in network.nodes}
    by_token = {t["id"]: t for t in targets.values()}
    facts = [{"statement": st, "label": _prop_label(found.schema, st.prop),
              "target": targets.get(st.value) or by_token.get(st.value)}
             for st in view.statements]
    # "Toon naam": a coordinator without a case; an analyst names one they work on.
    reveal_cases = need_to_know.cases_worked_on(user) if not named else []
    may_reveal = not named and (need_to_know.may_reveal(user, found.id) or bool(
        reveal_cases and need_to_know.may_reveal(user, found.id, reveal_cases[0])))
    return render(request, "entities/detail.html", {
        "entity": view, "schema_label": SCHEMA_LABELS.get(found.schema, (found.schema,))[0],
        "facts": facts, "links": links, "cases": cases, "signals": signals,
        "hidden_ends": network.hidden_ends, "known_as": known_as, "confirmed": confirmed,
        "pseudonymised": not named, "via": f"?{urlencode({'casus': via_case.reference})}"
        if via_case and named else "", "via_case": via_case if named else None,
        "may_reveal": may_reveal, "reveal_error": reveal_error, "reason": reason,
        "reveal_cases": reveal_cases, "max_reason": 500,
    }, status=status)
