"""Directions of the indicators that seed 003 ch. 2.7 names as results (decision 0025).

"Hoe gaan we dat meten?" (Veiligheidsplan 2.7) counts the cases weighed locally and passed
on to the RIEC's information desk, the cases stopped locally by quick interventions (an
art. 13b closure is such an intervention) and the amount recovered by "afpakken": more of
each is the goal. Signals, hours and opened cases get no direction (the seeds give none):
their changes are shown neutral.
"""

from django.db import migrations

HIGHER_IS_BETTER = ["casussen-lokaal-gewogen", "casussen-naar-riec", "snelle-interventies",
                    "sluitingen-13b", "afgepakt-bedrag"]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    Indicator.objects.filter(code__in=HIGHER_IS_BETTER, higher_is_better__isnull=True).update(
        higher_is_better=True)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    Indicator.objects.filter(code__in=["casussen-naar-riec", "sluitingen-13b"]).update(
        higher_is_better=None)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_indicatorvalue_support")]

    operations = [migrations.RunPython(forwards, backwards)]
