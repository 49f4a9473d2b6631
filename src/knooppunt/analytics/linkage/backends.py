"""Where Splink's SQL runs: DuckDB in memory (the default) or Spark (national scale).

Both take the same Arrow tables in and give Arrow tables back, so the engine does not know
which one ran. The Spark backend needs the optional extra `spark` (pyspark) and Java 17; it
is imported only when asked for.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Protocol

import duckdb
import pyarrow as pa

# DuckDB spills to disk above this share of memory instead of failing; the 1,000,000-record
# run peaked near 10 GB before the blocking rules were tightened (decision 0045).
_DUCKDB_MEMORY_LIMIT = "6GB"


class Backend(Protocol):
    """What the engine asks of a backend."""

    dialect: str
    api: Any

    def register(self, name: str, table: pa.Table) -> None: ...

    def fetch(self, physical_name: str) -> pa.Table: ...

    def close(self) -> None: ...


class DuckDBBackend:
    """A fresh in-memory DuckDB per linkage run, limited to `threads`."""

    dialect = "duckdb"

    def __init__(self, threads: int = 2) -> None:
        from splink import DuckDBAPI

        self._spill = tempfile.mkdtemp(prefix="knp-linkage-")
        self.con = duckdb.connect(":memory:", config={
            "threads": threads, "memory_limit": _DUCKDB_MEMORY_LIMIT,
            "temp_directory": self._spill, "preserve_insertion_order": False})
        self.api = DuckDBAPI(connection=self.con)

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def fetch(self, physical_name: str) -> pa.Table:
        # The table name is Splink's own, not user input.
        return self.con.sql(f"SELECT * FROM {physical_name}").to_arrow_table()  # noqa: S608

    def close(self) -> None:
        self.con.close()
        for entry in os.scandir(self._spill):  # spill files are gone with the connection
            os.remove(entry.path)
        os.rmdir(self._spill)


class SparkBackend:
    """Splink on a Spark session (local mode by default, see `local_spark`)."""

    dialect = "spark"

    def __init__(self, spark: Any) -> None:
        from splink import SparkAPI

        self.spark = spark
        self.api = SparkAPI(spark_session=spark)

    def register(self, name: str, table: pa.Table) -> None:
        self.spark.createDataFrame(table).createOrReplaceTempView(name)  # Arrow in, Spark 4

    def fetch(self, physical_name: str) -> pa.Table:
        return self.spark.sql(f"SELECT * FROM {physical_name}").toArrow()  # noqa: S608

    def close(self) -> None:
        """The session belongs to the caller; it stays open."""


def local_spark(cores: int = 2, memory: str = "4g", checkpoint_dir: str | None = None) -> Any:
    """The process's Spark session in local mode (`analytics.spark_engine.session`, which
    loads Splink's string-similarity functions), shared with the Spark analytics engine:
    a process has one JVM, and a second `getOrCreate` would return the first session
    without the settings asked for. `cores` and `memory` apply when this call starts it.

    Splink cuts Spark's query plans short by checkpointing, which needs a directory
    (`checkpoint_dir`, default a fresh temporary one).
    """
    from knooppunt.analytics import spark_engine

    session = spark_engine.session(master=f"local[{cores}]", driver_memory=memory,
                                   shuffle_partitions=cores * 4)
    session.sparkContext.setCheckpointDir(checkpoint_dir
                                          or tempfile.mkdtemp(prefix="knp-spark-"))
    return session
