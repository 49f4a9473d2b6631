"""IndicatorValue.support: the number of records behind a sum (decision 0013).

Clears every indicator's fingerprint so the next run of the job recomputes all values
and fills the new column; until then a stored sum without support is hidden.
"""

from django.db import migrations, models


def recompute_everything(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.update(fingerprint="")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_peer_kind_region")]

    operations = [
        migrations.AddField(
            model_name="indicatorvalue",
            name="support",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="aantal onderliggende records"
            ),
        ),
        migrations.RunPython(recompute_everything, migrations.RunPython.noop),
    ]
