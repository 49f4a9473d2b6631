"""FtM JSON lines in and out, for one case: export what the user may see, import all or
nothing.

A line is one entity: `{"id": ..., "schema": ..., "properties": {prop: [values]}}`; the
export writes keys and values sorted and lines by id, so the same facts give the same
bytes (export → import → export is identical). An import is checked completely before
anything is stored; every refusal names the line and says what is wrong in Dutch and in
English.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from knooppunt.analytics.linkage.records import check_bsn, check_kvk
from knooppunt.audit.log import Action, Outcome, record
from knooppunt.organisations import permissions, scope

from . import ftm
from .services import FtmEntity, case_provenance, properties_of, record_entities

PURPOSE = "Netwerkanalyse ondermijning"
OBJECT_TYPE = "entities.entity"
MAX_LINES = 20_000
MAX_VALUE = 500
ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
FTM_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
COUNTRY_CODE = re.compile(r"^[a-z]{2}(-[a-z0-9]{1,8})?$")
# Keys other FtM tools write beside id/schema/properties; read past, not stored.
IGNORED_KEYS = frozenset({"caption", "datasets", "referents", "first_seen", "last_seen",
                          "last_change", "target"})


@dataclass(frozen=True)
class Problem:
    line: int
    name: str
    nl: str
    en: str

    @property
    def reason(self) -> str:
        return f"Regel {self.line}: {self.nl} / Line {self.line}: {self.en}"


class FtmRefused(ValueError):
    """The file was refused; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.reason for p in problems[:5]))
        self.problems = problems


NOT_AT_TABLE = ("Uw organisatie neemt niet deel aan deze casus; de export met namen is "
                "alleen voor deelnemers.",
                "Your organisation does not take part in this case; the export with names "
                "is for participants only.")
REFUSED = ("Het bestand is geweigerd; er is niets opgeslagen.",
           "The file was refused; nothing was stored.")


# ------------------------------------------------------------------------- export

def case_entities(user, case) -> list[FtmEntity]:
    """The entities of `case` as the user may see them (each with all its visible facts)."""
    from .querysets import current_statements_for, entities_for

    own = set(current_statements_for(user).filter(origin_kind="case", origin_id=str(case.pk))
              .values_list("entity_id", flat=True))
    props = properties_of(current_statements_for(user).filter(entity_id__in=own))
    schemata = dict(entities_for(user).filter(pk__in=own).values_list("pk", "schema"))
    referenced = {value for eid in own for prop, values in props.get(eid, {}).items()
                  if ftm.properties(schemata[eid]).get(prop, ftm.Property(prop)).type
                  == ftm.ENTITY for value in values} - own
    if referenced:
        visible = dict(entities_for(user).filter(pk__in=referenced)
                       .values_list("pk", "schema"))
        schemata.update(visible)
        props.update(properties_of(current_statements_for(user)
                                   .filter(entity_id__in=visible)))
    return [FtmEntity(eid, schemata[eid], {k: tuple(v) for k, v in props.get(eid, {}).items()})
            for eid in sorted(schemata)]


def dumps(entities: list[FtmEntity]) -> str:
    """FtM JSON lines, sorted by id, keys sorted: the same facts give the same text."""
    return "".join(json.dumps(e.as_json(), ensure_ascii=False, sort_keys=True) + "\n"
                   for e in sorted(entities, key=lambda e: e.id))


def export_case(user, case) -> str:
    """The case's entities as FtM JSON lines; logged as an export."""
    from .need_to_know import works_on

    if not scope.cases_for(user).filter(pk=case.pk).exists():
        raise PermissionDenied("U heeft geen toegang tot deze casus.")
    if not works_on(user, case):
        # Real names and numbers only where the case gives the need to know (decision
        # 0054): the pages show this user pseudonyms, so the export must not show names.
        record(user=user, action=Action.EXPORT, object_type=OBJECT_TYPE, purpose=PURPOSE,
               outcome=Outcome.DENIED, detail=f"FtM-export casus {case.reference} geweigerd: "
               "organisatie niet aan tafel")
        raise PermissionDenied(" / ".join(NOT_AT_TABLE))
    entities = case_entities(user, case)
    record(user=user, action=Action.EXPORT, object_type=OBJECT_TYPE,
           object_ids=[e.id for e in entities], purpose=PURPOSE,
           detail=f"FtM-export casus {case.reference}")
    return dumps(entities)


# ------------------------------------------------------------------------- import

def _check_value(schema: str, prop: ftm.Property, value: str, line: int,
                 props: dict, today: date) -> Problem | None:
    def problem(nl: str, en: str) -> Problem:
        return Problem(line, f"properties.{prop.name}", nl, en)

    if prop.type == ftm.DATE:
        if not FTM_DATE.match(value):
            return problem(f"'{value}' is geen datum (JJJJ, JJJJ-MM of JJJJ-MM-DD).",
                           f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD).")
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            parsed = date(parts[0], parts[1], parts[2])
        except ValueError:
            return problem(f"'{value}' is geen bestaande datum.",
                           f"'{value}' is not an existing date.")
        if prop.name == "birthDate" and parsed > today:
            return problem("Een geboortedatum ligt niet in de toekomst.",
                           "A date of birth cannot be in the future.")
    elif prop.type == ftm.COUNTRY and not COUNTRY_CODE.match(value):
        return problem(f"'{value}' is geen landcode (ISO 3166, kleine letters).",
                       f"'{value}' is not a country code (ISO 3166, lower case).")
    elif prop.type == ftm.NUMBER:
        try:
            float(value)
        except ValueError:
            return problem(f"'{value}' is geen getal.", f"'{value}' is not a number.")
    elif prop.name == "socialSecurityNumber" and check_bsn(value)[0] is None:
        return problem("Dit BSN voldoet niet aan de elfproef.",
                       "This BSN fails the eleven test (elfproef).")
    elif (prop.name == "registrationNumber" and ftm.is_a(schema, "LegalEntity")
          and set(props.get("jurisdiction", [])) <= {"nl"}
          and check_kvk(value)[0] is None):
        return problem("Een KvK-nummer heeft 8 cijfers.",
                       "A Dutch company (KvK) number has 8 digits.")
    return None


def _read_line(raw: str, line: int) -> tuple[dict | None, list[Problem]]:
    try:
        data = json.loads(raw)
    except ValueError:
        return None, [Problem(line, "json", "Geen geldige JSON.", "Not valid JSON.")]
    if not isinstance(data, dict):
        return None, [Problem(line, "json", "Elke regel is één JSON-object.",
                              "Each line is one JSON object.")]
    problems = []
    extra = sorted(set(data) - {"id", "schema", "properties"} - IGNORED_KEYS)
    if extra:
        problems.append(Problem(line, extra[0][:60], f"Onbekend veld '{extra[0][:60]}'.",
                                f"Unknown field '{extra[0][:60]}'."))
    if not isinstance(data.get("id"), str) or not ENTITY_ID.match(data["id"]):
        problems.append(Problem(line, "id", "Id ontbreekt of is ongeldig (letters, cijfers, "
                                ". _ : -, hoogstens 64 tekens).", "Id missing or invalid "
                                "(letters, digits, . _ : -, at most 64 characters)."))
    schema = data.get("schema")
    if not isinstance(schema, str) or schema not in ftm.CONCRETE:
        problems.append(Problem(line, "schema", f"Onbekend schema '{str(schema)[:40]}'.",
                                f"Unknown schema '{str(schema)[:40]}'."))
    props = data.get("properties")
    if not isinstance(props, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()):
        problems.append(Problem(line, "properties", "'properties' is een object met lijsten "
                                "van tekst.", "'properties' is an object of lists of text."))
    return (None if problems else data), problems


def parse(text: str, user, today: date | None = None) -> list[FtmEntity]:
    """Read and check a whole file; raise `FtmRefused` with every problem found."""
    from .models import Entity
    from .querysets import entities_for

    today = today or timezone.localdate()
    problems: list[Problem] = []
    read: dict[str, tuple[int, str, dict[str, set[str]]]] = {}
    lines = [(n, raw) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    if not lines:
        raise FtmRefused([Problem(1, "file", "Het bestand is leeg.", "The file is empty.")])
    if len(lines) > MAX_LINES:
        raise FtmRefused([Problem(MAX_LINES + 1, "file", f"Meer dan {MAX_LINES} regels.",
                                  f"More than {MAX_LINES} lines.")])
    for line, raw in lines:
        data, found = _read_line(raw, line)
        problems += found
        if data is None:
            continue
        eid, schema = data["id"], data["schema"]
        known = ftm.properties(schema)
        props: dict[str, set[str]] = {}
        for name, values in data["properties"].items():
            prop = known.get(name)
            if prop is None:
                problems.append(Problem(line, f"properties.{name[:40]}",
                                        f"{schema} kent geen eigenschap '{name[:40]}'.",
                                        f"{schema} has no property '{name[:40]}'."))
                continue
            cleaned = {v.strip() for v in values if v.strip()}
            if any(len(v) > MAX_VALUE for v in cleaned):
                problems.append(Problem(line, f"properties.{name}",
                                        f"Een waarde is langer dan {MAX_VALUE} tekens.",
                                        f"A value is longer than {MAX_VALUE} characters."))
            props[name] = cleaned
        if eid in read and read[eid][1] != schema:
            problems.append(Problem(line, "schema", f"{eid} staat al als {read[eid][1]} in "
                                    "het bestand.", f"{eid} is already a {read[eid][1]} "
                                    "in this file."))
            continue
        if eid in read:  # FtM fragments of one entity: merged
            for name, values in props.items():
                read[eid][2].setdefault(name, set()).update(values)
        else:
            read[eid] = (line, schema, props)
    for line, schema, props in read.values():
        for name, values in props.items():
            for value in sorted(values):
                if (found := _check_value(schema, ftm.properties(schema)[name], value, line,
                                          props, today)):
                    problems.append(found)
    problems += _check_references(read, user)
    stored = dict(Entity.objects.filter(pk__in=list(read)).values_list("pk", "schema"))
    visible = set(entities_for(user).filter(pk__in=list(stored)).values_list("pk", flat=True))
    for eid, (line, schema, _props) in read.items():
        if eid in stored and (stored[eid] != schema or eid not in visible):
            # An id the user may not see is refused as the same "not yours" as a wrong
            # schema would not be: neither says what the stored entity is.
            problems.append(Problem(line, "id", f"Id {eid} is al in gebruik.",
                                    f"Id {eid} is already in use."))
    if problems:
        raise FtmRefused(sorted(problems, key=lambda p: (p.line, p.name)))
    return [FtmEntity(eid, schema, {k: tuple(sorted(v)) for k, v in props.items() if v})
            for eid, (_l, schema, props) in sorted(read.items())]


def _check_references(read: dict, user) -> list[Problem]:
    """Entity-typed values must name an entity in the file or one the user may see, of the
    property's range; an edge needs both its ends."""
    from .querysets import entities_for

    problems = []
    wanted = {v for _l, schema, props in read.values() for name, values in props.items()
              if ftm.properties(schema)[name].type == ftm.ENTITY for v in values}
    outside = wanted - set(read)
    visible = dict(entities_for(user).filter(pk__in=outside).values_list("pk", "schema"))
    for line, schema, props in read.values():
        ends = ftm.edge_ends(schema)
        for end in ends or ():
            if not props.get(end):
                problems.append(Problem(line, f"properties.{end}",
                                        f"Een {schema} heeft '{end}' nodig.",
                                        f"A {schema} needs '{end}'."))
        for name, values in props.items():
            prop = ftm.properties(schema)[name]
            if prop.type != ftm.ENTITY:
                continue
            for value in sorted(values):
                target = read[value][1] if value in read else visible.get(value)
                if target is None:
                    problems.append(Problem(
                        line, f"properties.{name}",
                        f"'{value[:64]}' is geen entiteit in het bestand of een die u mag zien.",
                        f"'{value[:64]}' is not an entity in the file or one you may see."))
                elif prop.range and not ftm.is_a(target, prop.range):
                    problems.append(Problem(line, f"properties.{name}",
                                            f"'{name}' wijst naar een {prop.range}, niet naar "
                                            f"een {target}.", f"'{name}' points to a "
                                            f"{prop.range}, not to a {target}."))
    return problems


@transaction.atomic
def import_case(user, case, text: str) -> tuple[int, int]:
    """Check and store a file for `case`; return (entities in the file, new statements).

    The supplier is the user's organisation at the case's table; nothing is stored when
    anything in the file is wrong (`FtmRefused`).
    """
    permissions.require(user, permissions.Action.ENTITY_IMPORT, case)
    organisation = permissions.case_subject_suppliers(user, case)[0]
    entities = parse(text, user)
    added = record_entities(entities, case_provenance(case, organisation.pk), user)
    record(user=user, action=Action.CREATE, object_type=OBJECT_TYPE,
           object_ids=[e.id for e in entities], purpose=PURPOSE,
           detail=f"FtM-import casus {case.reference}: {added} nieuwe uitspraken")
    return len(entities), added
