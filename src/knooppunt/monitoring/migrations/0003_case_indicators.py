from django.db import migrations


def load(apps, schema_editor):
    from knooppunt.monitoring.seed import CASE_INDICATORS

    Indicator = apps.get_model("monitoring", "Indicator")
    for entry in CASE_INDICATORS:
        fields = dict(entry)
        code = fields.pop("code")
        fields.pop("theme")
        Indicator.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_indicators")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
