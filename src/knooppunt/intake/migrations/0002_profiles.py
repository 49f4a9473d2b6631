from django.db import migrations


def forwards(apps, schema_editor):
    from knooppunt.intake.seed import load_profiles

    load_profiles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("taxonomy", "0002_seed"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
