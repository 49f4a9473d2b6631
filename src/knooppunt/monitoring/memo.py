"""Remember look-ups for the length of one request (or one job step).

A dashboard page asks `monitoring.queries` for a dozen figure sets; each of them looks up
the same indicator rows, the same municipalities, peer groups and covered municipalities.
Inside `active()` those look-ups are read once and kept in a dict that lives only as long
as the `with` block (a context variable, so threads and async tasks do not share it).
Outside it every call reads the database, as before: writers (the compute job, the admin)
never see a stale value.

Only reference data that does not change during a page view is memoised here; figure
values are read per call (in few queries, see `queries`).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

_STORE: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "knooppunt_monitoring_memo", default=None
)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def active() -> Iterator[dict]:
    """Memoise inside the block; nested blocks share the outer one's store."""
    store = _STORE.get()
    if store is not None:
        yield store
        return
    token = _STORE.set({})
    try:
        yield _STORE.get()
    finally:
        _STORE.reset(token)


def is_active() -> bool:
    return _STORE.get() is not None


def get(key: Hashable, compute: Callable[[], Any]) -> Any:
    """The value for `key` in the active store, computed once; just computed when none."""
    store = _STORE.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def peek(key: Hashable) -> Any:
    """The value kept for `key`, or None (nothing kept, or no active store)."""
    store = _STORE.get()
    return None if store is None else store.get(key)


def put(key: Hashable, value: Any) -> None:
    """Keep `value` for `key` in the active store (nothing happens without one)."""
    store = _STORE.get()
    if store is not None:
        store[key] = value


def memoised(function: F) -> F:
    """Decorator: memoise a function of hashable arguments inside `active()`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _STORE.get() is None:
            return function(*args, **kwargs)
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        return get(key, lambda: function(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


def remember(function: Callable, args: tuple, value: Any) -> None:
    """Keep `value` as what the `memoised` `function(*args)` returns in the active store:
    for a read that answered several such calls at once (nothing happens without one)."""
    put((function.__module__, function.__qualname__, args, ()), value)


def per_request(view: F) -> F:
    """View decorator: one memo store for the whole request."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with active():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
