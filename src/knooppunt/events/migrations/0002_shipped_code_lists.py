"""The shipped code lists (Dutch police classes, Toronto MCI) as data."""

from django.db import migrations


def load(apps, schema_editor):
    from knooppunt.events.codes import load_code_lists

    load_code_lists(apps)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_datasets_codes_events")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
