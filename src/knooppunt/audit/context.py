"""The request that is being served, so the log knows who acts without passing it around."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

_current_request: contextvars.ContextVar = contextvars.ContextVar("knooppunt_request", default=None)


@contextmanager
def bind_request(request):
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request():
    return _current_request.get()
