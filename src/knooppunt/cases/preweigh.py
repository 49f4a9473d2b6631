"""A first draft of the preweegdocument from the case's signals, subjects and what is
known around them; the analyst edits it before the forum sees it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from knooppunt.organisations import scope

from .models import Case


def draft(user, case: Case) -> str:
    """Plain text with the facts a forum needs; only what `user` may see is used."""
    signals = list(scope.signals_for(user).filter(case_links__case=case)
                   .select_related("theme", "source_type").order_by("received_on"))
    lines = [
        _("Preweegdocument %(ref)s – %(title)s") % {"ref": case.reference, "title": case.title},
        "",
        _("Thema: %(theme)s; gemeente: %(m)s; overleg: %(forum)s; geopend op %(day)s.")
        % {"theme": case.theme.name, "m": case.municipality.name, "forum": case.forum.name,
           "day": case.opened_on.strftime("%d-%m-%Y")},
        "",
        _("1. Signalen"),
    ]
    for s in signals:
        lines.append(f"- {s.reference} ({s.received_on:%d-%m-%Y}, {s.source_type.name}): "
                     f"{s.address_line or '-'}. {s.description}")
    addresses = {s.address_register_id for s in signals if s.address_register_id}
    earlier = scope.signals_for(user).filter(address_register_id__in=addresses).exclude(
        pk__in=[s.pk for s in signals]).count() if addresses else 0
    lines += ["", _("2. Verrijking"),
              _("- Eerdere signalen op dezelfde adressen (die u mag zien): %(n)s.")
              % {"n": earlier}]
    subjects = scope.subjects_for(user).filter(case_links__case=case)
    lines += ["", _("3. Betrokken subjecten")]
    for subject in subjects:
        lines.append(f"- {subject.get_kind_display()}: {subject.name} {subject.identifier} "
                     f"({_('aangeleverd door')} {subject.supplied_by.name})".rstrip())
    if not subjects:
        lines.append(_("- Nog geen subjecten vastgelegd."))
    lines += ["", _("4. Analyse en weging (in te vullen door de analist)"), "",
              _("5. Voorstel aan het overleg (in te vullen)"), ""]
    return "\n".join(lines)
