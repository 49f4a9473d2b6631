"""Choosing a register implementation from a dotted path in the settings."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


def load(setting_name: str):
    """An instance of the class named by the setting (e.g. KNOOPPUNT_ADDRESS_REGISTER)."""
    return import_string(getattr(settings, setting_name))()
