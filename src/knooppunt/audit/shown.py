"""What an answer shows beside its main records, collected and written to the processing log.

A page or API answer often renders more personal-data records than the ones it is about:
the signals of a case, the case of an intervention, the cases on an agenda, the signals
beside a signal (enrichment), case references in a signal's status notes, everything in a
stored report. Views and serializers add each such record to a `Shown` while they build
the answer and call `record` once: one LIST row per object type, through `log.record`.

Free text that names records by reference (status notes, a frozen report) is read with
`add_named`: the references in it are resolved to ids, so the log names what was shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps

from .log import record
from .models import Action

SIGNAL = "signals.signal"
CASE = "cases.case"
SUBJECT = "subjects.subject"
INTERVENTION = "cases.intervention"

# Signal and case references as rendered: KNP-2026-003502, CAS-2026-000118.
REFERENCE = re.compile(r"\b(KNP|CAS)-\d{4}-[A-Z0-9]{6,10}\b")
_BY_PREFIX = {"KNP": ("signals", "Signal", SIGNAL), "CAS": ("cases", "Case", CASE)}


class Shown:
    """The records of one answer, per object type."""

    def __init__(self) -> None:
        self._ids: dict[str, set[str]] = {}

    def add(self, object_type: str, items: Iterable[object]) -> None:
        """Add model instances or primary keys (None is skipped)."""
        ids = self._ids.setdefault(object_type, set())
        for item in items:
            pk = getattr(item, "pk", item)
            if pk is not None:
                ids.add(str(pk))

    def add_named(self, texts: Iterable[str]) -> None:
        """Add the signals and cases that free text names by reference."""
        wanted: dict[str, set[str]] = {}
        for text in texts:
            for match in REFERENCE.finditer(text or ""):
                wanted.setdefault(match.group(1), set()).add(match.group(0))
        for prefix, references in wanted.items():
            app, model, object_type = _BY_PREFIX[prefix]
            found = apps.get_model(app, model).objects.filter(reference__in=references)
            self.add(object_type, found.values_list("pk", flat=True))

    def ids(self, object_type: str) -> set[str]:
        return set(self._ids.get(object_type, ()))

    def __bool__(self) -> bool:
        return any(self._ids.values())

    def record(self, *, user, purpose: str, detail: str, action: str = Action.LIST,
               channel: str | None = None, leave_out: dict[str, Iterable[object]] | None = None
               ) -> None:
        """One log row per object type; `leave_out` names records already logged."""
        skip = {t: {str(getattr(i, "pk", i)) for i in items}
                for t, items in (leave_out or {}).items()}
        for object_type in sorted(self._ids):
            ids = self._ids[object_type] - skip.get(object_type, set())
            if not ids:
                continue
            record(user=user, action=action, object_type=object_type,
                   object_ids=sorted(ids, key=lambda i: (len(i), i)), purpose=purpose,
                   detail=detail[:500], channel=channel)
