"""Changes to who holds which role, written to the processing log.

A membership decides what a person or system may read and do (`scope`, `permissions`), so
granting, changing and withdrawing one is logged like an access to personal data: in the
hash-chained processing log, not only in Django's editable admin history.
"""

from __future__ import annotations

from knooppunt.audit.log import Action, record

PURPOSE_ROLE_MANAGEMENT = "Beheer van rollen en lidmaatschappen"


def _describe(membership, pk: object = None) -> tuple[str, list[str]]:
    text = (f"{membership.user.get_username()} – {membership.organisation} "
            f"({membership.get_role_display()})")
    return text, [str(pk if pk is not None else membership.pk)]


def log_admin_changes(by, formset, removed_pks: list[object]) -> None:
    """Log what a saved admin formset of memberships added, changed and removed."""
    for membership in formset.new_objects:
        text, ids = _describe(membership)
        record(user=by, action=Action.CREATE, object_type="organisations.membership",
               object_ids=ids, purpose=PURPOSE_ROLE_MANAGEMENT,
               detail=f"Lidmaatschap toegekend: {text}")
    for membership, fields in formset.changed_objects:
        text, ids = _describe(membership)
        record(user=by, action=Action.UPDATE, object_type="organisations.membership",
               object_ids=ids, purpose=PURPOSE_ROLE_MANAGEMENT,
               detail=f"Lidmaatschap gewijzigd ({', '.join(fields)}): {text}")
    for membership, pk in zip(formset.deleted_objects, removed_pks, strict=False):
        text, ids = _describe(membership, pk)
        record(user=by, action=Action.DELETE, object_type="organisations.membership",
               object_ids=ids, purpose=PURPOSE_ROLE_MANAGEMENT,
               detail=f"Lidmaatschap ingetrokken: {text}")
