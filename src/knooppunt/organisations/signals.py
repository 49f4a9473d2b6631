"""A system account never gets a usable password, whoever sets one (e.g. in the user admin).

Otherwise a beheerder could set one and log in to the website as the partner system.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def keep_system_accounts_passwordless(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    if not instance.has_usable_password():
        return
    from .models import SystemAccount

    if SystemAccount.objects.filter(user_id=instance.pk).exists():
        instance.set_unusable_password()
