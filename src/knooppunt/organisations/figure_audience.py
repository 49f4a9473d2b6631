"""Who gets a figure exactly and who gets it with small counts hidden (decision 0026).

A figure of own records (signals, cases, decisions, interventions) counts records of an
area, a theme and a period. Small counts (1 up to the threshold, and sums of that few
records) are hidden from an audience that may not open those records, because the
number itself tells that they exist. A user who may open *every* record behind the
figure learns nothing from it that they could not count themselves, so they see it
exactly. `scope` delegates here; callers use `scope.sees_every_record`.

The test is exact and conservative:

* The records behind a figure are over-approximated by a `RecordDomain`: the record
  kind, every municipality of the figure's area (a buurt or wijk stands for its
  municipality, a region for all its municipalities, also those the user does not
  serve) and the figure's theme (None: every theme). Period and further filters of the
  measure (source type, status) are left out: a wider domain can only make the answer
  "no".
* The answer is yes only when the domain holds records and their number equals the number
  of them the user may open (`scope.signals_for`, `cases_for`, `interventions_for`): two
  COUNT queries, memoised per user object (one request).
* Never for: anonymous users, roles without personal-data access (bestuurder,
  beheerder), published statistics (not Knooppunt's records), an empty domain's area
  without municipalities, and anything gathered inside `board_audience()` — reports made
  for the council or the board are suppressed whoever makes them.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

SIGNALS = "signals"
CASES = "cases"
INTERVENTIONS = "interventions"
KINDS = frozenset({SIGNALS, CASES, INTERVENTIONS})

_BOARD = contextvars.ContextVar("knooppunt_board_audience", default=False)


@dataclass(frozen=True)
class RecordDomain:
    """Every record that could be behind a figure (a superset; see the module docstring)."""

    kind: str  # SIGNALS, CASES or INTERVENTIONS
    municipality_codes: frozenset[str]
    theme: str | None = None  # theme code; None: every theme


@contextlib.contextmanager
def board_audience() -> Iterator[None]:
    """Figures computed inside this block are for the board, the council or the public:
    small counts are hidden whoever asks (reports with a board audience)."""
    token = _BOARD.set(True)
    try:
        yield
    finally:
        _BOARD.reset(token)


def in_board_audience() -> bool:
    return _BOARD.get()


def _records(domain: RecordDomain):
    from knooppunt.cases.models import Case, Intervention
    from knooppunt.signals.models import Signal

    codes = sorted(domain.municipality_codes)
    if domain.kind == SIGNALS:
        qs = Signal.objects.filter(municipality__code__in=codes)
        return qs.filter(theme__code=domain.theme) if domain.theme else qs
    if domain.kind == CASES:
        qs = Case.objects.filter(municipality__code__in=codes)
        return qs.filter(theme__code=domain.theme) if domain.theme else qs
    qs = Intervention.objects.filter(case__municipality__code__in=codes)
    return qs.filter(case__theme__code=domain.theme) if domain.theme else qs


def has_records(domain: RecordDomain) -> bool:
    """Whether any record lies in the domain."""
    return _records(domain).exists()


def _visible(user, domain: RecordDomain, records):
    from . import scope

    if domain.kind == SIGNALS:
        return scope.signals_for(user, records)
    if domain.kind == CASES:
        return scope.cases_for(user, records)
    return scope.interventions_for(user, records)


def sees_every_record(user, domain: RecordDomain | None) -> bool:
    """Whether `user` may open every record in `domain`, so a figure over it is shown
    exactly. False whenever that cannot be shown (see the module docstring)."""
    from . import scope

    if domain is None or in_board_audience():
        return False
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if domain.kind not in KINDS or not domain.municipality_codes:
        return False
    if not scope.sees_personal_data(user):
        return False
    cache = getattr(user, "_knooppunt_every_record", None)
    if cache is None:
        cache = {}
        user._knooppunt_every_record = cache
    if domain not in cache:
        records = _records(domain)
        total = records.count()
        # No records at all: nothing to open, so nothing shows the user may see them
        # (a stored figure may outlive its records, e.g. after retention): suppressed.
        cache[domain] = total > 0 and _visible(user, domain, records).count() == total
    return cache[domain]


def audience_signature(user) -> str:
    """What `sees_every_record` depends on besides the data: the user's grants on
    records (organisations, roles, covenants). Users with the same signature get the
    same answers; caches of figures key on it."""
    from . import scope

    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    if in_board_audience() or not scope.sees_personal_data(user):
        return "suppressed"
    grants = sorted(
        (g.organisation_id, g.clearance, tuple(sorted(g.served_municipality_ids)),
         tuple(sorted(tuple(tuple(sorted(part)) if isinstance(part, frozenset) else part
                            for part in covenant)  # parties, themes, sources, level
                      for covenant in g.covenants)))
        for g in scope.grants_for(user)
    )
    roles = sorted((m.organisation_id, m.role) for m in scope._memberships(user))
    return repr((grants, roles))
