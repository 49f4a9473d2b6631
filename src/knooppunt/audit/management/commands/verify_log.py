"""`knooppunt verify_log`: check the processing log's hash chain.

Exit 0 with the number of rows when every row matches its hash and links to the row
before it; exit 1 naming the first row that does not (changed, removed, inserted or
moved rows all break it there).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.audit.chain import verify

REASONS = {
    "content": gettext_lazy("de inhoud komt niet overeen met de hash (regel gewijzigd)"),
    "link": gettext_lazy("de regel sluit niet aan op de regel ervoor (een regel verwijderd, "
              "ingevoegd of verplaatst)"),
    "extra": gettext_lazy("de regel staat na het einde van de keten (buiten Knooppunt "
                          "toegevoegd)"),
    "tail": gettext_lazy("de laatste regels ontbreken (de keten eindigde bij regel %(id)s)"),
}


class Command(BaseCommand):
    help = _("Controleer de hashketen van het verwerkingenlog.")

    def handle(self, *args, **options) -> None:
        verdict = verify()
        if verdict.intact:
            self.stdout.write(_("Verwerkingenlog intact: %(count)d regels.")
                              % {"count": verdict.count})
            return
        reason = REASONS[verdict.reason] % {"id": verdict.broken_id}
        raise CommandError(
            _("Verwerkingenlog NIET intact: eerste gebroken regel %(id)s: %(reason)s "
              "(%(count)d regels ervoor in orde).")
            % {"id": verdict.broken_id, "reason": reason, "count": verdict.count})
