"""Forum kinds, stages, transitions, decision kinds and intervention types (seed.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from knooppunt.cases import seed as data

    ForumKind = apps.get_model("cases", "ForumKind")
    Stage = apps.get_model("cases", "Stage")
    Transition = apps.get_model("cases", "Transition")
    DecisionKind = apps.get_model("cases", "DecisionKind")
    InterventionType = apps.get_model("cases", "InterventionType")
    kinds = {}
    for order, (code, name, name_en, months) in enumerate(data.FORUM_KINDS):
        kinds[code], _ = ForumKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order,
                                 "decision_months": months})
    stages = {}
    for order, (code, name, name_en, initial, closed, weighed, status) in enumerate(
        data.STAGES
    ):
        stages[code], _ = Stage.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order,
                                 "is_initial": initial, "is_closed": closed,
                                 "counts_as_weighed": weighed, "signal_status": status})
    for source, target, roles in data.TRANSITIONS:
        Transition.objects.update_or_create(
            from_stage=stages[source], to_stage=stages[target], defaults={"roles": roles})
    for order, (code, name, name_en, stage, forum_kind) in enumerate(data.DECISION_KINDS):
        DecisionKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order,
                                 "next_stage": stages.get(stage),
                                 "next_forum_kind": kinds.get(forum_kind)})
    for order, (code, name, name_en, duration, amount, quick, org_kinds) in enumerate(
        data.INTERVENTION_TYPES
    ):
        InterventionType.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order,
                                 "has_duration": duration, "has_amount": amount,
                                 "stops_case": quick, "usual_organisation_kinds": org_kinds})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
