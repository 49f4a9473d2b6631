"""The database refuses changes to the visit history.

UPDATE is always refused. DELETE is refused unless the visited address is synthetic (the
demo replaces its synthetic register); as for the stage history of cases (decision 0003).
"""

from django.db import migrations

TABLE = "visits_placevisit"
ADDRESS = "registers_address"

SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'visits are append-only'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        WHEN COALESCE((SELECT is_synthetic FROM {ADDRESS} WHERE id = OLD.address_id), 0) = 0
        BEGIN SELECT RAISE(ABORT, 'visits are append-only'); END;""",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
                  f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;"]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND COALESCE(
               (SELECT is_synthetic FROM {ADDRESS} WHERE id = OLD.address_id), false) THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'visits are append-only';
        END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_place_visits")]
    operations = [migrations.RunPython(forwards, backwards)]
