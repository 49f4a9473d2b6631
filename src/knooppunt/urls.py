"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from knooppunt.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("api/v1/", include("knooppunt.api.urls")),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("signalen/", include("knooppunt.signals.urls")),
    path("aanleveringen/", include("knooppunt.intake.urls")),
    path("incidenten/", include("knooppunt.events.urls")),
    path("casussen/", include("knooppunt.cases.urls")),
    path("entiteiten/", include("knooppunt.entities.urls")),
    path("netwerk/gebied/", include("knooppunt.entities.area_urls")),
    path("koppelingen/", include("knooppunt.matches.urls")),
    path("dashboard/", include("knooppunt.dashboards.urls")),
    path("rapportages/", include("knooppunt.reports.urls")),
    path("voorspellingen/", include("knooppunt.forecasts.urls")),
    path("", include("knooppunt.web.urls")),
]

if getattr(settings, "OIDC_ENABLED", False):
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "knooppunt.web.views.error_400"
handler403 = "knooppunt.web.views.error_403"
handler404 = "knooppunt.web.views.error_404"
handler500 = "knooppunt.web.views.error_500"
