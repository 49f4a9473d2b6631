"""The signal table keeps an index for every page query that needs one (decision 0011).

Indexes were dropped to make deliveries faster; these tests fail when a page's query would
have to read the whole signal table. On PostgreSQL sequential scans are switched off for
the EXPLAIN, so the plan shows whether an index *can* serve the query, whatever the
planner prefers on a small test table.
"""

from __future__ import annotations

import pytest
from django.db import connection

from knooppunt.organisations import scope
from knooppunt.organisations.models import Role
from knooppunt.signals.address_fix import unresolved_for
from knooppunt.signals.models import AddressStatus, Signal

from .factories import OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Statistics of this test's own rows, not those another test left behind (a
            # table once full of unresolved signals makes that index look useless).
            cursor.execute("ANALYZE signals_signal")
            cursor.execute("SET enable_seqscan = off")
        try:
            return queryset.explain()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
    return queryset.explain()


def _signal_indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Signal._meta.db_table)
    return {name for name, info in found.items() if info["index"] or info["unique"]}


def _searches_an_index(plan: str) -> bool:
    """True when the plan narrows the signal table through an index condition (not a walk
    through a whole index, which an ORDER BY alone can cause)."""
    if connection.vendor != "postgresql":
        return any(line.split("SEARCH ", 1)[1].startswith("signals_signal ")
                   for line in plan.splitlines() if "SEARCH " in line)
    names = _signal_indexes()
    lines = plan.splitlines()
    for i, line in enumerate(lines):
        words = line.replace("(", " ").split()
        if "Index" in line and any(name in words for name in names):
            for follow in lines[i + 1:]:
                if "->" in follow:
                    break
                if "Index Cond" in follow:
                    return True
    return False


@pytest.fixture
def setting():
    org = OrganisationFactory(municipalities=[municipality()])
    user = member(Role.MEDEWERKER, organisation=org)
    signal = SignalFactory(reporting_organisation=org, address_register_id="0153200000000001",
                           address_status=AddressStatus.RESOLVED)
    SignalFactory(reporting_organisation=org, address_status=AddressStatus.UNRESOLVED)
    # Most signals are placed, as in any real table: the filters are selective.
    SignalFactory.create_batch(30, reporting_organisation=org,
                               address_status=AddressStatus.RESOLVED)
    return user, signal


def test_page_filters_search_an_index(setting):
    user, signal = setting
    visible = scope.signals_for(user)
    queries = {
        # order_by(): the default ordering could make any plan walk the received_on index.
        "list, one theme": visible.filter(theme_id=signal.theme_id),
        "list, one municipality": visible.filter(municipality_id=signal.municipality_id),
        "addresses to fix": unresolved_for(user).order_by(),
        "same BAG address": visible.filter(address_register_id=signal.address_register_id),
        "by reference": Signal.objects.filter(reference=signal.reference),
        "PROTECT theme": Signal.objects.filter(theme_id=signal.theme_id),
        "PROTECT municipality": Signal.objects.filter(municipality_id=signal.municipality_id),
        "PROTECT organisation": Signal.objects.filter(
            reporting_organisation_id=signal.reporting_organisation_id),
    }
    missing = {label: plan for label, query in queries.items()
               if not _searches_an_index(plan := _plan(query.order_by()))}
    assert not missing, missing


def test_the_list_is_read_in_index_order(setting):
    user, _signal = setting
    plan = _plan(scope.signals_for(user).order_by("-received_on", "-id")[:25])
    assert "received_on" in plan, plan
    assert "Seq Scan on signals_signal" not in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_a_filter_without_index_is_recognised(setting):
    # The check above must be able to fail: description has no index on either database.
    _user, signal = setting
    assert not _searches_an_index(
        _plan(Signal.objects.filter(description=signal.description).order_by()))
