"""Login, the code of a session that owes it, and the user's own TOTP setup.

Setting up: the page creates an unconfirmed TOTP device and shows its key as a QR code;
the user scans it and enters a code; then the device is confirmed and every later login
asks for a code. Switching it off again also needs a valid code, and is refused to a user
whose role requires a second factor (`web.second_factor`).
"""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from knooppunt.organisations import permissions
from knooppunt.organisations.permissions import Action as Do

from .forms import LoginForm, TokenForm
from .qr import qr_svg
from .second_factor import requires_second_factor

DEVICE_NAME = "Knooppunt"


class LoginView(auth_views.LoginView):
    knooppunt_actions = (Do.SESSION,)  # changes only the visitor's own session
    """Username and password; a user with a confirmed TOTP device must also give its code."""

    template_name = "web/login.html"
    authentication_form = LoginForm

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        # A session that still owes its second factor never reaches this page: the
        # middleware sends it to set up or give its code (or it logs out first).
        if request.user.is_authenticated:
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            from knooppunt.demo.users import demo_totp_now

            context["demo_totp"] = demo_totp_now()
        return context


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.SESSION)
def verify(request: HttpRequest) -> HttpResponse:
    """The code for a session that is logged in but has not given it (e.g. single sign-on)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("-pk").first()
    target = _safe_next(request)
    if device is None or request.user.is_verified():
        return redirect(target)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(target)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/two_factor_verify.html", {"form": form, "next": target},
                  status=status)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _grouped(secret: str, size: int = 4) -> str:
    return " ".join(secret[i:i + size] for i in range(0, len(secret), size))


def _pending_device(user) -> TOTPDevice:
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permissions.guards(Do.SESSION)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up, or switch off, the user's authenticator app."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    if confirmed is not None:
        if not user.is_verified():
            return redirect("web:verify")
        return _manage(request, confirmed)

    device = _pending_device(user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        otp_login(request, device)
        messages.success(
            request,
            _("Tweestapsverificatie staat aan. Vanaf nu vraagt Knooppunt bij het inloggen "
              "om een code uit uw app."),
        )
        if request.GET.get("next"):
            return redirect(_safe_next(request))
        return redirect("web:two_factor")

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    context = {
        "form": form,
        "required": requires_second_factor(user),
        "qr": qr_svg(device.config_url, _("QR-code om Knooppunt aan uw app toe te voegen")),
        "secret": _grouped(secret),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "web/two_factor_setup.html", context, status=status)


def _manage(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    required = requires_second_factor(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and required:
        # The role needs a second factor: a new phone is set up by the beheerder removing
        # the old device, not by switching the requirement off.
        return render(request, "web/two_factor_active.html",
                      {"form": form, "device": device, "required": True}, status=403)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(
            request, _("Tweestapsverificatie staat uit. U logt nu in met alleen uw wachtwoord.")
        )
        return redirect("web:two_factor")
    status = 400 if request.method == "POST" else 200
    return render(request, "web/two_factor_active.html",
                  {"form": form, "device": device, "required": required}, status=status)
