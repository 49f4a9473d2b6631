"""Profiles say where a cell may hold a line break and whether their ids ignore case;
the ids already delivered are rewritten as the new re-delivery check reads them
(decision 0031)."""

import unicodedata

from django.db import migrations, models


def _normalise(text: str) -> str:
    """A copy of `intake.validation.normalise_key_text(text, fold_case=True)` as it was when
    this migration was written (a migration must not change when the code does)."""
    if text.isascii():
        return text.lower()
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    return unicodedata.normalize("NFKC", text.casefold()).strip()


def normalise_keys(apps, schema_editor):
    """Every stored "id:" key in the form the re-delivery check now makes, unless another
    row of the same profile and organisation already has that form (then both were stored
    as two signals before; the other key stays as it is). One group of profile and
    organisation at a time, written with one executemany."""
    records = apps.get_model("intake", "DeliveryRecord")
    table = schema_editor.quote_name(records._meta.db_table)
    groups = (records.objects.filter(key__startswith="id:")
              .values_list("profile_id", "organisation_id").distinct())
    for profile, organisation in list(groups):
        rows = records.objects.filter(profile_id=profile, organisation_id=organisation)
        taken = set(rows.values_list("key", flat=True).iterator(chunk_size=20000))
        changes = []
        for pk, key in rows.filter(key__startswith="id:").values_list(
                "pk", "key").iterator(chunk_size=20000):
            text = _normalise(key[3:])
            new = "id:" + text[:90] if text else key
            if new != key and new not in taken:
                taken.add(new)
                changes.append((new, pk))
        if changes:
            with schema_editor.connection.cursor() as cursor:
                column = schema_editor.quote_name("key")
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", changes)


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0004_delivery_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliveryprofile",
            name="line_break_fields",
            field=models.JSONField(
                blank=True, default=list,
                help_text='Signaalvelden waarvan een cel over meer regels mag lopen (tussen '
                          'aanhalingstekens), bijv. ["description"] of ["details"]. Leeg: in '
                          'geen enkele kolom; een regelovergang in een cel wijst dan op een '
                          'niet gesloten aanhalingsteken en de regel wordt afgekeurd.',
                verbose_name="velden met regelovergangen"),
        ),
        migrations.AddField(
            model_name="deliveryprofile",
            name="keys_ignore_case",
            field=models.BooleanField(
                default=True,
                help_text='Aan: "AB-12" en "ab-12" zijn hetzelfde eigen kenmerk, dus dezelfde '
                          'regel bij een nieuwe aanlevering.',
                verbose_name="kenmerk zonder onderscheid hoofd-/kleine letters"),
        ),
        migrations.RunPython(normalise_keys, migrations.RunPython.noop),
    ]
