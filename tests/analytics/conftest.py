"""Engine fixtures: the same tests on DuckDB and on Spark (decision 0051).

`make_engine` is parametrised over both engines. Spark runs in local mode in one JVM per
test process, started once (a session-scoped fixture) and stopped at the end; its tests
carry the xdist group "spark", so with `--dist loadgroup` (run.sh) they all run in one
worker and only one JVM starts. A machine without Java fails these tests with the reason
(never a skip): Java 17 is part of the platform.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from knooppunt.analytics.engine import DuckDBEngine, Engine


@pytest.fixture(scope="session")
def spark_session() -> Iterator[None]:
    try:
        from knooppunt.analytics import spark_engine
    except ImportError as missing:  # pyspark is the optional extra `spark`
        pytest.fail(f"pyspark is not installed (pip install -e '.[spark]'): {missing}")
    # Small: the test tables have a few thousand rows at most.
    spark_engine.session(driver_memory="1g", shuffle_partitions=1)
    yield
    spark_engine.stop_session()


ENGINES = ("duckdb", pytest.param("spark", marks=pytest.mark.xdist_group("spark")))


@pytest.fixture(params=ENGINES)
def make_engine(request) -> Callable[[], Engine]:
    """A factory of fresh engines of one kind (each test closes what it made)."""
    if request.param == "duckdb":
        return lambda: DuckDBEngine(threads=1)
    request.getfixturevalue("spark_session")
    from knooppunt.analytics.spark_engine import SparkEngine

    return SparkEngine
