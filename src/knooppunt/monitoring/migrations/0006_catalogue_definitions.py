"""Decision 0024: the case indicators follow the catalogue of figures.

"Casussen lokaal gewogen" counts cases (first entry into a weighed stage), not
signalenoverleg decisions; "Casussen gestopt door snelle interventies" counts closed
cases with a finished quick intervention, not interventions; the 13b label and the sum
definitions say which interventions they count. The job recomputes the values because
the measure is part of the stored fingerprint.
"""

from django.db import migrations

CODES = ("casussen-lokaal-gewogen", "snelle-interventies", "sluitingen-13b",
         "afgepakt-bedrag", "uren-inzet")
FIELDS = ("name", "name_en", "measure", "parameters", "definition", "reference")


def forwards(apps, schema_editor):
    from knooppunt.monitoring.seed import CASE_INDICATORS

    Indicator = apps.get_model("monitoring", "Indicator")
    for entry in CASE_INDICATORS:
        if entry["code"] in CODES:
            Indicator.objects.filter(code=entry["code"]).update(
                fingerprint="", **{f: entry[f] for f in FIELDS})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_indicatorvalue_support")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
