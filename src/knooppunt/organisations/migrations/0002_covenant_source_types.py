"""A covenant names the source types it shares (decision 0027).

Existing covenants keep what they shared: every source type known at migration time is
added to each of them, so nothing changes until a beheerder narrows them.
"""

from django.db import migrations, models


def name_all_source_types(apps, schema_editor):
    Covenant = apps.get_model("organisations", "Covenant")
    SourceType = apps.get_model("taxonomy", "SourceType")
    all_types = list(SourceType.objects.all())
    for covenant in Covenant.objects.all():
        covenant.source_types.set(all_types)


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0001_initial"),
        ("taxonomy", "0002_seed"),
    ]

    operations = [
        migrations.AddField(
            model_name="covenant",
            name="source_types",
            field=models.ManyToManyField(
                blank=True,
                help_text="Alleen signalen uit deze bronnen worden gedeeld (bijv. niet 'Meld "
                "Misdaad Anoniem' of politieberichten als het convenant dat niet uitdrukkelijk "
                "regelt).",
                related_name="covenants",
                to="taxonomy.sourcetype",
                verbose_name="brontypen",
            ),
        ),
        migrations.RunPython(name_all_source_types, migrations.RunPython.noop),
    ]
