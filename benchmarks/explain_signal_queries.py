"""Which index each page's signal query uses: EXPLAIN of the real querysets (decision 0011).

    DATABASE_URL=... .venv/bin/python benchmarks/explain_signal_queries.py USERNAME

Run against a database that has signals (e.g. the benchmark's `knooppunt_bench`, user
`bench`, or the demo database). Prints, per query, the plan the database chose, so an index
review can show that every page still has an index after one is dropped.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from knooppunt.organisations import scope
    from knooppunt.signals.address_fix import unresolved_for
    from knooppunt.signals.models import Signal

    user = get_user_model().objects.get(username=sys.argv[1])
    visible = scope.signals_for(user)
    sample = visible.exclude(postcode="").first()
    if sample is None:
        sys.exit("Geen signalen om mee te meten.")
    queries = {
        "lijst (scope, nieuwste eerst, 25)": visible.order_by("-received_on", "-id")[:25],
        "lijst gefilterd op bron": visible.filter(source_type_id=sample.source_type_id)
        .order_by("-received_on", "-id")[:25],
        "lijst gefilterd op thema": visible.filter(theme_id=sample.theme_id)
        .order_by("-received_on", "-id")[:25],
        "lijst gefilterd op gemeente": visible.filter(municipality_id=sample.municipality_id)
        .order_by("-received_on", "-id")[:25],
        "adressen controleren": unresolved_for(user)[:25],
        "verrijking: zelfde BAG-adres": visible.filter(address_register_id="0153200000000001"),
        "verrijking: zelfde postcode+huisnummer": visible.filter(
            postcode=sample.postcode, house_number=sample.house_number),
        "PROTECT: thema verwijderen": Signal.objects.filter(theme_id=sample.theme_id)[:1],
        "PROTECT: bron verwijderen": Signal.objects.filter(
            source_type_id=sample.source_type_id)[:1],
        "PROTECT: gemeente verwijderen": Signal.objects.filter(
            municipality_id=sample.municipality_id)[:1],
        "PROTECT: organisatie verwijderen": Signal.objects.filter(
            reporting_organisation_id=sample.reporting_organisation_id)[:1],
    }
    print(f"Database: {connection.vendor}; {Signal.objects.count():,} signalen")
    for label, queryset in queries.items():
        print(f"\n== {label}")
        print(queryset.explain())


if __name__ == "__main__":
    main()
