from .import_signals import Command  # noqa: F401
