from django.db import migrations


def seed(apps, schema_editor):
    from knooppunt.taxonomy.seed import SOURCE_TYPES, THEMES

    Theme = apps.get_model("taxonomy", "Theme")
    SourceType = apps.get_model("taxonomy", "SourceType")
    for order, (code, name, name_en) in enumerate(THEMES):
        Theme.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    for order, (code, name, name_en, anonymous) in enumerate(SOURCE_TYPES):
        SourceType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "order": order,
                      "anonymous_by_default": anonymous},
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
