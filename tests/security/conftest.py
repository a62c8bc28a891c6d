"""A small world for the bad-input tests: the personas, and one real object of every kind a
form's URL can name, in the state in which the form accepts a post (a pending certificate to
review, an open mentor request to confirm, an invitation to accept...). Uploads go to a
private storage of the test's own, so stored files can be counted and inspected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from amparo.cases.models import PlacementRequest, Stage
from amparo.conflicts.models import ConflictHit, PartyType
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.services import case_plan_create, hearing_add
from amparo.intake.models import Screening
from amparo.library.models import StrategyNote
from amparo.mentoring.models import MentoringMeeting, MentoringRequest, Mentorship
from amparo.mentoring.services import invitation_token, mentoring_request_eligibility_refresh
from amparo.mentoring_work.models import FundingSource, MentorStatement, PlanMilestone, TimeEntry
from amparo.mentoring_work.services.drafts import draft_upload
from amparo.public.services import subscriber_confirmation_token, subscriber_unsubscribe_token
from amparo.trainings.models import Certificate, Registration
from amparo.workspace.models import (
    HandoffPacket,
    StatusRequest,
    StatusRequestRecipient,
    WithdrawalRequest,
)
from amparo.workspace.services import case_document_create
from tests.factories import (
    CaseFactory,
    ChoiceFactory,
    CourseFactory,
    HoursEntryFactory,
    LibraryDocumentVersionFactory,
    LiveSessionFactory,
    MentoringAgreementFactory,
    MentorProfileFactory,
    MentorshipFactory,
    ModuleFactory,
    NewsletterSubscriberFactory,
    PartnerInquiryFactory,
    QuestionFactory,
)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "declaration.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> Path:
    """Uploads of each test in a storage of its own."""
    root = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/no-public-media/"},
        },
    }
    return root


@pytest.fixture(autouse=True)
def _local_cache(settings: Any) -> None:
    """Rate limits and locks count in a clean in-memory cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "security-tests",
        }
    }
    cache.clear()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@dataclass
class World:
    personas: Any
    # What goes into the URLs: world.values["hearing"] -> a primary key, ["case"] -> a code.
    values: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


def world_build(personas: Any) -> World:
    p = personas
    world = World(personas=p)
    v = world.values
    court = ImmigrationCourt.objects.get(code="SFR")
    agreement = MentoringAgreementFactory(version=1)
    MentorProfileFactory(user=p.mentor)
    MentorProfileFactory(user=p.other_mentor)

    # The placed case of the attorney persona, shared with the mentor persona.
    case = p.placed_case
    case.court = court
    case.placed_at = timezone.now() - dt.timedelta(days=30)
    case.last_arrival = dt.date(2025, 6, 1)
    case.save()
    hearing = hearing_add(
        case=case,
        actor=p.coordinator,
        kind="individual",
        starts_at=timezone.now() + dt.timedelta(days=90),
    )
    case_plan_create(case=case)
    document = case_document_create(
        case=case, actor=p.attorney, title="Declaration", kind="draft", file=pdf_upload()
    )
    v.update(
        case=case.code,
        ready_case=p.ready_case.code,
        intake_case=p.intake_case.code,
        hearing=hearing.pk,
        milestone=case.milestones.order_by("pk").first().pk,
        deadline=case.deadlines.order_by("pk").values_list("pk", flat=True).first() or 0,
        hours=HoursEntryFactory(case=case, attorney=p.attorney).pk,
        withdrawal=WithdrawalRequest.objects.create(
            case=case, attorney=p.attorney, reason="Moving"
        ).pk,
        handoff=HandoffPacket.objects.create(
            case=case, former_attorney=p.unverified_attorney, content='{"facts": {}}'
        ).pk,
        document=document.pk,
        document_version=document.versions.get().pk,
        placement_request=PlacementRequest.objects.create(
            case=p.ready_case, attorney=p.attorney
        ).pk,
    )
    world.objects["case"] = case
    # Cases entered through intake get their screening row when they are created; this one
    # has a possible conflict with the placed case's client, waiting for a decision.
    Screening.objects.get_or_create(case=p.intake_case)
    hit = ConflictHit.objects.create(
        case=p.intake_case,
        subject_type=PartyType.CLIENT,
        subject_id=p.intake_case.client_id,
        subject_label="Client",
        matched_type=PartyType.CLIENT,
        matched_id=case.client_id,
        matched_case=case,
        score=0.93,
        why_en="Same family names.",
        why_es="Mismos apellidos.",
    )
    world.values["conflict_hit"] = hit.pk

    # The ongoing mentorship on that case: plan milestone, draft, time, meeting, pay.
    mentorship = MentorshipFactory(
        request__case=case,
        request__attorney=p.attorney,
        request__requested_by=p.attorney,
        mentor=p.mentor,
        started_at=timezone.now() - dt.timedelta(days=20),
    )
    plan_milestone = PlanMilestone.objects.create(
        mentorship=mentorship, title_en="Declaration", title_es="Declaración"
    )
    draft = draft_upload(milestone=plan_milestone, actor=p.attorney, file=pdf_upload())
    v.update(
        mentorship=mentorship.pk,
        plan_milestone=plan_milestone.pk,
        draft=draft.pk,
        time_entry=TimeEntry.objects.create(
            mentorship=mentorship,
            mentor=p.mentor,
            date=timezone.localdate() - dt.timedelta(days=2),
            minutes=60,
            activity="review",
        ).pk,
        meeting=MentoringMeeting.objects.create(
            mentorship=mentorship,
            starts_at=timezone.now() - dt.timedelta(days=3),
            mode="phone",
            booked_by=p.attorney,
        ).pk,
        statement=MentorStatement.objects.create(
            mentor=p.mentor,
            month=(timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1),
            hourly_rate=Decimal("100.00"),
            amount=Decimal("100.00"),
            prepared_by=p.program_admin,
        ).pk,
        funding_source=FundingSource.objects.create(
            name="Bar foundation grant",
            kind="grant",
            amount=Decimal("5000.00"),
            start_date=timezone.localdate().replace(month=1, day=1),
        ).pk,
    )

    # A second placed case of the attorney with an open request the program may confirm, and an
    # invitation waiting for the other mentor; a third placed case with no request yet.
    requested = CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=p.attorney,
        placing_organization=p.partner.organization,
        court=court,
        placed_at=timezone.now() - dt.timedelta(days=10),
    )
    open_request = MentoringRequest.objects.create(
        case=requested, attorney=p.attorney, requested_by=p.attorney, help_wanted="Strategy"
    )
    invited_case = CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=p.attorney,
        placing_organization=p.partner.organization,
        court=court,
        placed_at=timezone.now() - dt.timedelta(days=10),
    )
    proposed = MentoringRequest.objects.create(
        case=invited_case,
        attorney=p.attorney,
        requested_by=p.attorney,
        status=MentoringRequest.Status.PROPOSED,
    )
    invited = Mentorship.objects.create(
        request=proposed,
        case=invited_case,
        mentor=p.other_mentor,
        mentee=p.attorney,
        status=Mentorship.Status.INVITED,
    )
    # A mentorship that ended: the mentee's feedback form.
    closed_case = CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=p.other_attorney,
        placing_organization=p.partner.organization,
        court=court,
        placed_at=timezone.now() - dt.timedelta(days=200),
    )
    closed = MentorshipFactory(
        request__case=closed_case,
        request__attorney=p.other_attorney,
        request__requested_by=p.other_attorney,
        request__status=MentoringRequest.Status.CLOSED,
        mentor=p.mentor,
        status=Mentorship.Status.CLOSED,
        started_at=timezone.now() - dt.timedelta(days=190),
    )
    # The requests' eligibility verdicts are kept fresh on the rows, as creating them does.
    for mentoring_request in MentoringRequest.objects.all():
        mentoring_request_eligibility_refresh(request=mentoring_request)
    fresh = CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=p.attorney,
        placing_organization=p.partner.organization,
        court=court,
        placed_at=timezone.now() - dt.timedelta(days=10),
    )
    v.update(
        requested_case=requested.code,
        invited_case=invited_case.code,
        fresh_case=fresh.code,
        mentoring_request=open_request.pk,
        invitation=invitation_token(invited),
        closed_mentorship=closed.pk,
        agreement=agreement.pk,
    )

    # Trainings: a course taken elsewhere (certificates), a program module with a quiz, a
    # pending certificate to review, a live session with the attorney registered.
    external = CourseFactory(kind="external", title_en="Asylum basics elsewhere")
    module = ModuleFactory(course=CourseFactory(kind="program", title_en="Asylum basics"))
    question = QuestionFactory(module=module)
    ChoiceFactory(question=question, is_correct=True)
    ChoiceFactory(question=question, is_correct=False)
    session = LiveSessionFactory(course__title_en="Live asylum clinic", capacity=10)
    other_session = LiveSessionFactory(course__title_en="Live U visa clinic", capacity=10)
    certificate = Certificate(
        user=p.other_attorney,
        course=external,
        original_name="certificate.pdf",
        content_type="application/pdf",
        size=len(PDF),
        completed_on=timezone.localdate() - dt.timedelta(days=5),
    )
    certificate.file.save("certificate.pdf", ContentFile(PDF), save=False)
    certificate.save()
    v.update(
        course=external.pk,
        module=module.pk,
        certificate=certificate.pk,
        session=session.pk,
        other_session=other_session.pk,
        registration=Registration.objects.create(
            session=session, user=p.attorney, status=Registration.Status.REGISTERED
        ).pk,
    )

    # Library, volunteers, public pages, status requests.
    version = LibraryDocumentVersionFactory(document__created_by=p.coordinator)
    note = StrategyNote.objects.create(
        case_type="defensive_asylum",
        title_en="Asylum strategy",
        body_en="File the I-589 early.",
        updated_by=p.coordinator,
    )
    status_request = StatusRequest.objects.create(sent_by=p.coordinator, message="How is it?")
    v.update(
        library_document=version.document.pk,
        library_version=version.pk,
        strategy_note=note.pk,
        attorney_profile=p.unverified_attorney.attorney_profile.pk,
        inquiry=PartnerInquiryFactory().pk,
        newsletter_confirm_token=subscriber_confirmation_token(
            NewsletterSubscriberFactory(confirmed_at=None, confirmation_nonce="n0nce-fuzz")
        ),
        newsletter_unsubscribe_token=subscriber_unsubscribe_token(NewsletterSubscriberFactory()),
        status_request=status_request.pk,
        status_recipient=StatusRequestRecipient.objects.create(
            status_request=status_request, attorney=p.attorney
        ).pk,
    )
    return world


@pytest.fixture
def world(personas: Any) -> World:
    return world_build(personas)
