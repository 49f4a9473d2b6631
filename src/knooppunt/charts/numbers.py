"""Numbers as people read them: rounded half up, in the active language's format.

Django's `number_format` cuts a float's decimals off instead of rounding (92.6 → "92"),
while the `floatformat` filter rounds half up (→ "93"). A card and a table showing the
same figure must agree, so every figure printed from Python goes through `localized`,
which rounds as `floatformat` does before formatting.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def half_up(value: float | int | Decimal, decimals: int) -> Decimal:
    """`value` rounded half up to `decimals` places (from its shortest repr, as
    `floatformat` does, so 1.525 rounds to 1.53); never a negative zero."""
    rounded = Decimal(repr(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded + 0 if rounded else abs(rounded)


def localized(value: float | int | Decimal, decimals: int = 0, *,
              grouping: bool = True) -> str:
    """`value` rounded half up and written with the active language's separators."""
    return number_format(half_up(value, decimals), decimal_pos=decimals, use_l10n=True,
                         force_grouping=grouping)
