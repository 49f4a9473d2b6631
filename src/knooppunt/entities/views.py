"""The entity page: every fact the user may see with its source and date, the links to
other entities, and the cases and signals it touches that the user may open.

Scoped through `reading` (`scope.entities_for`); the read is logged, and so are the
neighbours it names. An entity the user may not see answers 404, the same as one that
does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from knooppunt.audit.log import Action, record
from knooppunt.organisations import permissions, scope

from . import ftm, reading
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
    user = request.user
    found = reading.detail(user, entity_id) if may_read_entities(user) else None
    if found is None:
        reading.log_read(user, [], denied=True, detail=f"id {entity_id[:64]}")
        raise Http404(_("Er is geen entiteit met dit id die u mag zien."))
    network = neighbourhood(user, entity_id, depth=1)
    labels = {n.id: n for n in network.nodes}
    links = []
    for edge in network.edges:
        other = edge.target if edge.source == entity_id else edge.source
        if other == entity_id or other not in labels:
            continue
        kind = (_prop_label(found.schema, edge.type) if edge.type in ftm.properties(
            found.schema) and edge.source == entity_id else edge.type)
        links.append({"edge": edge, "other": labels[other], "outgoing": edge.source == entity_id,
                      "kind": SCHEMA_LABELS.get(edge.type, (kind, kind))[0]
                      if edge.type in SCHEMA_LABELS else kind})
    cases, signals = reading.touching(user, entity_id)
    cases, signals = list(cases), list(signals)
    known_as, confirmed = also_known_as(user, entity_id)
    reading.log_read(user, [found.id])
    if known_as:
        reading.log_read(user, [v.id for v in known_as], action=Action.LIST,
                         detail=f"bevestigde koppelingen van {found.id}")
    if links:
        reading.log_read(user, sorted({link["other"].id for link in links}),
                         action=Action.LIST, detail=f"relaties van {found.id}")
    if cases:
        record(user=user, action=Action.LIST, object_type="cases.case",
               object_ids=[c.pk for c in cases], purpose=PURPOSE,
               detail=f"casussen van entiteit {found.id}")
    if signals:
        record(user=user, action=Action.LIST, object_type="signals.signal",
               object_ids=[s.pk for s in signals], purpose=PURPOSE,
               detail=f"signalen van entiteit {found.id}")
    facts = [{"statement": s, "label": _prop_label(found.schema, s.prop),
              "target": labels.get(s.value)} for s in found.statements]
    return render(request, "entities/detail.html", {
        "entity": found, "schema_label": SCHEMA_LABELS.get(found.schema, (found.schema,))[0],
        "facts": facts, "links": links, "cases": cases, "signals": signals,
        "hidden_ends": network.hidden_ends, "known_as": known_as, "confirmed": confirmed,
    })
