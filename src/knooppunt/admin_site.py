"""The admin (/beheer/) logs in through Knooppunt's own login, so the second factor holds.

Django's admin login only asks for a password; an admin account must also have passed the
code in this session before any admin page opens (every admin account must use a second
factor, see `web.second_factor`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from knooppunt.organisations import permissions
from knooppunt.web.second_factor import owes_second_factor


class KnooppuntAdminSite(admin.AdminSite):
    site_header = "Knooppunt – beheer"
    site_title = "Knooppunt beheer"

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        user = request.user
        # Managing (every admin page and change form) is a rule of its own: a staff flag
        # alone is not enough (organisations.permissions, Action.MANAGE).
        if not permissions.may(user, permissions.Action.MANAGE):
            return False
        return not owes_second_factor(user)

    def login(self, request, extra_context=None):
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('web:login')}?{urlencode({'next': target})}")
