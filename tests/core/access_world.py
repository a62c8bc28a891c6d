"""A small world for the access tests: two mirror-image sides and one real object of every kind
a URL can name.

Side A belongs to the personas `attorney`, `mentor` and `partner` (organization "Partner A");
side B to `other_attorney`, `other_mentor` and `other_partner` ("Partner B"). Each side has a
placed case with its file shared with its mentor, an active mentorship with a plan, a draft, a
time entry, a meeting and a signed agreement, a hearing, a milestone, hours, a withdrawal
request, a hand-off packet, a document, a status request, a certificate, a registration... so
that a route filled with side B's objects is, for side B's personas, what the route filled with
side A's objects is for side A's personas. Objects without an owner (a library document, a
funding source) exist once, on side A; where the policy tells objects of one kind apart (an
inactive course, a case not on the board) side B holds the one fewer people may reach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

from amparo.api.services import api_token_create
from amparo.cases.models import PlacementRequest, Stage
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.feeds import calendar_feed_get_or_create
from amparo.deadlines.services import case_plan_create, hearing_add
from amparo.intake.models import CaseImportJob
from amparo.library.models import StrategyNote
from amparo.mentoring.models import AgreementSignature, MentoringMeeting
from amparo.mentoring.services import invitation_token
from amparo.mentoring_work.models import (
    FundingSource,
    MentorStatement,
    PlanMilestone,
    TimeEntry,
)
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
    ClientContactFactory,
    ClientFactory,
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
)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# The three personas of each side; the mirror of a persona is its counterpart on the other side.
SIDE_PERSONAS = {"A": ("attorney", "mentor", "partner"), "B": ("other_attorney", "other_mentor",
                 "other_partner")}  # fmt: skip
MIRROR = {
    **dict(zip(SIDE_PERSONAS["A"], SIDE_PERSONAS["B"], strict=True)),
    **dict(zip(SIDE_PERSONAS["B"], SIDE_PERSONAS["A"], strict=True)),
}

# A URL value no object has: forbidden and missing objects must answer alike.
MISSING = {"int": 987654, "str": "AMP-99-9999"}


@dataclass
class World:
    personas: Any
    # values[kind][side] -> what goes into the URL (a case code, a primary key, a token).
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What must never reach a persona who may not read a case's file (the client's family
    # name and A-number, the notes of the communication log), with the personas who may:
    # {case code: (secrets, readers)}.
    clients: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)
    # API bearer secrets by persona.
    tokens: dict[str, str] = field(default_factory=dict)

    def put(self, kind: str, a: Any, b: Any = None) -> None:
        self.values[kind] = {"A": a} if b is None else {"A": a, "B": b}


def _pdf(name: str = "declaration.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _placed_case(
    world: World,
    side: str,
    *,
    attorney: Any,
    mentor: Any,
    organization: Any,
    court: Any,
    file_shared: bool,
    readers: frozenset[str],
    turns_18_in_days: int | None = None,
) -> tuple[Any, Any]:
    """A placed case with a hearing, its plan and a logged contact; its secrets recorded. With
    `turns_18_in_days`, the client is an unaccompanied child whose 18th birthday (a deadline
    computed from the date of birth) falls that many days from today."""
    number = {"A": "001", "B": "002", "C": "003"}[side]
    today = timezone.localdate()
    birthday = today + dt.timedelta(days=turns_18_in_days or 0)
    client = ClientFactory(
        given_names=f"Zenaida{side}",
        family_names=f"Ixchelsecret{side}",
        a_number=f"A-208-{number}-111",
        date_of_birth=birthday.replace(year=birthday.year - 18) if turns_18_in_days else None,
    )
    case = CaseFactory(
        is_unaccompanied_child=turns_18_in_days is not None,
        client=client,
        stage=Stage.PLACED,
        attorney_of_record=attorney,
        mentor=mentor,
        mentor_file_access=file_shared,
        placing_organization=organization,
        court=court,
        placed_at=timezone.now() - dt.timedelta(days=30),
        last_arrival=dt.date(2025, 6, 1),
    )
    hearing = hearing_add(
        case=case,
        actor=world.personas.coordinator,
        kind="individual",
        starts_at=timezone.now() + dt.timedelta(days=90),
    )
    case_plan_create(case=case)
    note = f"Notesecret{side} about the family's story"
    ClientContactFactory(case=case, note=note)
    secrets: tuple[str, ...] = (client.family_names, client.a_number, note.split(" ")[0])
    if turns_18_in_days is not None:
        assert case.deadlines.filter(rule="UAC_TURNS_18", date=birthday).exists()
        with translation.override("en"):
            shown = (
                formats.date_format(birthday),
                formats.date_format(birthday, "SHORT_DATE_FORMAT"),
            )
        secrets += (birthday.isoformat(), *shown)
    world.clients[case.code] = (secrets, readers)
    return case, hearing


def _mentorship(case: Any, *, attorney: Any, mentor: Any) -> dict[str, Any]:
    """An active mentorship on the case, with a plan milestone, a draft, a time entry and a
    meeting; the URL values of each."""
    mentorship = MentorshipFactory(
        request__case=case,
        request__attorney=attorney,
        request__requested_by=attorney,
        mentor=mentor,
        started_at=timezone.now() - dt.timedelta(days=20),
    )
    plan_milestone = PlanMilestone.objects.create(
        mentorship=mentorship, title_en="Declaration", title_es="Declaración"
    )
    draft = draft_upload(milestone=plan_milestone, actor=attorney, file=_pdf())
    time_entry = TimeEntry.objects.create(
        mentorship=mentorship,
        mentor=mentor,
        date=timezone.localdate() - dt.timedelta(days=2),
        minutes=60,
        activity="review",
    )
    meeting = MentoringMeeting.objects.create(
        mentorship=mentorship,
        starts_at=timezone.now() - dt.timedelta(days=3),
        mode="phone",
        booked_by=attorney,
    )
    return {
        "mentorship": mentorship.pk,
        "mentoring_request": mentorship.request_id,
        "invitation": invitation_token(mentorship),
        "plan_milestone": plan_milestone.pk,
        "draft": draft.pk,
        "time_entry": time_entry.pk,
        "meeting": meeting.pk,
    }


def _side(world: World, side: str, organization: Any, court: Any, agreement: Any) -> dict[str, Any]:
    """One side's case and everything hanging from it."""
    p = world.personas
    attorney, mentor = (getattr(p, name) for name in SIDE_PERSONAS[side][:2])
    MentorProfileFactory(user=mentor)
    readers = frozenset({"attorney", "mentor", "partner", "coordinator", "program_admin"})
    if side == "B":
        readers = frozenset(MIRROR.get(name, name) for name in readers)
    case, hearing = _placed_case(
        world,
        side,
        attorney=attorney,
        mentor=mentor,
        organization=organization,
        court=court,
        file_shared=True,
        readers=readers,
    )
    milestone = case.milestones.order_by("pk").first()
    hours = HoursEntryFactory(case=case, attorney=attorney)
    withdrawal = WithdrawalRequest.objects.create(case=case, attorney=attorney, reason="Moving")
    packet = HandoffPacket.objects.create(
        case=case, former_attorney=p.unverified_attorney, content='{"facts": {}}'
    )
    document = case_document_create(
        case=case, actor=attorney, title="Declaration", kind="draft", file=_pdf()
    )
    placement_request = PlacementRequest.objects.create(case=case, attorney=attorney)

    mentoring = _mentorship(case, attorney=attorney, mentor=mentor)
    mentorship_pk, request_pk = mentoring["mentorship"], mentoring["mentoring_request"]
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        mentee=attorney,
        mentorship_id=mentorship_pk,
        request_id=request_pk,
        typed_name=attorney.full_name,
        language="en",
        sha256="0" * 64,
        signed_at=timezone.now() - dt.timedelta(days=10),
    )
    statement = MentorStatement.objects.create(
        mentor=mentor,
        month=(timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1),
        hourly_rate=Decimal("100.00"),
        amount=Decimal("100.00"),
        prepared_by=p.program_admin,
    )
    status_request = StatusRequest.objects.create(sent_by=p.coordinator, message="How is it?")
    recipient = StatusRequestRecipient.objects.create(
        status_request=status_request, attorney=attorney
    )
    return {
        "case": case.code,
        "hearing": hearing.pk,
        "milestone": milestone.pk,
        "hours": hours.pk,
        "withdrawal": withdrawal.pk,
        "handoff": packet.pk,
        "document": document.pk,
        "document_version": document.versions.get().pk,
        "placement_request": placement_request.pk,
        **mentoring,
        "signature": signature.pk,
        "statement": statement.pk,
        "status_request": status_request.pk,
        "status_recipient": recipient.pk,
    }


def world_build(personas: Any) -> World:
    world = World(personas=personas)
    p = personas
    court = ImmigrationCourt.objects.get(code="SFR")
    agreement = MentoringAgreementFactory(version=1)
    a = _side(world, "A", p.partner.organization, court, agreement)
    b = _side(world, "B", p.other_partner.organization, court, agreement)
    for kind in a:
        world.put(kind, a[kind], b[kind])

    # A case on the board (placed by Partner A), and a placed case that is not on it.
    ready = CaseFactory(
        stage=Stage.READY,
        placing_organization=p.partner.organization,
        court=court,
        client=ClientFactory(given_names="Yolotli", family_names="Boardsecret"),
        summary_en="Asylum case, individual hearing in the spring.",
    )
    world.put("board_case", ready.code, a["case"])
    world.clients[ready.code] = (
        (ready.client.family_names,),
        frozenset({"partner", "coordinator", "program_admin"}),
    )

    # Side C: a second case of the attorney and the mentor, its file NOT shared with the
    # mentor (Case.mentor_file_access): the mentor reads the workspace, never the client, nor
    # the dates computed from the client's date of birth (the child turns 18 in 10 days).
    case_c, _hearing = _placed_case(
        world,
        "C",
        attorney=p.attorney,
        mentor=p.mentor,
        organization=p.partner.organization,
        court=court,
        file_shared=False,
        readers=frozenset({"attorney", "partner", "coordinator", "program_admin"}),
        turns_18_in_days=10,
    )
    world.values["case"]["C"] = case_c.code
    document_c = case_document_create(
        case=case_c, actor=p.attorney, title="Declaration", kind="draft", file=_pdf()
    )
    world.values["document_version"]["C"] = document_c.versions.get().pk
    # ... and a mentorship: its pages name the case by its code, never the client.
    for kind, value in _mentorship(case_c, attorney=p.attorney, mentor=p.mentor).items():
        world.values[kind]["C"] = value

    # Trainings: an active course everyone may learn from, and an inactive one only staff see.
    active = CourseFactory(kind="external", title_en="Asylum basics")
    inactive = CourseFactory(kind="external", title_en="Retired course", active=False)
    world.put("course", active.pk, inactive.pk)
    modules = {}
    for side, course in (("A", active), ("B", inactive)):
        module = ModuleFactory(course=course)
        module.video_file.save("intro.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
        modules[side] = module.pk
    world.put("module", modules["A"], modules["B"])
    session_a = LiveSessionFactory(course__title_en="Live asylum clinic")
    session_b = LiveSessionFactory(course__title_en="Retired clinic", course__active=False)
    world.put("session", session_a.pk, session_b.pk)
    certificates = {}
    registrations = {}
    for side, user in (("A", p.attorney), ("B", p.other_attorney)):
        certificate = Certificate(
            user=user,
            course=active,
            original_name="certificate.pdf",
            content_type="application/pdf",
            size=len(PDF),
            completed_on=timezone.localdate() - dt.timedelta(days=5),
        )
        certificate.file.save("certificate.pdf", ContentFile(PDF), save=False)
        certificate.save()
        certificates[side] = certificate.pk
        registrations[side] = Registration.objects.create(
            session=session_a, user=user, status=Registration.Status.REGISTERED
        ).pk
    world.put("certificate", certificates["A"], certificates["B"])
    world.put("registration", registrations["A"], registrations["B"])

    # Case imports: each partner's own.
    jobs = {
        side: CaseImportJob.objects.create(
            token=f"access-test-import-{side}",
            created_by=user,
            organization=user.organization,
            file_format="csv",
            status=CaseImportJob.Status.DONE,
        ).token
        for side, user in (("A", p.partner), ("B", p.other_partner))
    }
    world.put("import_job", jobs["A"], jobs["B"])
    # Volunteers' profiles.
    world.put(
        "attorney_profile", p.attorney.attorney_profile.pk, p.other_attorney.attorney_profile.pk
    )
    # Calendar feeds: the attorney's genuine token, and one that names nobody.
    world.put("calendar_token", calendar_feed_get_or_create(user=p.attorney).token, "not-a-token")

    # Objects nobody owns: one of each, on side A.
    version = LibraryDocumentVersionFactory(document__created_by=p.coordinator)
    world.put("library_document", version.document.pk)
    world.put("library_version", version.pk)
    note = StrategyNote.objects.create(
        case_type="defensive_asylum",
        title_en="Asylum strategy",
        body_en="Start with the declaration.",
        updated_by=p.coordinator,
    )
    world.put("strategy_note", note.pk)
    source = FundingSource.objects.create(
        name="Bar foundation grant",
        kind="grant",
        amount=Decimal("5000.00"),
        start_date=timezone.localdate().replace(month=1, day=1),
    )
    world.put("funding_source", source.pk)
    world.put("inquiry", PartnerInquiryFactory().pk)
    pending = NewsletterSubscriberFactory(confirmed_at=None, confirmation_nonce="0123abcd" * 4)
    world.put("newsletter_confirm_token", subscriber_confirmation_token(pending))
    subscriber = NewsletterSubscriberFactory()
    world.put("newsletter_unsubscribe_token", subscriber_unsubscribe_token(subscriber))

    # An API token for every persona.
    for name in PERSONA_NAMES:
        _token, secret = api_token_create(user=getattr(p, name), name="access test")
        world.tokens[name] = secret
    return world


PERSONA_NAMES = (
    "attorney",
    "other_attorney",
    "unverified_attorney",
    "mentor",
    "other_mentor",
    "partner",
    "other_partner",
    "coordinator",
    "program_admin",
)
