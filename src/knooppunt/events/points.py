"""Events as columns for analyses (hotspots, kernel density, area scans).

`event_points(user, dataset, codes, start, end)` returns an Arrow table with one row per
readable event: x, y (metres in the dataset's CRS, stated in the table's metadata as
`crs`), occurred_on, hour, code and category. Rows come from `scope.events_for`, so a user
gets only what they may read one by one; `aggregate=True` takes the events in the user's
municipalities instead (`scope.events_for_aggregates`), for callers that show counts per
cell or area only and suppress small counts (bestuurders).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pyarrow as pa

from knooppunt.organisations import scope

from .models import EventDataset

SCHEMA = pa.schema([
    ("x", pa.float64()), ("y", pa.float64()), ("occurred_on", pa.date32()),
    ("hour", pa.int8()), ("code", pa.string()), ("category", pa.string()),
])


def event_points(user, dataset: EventDataset | str, codes: Iterable[str] | None = None,
                 start: date | None = None, end: date | None = None, *,
                 municipality_ids: Iterable[int] | None = None,
                 aggregate: bool = False) -> pa.Table:
    """The events of `dataset` the user may use, filtered by offence `codes` (None: all)
    and by the period `start`..`end` (inclusive), as an Arrow table (`SCHEMA`).

    `table.schema.metadata[b"crs"]` is the EPSG code of x and y, e.g. b"EPSG:28992".
    Numpy arrays: `table["x"].to_numpy()`. An unknown dataset gives an empty table.
    """
    if isinstance(dataset, str):
        dataset = EventDataset.objects.filter(code=dataset).first()
    metadata = {b"crs": f"EPSG:{dataset.crs}".encode() if dataset else b"",
                b"dataset": (dataset.code if dataset else "").encode()}
    if dataset is None:
        return SCHEMA.empty_table().replace_schema_metadata(metadata)
    qs = (scope.events_for_aggregates(user) if aggregate else scope.events_for(user))
    qs = qs.filter(dataset=dataset)
    if codes is not None:
        qs = qs.filter(offence__code__in=list(codes))
    if start is not None:
        qs = qs.filter(occurred_on__gte=start)
    if end is not None:
        qs = qs.filter(occurred_on__lte=end)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=list(municipality_ids))
    rows = list(qs.order_by().values_list("x", "y", "occurred_on", "hour", "offence__code",
                                          "offence__category"))
    if not rows:
        return SCHEMA.empty_table().replace_schema_metadata(metadata)
    x, y, day, hour, code, category = zip(*rows, strict=True)
    table = pa.table({
        "x": np.asarray(x, dtype=float), "y": np.asarray(y, dtype=float),
        "occurred_on": pa.array(day, pa.date32()),
        "hour": pa.array(hour, pa.int8()),
        "code": pa.array(code, pa.string()), "category": pa.array(category, pa.string()),
    }, schema=SCHEMA)
    return table.replace_schema_metadata(metadata)


def datasets_for(user) -> list[EventDataset]:
    """The datasets whose events `user` may use one by one (for a layer switcher)."""
    return list(scope.event_datasets_for(user))


__all__ = ["SCHEMA", "datasets_for", "event_points"]
