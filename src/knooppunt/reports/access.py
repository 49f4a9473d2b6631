"""Who may generate and read which report, for which subject.

* Board reports (aggregates, suppressed): a member with one of `BOARD_ROLES`
  (coordinator, bestuurder, analist) who may see the figures of the area, as the
  dashboards decide it: `monitoring.queries.area` (→ `scope.figure_visible`).
* Confidential reports (personal data): a role that sees personal data
  (`scope.sees_personal_data`) and, for a signal, `scope.can_view_signal`.

A stored report is readable by whoever may generate that kind for that subject now, so
losing a membership also ends access to reports made before. A confidential report is
read only by the one who made it, and only while that is still true.
"""

from __future__ import annotations

from knooppunt.monitoring import queries
from knooppunt.monitoring.models import AreaLevel
from knooppunt.organisations import scope
from knooppunt.organisations.models import Role

from .builders.base import Audience, ReportBuilder, Subject, SubjectKind

BOARD_ROLES = frozenset({Role.COORDINATOR, Role.BESTUURDER, Role.ANALIST})
AREA_LEVELS = {SubjectKind.MUNICIPALITY: AreaLevel.MUNICIPALITY,
               SubjectKind.REGION: AreaLevel.SAFETY_REGION}
SUBJECT_OF_LEVEL = {level: kind for kind, level in AREA_LEVELS.items()}


class NoAccess(PermissionError):
    """The user may not make or read this kind of report (their role)."""


class UnknownSubject(LookupError):
    """No such area or signal, or one the user may not see (answered as not found)."""


def may_use_kind(user, builder: ReportBuilder) -> bool:
    """Whether the user's role allows this kind at all (before looking at a subject)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if builder.audience == Audience.BOARD:
        return bool(scope.roles_of(user) & BOARD_ROLES)
    return scope.sees_personal_data(user)


def area_builders(user) -> list[ReportBuilder]:
    """The kinds about an area (not a signal) this user may make: the /rapportages/ form."""
    from .builders import all_builders

    return [b for b in all_builders() if may_use_kind(user, b)
            and b.subject_kinds != (SubjectKind.SIGNAL,)]


def resolve(user, builder: ReportBuilder, code: str) -> Subject:
    """The subject of a code (GM…, VR… or a signal id) if the user may report on it.

    Raises `NoAccess` when the role does not allow the kind, `UnknownSubject` when the
    subject does not exist, does not fit the kind, or is outside the user's scope.
    """
    if not may_use_kind(user, builder):
        raise NoAccess(builder.code)
    code = (code or "").strip().upper()
    if SubjectKind.SIGNAL in builder.subject_kinds and code.isdigit():
        signal = scope.signals_for(user).filter(pk=int(code)).first()
        if signal is None:
            raise UnknownSubject(code)
        subject = Subject(SubjectKind.SIGNAL, str(signal.pk), signal.reference)
    elif SubjectKind.AREA in builder.subject_kinds:
        from knooppunt.analytics import areas

        try:
            area = areas.resolve(user, area=code)
        except areas.AreaError as error:
            raise UnknownSubject(code) from error
        subject = Subject(SubjectKind.AREA, area.code, area.name)
    else:
        from knooppunt.monitoring.areas import level_of

        kind = SUBJECT_OF_LEVEL.get(level_of(code) or "")
        if kind is None or kind not in builder.subject_kinds:
            raise UnknownSubject(code)
        try:
            area = queries.area(user, AREA_LEVELS[kind], code)
        except (queries.UnknownArea, queries.NotAllowed) as error:
            raise UnknownSubject(code) from error
        subject = Subject(kind, area.code, area.name)
    if not builder.allowed(user, subject):
        raise UnknownSubject(code)
    return subject


def subject_choices(user, builder: ReportBuilder) -> list[Subject]:
    """The areas the user may choose for an area report: served municipalities and the
    safety regions that hold them."""
    if not may_use_kind(user, builder):
        return []
    found: list[Subject] = []
    if SubjectKind.AREA in builder.subject_kinds:
        from knooppunt.analytics import areas

        found += [Subject(SubjectKind.AREA, code, label) for code, label in
                  areas.choices(user)]
    for kind in (SubjectKind.MUNICIPALITY, SubjectKind.REGION):
        if kind not in builder.subject_kinds:
            continue
        areas = sorted(_visible_areas(user, AREA_LEVELS[kind]), key=lambda a: a.name)
        found += [Subject(kind, a.code, a.name) for a in areas]
    return found


def _visible_areas(user, level: str):
    from knooppunt.geo.models import Municipality

    served = scope.figure_municipality_codes(user)
    if level == AreaLevel.MUNICIPALITY:
        codes = sorted(served)
    else:
        codes = sorted(set(Municipality.objects.filter(code__in=served).exclude(
            safety_region__isnull=True).values_list("safety_region__code", flat=True)))
    from knooppunt.monitoring.areas import areas

    return areas(level, codes) if codes else []


def may_read(user, report) -> bool:
    """A stored report: the same rule as generating it now; a confidential one only
    for the one who made it (it is made for one decision, not shared in the list)."""
    from .builders import get

    if report.audience == Audience.CONFIDENTIAL and report.generated_by_id != getattr(
            user, "pk", None):
        return False
    try:
        builder = get(report.kind)
        resolve(user, builder, report.subject_code)
    except (KeyError, NoAccess, UnknownSubject):
        return False
    return True
