"""Hotspots: the pure analysis core (numpy/scipy/shapely, any projected CRS, no Django).

- `grid`: a regular grid over a study area, with a cell limit;
- `density`: kernel density (quartic or Gaussian), bandwidth stated;
- `gistar`: Getis-Ord Gi* with Benjamini-Hochberg FDR and ArcGIS's classes;
- `emerging`: Gi* per time step, Mann-Kendall trend, ArcGIS's emerging categories;
- `analysis`: one call from events to a result carrying its method description.

The Django side (who may see which events, areas, GeoJSON) is `analytics.hotspot_service`.
"""

from .analysis import HotspotResult, MethodDescription, analyse, analyse_over_time
from .density import GAUSSIAN, KERNELS, QUARTIC, kernel_density
from .gistar import DISTANCE_BAND, QUEEN, Weights, gi_star
from .grid import CELL_SIZES, EmptyArea, Grid, TooManyCells, grid_over

__all__ = [
    "CELL_SIZES", "DISTANCE_BAND", "GAUSSIAN", "KERNELS", "QUARTIC", "QUEEN", "EmptyArea",
    "Grid", "HotspotResult", "MethodDescription", "TooManyCells", "Weights", "analyse",
    "analyse_over_time", "gi_star", "grid_over", "kernel_density",
]
