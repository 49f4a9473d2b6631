"""Months as integers and the cell x month count panel, counted by the analytics engine.

Events reach the core as a table registered with the engine (`Engine.register`) with at
least the columns `x`, `y` (metres, a projected CRS) and `month` (`month_index` of the
date, an integer). The engine counts events per raster cell and month with plain SQL
(GROUP BY), so the same code runs on DuckDB and on any engine that speaks the `Engine`
protocol of decision 0008; the core never sees more than the counts of the months asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pyarrow as pa

from ..hotspots.grid import Grid


class Engine(Protocol):
    """The part of `analytics.engine.Engine` the core uses (kept here: no Django import)."""

    def query(self, sql: str, parameters: object = ()) -> pa.Table: ...


def month_index(year: int, month: int) -> int:
    """Months since year 0: consecutive months are consecutive integers."""
    return int(year) * 12 + int(month) - 1


def month_label(index: int) -> str:
    """"2020-03" for `month_index(2020, 3)`."""
    year, month = divmod(int(index), 12)
    return f"{year:04d}-{month + 1:02d}"


@dataclass(frozen=True)
class EventTable:
    """A table registered with `engine` under `name` (columns x, y, month; optional filter).

    `where` is a fixed SQL condition chosen by the caller's code (e.g. an offence code with
    a bound parameter in `parameters`), never text typed by a user.
    """

    engine: Engine
    name: str
    where: str = "TRUE"
    parameters: tuple[object, ...] = ()

    def _query(self, select: str, tail: str, start: int, end: int,
               extra: tuple[object, ...] = ()) -> pa.Table:
        sql = (f"SELECT {select} FROM {self.name} "  # noqa: S608 - names are the caller's code
               f"WHERE ({self.where}) AND month >= ? AND month < ? {tail}")
        return self.engine.query(sql, (*extra, *self.parameters, int(start), int(end)))

    def history(self, end: int) -> tuple[int, int] | None:
        """(first month, events) before month `end`, None when there are none. Only earlier
        months are read, so nothing about `end` or later leaks into a forecast."""
        sql = (f"SELECT min(month), count(*) FROM {self.name} "  # noqa: S608
               f"WHERE ({self.where}) AND month < ?")
        first, events = (c[0].as_py() for c in
                         self.engine.query(sql, (*self.parameters, int(end))).columns)
        return None if not events else (int(first), int(events))

    def points(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """x, y of the events in months [start, end)."""
        table = self._query("x, y", "", start, end)
        return (table.column("x").to_numpy().astype(np.float64),
                table.column("y").to_numpy().astype(np.float64))

    def known(self, grid: Grid, start: int, end: int, value: str = "count(*)") -> np.ndarray:
        """What is known per study-area cell before each month start..end: column j is
        `value` (an aggregate chosen by the caller's code, e.g. count(*)) over the rows
        dated before month start + j (so cells x (end - start + 1)).

        For facts that accumulate (register entries dated by when they became known) and
        for lagged counts of other event types (differences of two columns). Only months
        before `end` are read; earlier months are folded into the first column.
        """
        width = max(int(end) - int(start), 0) + 1
        known = np.zeros((grid.n_cells, width), dtype=np.float64)
        size = float(grid.cell_size)
        sql = (f"SELECT CAST(floor((y - ?) / ?) AS BIGINT) AS r, "  # noqa: S608
               f"CAST(floor((x - ?) / ?) AS BIGINT) AS c, "
               f"CASE WHEN month < ? THEN ? ELSE month END AS m, {value} AS n "
               f"FROM {self.name} WHERE ({self.where}) AND month < ? GROUP BY 1, 2, 3")
        table = self.engine.query(sql, (grid.y0, size, grid.x0, size, int(start),
                                        int(start) - 1, *self.parameters, int(end)))
        rows, cols = grid.shape
        r = table.column("r").to_numpy()
        c = table.column("c").to_numpy()
        inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
        cell = grid.locate(grid.x0 + (c[inside] + 0.5) * size,
                           grid.y0 + (r[inside] + 0.5) * size)
        # A row of month f is known from month f + 1: column f + 1 - start.
        column = table.column("m").to_numpy()[inside] - int(start) + 1
        n = np.nan_to_num(table.column("n").to_numpy(zero_copy_only=False)[inside]
                          .astype(np.float64))
        keep = cell >= 0
        np.add.at(known, (cell[keep], column[keep]), n[keep])
        return np.cumsum(known, axis=1)

    def panel(self, grid: Grid, start: int, end: int) -> np.ndarray:
        """Events per study-area cell (rows, in the grid's cell order) and month (columns,
        months start..end-1); events outside the study area are not counted."""
        months = int(end) - int(start)
        panel = np.zeros((grid.n_cells, max(months, 0)), dtype=np.float64)
        if months <= 0:
            return panel
        size = float(grid.cell_size)
        table = self._query(
            "CAST(floor((y - ?) / ?) AS BIGINT) AS r, CAST(floor((x - ?) / ?) AS BIGINT) AS c, "
            "month, count(*) AS n",
            "GROUP BY 1, 2, 3", start, end, (grid.y0, size, grid.x0, size),
        )
        rows, cols = grid.shape
        r = table.column("r").to_numpy()
        c = table.column("c").to_numpy()
        inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
        # Cell centres stand for the events: grid.locate maps them to cell order.
        cx = grid.x0 + (c[inside] + 0.5) * size
        cy = grid.y0 + (r[inside] + 0.5) * size
        cell = grid.locate(cx, cy)
        month = table.column("month").to_numpy()[inside] - int(start)
        n = table.column("n").to_numpy()[inside].astype(np.float64)
        keep = cell >= 0
        np.add.at(panel, (cell[keep], month[keep]), n[keep])
        return panel
