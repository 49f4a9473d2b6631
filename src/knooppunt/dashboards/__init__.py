"""Dashboards (issue 5): the mayor's municipality overview and the analyst's drill-down.

Pages only: every figure comes from `knooppunt.monitoring.queries` (scope and small-count
suppression already applied), every chart, map and export from `knooppunt.charts`.
"""
