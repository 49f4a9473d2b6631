"""Apache Spark as an analytics engine: the `Engine` protocol of decision 0008 on pyspark.

Spark runs in local mode in this process's own JVM (`local[2]`, the web UI off, the driver
bound to 127.0.0.1, no network), with Arrow for the transfers both ways. It is for national
scale (decision 0051); DuckDB stays the default. pyspark is the optional extra `spark`
(`pip install -e ".[spark]"`) and needs Java 17 on the PATH (or JAVA_HOME).

One SparkSession serves the whole process: starting a JVM costs 10-30 s, so `close()`
drops only this engine's temporary views and cached tables, and `stop_session()` ends the
JVM (tests call it once at the end of the session).

SQL dialect: callers write the common subset of DuckDB and Spark SQL (decision 0051):
`?` positional parameters, CAST(... AS BIGINT/DOUBLE), floor, count/min/sum, GROUP BY
ordinals, UNION ALL, window functions. Where the two differ, `dialect` names the engine's
SQL for sqlglot (`sqlglot.transpile(sql, read="duckdb", write=engine.dialect)`);
`date_trunc` is the known difference (a DATE in DuckDB, a TIMESTAMP in Spark: wrap it in
CAST(... AS DATE), as the monitoring roll-up does).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from .engine import ParquetResult, parquet_rows

DEFAULT_MASTER = "local[2]"
DEFAULT_DRIVER_MEMORY = "4g"  # 2 cores / 24 GiB shared by several processes
DEFAULT_SHUFFLE_PARTITIONS = 8  # Spark's default of 200 is for clusters, not 2 cores

_lock = threading.Lock()
_session = None


class JavaMissing(RuntimeError):
    """Spark needs a Java runtime (17) and none was found."""

    def __init__(self) -> None:
        super().__init__(
            "Spark heeft Java 17 nodig maar 'java' is niet gevonden (PATH of JAVA_HOME); "
            "installeer openjdk-17-jre-headless. / Spark needs Java 17 but 'java' was not "
            "found (PATH or JAVA_HOME); install openjdk-17-jre-headless.")


def java_available() -> bool:
    """True when a `java` binary is on JAVA_HOME or the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def session(master: str | None = None, driver_memory: str | None = None,
            shuffle_partitions: int = DEFAULT_SHUFFLE_PARTITIONS):
    """The process's SparkSession, started on first use with the settings of this module
    (environment: KNOOPPUNT_SPARK_MASTER, KNOOPPUNT_SPARK_DRIVER_MEMORY)."""
    global _session
    with _lock:
        if _session is not None:
            return _session
        if not java_available():
            raise JavaMissing()
        from pyspark.sql import SparkSession

        master = master or os.environ.get("KNOOPPUNT_SPARK_MASTER", DEFAULT_MASTER)
        memory = driver_memory or os.environ.get("KNOOPPUNT_SPARK_DRIVER_MEMORY",
                                                 DEFAULT_DRIVER_MEMORY)
        builder = (
            SparkSession.builder.master(master).appName("knooppunt")
            .config("spark.ui.enabled", "false")
            # Local mode only: nothing listens beyond this machine.
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", memory)
            .config("spark.sql.shuffle.partitions", str(int(shuffle_partitions)))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.ansi.enabled", "false")
        )
        # Splink's string-similarity functions (Jaro-Winkler, ...) for record linkage on
        # Spark (analytics/linkage/backends.py): one JVM per process serves both, and a jar
        # can only join the JVM when it starts.
        jar = _splink_similarity_jar()
        if jar:
            builder = builder.config("spark.jars", jar)
        # py4j logs "closing" from finalizers at interpreter exit, after handlers closed.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        _session = builder.getOrCreate()
        _session.sparkContext.setLogLevel("ERROR")
        return _session


def _splink_similarity_jar() -> str | None:
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError:  # Splink is a main dependency; without it Spark still counts
        return None
    return similarity_jar_location()


def stop_session() -> None:
    """Stop the process's SparkSession and its JVM (a later `session()` starts a new one)."""
    global _session
    with _lock:
        if _session is not None:
            _session.stop()
            _session = None


class SparkEngine:
    """The `Engine` protocol on Spark SQL in local mode."""

    dialect = "spark"

    def __init__(self, master: str | None = None, driver_memory: str | None = None) -> None:
        self._spark = session(master, driver_memory)
        self._views: set[str] = set()

    def register(self, name: str, table: pa.Table) -> None:
        frame = self._spark.createDataFrame(table)
        frame.createOrReplaceTempView(name)
        self._views.add(name)

    def register_parquet(self, name: str, path: str | Path) -> None:
        """A Parquet file or directory under `name`, read lazily by Spark."""
        self._spark.read.parquet(str(path)).createOrReplaceTempView(name)
        self._views.add(name)

    def _frame(self, sql: str, parameters: Sequence[object]):
        args = [p.item() if hasattr(p, "item") else p for p in parameters]
        return self._spark.sql(sql, args=args or None)

    def query(self, sql: str, parameters: Sequence[object] = ()) -> pa.Table:
        return self._frame(sql, parameters).toArrow()

    def write_parquet(self, sql: str, directory: str | Path,
                      parameters: Sequence[object] = ()) -> ParquetResult:
        """Run SQL and write the answer to Parquet files in `directory` (replaced), written
        by the executors: nothing is collected in the driver."""
        directory = Path(directory)
        self._frame(sql, parameters).write.mode("overwrite").parquet(str(directory))
        return ParquetResult(directory, parquet_rows(directory))

    def close(self) -> None:
        for name in self._views:
            self._spark.catalog.dropTempView(name)
        self._views.clear()

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
