"""The admin (/beheer/) logs in through Knooppunt's own login, so the second factor holds.

Django's admin login only asks for a password; a user with a confirmed TOTP device must
also have passed the code in this session before any admin page opens.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from knooppunt.organisations import permissions


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
        return not user_has_device(user) or user.is_verified()

    def login(self, request, extra_context=None):
        target = request.GET.get("next") or reverse("admin:index")
        return HttpResponseRedirect(f"{reverse('web:login')}?{urlencode({'next': target})}")
