"""OpenID Connect login (mozilla-django-oidc), active only when OIDC_ENABLED is set.

Users are matched on e-mail address; organisation membership stays managed in Knooppunt,
so SSO proves who someone is, never what they may see.
"""

from __future__ import annotations

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class KnooppuntOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = claims.get("email")
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
