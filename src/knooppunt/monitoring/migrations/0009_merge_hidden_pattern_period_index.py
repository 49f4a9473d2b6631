# Merge of the stored hidden pattern (decision 0026) and the period index (decision 0034).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0008_hidden_pattern'),
        ('monitoring', '0008_indicatorvalue_period_index'),
    ]

    operations = [
    ]
