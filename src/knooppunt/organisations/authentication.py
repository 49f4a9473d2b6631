"""Token authentication for partner systems (`Authorization: Token <key>`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_token


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        try:
            token = ApiToken.objects.select_related("user").get(
                key_hash=hash_token(key), revoked=False
            )
        except ApiToken.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(
                _("Ongeldige of ingetrokken API-sleutel.")
            ) from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Account is niet actief."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token
