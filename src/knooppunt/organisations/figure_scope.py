"""Need-to-know for figures (indicator values, alerts, rankings): which areas a user may
see figures of. `scope` delegates here; callers use `scope.figure_*`.

* Figures from public sources (CBS/Politie statistics) may be seen by every signed-in
  user, at every level.
* Figures computed from Knooppunt's own data (signals, cases) are aggregates of records
  the user may not open. They are shown for the municipalities the user's organisations
  serve (the same area as `scope.signals_for_aggregates`), for the wijken and buurten in
  them, and for the larger areas (region, province, country) that contain at least one of
  them. Small counts are suppressed by `scope.suppress_small` / `suppress_breakdown`
  unless the user may open every record behind the figure (`scope.sees_every_record`,
  decision 0026).
"""

from __future__ import annotations


def served_municipality_codes(user) -> frozenset[str]:
    """GM codes of the municipalities whose own-data figures `user` may see."""
    from . import scope

    cache = getattr(user, "_knooppunt_figure_codes", None) if user is not None else None
    if cache is None:
        cache = frozenset(scope.municipalities_for(user).values_list("code", flat=True))
        if user is not None and getattr(user, "is_authenticated", False):
            user._knooppunt_figure_codes = cache
    return cache


def figure_visible(user, level: str, code: str, *, public: bool) -> bool:
    """May `user` see a figure for the area (level, code)? Levels as in monitoring."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if public:
        return True
    served = served_municipality_codes(user)
    if not served:
        return False
    prefix = code[:2].upper()
    if prefix in {"GM", "WK", "BU"}:
        return "GM" + code[2:6] in served
    if prefix == "NL":
        return True
    return code in _served_regions(user, served)


def _served_regions(user, served: frozenset[str]) -> frozenset[str]:
    """Codes of the safety regions, police units and provinces holding a served municipality."""
    cache = getattr(user, "_knooppunt_figure_regions", None)
    if cache is None:
        from knooppunt.geo.models import Municipality

        rows = Municipality.objects.filter(code__in=served).values_list(
            "safety_region__code", "safety_region__police_unit__code", "province__code"
        )
        cache = frozenset(code for row in rows for code in row if code)
        user._knooppunt_figure_regions = cache
    return cache


def visible_codes(user, codes: list[str], *, public: bool) -> set[str]:
    """The subset of `codes` whose figures `user` may see."""
    return {code for code in codes if figure_visible(user, "", code, public=public)}
