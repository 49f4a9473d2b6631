"""Pseudonyms for persons, companies, addresses and vehicles (issue 16, item 4; decision 0054).

The mechanism only; *when* a user sees pseudonyms is decided by `scope.needs_pseudonyms`
(rules in `entities.need_to_know`). Everything here is a pure function of the settings'
key, the organisation and the entity id:

* `token(org, entity_id)`: ``psn-`` + 20 base32 characters of HMAC-SHA256 over the entity
  id, with a key derived from `KNOOPPUNT_PSEUDONYM_KEY` (or `SECRET_KEY`) and the purpose
  string ``knooppunt.entities.pseudonym.<organisation id>``. The same entity keeps its
  token for every user of one organisation and every request, so a pattern can be
  followed; two organisations get unrelated tokens, so they cannot join what they saw.
  Tokens replace entity ids in every pseudonymised answer (ids are FtM ids such as
  ``nl-bag-<BAG id>`` that identify by themselves).
* `code(org, entity_id)`: the first 8 characters of the token, upper case, shown to people
  as ``Persoon P-7F3A2C9D``; 40 bits, so two entities of one organisation share a code
  with probability below 1 in 2,000 at 30,000 entities (the token, 100 bits, is what the
  server resolves).
* `properties(schema, props)`: what remains of an entity's facts: names, aliases, birth
  dates and places, BSN and other numbers, licence plates, house numbers, free text and
  notes go; the schema, legal form, sector, country, nationality, street, the four digits of
  a postcode, the city, link roles and dates coarsened to the month stay.
* `network(org, network, real)`: a network core `Network` with every node not in `real`
  pseudonymised, edges touching one renamed, provenance reduced to who and which month.
* `resolve(user, value, via_case=)`: a token back to the entity id, among the entities the
  user may see (`scope.entities_for`); a real id only where the user sees that entity by
  name (a case they work on, a reveal), else None like an unknown id, so that nobody maps
  a known identity (a KvK number, a guessable id) to its pseudonym.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import hmac
import re
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

from django.conf import settings

from knooppunt.analytics.networks import Edge, Network, Node, Provenance

TOKEN_PREFIX = "psn-"  # noqa: S105 - a prefix of pseudonymous ids, not a secret
TOKEN = re.compile(r"psn-[a-z2-7]{20}")
PURPOSE = "knooppunt.entities.pseudonym"
# Letter and Dutch word per schema: "Persoon P-7F3A2C9D".
PREFIX = {"Person": ("P", "Persoon"), "Company": ("B", "Bedrijf"),
          "Organization": ("B", "Organisatie"), "LegalEntity": ("B", "Rechtspersoon"),
          "Address": ("A", "Adres"), "Vehicle": ("V", "Voertuig"),
          "Position": ("F", "Functie")}
HIDDEN_VALUE = "[pseudoniem]"

# Facts that stay, per property name (every other property is left out): the shape of a
# network and of a pattern, nothing that names or numbers a person.
KEEP = frozenset({
    "legalForm", "sector", "jurisdiction", "country", "nationality", "city",
    "type", "model", "role", "relationship", "status", "percentage",
})
MONTH_DATES = frozenset({"startDate", "endDate", "incorporationDate", "dissolutionDate"})
ENTITY_VALUED = frozenset({
    "addressEntity", "owner", "asset", "director", "organization", "employer", "employee",
    "person", "relative", "associate", "holder", "post", "subject", "object",
})
_STREET = re.compile(r"^\s*(.*?)\s*\d")
_POSTCODE = re.compile(r"\b(\d{4})\s?[A-Za-z]{2}\b")


def _secret() -> bytes:
    return (getattr(settings, "KNOOPPUNT_PSEUDONYM_KEY", "") or settings.SECRET_KEY).encode()


def _key(organisation_id: int) -> bytes:
    return _derived(_secret(), organisation_id)


@lru_cache(maxsize=256)
def _derived(secret: bytes, organisation_id: int) -> bytes:
    # A key per organisation, derived from the server's secret with a purpose string, so the
    # secret itself never meets an entity id and two organisations' tokens are unrelated.
    return hmac.digest(secret, f"{PURPOSE}.{organisation_id}".encode(), "sha256")


def _token_with(key: bytes, entity_id: str) -> str:
    digest = hmac.digest(key, entity_id.encode(), "sha256")
    return TOKEN_PREFIX + base64.b32encode(digest[:15]).decode()[:20].lower()


def token(organisation_id: int, entity_id: str) -> str:
    """The stable pseudonymous id of `entity_id` for users of `organisation_id`."""
    return _token_with(_key(organisation_id), entity_id)


def code(organisation_id: int, entity_id: str) -> str:
    """The short code people read (8 characters of the token)."""
    return token(organisation_id, entity_id)[len(TOKEN_PREFIX):][:8].upper()


def is_token(value: str) -> bool:
    return bool(TOKEN.fullmatch(value or ""))


def address_hint(text: str) -> str:
    """'Kerkstraat 12a, 7511 AB Enschede' -> 'Kerkstraat, 7511 Enschede': no house number,
    no postcode letters (postcode and number together name one door)."""
    street = _STREET.match(text or "")
    postcode = _POSTCODE.search(text or "")
    city = text.rsplit(postcode.group(0), 1)[-1].strip(" ,") if postcode else ""
    parts = [street.group(1).strip(" ,") if street else "",
             " ".join(p for p in (postcode.group(1) if postcode else "", city) if p)]
    return ", ".join(p for p in parts if p)


def label(organisation_id: int, entity_id: str, schema: str, hint: str = "") -> str:
    """'Persoon P-7F3A2C9D'; an address keeps its street and city: 'Adres A-…, Kerkstraat,
    7511 Enschede'."""
    letter, word = PREFIX.get(schema, ("X", schema))
    text = f"{word} {letter}-{code(organisation_id, entity_id)}"
    if schema == "Address":
        rest = address_hint(hint)
        return f"{text}, {rest}" if rest else text
    return text


def month(value: str) -> str:
    """An FtM date cut to its month (2019-03-14 -> 2019-03); a year stays a year."""
    return value[:7] if len(value) >= 7 else value


def properties(organisation_id: int, schema: str, props: Mapping[str, Iterable[str]]
               ) -> dict[str, list[str]]:
    """What remains of an entity's properties when it is pseudonymised (see module doc).
    Entity-valued properties point at the other entity's token."""
    kept: dict[str, list[str]] = {}
    for prop, values in props.items():
        values = list(values)
        if prop in KEEP:
            kept[prop] = sorted(set(values))
        elif prop in MONTH_DATES:
            kept[prop] = sorted({month(v) for v in values})
        elif prop in ENTITY_VALUED:
            kept[prop] = sorted({token(organisation_id, v) for v in values})
        elif schema == "Address" and prop == "postalCode":
            kept[prop] = sorted({v.replace(" ", "")[:4] for v in values})
        elif schema == "Address" and prop in ("street", "full"):
            kept[prop] = sorted({address_hint(v) if prop == "full" else
                                 (_STREET.match(v).group(1) if _STREET.match(v) else "")
                                 for v in values} - {""})
    return {k: v for k, v in sorted(kept.items()) if v}


def _first_of_month(day: dt.date | None) -> dt.date | None:
    return day.replace(day=1) if day else None


def _last_of_month(day: dt.date | None) -> dt.date | None:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1]) if day else None


def _kept_attributes(attributes: Mapping[str, object]) -> dict[str, object]:
    """A pseudonymised node's attributes: the kept facts, and a company's incorporation
    and dissolution dates as the first day of their month (the short-lived pattern still
    works on them, at month precision; decisions 0054, 0055)."""
    kept: dict[str, object] = {k: v for k, v in attributes.items() if k in KEEP}
    for name in MONTH_DATES & attributes.keys():
        value = str(attributes[name] or "")
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
            kept[name] = f"{value[:7]}-01"
    return kept


def network(organisation_id: int, found: Network, real: Collection[str] = ()) -> Network:
    """`found` with every node outside `real` pseudonymised: id -> token, label -> pseudonym,
    `attributes.pseudonymised = True`. An edge with a pseudonymised end gets a token id,
    month-wide dates and provenance of who supplied it in which month (the origin's id, a
    case or signal number that leads to the names, is left out)."""
    key = _key(organisation_id)
    tokens: dict[str, str] = {}

    def renamed(node_id: str) -> str:
        if node_id in real:
            return node_id
        if node_id not in tokens:
            tokens[node_id] = _token_with(key, node_id)
        return tokens[node_id]

    def named(node: Node) -> str:
        letter, word = PREFIX.get(node.schema, ("X", node.schema))
        text = f"{word} {letter}-{renamed(node.id)[len(TOKEN_PREFIX):][:8].upper()}"
        hint = address_hint(node.label) if node.schema == "Address" else ""
        return f"{text}, {hint}" if hint else text

    real = frozenset(real)
    nodes = [node if node.id in real else Node(
        renamed(node.id), node.schema, named(node), node.hidden,
        {**_kept_attributes(node.attributes), "pseudonymised": True})
        for node in found.nodes]
    edges = []
    for edge in found.edges:
        if edge.source in real and edge.target in real:
            edges.append(edge)
            continue
        edges.append(Edge(
            _token_with(key, edge.id), renamed(edge.source), renamed(edge.target),
            edge.link_type, _first_of_month(edge.start), _last_of_month(edge.end),
            tuple(sorted({Provenance(p.organisation, _first_of_month(p.date),
                                     p.origin.split(" ", 1)[0]) for p in edge.provenance},
                         key=lambda p: (p.date or dt.date.min, p.organisation, p.origin))),
            edge.role))
    hidden = {renamed(k): v for k, v in found.hidden_count.items()}
    return Network.of(nodes, edges, hidden)


def resolve(user, value: str, *, via_case=None) -> str | None:
    """The entity id behind `value` for this user: a token is looked up among the entities
    the user may see (None when none has it). Any other value is a real id: returned as it
    is where the user sees that entity by name (`via_case` they work on, or a reveal), None
    otherwise, so callers answer it exactly like an unknown id (decision 0054, review
    finding M1). Whether the user may see the entity at all is the caller's check.

    The lookup computes the user's organisation's token of each visible entity id: one
    HMAC per entity (about a microsecond), fine for a region's entities; at national scale
    an index of tokens (organisation, token -> id) would replace the scan (decision 0054).
    """
    if not is_token(value):
        from .need_to_know import needs_pseudonyms

        return None if needs_pseudonyms(user, value, via_case=via_case) else value
    from knooppunt.organisations import scope

    from .need_to_know import pseudonym_organisation

    organisation_id = pseudonym_organisation(user)
    if organisation_id is None:
        return None
    key = _key(organisation_id)
    for entity_id in scope.entities_for(user).values_list("pk", flat=True).iterator():
        if _token_with(key, entity_id) == value:
            return entity_id
    return None
