"""Decision deadlines: a case in a forum with a term must be decided by a date."""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Q, QuerySet


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(entered_on: date, months: int | None) -> date | None:
    return None if months is None else add_months(entered_on, months)


def overdue(queryset: QuerySet, today: date) -> QuerySet:
    """Cases past their decision date without a decision in their current forum."""
    return queryset.filter(
        decision_due_on__lt=today, decided_on__isnull=True, closed_on__isnull=True
    )


def due_soon(queryset: QuerySet, today: date, days: int = 14) -> QuerySet:
    from datetime import timedelta

    return queryset.filter(
        Q(decision_due_on__gte=today) & Q(decision_due_on__lte=today + timedelta(days=days)),
        decided_on__isnull=True, closed_on__isnull=True,
    )
