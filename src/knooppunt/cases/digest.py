"""The daily digest: per coordinator, the visible cases past or near their decision date.

`knooppunt case_digest` prints it and, with --send, mails it through Django's mail
settings (EMAIL_BACKEND, EMAIL_HOST, DEFAULT_FROM_EMAIL). Each digest is logged: it
contains case references and titles.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from knooppunt.audit.log import Action, record
from knooppunt.organisations import scope
from knooppunt.organisations.models import Role

from . import deadlines
from .models import Case
from .services import PURPOSE_CASE


@dataclass
class Digest:
    user: object
    overdue: list[Case]
    due_soon: list[Case]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon)

    def text(self, today: date) -> str:
        lines = [_("Knooppunt – casussen met een beslistermijn, %(day)s")
                 % {"day": today.strftime("%d-%m-%Y")}, ""]
        for title, cases in ((_("Termijn verlopen"), self.overdue),
                             (_("Termijn verloopt binnen 14 dagen"), self.due_soon)):
            lines.append(f"{title} ({len(cases)}):")
            for case in cases:
                lines.append(f"- {case.reference} {case.title} – {case.forum.name}, "
                             f"{_('uiterlijk')} {case.decision_due_on:%d-%m-%Y}")
            if not cases:
                lines.append(_("- geen"))
            lines.append("")
        return "\n".join(lines)


def coordinators():
    return (get_user_model().objects.filter(
        is_active=True, memberships__role=Role.COORDINATOR,
        memberships__organisation__active=True).distinct().order_by("username"))


def build(user, today: date) -> Digest:
    cases = scope.cases_for(user).select_related("forum").order_by("decision_due_on", "pk")
    return Digest(user, list(deadlines.overdue(cases, today)),
                  list(deadlines.due_soon(cases, today)))


def run(today: date, *, send: bool, failures: list[str] | None = None) -> list[Digest]:
    """One digest per coordinator with something to report; logged; mailed if asked.

    A mail that cannot be sent is named in `failures`; the other digests still go out.
    """
    digests = []
    for user in coordinators():
        digest = build(user, today)
        if digest.empty:
            continue
        record(user=user, action=Action.EXPORT, object_type="cases.case",
               object_ids=[c.pk for c in digest.overdue + digest.due_soon],
               purpose=PURPOSE_CASE, detail="dagelijkse termijnoverzicht", channel="web")
        if send and user.email:
            try:
                send_mail(_("Knooppunt: %(n)s casus(sen) over de beslistermijn")
                          % {"n": len(digest.overdue)}, digest.text(today), None,
                          [user.email])
            except (OSError, smtplib.SMTPException) as exc:
                if failures is not None:
                    failures.append(f"{user.get_username()}: {exc.__class__.__name__}")
        digests.append(digest)
    return digests
