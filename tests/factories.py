"""factory_boy factories for users, organisations, covenants and signals."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from knooppunt.geo.models import Municipality
from knooppunt.organisations.models import (
    Confidentiality,
    Covenant,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from knooppunt.signals.models import Signal
from knooppunt.taxonomy.models import SourceType, Theme

PASSWORD = "correct-horse-battery"  # noqa: S105


def municipality(code: str = "GM0153") -> Municipality:
    """A real municipality (default Enschede); the geography is loaded per session."""
    return Municipality.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.GEMEENTE

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEDEWERKER


class CovenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Covenant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Convenant {n}")
    legal_basis = "Convenant RIEC (art. 20 Wpg)"
    max_confidentiality = Confidentiality.NORMAAL
    valid_from = dt.date(2020, 1, 1)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted if extracted is not None else Theme.objects.all())

    @factory.post_generation
    def source_types(self, create, extracted, **kwargs):
        # A covenant names the sources it shares; by default every source (decision 0027).
        if create:
            self.source_types.set(
                extracted if extracted is not None else SourceType.objects.all())


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    # A letter keeps factory references apart from the real KNP-{year}-{pk:06d} ones.
    reference = factory.Sequence(lambda n: f"KNP-2025-F{n + 1:05d}")
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="hennepteelt"))
    source_type = factory.LazyFunction(lambda: SourceType.objects.get(code="politie"))
    received_on = dt.date(2025, 3, 1)
    municipality = factory.LazyFunction(municipality)
    description = "Sterke hennepgeur bij woning"
    reporting_organisation = factory.SubFactory(OrganisationFactory)
    confidentiality = Confidentiality.NORMAAL


def member(role: str = Role.MEDEWERKER, organisation: Organisation | None = None, **kwargs):
    """A user with one membership."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def system_account(organisation: Organisation | None = None, role: str = Role.MEDEWERKER,
                   username: str | None = None):
    """A partner system's account (no password, one membership, the flag); returns the user."""
    from knooppunt.organisations.api_keys import create_system_account

    organisation = organisation or OrganisationFactory()
    return create_system_account(
        username=username or _next_system_name(),
        organisation=organisation, role=role).user


_system_names = iter(range(1, 10**9))


def _next_system_name() -> str:
    return f"systeem.{next(_system_names)}"


def issue_key(user, scopes=None, **kwargs):
    """An active key for a system account; all scopes unless given. Returns (token, raw)."""
    from knooppunt.organisations.api_keys import issue
    from knooppunt.organisations.models import ApiScope

    return issue(system_user=user, name=kwargs.pop("name", "partnersysteem"),
                 scopes=ApiScope.values if scopes is None else scopes, **kwargs)


def system_like(person):
    """A new system account in `person`'s organisation with `person`'s role.

    For tests that stood a person's account in for a partner system before keys were
    tied to system accounts.
    """
    membership = person.memberships.select_related("organisation").first()
    return system_account(membership.organisation, membership.role)
