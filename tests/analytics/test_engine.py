"""The analytics engine: data through Django's connection into Arrow, SQL in DuckDB and in
Spark (the same tests on both, `make_engine` in tests/analytics/conftest.py), no extension
downloads, results written to Parquet; the monitoring roll-up agrees with plain Python sums."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knooppunt.analytics import engine as engine_module
from knooppunt.analytics import spark_engine
from knooppunt.analytics.engine import (
    DuckDBEngine,
    arrow_from_queryset,
    arrow_from_rows,
    get_engine,
)
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
def test_rows_come_through_the_django_connection_on_either_database(make_engine):
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
    with make_engine() as engine:
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


def _expected(rows):
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
            for key in ((level, code, "maand", d), (level, code, "kwartaal", quarter),
                        (level, code, "jaar", dt.date(d.year, 1, 1))):
                expected[key] += v
                support[key] += 1
    return dict(expected), dict(support)


def _rollup(engine, rows):
    engine.register("facts", arrow_from_rows(rows, FACTS))
    engine.register("areas", arrow_from_rows(AREA_ROWS, AREAS))
    engine.register("population", arrow_from_rows([], POPULATION))
    result = engine.query(rollup_sql("maand")).to_pylist()
    keyed = {(r["level"], r["code"], r["period_type"], r["period_start"]): r for r in result}
    return ({k: r["value"] for k, r in keyed.items()},
            {k: r["support"] for k, r in keyed.items()})


@settings(max_examples=25, deadline=None)
@given(st.lists(fact, max_size=40))
def test_rollup_matches_python_sums(facts):
    # each fact is one record: the support of a roll-up is the number of facts in it
    rows = [(m, w, None, d, float(v), 1) for m, w, d, v in facts]
    with DuckDBEngine() as engine:
        assert _rollup(engine, rows) == _expected(rows)


def test_the_rollup_sql_gives_the_same_sums_on_both_engines(make_engine):
    # A fixed sample (hypothesis above explores DuckDB); dates across quarters and years.
    facts = [("GM0001", "WK000101", dt.date(2023, 1, 1), 3), ("GM0002", None,
             dt.date(2023, 5, 1), 4), ("GM0003", "WK000102", dt.date(2024, 12, 1), 5),
             ("GM0001", None, dt.date(2023, 2, 1), 7)]
    rows = [(m, w, None, d, float(v), 1) for m, w, d, v in facts]
    with make_engine() as engine:
        assert _rollup(engine, rows) == _expected(rows)


def test_results_are_written_to_parquet_not_collected(make_engine, tmp_path):
    table = pa.table({"cell": pa.array([1, 2, 2, 3, 3, 3], pa.int64()),
                      "month": pa.array([5, 5, 6, 6, 6, 7], pa.int32())})
    with make_engine() as engine:
        engine.register("ev", table)
        first = engine.write_parquet(
            "SELECT cell, count(*) AS n FROM ev WHERE month >= ? GROUP BY 1", tmp_path / "out",
            (6,))
        assert first.path == tmp_path / "out" and first.rows == 2
        engine.register_parquet("written", first.path)
        assert sorted(engine.query("SELECT cell, n FROM written").to_pylist(),
                      key=lambda r: r["cell"]) == [{"cell": 2, "n": 1}, {"cell": 3, "n": 3}]
        # Writing again replaces the directory's answer, it does not add to it.
        again = engine.write_parquet("SELECT cell FROM ev", tmp_path / "out")
        assert again.rows == 6 == engine_module.parquet_rows(tmp_path / "out")


@pytest.mark.xdist_group("spark")
def test_the_setting_chooses_the_engine(settings, spark_session):
    settings.KNOOPPUNT_ANALYTICS_ENGINE = "duckdb"
    with get_engine() as engine:
        assert isinstance(engine, DuckDBEngine)
    settings.KNOOPPUNT_ANALYTICS_ENGINE = "spark"
    with get_engine() as engine:
        assert isinstance(engine, spark_engine.SparkEngine)
        assert engine.query("SELECT ? + 1 AS n", (41,)).to_pylist() == [{"n": 42}]



@pytest.mark.xdist_group("spark")
def test_spark_runs_locally_without_its_web_ui(spark_session):
    conf = spark_engine.session().sparkContext.getConf()
    assert conf.get("spark.master").startswith("local[")
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.sql.execution.arrow.pyspark.enabled") == "true"



def test_without_java_spark_fails_with_the_reason(monkeypatch):
    monkeypatch.setattr(spark_engine, "_session", None)  # as in a fresh process
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(spark_engine.JavaMissing, match="Spark needs Java 17"):
        spark_engine.SparkEngine()
