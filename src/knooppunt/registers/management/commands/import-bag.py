"""`knooppunt import-bag FILE`: the spelling used in the documentation."""

from .import_bag import Command  # noqa: F401
