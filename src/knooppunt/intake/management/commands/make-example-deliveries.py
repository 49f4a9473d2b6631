from .make_example_deliveries import Command  # noqa: F401
