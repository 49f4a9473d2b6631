"""Creating an events dataset together with the delivery profile that fills it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from knooppunt.intake.models import DateConvention, DeliveryProfile, NumberConvention, ProfileKind
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.taxonomy.models import SourceType

from .models import CodeList, EventDataset
from .placing import check_crs
from .validation import DEFAULT_MAPPING

POLICE_SOURCE = "politie"
NETHERLANDS = (50.7, 53.6, 3.3, 7.3)  # lat min, lat max, lon min, lon max


@dataclass
class DatasetSpec:
    code: str
    name: str
    organisation: Organisation
    code_list: str = "politie-nl"
    crs: int = 28992
    country: str = "NL"
    area: tuple[float, float, float, float] = NETHERLANDS
    source: str = ""
    confidentiality: int = Confidentiality.VERTROUWELIJK
    numbers: str = NumberConvention.ENGLISH
    is_synthetic: bool = False


@transaction.atomic
def ensure_dataset(spec: DatasetSpec) -> EventDataset:
    """Create or update the dataset `spec.code` and its profile `incidenten-<code>`.

    Raises `placing.UnknownCRS` for an EPSG code that is no projected CRS in metres and
    `CodeList.DoesNotExist` for an unknown code list.
    """
    check_crs(spec.crs)
    code_list = CodeList.objects.get(code=spec.code_list)
    profile, _ = DeliveryProfile.objects.update_or_create(
        code=f"incidenten-{spec.code}"[:40],
        defaults={
            "name": f"Politie-incidenten: {spec.name}"[:120],
            "description": "Incidentregistraties (datum, uur, code, plaats) voor het "
                           f"incidentenbestand {spec.name}.",
            "kind": ProfileKind.EVENTS,
            "source_type": SourceType.objects.get(code=POLICE_SOURCE),
            "default_confidentiality": spec.confidentiality,
            "organisation_kind": spec.organisation.kind,
            "column_mapping": DEFAULT_MAPPING,
            "partner_id_column": "registratienummer",
            "date_convention": DateConvention.ISO,
            "number_convention": spec.numbers,
        },
    )
    min_lat, max_lat, min_lon, max_lon = spec.area
    dataset, _ = EventDataset.objects.update_or_create(
        code=spec.code,
        defaults={
            "name": spec.name, "source": spec.source, "organisation": spec.organisation,
            "profile": profile, "code_list": code_list, "crs": spec.crs,
            "country": spec.country.upper(), "min_latitude": min_lat, "max_latitude": max_lat,
            "min_longitude": min_lon, "max_longitude": max_lon,
            "confidentiality": spec.confidentiality, "is_synthetic": spec.is_synthetic,
        },
    )
    return dataset
