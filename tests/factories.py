"""factory_boy factories for the whole suite."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from amparo.accounts.models import Role, User
from amparo.cases.models import Case, CaseType, Hearing, Stage
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.people.models import AttorneyProfile, BarAdmission, MentorProfile, Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.PARTNER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.ATTORNEY
    password = factory.django.Password("a-long-test-password")


class AttorneyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttorneyProfile

    user = factory.SubFactory(UserFactory, role=Role.ATTORNEY)
    capacity = 2
    languages = ["en", "es"]


class BarAdmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BarAdmission

    attorney = factory.SubFactory(AttorneyProfileFactory)
    state = "CA"
    bar_number = factory.Sequence(lambda n: f"{100000 + n}")
    year_admitted = 2015


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory, role=Role.MENTOR)
    expertise = ["defensive_asylum"]
    languages = ["en", "es"]
    hourly_rate = Decimal("100.00")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    given_names = "Rosa Amelia"
    family_names = factory.Sequence(lambda n: f"Quintanilla Ayala{n}")
    country_of_nationality = "SV"
    date_of_birth = datetime.date(1990, 5, 17)
    phone = "(510) 555-0199"
    languages = ["es"]


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    client = factory.SubFactory(ClientFactory)
    relationship = FamilyMember.Relationship.CHILD
    given_names = "Mateo"
    family_names = "Quintanilla"
    date_of_birth = datetime.date(2015, 2, 3)


class AdversePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdverseParty

    client = factory.SubFactory(ClientFactory)
    kind = AdverseParty.Kind.PERPETRATOR
    name = "Ernesto Malvado"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    code = factory.Sequence(lambda n: f"AMP-26-{n + 1:04d}")
    case_type = CaseType.DEFENSIVE_ASYLUM
    stage = Stage.INTAKE
    client = factory.SubFactory(ClientFactory)
    placing_organization = factory.SubFactory(OrganizationFactory)


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    kind = Hearing.Kind.MASTER
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
