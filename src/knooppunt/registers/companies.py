"""Companies registered at an address (KvK Handelsregister).

`LocalCompanyRegister` answers from the `registers.Company` table (demo and imports);
`KvkApiCompanyRegister` sketches the KvK Zoeken API and is only used when configured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .adapters import load

_KVK_RE = re.compile(r"^\d{8}$")


def normalise_kvk_number(value: str) -> str:
    """Eight digits ('12 34 56 78' -> '12345678'); ValidationError in Dutch otherwise.

    python-stdnum has no module for the KvK number (it carries no check digit since 2016),
    so only the form is checked.
    """
    compact = re.sub(r"[\s.\-]", "", value or "")
    if not _KVK_RE.match(compact) or compact == "00000000":
        raise ValidationError(
            _("'%(value)s' is geen geldig KvK-nummer (acht cijfers)."),
            params={"value": (value or "")[:20]}, code="invalid_kvk",
        )
    return compact


@dataclass(frozen=True)
class CompanyFact:
    kvk_number: str
    name: str
    sbi_code: str
    sbi_description: str
    registered_on: date | None
    source: str
    source_date: date


class CompanyRegister(Protocol):
    def companies_at(self, nummeraanduiding_ids: Iterable[str]) -> dict[str, list[CompanyFact]]:
        """Companies per address id; addresses without companies are absent."""
        ...


class LocalCompanyRegister:
    def companies_at(self, nummeraanduiding_ids: Iterable[str]) -> dict[str, list[CompanyFact]]:
        from .models import Company

        result: dict[str, list[CompanyFact]] = {}
        ids = [i for i in set(nummeraanduiding_ids) if i]
        for company in Company.objects.filter(
            address__nummeraanduiding_id__in=ids
        ).select_related("address"):
            result.setdefault(company.address.nummeraanduiding_id, []).append(
                CompanyFact(company.kvk_number, company.name, company.sbi_code,
                            company.sbi_description, company.registered_on, company.source,
                            company.source_date)
            )
        return result


class KvkApiCompanyRegister:
    """Sketch of the KvK Zoeken API (`/v2/zoeken?postcode=&huisnummer=`); needs an API key.

    The API searches by postcode and house number, not by BAG id, so a caller would pass
    the resolved addresses. Not implemented beyond this interface; never used in tests.
    """

    def companies_at(self, nummeraanduiding_ids: Iterable[str]) -> dict[str, list[CompanyFact]]:
        raise NotImplementedError("KvK API-koppeling is nog niet geïmplementeerd")


def register() -> CompanyRegister:
    return load("KNOOPPUNT_COMPANY_REGISTER")


def companies_at(nummeraanduiding_id: str) -> list[CompanyFact]:
    if not nummeraanduiding_id:
        return []
    return register().companies_at([nummeraanduiding_id]).get(nummeraanduiding_id, [])
