"""Start page, login (password plus optional TOTP), map, health check, error pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_otp.forms import OTPAuthenticationForm

from knooppunt import __version__
from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope

from .maps import region_map_svg


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "version": __version__,
         "database": database, "vendor": connection.vendor},
        status=status,
    )


class LoginView(auth_views.LoginView):
    """Username and password; a user with a confirmed TOTP device must also give its code."""

    template_name = "web/login.html"
    authentication_form = OTPAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request):
    municipalities = scope.municipalities_for(request.user)
    visible = scope.signals_for(request.user)
    year = timezone.localdate().year
    counts = {}
    if scope.sees_personal_data(request.user):
        counts = {
            "visible_total": visible.count(),
            "visible_this_year": visible.filter(received_on__year=year).count(),
            "open": visible.exclude(status="afgesloten").count(),
        }
    per_theme = []
    if counts:
        per_theme = (
            visible.filter(received_on__year=year)
            .values("theme__name")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
    return render(
        request,
        "web/home.html",
        {
            "municipalities": municipalities.select_related("safety_region"),
            "counts": counts,
            "per_theme": per_theme,
            "year": year,
        },
    )


@login_required
def region_map(request):
    municipalities = list(scope.municipalities_for(request.user))
    svg = region_map_svg(request.user, municipalities)
    return render(
        request, "web/map.html", {"svg": svg, "municipalities": municipalities,
                                  "all_count": Municipality.objects.count()}
    )


def error_400(request, exception=None):
    return render(request, "web/error.html", {"code": 400}, status=400)


def error_403(request, exception=None):
    return render(request, "web/error.html", {"code": 403, "message": str(exception or "")},
                  status=403)


def error_404(request, exception=None):
    return render(request, "web/error.html", {"code": 404}, status=404)


def error_500(request):
    return render(request, "web/error.html", {"code": 500}, status=500)
