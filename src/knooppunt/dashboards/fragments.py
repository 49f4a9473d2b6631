"""Rendered parts of the dashboard pages, kept in the shared figure cache.

Everything a municipality overview shows below its filter form (key figures, trend,
targets, benchmark, alerts, map, their tables and chart SVGs) follows from the figures of
`monitoring.queries` for the user's figure scope; the frame around it (header with the
user's name, CSRF token, filter form) is rendered per request. So the HTML of those panels
is cached under the same prefix as the figures (`figures.key_prefix`: figure scope,
small-count threshold, language, day, data version) plus the page's own choices (area,
year, indicator, theme). Two users with different figure scopes never share an entry; a
new data version or another day is another key. The compute job warms these entries
(`dashboards.warm`), so the page a user opens after the job is read, not built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .figures import cache_key, figure_cache, seconds
from .panels import cached

T = TypeVar("T")


def _key(user, name: str, parts: tuple) -> str:
    return cache_key("f:" + name, cached(user).prefix, parts)


def get(user, name: str, parts: tuple):
    """The kept value of fragment `name` with `parts` for `user`'s scope, or None."""
    return figure_cache().get(_key(user, name, parts))


def put(user, name: str, parts: tuple, value) -> None:
    figure_cache().set(_key(user, name, parts), value, seconds())


def fragment(user, name: str, parts: tuple, build: Callable[[], T]) -> T:
    """The cached value of fragment `name` with `parts` for `user`'s scope, else `build()`."""
    found = get(user, name, parts)
    if found is not None:
        return found
    value = build()
    put(user, name, parts, value)
    return value
