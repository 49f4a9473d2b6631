"""The hash chain over the processing log, and SQLite's refusal of REPLACE.

Existing rows are chained in id order; the append-only guard is lifted only for that,
inside this migration's transaction. On SQLite a table rebuild drops triggers, so all
three are (re)made at the end.
"""

import django.utils.timezone
from django.db import migrations, models

from knooppunt.audit.chain import chain_existing

TABLE = "audit_processinglogentry"
SQLITE_GUARDS = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'processing log is append-only'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'processing log is append-only'); END;""",
    # INSERT OR REPLACE (and REPLACE INTO) deletes the old row without firing the
    # delete trigger unless recursive triggers are on: refuse an insert whose id exists.
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_replace BEFORE INSERT ON {TABLE}
        WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'processing log is append-only'); END;""",
]


def forwards(apps, schema_editor):
    model = apps.get_model("audit", "ProcessingLogEntry")
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_logchainhead (id, last_id, last_hash) VALUES (1, 0, '')")
        if vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        elif vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
        chain_existing(model, cursor)
        if vendor == "sqlite":
            for statement in SQLITE_GUARDS:
                cursor.execute(statement)
        elif vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_replace")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='LogChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_id', models.BigIntegerField(default=0)),
                ('last_hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'keten van het verwerkingenlog',
            },
        ),
        migrations.AddField(
            model_name='processinglogentry',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='hash vorige regel'),
        ),
        migrations.AddField(
            model_name='processinglogentry',
            name='row_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='hash'),
        ),
        migrations.AlterField(
            model_name='processinglogentry',
            name='timestamp',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='tijdstip'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
