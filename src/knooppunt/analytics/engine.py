"""The analytics engine: one small interface, DuckDB embedded by default.

Data reaches the engine as Apache Arrow tables, fetched through Django's own database
connection (`arrow_from_query`, `arrow_from_rows`). DuckDB's postgres/sqlite scanner
extensions are downloaded at run time, which Knooppunt does not allow (no downloads at
run time), so the engine never opens the database itself: the same code path works for
SQLite, PostgreSQL, and for a cluster engine that accepts Arrow and SQL.

Callers write plain SQL over the tables they registered (standard SQL: GROUP BY,
window functions, CAST, date_trunc), in the subset DuckDB and Spark SQL share (decision
0051). `SparkEngine` (analytics/spark_engine.py, the optional extra `spark`) implements
the same protocol for national scale; the setting `KNOOPPUNT_ANALYTICS_ENGINE` chooses:
"duckdb" (the default), "spark", or a dotted path to another factory (decision 0008).

Results at national scale are written, not collected: `write_parquet` runs a query and
writes its answer to a Parquet directory, returning the path and the row count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

FETCH_BATCH = 50_000
ENGINES = {
    "duckdb": "knooppunt.analytics.engine.DuckDBEngine",
    "spark": "knooppunt.analytics.spark_engine.SparkEngine",
}


@dataclass(frozen=True)
class ParquetResult:
    """Where a query's answer was written and how many rows it has."""

    path: Path
    rows: int


def parquet_rows(path: str | Path) -> int:
    """Rows in a Parquet file or in all `*.parquet` files of a directory (footers only)."""
    path = Path(path)
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


class Engine(Protocol):
    """What the monitoring and analysis code needs from an engine."""

    dialect: str  # sqlglot's name of the engine's SQL, for the rare dialect difference

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table available to SQL under `name` (replacing an earlier one)."""

    def register_parquet(self, name: str, path: str | Path) -> None:
        """Make a Parquet file or directory available under `name`, read lazily."""

    def query(self, sql: str, parameters: Sequence[object] = ()) -> pa.Table:
        """Run SQL over the registered tables; the answer as an Arrow table."""

    def write_parquet(self, sql: str, directory: str | Path,
                      parameters: Sequence[object] = ()) -> ParquetResult:
        """Run SQL and write the answer to Parquet in `directory` (not collected)."""

    def close(self) -> None:
        """Release memory and handles."""


class DuckDBEngine:
    """DuckDB in process, in memory, with the thread count limited by a setting."""

    dialect = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        import duckdb

        self._con = duckdb.connect(":memory:")
        threads = threads or getattr(settings, "KNOOPPUNT_ANALYTICS_THREADS", None)
        if threads:
            self._con.execute(f"SET threads TO {int(threads)}")
        # No extension may be fetched from the internet at run time.
        self._con.execute("SET autoinstall_known_extensions = false")
        self._con.execute("SET autoload_known_extensions = false")

    def register(self, name: str, table: pa.Table) -> None:
        self._con.register(name, table)

    def register_parquet(self, name: str, path: str | Path) -> None:
        path = Path(path)
        pattern = str(path / "*.parquet") if path.is_dir() else str(path)
        self._con.register(name, self._con.read_parquet(pattern))

    def query(self, sql: str, parameters: Sequence[object] = ()) -> pa.Table:
        relation = self._con.sql(sql, params=list(parameters) or None)
        return relation.to_arrow_table()

    def write_parquet(self, sql: str, directory: str | Path,
                      parameters: Sequence[object] = ()) -> ParquetResult:
        """Stream the answer into `directory`/part-0.parquet (the directory is replaced)."""
        directory = Path(directory)
        if directory.exists():
            for old in directory.glob("*.parquet"):
                old.unlink()
        directory.mkdir(parents=True, exist_ok=True)
        relation = self._con.sql(sql, params=list(parameters) or None)
        relation.write_parquet(str(directory / "part-0.parquet"))
        return ParquetResult(directory, parquet_rows(directory))

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> DuckDBEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def get_engine() -> Engine:
    """The configured engine: KNOOPPUNT_ANALYTICS_ENGINE = "duckdb" (also when empty),
    "spark", or a dotted path to a factory."""
    name = getattr(settings, "KNOOPPUNT_ANALYTICS_ENGINE", "") or "duckdb"
    return import_string(ENGINES.get(name.lower(), name))()


def _column(values: Sequence[object], kind: pa.DataType) -> pa.Array:
    # SQLite hands dates over as ISO text when read through a raw cursor.
    if pa.types.is_date(kind) and any(isinstance(v, str) for v in values):
        values = [date.fromisoformat(v[:10]) if isinstance(v, str) else v for v in values]
    return pa.array(values, type=kind)


def arrow_from_rows(rows: Iterable[Sequence[object]], schema: pa.Schema) -> pa.Table:
    """An Arrow table from Python rows (tuples in schema order), built in batches."""
    batches = []
    chunk: list[Sequence[object]] = []
    names = schema.names

    def flush() -> None:
        if chunk:
            columns = list(zip(*chunk, strict=True))
            batches.append(pa.record_batch(
                [_column(col, schema.field(i).type) for i, col in enumerate(columns)],
                names=names,
            ))
            chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= FETCH_BATCH:
            flush()
    flush()
    if not batches:
        return schema.empty_table()
    return pa.Table.from_batches(batches, schema=schema)


def arrow_from_query(sql: str, parameters: Sequence[object], schema: pa.Schema) -> pa.Table:
    """Run SQL on Django's database connection and return the rows as Arrow.

    The database does the filtering; only the rows needed cross into the engine.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, list(parameters))

        def rows():
            while True:
                fetched = cursor.fetchmany(FETCH_BATCH)
                if not fetched:
                    return
                yield from fetched

        return arrow_from_rows(rows(), schema)


def arrow_from_queryset(queryset, fields: Sequence[str], schema: pa.Schema) -> pa.Table:
    """A queryset's `values_list(*fields)` as Arrow (SQL compiled by Django)."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    return arrow_from_query(sql, params, schema)
