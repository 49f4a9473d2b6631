"""Key authentication for partner systems (`Authorization: Token <key>`).

A key works only while it is active (approved, not revoked), not expired, and held by an
active system account; otherwise 401. Each call must fall within the key's scopes
(`api_keys.required_scope`); otherwise 403. Both are problem+json through the API's
exception handler.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import api_keys
from .models import ApiToken, KeyStatus, SystemAccount, hash_token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        match = getattr(request._request, "resolver_match", None)
        try:
            # path_info: without a script prefix, so the table holds behind a proxy path too.
            needed = api_keys.required_scope(request._request.path_info, request.method,
                                             getattr(match, "url_name", None))
        except api_keys.ScopeUnknown:
            needed = "(onbekend)"
        if needed is not None and needed not in token.scopes:
            raise exceptions.PermissionDenied(
                _("Deze API-sleutel heeft niet de bevoegdheid voor deze aanroep (%(scope)s).")
                % {"scope": needed})
        return user, token

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None or token.status == KeyStatus.REVOKED:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        if token.status != KeyStatus.ACTIVE:
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel wacht nog op goedkeuring door een tweede beheerder."))
        if token.expires_at is None or token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("Deze API-sleutel is verlopen."))
        if not SystemAccount.objects.filter(user=token.user,
                                            organisation_id=token.organisation_id).exists():
            # Keys issued for persons before keys were tied to systems stop here.
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel hoort niet bij een systeemaccount."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Account is niet actief."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token
