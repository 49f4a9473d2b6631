"""`knooppunt grant_app_role <role>`: let the application's PostgreSQL role work, but never
rewrite the processing log.

Run it as the migration role (the owner of the tables) after every `migrate`. The
application role gets SELECT, INSERT, UPDATE and DELETE on every table and the use of
every sequence, except that on the processing log it gets only SELECT and INSERT. Not
owning the log, it cannot ALTER it (disable its triggers), TRUNCATE it, or set
session_replication_role; see docs/deployment-postgresql.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

LOG_TABLE = "audit_processinglogentry"


def grant(role: str) -> None:
    """Grant `role` what the application needs, and no more on the log (PostgreSQL)."""
    qn = connection.ops.quote_name
    name = qn(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise CommandError(_("Rol %(role)s bestaat niet.") % {"role": role})
        if found[0]:
            raise CommandError(_("Rol %(role)s is superuser; de toepassing hoort een gewone "
                                 "rol te gebruiken.") % {"role": role})
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [LOG_TABLE])
        if cursor.fetchone()[0] == role:
            raise CommandError(_("Rol %(role)s is eigenaar van het verwerkingenlog; voer de "
                                 "migraties uit als een andere rol.") % {"role": role})
        cursor.execute("SELECT current_schema()")
        schema = qn(cursor.fetchone()[0])
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {name}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
                       f"TO {name}")
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} "
                       f"TO {name}")
        cursor.execute(f"REVOKE ALL ON {qn(LOG_TABLE)} FROM {name}")
        cursor.execute(f"GRANT SELECT, INSERT ON {qn(LOG_TABLE)} TO {name}")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [LOG_TABLE])
        sequence = cursor.fetchone()[0]
        if sequence:
            # nextval for new rows; no setval, so ids cannot be wound back.
            cursor.execute(f"REVOKE ALL ON SEQUENCE {sequence} FROM {name}")
            cursor.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {name}")


class Command(BaseCommand):
    help = _("Geef de rol van de toepassing rechten op alle tabellen, en op het "
             "verwerkingenlog alleen lezen en toevoegen (PostgreSQL).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help=_("de databaserol waarmee de toepassing draait"))

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(_("Alleen voor PostgreSQL; SQLite kent geen rollen."))
        grant(role)
        self.stdout.write(_("Rechten voor %(role)s gezet; het verwerkingenlog is voor deze "
                            "rol alleen lezen en toevoegen.") % {"role": role})
