"""The analytics engine: data through Django's connection into Arrow, SQL in DuckDB, no
extension downloads; the monitoring roll-up agrees with plain Python sums."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knooppunt.analytics.engine import DuckDBEngine, arrow_from_queryset, arrow_from_rows
from knooppunt.geo.models import Municipality
from knooppunt.monitoring.compute import AREAS, FACTS, POPULATION, rollup_sql
from knooppunt.signals.models import Signal
from tests.factories import SignalFactory


def test_no_extension_is_fetched_at_run_time():
    with DuckDBEngine() as engine:
        settings_table = engine.query(
            "SELECT current_setting('autoinstall_known_extensions') AS a, "
            "current_setting('autoload_known_extensions') AS b"
        ).to_pylist()[0]
    assert settings_table == {"a": False, "b": False}


@pytest.mark.django_db
def test_rows_come_through_the_django_connection_on_either_database():
    SignalFactory(received_on=dt.date(2025, 2, 3))
    SignalFactory(received_on=dt.date(2025, 2, 4))
    schema = pa.schema([("received_on", pa.date32()), ("municipality_id", pa.int64())])
    table = arrow_from_queryset(Signal.objects.order_by("received_on"),
                                ["received_on", "municipality_id"], schema)
    enschede = Municipality.objects.get(code="GM0153").pk
    assert table.to_pylist() == [
        {"received_on": dt.date(2025, 2, 3), "municipality_id": enschede},
        {"received_on": dt.date(2025, 2, 4), "municipality_id": enschede},
    ]
    with DuckDBEngine() as engine:
        engine.register("s", table)
        assert engine.query("SELECT COUNT(*) AS n FROM s").to_pylist() == [{"n": 2}]


AREA_ROWS = [("GM0001", "VR01", "PE01", "PV20"), ("GM0002", "VR01", "PE01", "PV21"),
             ("GM0003", "VR02", "PE01", "PV21")]
fact = st.tuples(
    st.sampled_from([a[0] for a in AREA_ROWS]),
    st.sampled_from([None, "WK000101", "WK000102"]),
    st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2024, 12, 1)).map(
        lambda d: d.replace(day=1)),
    st.integers(min_value=1, max_value=50),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(fact, max_size=40))
def test_rollup_matches_python_sums(facts):
    # each fact is one record: the support of a roll-up is the number of facts in it
    rows = [(m, w, None, d, float(v), 1) for m, w, d, v in facts]
    expected: dict[tuple[str, str, str, dt.date], float] = defaultdict(float)
    support: dict[tuple[str, str, str, dt.date], int] = defaultdict(int)
    region = {a[0]: a for a in AREA_ROWS}
    for m, w, _b, d, v, _n in rows:
        quarter = dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
        codes = {"gemeente": m, "veiligheidsregio": region[m][1],
                 "politie-eenheid": region[m][2], "provincie": region[m][3], "land": "NL01"}
        if w:
            codes["wijk"] = w
        for level, code in codes.items():
            expected[(level, code, "maand", d)] += v
            expected[(level, code, "kwartaal", quarter)] += v
            expected[(level, code, "jaar", dt.date(d.year, 1, 1))] += v
            for key in ((level, code, "maand", d), (level, code, "kwartaal", quarter),
                        (level, code, "jaar", dt.date(d.year, 1, 1))):
                support[key] += 1
    with DuckDBEngine() as engine:
        engine.register("facts", arrow_from_rows(rows, FACTS))
        engine.register("areas", arrow_from_rows(AREA_ROWS, AREAS))
        engine.register("population", arrow_from_rows([], POPULATION))
        result = engine.query(rollup_sql("maand")).to_pylist()
    got = {(r["level"], r["code"], r["period_type"], r["period_start"]): r["value"]
           for r in result}
    assert got == dict(expected)
    assert {(r["level"], r["code"], r["period_type"], r["period_start"]): r["support"]
            for r in result} == dict(support)
