"""Errors a gatherer raises for input people get wrong, in Dutch and in English."""

from __future__ import annotations

from .text import english


class _Bilingual:
    """A message in Dutch and English; `str()` gives the active language."""

    def __init__(self, dutch: str, english: str) -> None:
        super().__init__(dutch)
        self.dutch = dutch
        self.english = english

    def __str__(self) -> str:
        return self.english if english() else self.dutch


class ReportInputError(_Bilingual, ValueError):
    """A period, area or theme a report cannot be made for. `str()` is the message in
    the active language; `dutch` and `english` hold both (the API answers in Dutch)."""


class ReportNotAllowed(_Bilingual, PermissionError):
    """The user may not have this report (need to know); message in Dutch and English."""
