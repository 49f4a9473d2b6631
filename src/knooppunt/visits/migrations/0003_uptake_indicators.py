"""The indicators of module uptake per municipality (seed 001 module 5, as the NHSV
follows it): places visited and owners referred to a coach, from `place_visits`."""

from django.db import migrations

SOURCE = "Knooppunt: bezoeken kwetsbare plekken (module 5)"
REFERENCE = "seed 001, module 5: kwetsbare locaties, eigenaar benaderd, doorverwezen naar coach"
INDICATORS = [
    {"code": "kwetsbare-plekken-bezocht", "name": "Kwetsbare plekken bezocht",
     "name_en": "Vulnerable places visited", "parameters": {"step": "bezocht"},
     "definition": "Aantal bezoeken aan kwetsbare plekken in het buitengebied dat in de "
     "periode is vastgelegd, naar de gemeente van de plek en de datum van het bezoek.",
     "position": 80},
    {"code": "kwetsbare-plekken-doorverwezen", "name": "Doorverwezen naar (agrarische) coach",
     "name_en": "Referred to a (farm) coach", "parameters": {"step": "doorverwezen"},
     "definition": "Aantal eigenaren van kwetsbare plekken dat in de periode naar een "
     "(agrarische) coach is doorverwezen, naar de gemeente van de plek.",
     "position": 81},
]


def load(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for entry in INDICATORS:
        fields = dict(entry)
        code = fields.pop("code")
        Indicator.objects.update_or_create(code=code, defaults={
            **fields, "measure": "place_visits", "unit": "aantal", "source": SOURCE,
            "reference": REFERENCE, "per_1000": False, "higher_is_better": True,
            "early_warning": False, "theme": None})


def unload(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(
        code__in=[e["code"] for e in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_append_only_triggers"),
                    ("monitoring", "0008_indicatorvalue_period_index")]
    operations = [migrations.RunPython(load, unload)]
