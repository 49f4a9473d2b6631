"""The `knooppunt` command: Django's manage.py under the project's name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knooppunt.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs with demo settings (DEBUG off, synthetic banner, demo secret).
        os.environ.setdefault("KNOOPPUNT_DEMO", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv[0] = "knooppunt"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        # A setting missing (e.g. SECRET_KEY outside the demo) is the operator's to fix:
        # say which, without a traceback.
        sys.stderr.write(f"knooppunt: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
