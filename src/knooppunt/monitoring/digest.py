"""The weekly digest: new alerts per recipient, only those the recipient may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from knooppunt.organisations.models import Role

from . import queries

DIGEST_ROLES = (Role.COORDINATOR, Role.ANALIST, Role.BESTUURDER)


@dataclass(frozen=True)
class Digest:
    recipient: str
    alerts: tuple[queries.AlertInfo, ...]
    subject: str
    body: str


def digest_for(user, days: int = 7) -> Digest | None:
    since = timezone.localdate() - timedelta(days=days)
    alerts = tuple(queries.alerts(user, since=since, status="open"))
    if not alerts:
        return None
    lines = [
        f"Knooppunt: {len(alerts)} nieuwe signalering(en) sinds {since:%d-%m-%Y}.",
        "Elke signalering zegt waarom zij afging; beoordeel haar in Knooppunt.",
        "",
    ]
    for alert in alerts:
        lines.append(f"- {alert.indicator.name}, {alert.area.name}, {alert.period.label}")
        lines.append(f"  {alert.reason}")
    return Digest(
        recipient=user.email or user.get_username(),
        alerts=alerts,
        subject=f"Knooppunt: {len(alerts)} signalering(en) deze week",
        body="\n".join(lines),
    )


def send_digests(days: int = 7, send: bool = True) -> list[Digest]:
    users = get_user_model().objects.filter(
        is_active=True, memberships__role__in=DIGEST_ROLES,
        memberships__organisation__active=True,
    ).distinct()
    digests = []
    for user in users:
        digest = digest_for(user, days)
        if digest is None:
            continue
        digests.append(digest)
        if send and user.email:
            send_mail(digest.subject, digest.body,
                      getattr(settings, "DEFAULT_FROM_EMAIL", None), [user.email])
    return digests
