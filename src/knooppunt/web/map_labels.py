"""Moved to `knooppunt.charts.labels` (shared by the region map, dashboards and reports)."""

from knooppunt.charts.labels import (  # noqa: F401 - re-exported for existing imports
    Box,
    LabelRequest,
    PlacedLabel,
    place_labels,
    text_width,
)
