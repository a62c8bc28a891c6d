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


# --- mentoring (requests, requirements, agreements, mentorships) ------------------------------


class MentoringRequestFactory(factory.django.DjangoModelFactory):
    """A request on a placed case, by its attorney of record."""

    class Meta:
        model = "mentoring.MentoringRequest"

    case = factory.SubFactory(
        CaseFactory,
        stage=Stage.PLACED,
        attorney_of_record=factory.SubFactory(UserFactory, role=Role.ATTORNEY),
    )
    attorney = factory.SelfAttribute("case.attorney_of_record")
    requested_by = factory.SelfAttribute("attorney")
    help_wanted = "Review of the declaration."
    languages = factory.LazyFunction(list)


class MentorshipFactory(factory.django.DjangoModelFactory):
    """An active mentorship (the mentor accepted) on a request's case."""

    class Meta:
        model = "mentoring.Mentorship"

    request = factory.SubFactory(MentoringRequestFactory, status="matched")
    case = factory.SelfAttribute("request.case")
    mentee = factory.SelfAttribute("request.attorney")
    mentor = factory.SubFactory(UserFactory, role=Role.MENTOR)
    status = "active"
    started_at = factory.LazyFunction(timezone.now)


class EligibilityRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.EligibilityRequirement"

    kind = "bar_verified"
    position = factory.Sequence(lambda n: n)


class MentoringAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.MentoringAgreement"

    version = factory.Sequence(lambda n: n + 1)
    text_en = "You remain the attorney of record. Answer e-mails within 2 business days."
    text_es = "Usted sigue siendo el/la abogado/a de representación. Responda en 2 días hábiles."
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


# --- case workspace ----------------------------------------------------------------------------


class ClientContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workspace.ClientContact"

    case = factory.SubFactory(CaseFactory)
    contacted_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    channel = "phone"
    direction = "to_client"
    language = "es"
    with_interpreter = False
    note = "Talked about the declaration."
    logged_by = factory.SelfAttribute("case.attorney_of_record")


class HoursEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workspace.HoursEntry"

    case = factory.SubFactory(CaseFactory)
    attorney = factory.SelfAttribute("case.attorney_of_record")
    worked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    activity = "drafting"
    hours = Decimal("1.50")


# --- public pages (newsletter, partner inquiries) ---------------------------------------------


def _subscriber_email_index(subscriber) -> str:
    from amparo.public.services import subscriber_email_index

    return subscriber_email_index(subscriber.email)


class NewsletterSubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber (on the list)."""

    class Meta:
        model = "public.NewsletterSubscriber"

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    email_index = factory.LazyAttribute(_subscriber_email_index)
    language = "en"
    confirmed_at = factory.LazyFunction(timezone.now)


class PartnerInquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "public.PartnerInquiry"

    organization_name = factory.Sequence(lambda n: f"Refugee Aid Network {n}")
    contact_name = "Ana Torres"
    email = factory.Sequence(lambda n: f"intake{n}@aid.example.org")
    phone = "(415) 555-0142"
    wants = "cases"
    approximate_number = 12
    message = "Twelve detained families in Otay Mesa."
