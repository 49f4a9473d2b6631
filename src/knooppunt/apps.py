"""Project-level app configuration: the admin with Knooppunt's login and second factor."""

from django.contrib.admin.apps import AdminConfig


class KnooppuntAdminConfig(AdminConfig):
    default_site = "knooppunt.admin_site.KnooppuntAdminSite"
