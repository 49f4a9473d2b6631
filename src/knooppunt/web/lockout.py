"""Login lockout: per username and address, and per address across all accounts.

django-axes counts failed logins for each parameter set in AXES_LOCKOUT_PARAMETERS
(`[["username", "ip_address"], "ip_address"]`) but holds them all to one limit. Five
failures per username and address is right for a person who mistypes; five per address
would lock a whole town hall behind one NAT address after a few typos. This handler holds
the per-address count to its own, higher limit (KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT) by
scaling it onto axes' scale, so spraying a few passwords over many accounts from one
address is stopped too (decision 0029).

There is deliberately no lockout by username alone: then anyone could lock any account
from anywhere. A lockout ends AXES_COOLOFF_TIME after the last counted failure, and
failures during a lockout are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
is off), so nobody can keep an address or account locked for longer than that by trying on.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def on_axes_scale(ip_count: int, limit: int, ip_limit: int) -> int:
    """The per-address count on axes' scale: at least `limit` exactly when
    `ip_count >= ip_limit` (floor(c * L / P) >= L  <=>  c * L / P >= L  <=>  c >= P)."""
    return ip_count * limit // max(1, ip_limit)


class KnooppuntAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The highest failure count, with the per-address count scaled to AXES_FAILURE_LIMIT,
        so axes' own comparison with that limit applies each limit to its own count."""
        limit = get_failure_limit(request, credentials)
        ip_limit = int(settings.KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        worst = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                count = on_axes_scale(count, limit, ip_limit)
            worst = max(worst, count)
        return worst
