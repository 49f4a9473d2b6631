"""The FollowTheMoney schemata Knooppunt uses: a faithful subset, no Django.

Names of schemata and properties are FollowTheMoney's (followthemoney 4.x YAML), so a file
exported here opens in other FtM tools and theirs import here as far as this subset goes.
Decision 0047 says why the `followthemoney` package itself is not a dependency.

A *node* schema (Person, Company, ...) describes a thing; an *edge* schema (Directorship,
Ownership, ...) is an entity too, whose `source` and `target` properties name two entities.
Residence and registration at an address are FtM's `addressEntity` property (an edge
without an entity of its own); FtM's `Occupancy` is the holding of a `Position`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Property types (FtM's names). Each type is checked on import (`knooppunt.entities.ftm_io`).
NAME, STRING, TEXT, DATE, ENTITY, IDENTIFIER, COUNTRY, NUMBER = (
    "name", "string", "text", "date", "entity", "identifier", "country", "number")


@dataclass(frozen=True)
class Property:
    name: str
    type: str = STRING
    range: str = ""  # for entity properties: the schema the value must be (or extend)
    label_nl: str = ""


@dataclass(frozen=True)
class Schema:
    name: str
    label_nl: str
    label_en: str
    extends: tuple[str, ...] = ()
    own: tuple[Property, ...] = ()
    edge: tuple[str, str] | None = None  # (source property, target property)
    caption: tuple[str, ...] = ("name",)
    properties: dict[str, Property] = field(default_factory=dict, compare=False)

    @property
    def is_edge(self) -> bool:
        return self.edge is not None


def _p(name: str, type_: str = STRING, range_: str = "", nl: str = "") -> Property:
    return Property(name, type_, range_, nl)


_INTERVAL = (_p("startDate", DATE, nl="vanaf"), _p("endDate", DATE, nl="tot en met"),
             _p("summary", TEXT, nl="samenvatting"), _p("recordId", IDENTIFIER, nl="bronnummer"))

_SCHEMATA: tuple[Schema, ...] = (
    Schema("Thing", "Ding", "Thing", own=(
        _p("name", NAME, nl="naam"), _p("alias", NAME, nl="ook bekend als"),
        _p("notes", TEXT, nl="notities"), _p("country", COUNTRY, nl="land"),
        _p("address", STRING, nl="adres (tekst)"),
        _p("addressEntity", ENTITY, "Address", "adres"),
    )),
    Schema("Address", "Adres", "Address", ("Thing",), (
        _p("full", STRING, nl="volledig adres"), _p("street", STRING, nl="straat en huisnummer"),
        _p("postalCode", IDENTIFIER, nl="postcode"), _p("city", STRING, nl="plaats"),
        _p("remarks", TEXT, nl="opmerkingen"),
    ), caption=("full", "name")),
    Schema("LegalEntity", "Rechtspersoon", "Legal entity", ("Thing",), (
        _p("registrationNumber", IDENTIFIER, nl="registratienummer (KvK)"),
        _p("idNumber", IDENTIFIER, nl="identificatienummer"),
        _p("incorporationDate", DATE, nl="datum oprichting"),
        _p("dissolutionDate", DATE, nl="datum opheffing"),
        _p("legalForm", STRING, nl="rechtsvorm"), _p("sector", STRING, nl="sector"),
        _p("jurisdiction", COUNTRY, nl="jurisdictie"),
    )),
    Schema("Organization", "Organisatie", "Organization", ("LegalEntity",)),
    Schema("Company", "Bedrijf", "Company", ("Organization",)),
    Schema("Person", "Persoon", "Person", ("LegalEntity",), (
        _p("firstName", STRING, nl="voornaam"), _p("lastName", STRING, nl="achternaam"),
        _p("birthDate", DATE, nl="geboortedatum"), _p("birthPlace", STRING, nl="geboorteplaats"),
        _p("nationality", COUNTRY, nl="nationaliteit"),
        _p("socialSecurityNumber", IDENTIFIER, nl="BSN"),
    )),
    Schema("Vehicle", "Voertuig", "Vehicle", ("Thing",), (
        _p("registrationNumber", IDENTIFIER, nl="kenteken"), _p("type", STRING, nl="soort"),
        _p("model", STRING, nl="model"),
    ), caption=("name", "registrationNumber")),
    Schema("Position", "Functie", "Position", ("Thing",)),
    Schema("Interval", "Periode", "Interval", own=_INTERVAL),
    Schema("Ownership", "Eigendom", "Ownership", ("Interval",), (
        _p("owner", ENTITY, "LegalEntity", "eigenaar"), _p("asset", ENTITY, "Thing", "bezit"),
        _p("percentage", NUMBER, nl="percentage"), _p("role", STRING, nl="rol"),
    ), edge=("owner", "asset"), caption=("role",)),
    Schema("Directorship", "Bestuurder", "Directorship", ("Interval",), (
        _p("director", ENTITY, "LegalEntity", "bestuurder"),
        _p("organization", ENTITY, "Organization", "organisatie"), _p("role", STRING, nl="rol"),
    ), edge=("director", "organization"), caption=("role",)),
    Schema("Employment", "Dienstverband", "Employment", ("Interval",), (
        _p("employer", ENTITY, "Organization", "werkgever"),
        _p("employee", ENTITY, "Person", "werknemer"), _p("role", STRING, nl="rol"),
    ), edge=("employer", "employee"), caption=("role",)),
    Schema("Family", "Familie", "Family", ("Interval",), (
        _p("person", ENTITY, "Person", "persoon"), _p("relative", ENTITY, "Person", "familielid"),
        _p("relationship", STRING, nl="relatie"),
    ), edge=("person", "relative"), caption=("relationship",)),
    Schema("Associate", "Bekende", "Associate", ("Interval",), (
        _p("person", ENTITY, "Person", "persoon"), _p("associate", ENTITY, "Person", "bekende"),
        _p("relationship", STRING, nl="relatie"),
    ), edge=("person", "associate"), caption=("relationship",)),
    Schema("Occupancy", "Functievervulling", "Occupancy", ("Interval",), (
        _p("holder", ENTITY, "Person", "bekleder"), _p("post", ENTITY, "Position", "functie"),
        _p("status", STRING, nl="status"),
    ), edge=("holder", "post"), caption=("status",)),
    Schema("UnknownLink", "Overige relatie", "Other link", ("Interval",), (
        _p("subject", ENTITY, "Thing", "onderwerp"), _p("object", ENTITY, "Thing", "object"),
        _p("role", STRING, nl="rol"),
    ), edge=("subject", "object"), caption=("role",)),
)

SCHEMATA: dict[str, Schema] = {s.name: s for s in _SCHEMATA}
# Abstract schemata are not stored or imported; they only lend their properties.
ABSTRACT = frozenset({"Thing", "Interval", "LegalEntity", "Organization"})
NODE_SCHEMATA = ("Person", "Company", "Address", "Vehicle", "Position")
EDGE_SCHEMATA = ("Ownership", "Directorship", "Employment", "Family", "Associate",
                 "Occupancy", "UnknownLink")
# LegalEntity and Organization stay importable: other tools export them as such.
CONCRETE = frozenset(NODE_SCHEMATA + EDGE_SCHEMATA + ("LegalEntity", "Organization"))


def ancestors(name: str) -> tuple[str, ...]:
    """`name` and every schema it extends, nearest first."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        todo.extend(SCHEMATA[current].extends)
    return tuple(seen)


def is_a(schema: str, other: str) -> bool:
    """Whether `schema` is `other` or extends it (Company is a LegalEntity)."""
    return schema in SCHEMATA and other in ancestors(schema)


def properties(schema: str) -> dict[str, Property]:
    """All properties of `schema`, its own and inherited."""
    found: dict[str, Property] = {}
    for name in reversed(ancestors(schema)):
        for prop in SCHEMATA[name].own:
            found[prop.name] = prop
    return found


def caption(schema: str, props: dict[str, list[str]]) -> str:
    """The label FtM would show: the first caption property with a value."""
    chain = [SCHEMATA[s].caption for s in ancestors(schema)]
    for names in chain:
        for name in names:
            if props.get(name):
                return sorted(props[name])[0]
    return schema


def edge_ends(schema: str) -> tuple[str, str] | None:
    """(source property, target property) of an edge schema, None for a node."""
    return SCHEMATA[schema].edge if schema in SCHEMATA else None
