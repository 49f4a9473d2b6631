"""Template helpers of the dashboards: export links and the figure tables.

Load with ``{% load dashboards %}``.
"""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from knooppunt.charts.tables import display

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context: template.Context, key: str, fmt: str) -> str:
    """This page's URL with its filters, asking for table `key` as `fmt`.

    A cached fragment passes the filters it was built for as `export_query` (no request);
    otherwise they are the request's own."""
    fixed = context.get("export_query")
    if fixed is not None:
        query = QueryDict(mutable=True)
        query.update(fixed)
        path = context.get("export_path") or ""
    else:
        request = context["request"]
        query = request.GET.copy()
        path = request.path
    query["export"] = fmt
    query["tabel"] = key
    return f"{path}?{query.urlencode()}"


@register.simple_tag
def panel_table_body(panel) -> SafeString:
    """The <tbody> rows of a panel's table, escaped.

    The first cell is the row header and links to the drill-down when the panel has one;
    ranking cells carry their colour class. Built in Python: a table of a hundred rows
    through template tags costs more than the rest of the page.
    """
    links = panel.extra.get("links") or {}
    classes = panel.extra.get("classes") or []
    columns = panel.table.page_columns
    rows = []
    for index, row in enumerate(panel.table.rows):
        css = classes[index] if index < len(classes) else {}
        first = display(columns[0], row.get(columns[0].key))
        link = links.get(row.get("code"), "")
        head = format_html('<th scope="row"><a href="{}">{}</a></th>', link, first) if link \
            else format_html('<th scope="row">{}</th>', first)
        cells = format_html_join("", '<td class="{}">{}</td>', (
            (" ".join(x for x in ("num" if c.numeric else "", css.get(c.key, "")) if x),
             display(c, row.get(c.key)))
            for c in columns[1:]))
        rows.append(format_html("<tr>{}{}</tr>", head, cells))
    return SafeString("".join(rows))
