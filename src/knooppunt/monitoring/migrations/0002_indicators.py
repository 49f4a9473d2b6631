from django.db import migrations


def load(apps, schema_editor):
    from knooppunt.monitoring.seed import INDICATORS

    Indicator = apps.get_model("monitoring", "Indicator")
    Theme = apps.get_model("taxonomy", "Theme")
    for entry in INDICATORS:
        fields = dict(entry)
        code = fields.pop("code")
        theme = fields.pop("theme")
        fields["theme"] = Theme.objects.filter(code=theme).first() if theme else None
        Indicator.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("taxonomy", "0002_seed"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
