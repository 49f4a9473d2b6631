"""Factories for forums, cases and interventions (seeded stages and catalogue are used)."""

from __future__ import annotations

import datetime as dt

import factory

from knooppunt.cases.models import (
    Case,
    Forum,
    ForumKind,
    Intervention,
    InterventionType,
    Stage,
)
from knooppunt.organisations.models import Confidentiality
from knooppunt.taxonomy.models import Theme

from ..factories import OrganisationFactory, municipality


def stage(code: str) -> Stage:
    return Stage.objects.get(code=code)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        skip_postgeneration_save = True

    kind = factory.LazyFunction(lambda: ForumKind.objects.get(code="signalenoverleg"))
    name = factory.Sequence(lambda n: f"Overleg {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted if extracted is not None else [municipality()])


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"CAS-2025-F{n + 1:05d}")
    title = "Hennepkwekerij woning"
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="hennepteelt"))
    municipality = factory.LazyFunction(municipality)
    forum = factory.SubFactory(ForumFactory)
    stage = factory.LazyFunction(lambda: stage("intake"))
    owner = factory.SubFactory(OrganisationFactory)
    confidentiality = Confidentiality.NORMAAL
    opened_on = dt.date(2025, 3, 10)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    case = factory.SubFactory(CaseFactory)
    type = factory.LazyFunction(lambda: InterventionType.objects.get(code="sluiting-13b"))
    organisation = factory.SubFactory(OrganisationFactory)
    planned_on = dt.date(2025, 4, 1)
