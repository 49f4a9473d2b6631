"""Template helpers of the dashboards: export links and table rows with links and colours.

Load with ``{% load dashboards %}``.
"""

from __future__ import annotations

from django import template

from knooppunt.charts.tables import display

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context: template.Context, key: str, fmt: str) -> str:
    """This page's URL with its filters, asking for table `key` as `fmt`."""
    request = context["request"]
    query = request.GET.copy()
    query["export"] = fmt
    query["tabel"] = key
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag
def panel_rows(panel) -> list[dict]:
    """Rows for the template: the drill-down link (if any) and per cell column, text, css.

    The css is the ranking colour class of the cell (only ranking tables have them).
    """
    links = panel.extra.get("links") or {}
    classes = panel.extra.get("classes") or []
    rows = []
    for index, row in enumerate(panel.table.rows):
        css = classes[index] if index < len(classes) else {}
        rows.append({
            "link": links.get(row.get("code"), ""),
            "cells": [(column, display(column, row.get(column.key)), css.get(column.key, ""))
                      for column in panel.table.columns],
        })
    return rows
