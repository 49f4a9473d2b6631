"""Dutch dates and numbers in partner files, and how a cell value is shown back safely."""

from __future__ import annotations

import re
from datetime import date, datetime

_DUTCH_DATE = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                       r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ConversionError(ValueError):
    """A cell could not be read; the message is Dutch and meant for the partner."""


def parse_date(value: object) -> date:
    """31-12-2024, 31-12-2024 14:30, 31/12/2024, 2024-12-31 or an Excel date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DUTCH_DATE.match(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = _ISO_DATE.match(text)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ConversionError(f"'{text[:30]}' is geen bestaande datum.") from exc
    raise ConversionError(f"'{text[:30]}' is geen datum (verwacht bijv. 31-12-2024).")


def parse_number(value: object, convention: str = "nl") -> float:
    """1.234,56 (Dutch) or 1,234.56 (English); a plain 1234.5 is read in either."""
    if isinstance(value, bool):
        raise ConversionError("Verwacht een getal.")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if convention == "nl":
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1 or re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
    else:
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError as exc:
        raise ConversionError(f"'{str(value)[:30]}' is geen getal (bijv. 1.234,56).") from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise ConversionError("Verwacht een eindig getal.")
    return number


def parse_int(value: object, convention: str = "nl") -> int:
    number = parse_number(value, convention)
    if number != int(number):
        raise ConversionError(f"'{str(value)[:30]}' is geen geheel getal.")
    return int(number)


def format_number(number: float) -> str:
    """1234.5 -> '1.234,5' for descriptions shown to Dutch readers."""
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def safe_value(value: object, limit: int = 80) -> str:
    """A cell value as it may be shown in an error report: short, no control characters.

    HTML is escaped by the templates; formula prefixes get a leading quote so a report
    opened in a spreadsheet never runs them.
    """
    text = _CONTROL.sub("", "" if value is None else str(value)).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if text[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"[-+]?[\d.,]+", text):
        text = "'" + text
    return text
