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


# --- library (sample materials) -------------------------------------------------------------
def _library_search_text(document) -> str:
    from amparo.library.models import search_normalize

    parts = (document.title_en, document.title_es, document.description_en, document.description_es)
    return search_normalize(" ".join(parts))


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "library.Document"

    kind = "checklist"
    title_en = factory.Sequence(lambda n: f"Sample checklist {n}")
    title_es = factory.Sequence(lambda n: f"Lista de ejemplo {n}")
    description_en = "A sample for volunteers."
    description_es = ""
    language = "en"
    created_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)
    search_text = factory.LazyAttribute(_library_search_text)


class LibraryDocumentVersionFactory(factory.django.DjangoModelFactory):
    """A version with a small plain-text file in the private storage."""

    class Meta:
        model = "library.DocumentVersion"

    document = factory.SubFactory(LibraryDocumentFactory)
    number = 1
    file = factory.django.FileField(data=b"Sample text, no client data.\n", filename="sample.txt")
    original_name = "sample.txt"
    file_type = "txt"
    size = 29
    sha256 = "0" * 64
    uploaded_by = factory.SelfAttribute("document.created_by")
    published_at = factory.LazyFunction(timezone.now)


# --- trainings ---------------------------------------------------------------------------------


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.Course"

    kind = "program"
    title_en = factory.Sequence(lambda n: f"Course {n}")
    title_es = factory.Sequence(lambda n: f"Curso {n}")


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.Module"

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Module {n}")
    title_es = factory.Sequence(lambda n: f"Módulo {n}")
    reading_en = "Read this."
    reading_es = "Lea esto."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.Question"

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n + 1)
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    text_es = factory.Sequence(lambda n: f"¿Pregunta {n}?")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.Choice"

    question = factory.SubFactory(QuestionFactory)
    text_en = factory.Sequence(lambda n: f"Answer {n}")
    is_correct = False


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "trainings.LiveSession"

    course = factory.SubFactory(CourseFactory, kind="live")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=14)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    time_zone = "America/Los_Angeles"
    location = "Oakland office"
    capacity = 2
