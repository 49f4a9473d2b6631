"""Turns DRF validation errors into the `invalidParams` list of a problem document.

`{"postcode": ["..."], "history": [{"note": ["..."]}]}` becomes
`[{"name": "postcode", ...}, {"name": "history[0].note", ...}]`; errors that belong to
no single field are named `nonFieldErrors`.
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings

NON_FIELD_NAME = "nonFieldErrors"


def invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten a `ValidationError.detail` into `{name, code, reason}` entries."""
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = _join(prefix, str(key))
            params.extend(invalid_params(value, name))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                params.extend(invalid_params(value, f"{prefix}[{index}]"))
            else:
                params.append(_param(prefix, value))
    else:
        params.append(_param(prefix, detail))
    return params


def _join(prefix: str, key: str) -> str:
    if key in (api_settings.NON_FIELD_ERRORS_KEY, "__all__"):
        key = NON_FIELD_NAME
    return f"{prefix}.{key}" if prefix else key


def _param(name: str, value: Any) -> dict[str, str]:
    return {
        "name": _printable(name or NON_FIELD_NAME),
        "code": str(getattr(value, "code", None) or "invalid"),
        "reason": _printable(str(value)),
    }


def _printable(text: str) -> str:
    """Names and reasons may echo input; lone surrogates in it could not be encoded."""
    return text.encode("utf-8", "replace").decode("utf-8")
