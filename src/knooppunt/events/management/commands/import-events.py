from .import_events import Command  # noqa: F401
