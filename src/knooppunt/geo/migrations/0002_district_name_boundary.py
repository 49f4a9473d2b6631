"""Wijken get a name, a boundary (GeoJSON, RD New) and a bounding box (decision 0035).

Filled by `load_geography` from `geo/data/wijk_2024.geojson`; empty until then.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='district',
            name='boundary',
            field=models.JSONField(blank=True, null=True, verbose_name='grens (GeoJSON, RD New)'),
        ),
        # The bounding box: four nullable floats, the same operations as four AddFields
        # written out (the migration's effect is unchanged where it ran already).
        *(migrations.AddField(
            model_name='district',
            name=name,
            field=models.FloatField(blank=True, null=True),
        ) for name in ('max_x', 'max_y', 'min_x', 'min_y')),
        migrations.AddField(
            model_name='district',
            name='name',
            field=models.CharField(blank=True, default='', max_length=120, verbose_name='naam'),
        ),
    ]
