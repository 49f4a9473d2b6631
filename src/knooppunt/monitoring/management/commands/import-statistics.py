from .import_statistics import Command  # noqa: F401
