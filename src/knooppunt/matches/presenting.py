"""A candidate match as the queue, the page and the API show it: both sides as the reader
may see them now, the waterfall as stored at scoring time, and the decisions so far.

Reads only through `entities.reading` (scoped); the caller logs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from knooppunt.entities import need_to_know, reading

from .models import CandidateMatch, MatchDecision

# The linkage core's field names (analytics.linkage.model.COMPARED_FIELDS), as a reviewer
# reads them; an unknown field is shown by its own name.
FIELD_LABELS = {
    "first_name": _("Voornaam of voorletters"), "surname": _("Achternaam"),
    "dob": _("Geboortedatum"), "postcode": _("Postcode"), "house_number": _("Huisnummer"),
    "street": _("Straat"), "city": _("Plaats"), "bsn": _("BSN"), "kvk": _("KvK-nummer"),
    "other_id": _("Ander nummer"),
}


@dataclass(frozen=True)
class Side:
    id: str
    label: str
    properties: dict[str, list[str]]
    suppliers: tuple[str, ...]
    # Whether the entity page shows this side by name to the reader (a reveal): only then
    # does the queue link to it. Otherwise the page shows a pseudonym, and a link from a
    # named side would tie the name to the pseudonym (decision 0054, review finding H2).
    linked: bool = False


@dataclass(frozen=True)
class MatchView:
    match: CandidateMatch
    left: Side
    right: Side
    decisions: tuple[MatchDecision, ...] = ()

    @property
    def pair(self) -> tuple[Side, Side]:
        return self.left, self.right

    @property
    def fields(self) -> list[dict]:
        """The waterfall without the prior row, strongest evidence first."""
        rows = [{**row, "label": FIELD_LABELS.get(row["field"], row["field"])}
                for row in self.match.waterfall if row["field"] != "prior"]
        return sorted(rows, key=lambda row: -abs(row["weight"]))

    def as_api(self, detail: bool = False) -> dict:
        m = self.match
        body = {"id": m.pk, "kind": m.kind, "state": m.state,
                "matchProbability": round(m.match_probability, 6),
                "matchWeight": round(m.match_weight, 4),
                "left": _side_api(self.left), "right": _side_api(self.right),
                "proposedAt": m.created_at}
        if detail:
            body["priorWeight"] = round(m.prior_weight, 4)
            body["waterfall"] = [{"field": r["field"], "level": r["level"],
                                  "weight": r["weight"], "leftValue": r["left"],
                                  "rightValue": r["right"]} for r in m.waterfall
                                 if r["field"] != "prior"]
            body["run"] = {"id": m.run_id, "dataVersion": m.run.data_version,
                           "settings": m.run.settings, "startedAt": m.run.started_at}
            body["decisions"] = [{"verdict": d.verdict, "stateBefore": d.state_before,
                                  "stateAfter": d.state_after, "reason": d.reason,
                                  "decidedBy": d.decided_by.get_username(),
                                  "decidedAt": d.decided_at} for d in self.decisions]
        return body


def _side_api(side: Side) -> dict:
    return {"id": side.id, "label": side.label, "properties": side.properties,
            "suppliers": list(side.suppliers)}


def _side(user, entity_id: str, named: frozenset[str]) -> Side:
    found = reading.detail(user, entity_id)
    if found is None:  # not reached through matches_for; kept safe all the same
        return Side(entity_id, "", {}, ())
    suppliers = tuple(sorted({s.supplier for s in found.statements if not s.retracted}))
    return Side(found.id, found.label, found.properties, suppliers, found.id in named)


def entity_ids(views: list[MatchView]) -> list[str]:
    """The entities the views show, for the processing log."""
    return sorted({i for v in views for i in (v.left.id, v.right.id)})


def views_of(user, matches: QuerySet | list[CandidateMatch], *,
             with_decisions: bool = False) -> list[MatchView]:
    """The matches (already scoped by `scope.matches_for`) with both sides shown."""
    matches = list(matches)
    # One query for the reveals of every side (no case: the queue is not reached via one).
    named = need_to_know.real_ids(user, {i for m in matches for i in (m.left_id, m.right_id)})
    out = []
    for m in matches:
        decisions = (tuple(m.decisions.select_related("decided_by").order_by("decided_at",
                                                                               "pk"))
                     if with_decisions else ())
        out.append(MatchView(m, _side(user, m.left_id, named),
                             _side(user, m.right_id, named), decisions))
    return out
