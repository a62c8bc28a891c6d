"""Retention (issue 9): closed cases are archived off the working lists, then purged of
personal data after the retention period; figures stay, the purge is recorded, and a purged
former client still counts in the conflict check."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from amparo.cases.models import Case, CaseEvent, Hearing, OpposingFiling, Outcome, Placement, Stage
from amparo.cases.retention import case_purge, retention_apply
from amparo.cases.selectors import case_list_for_user, case_stage_counts
from amparo.cases.tasks import apply_retention
from amparo.conflicts.models import ConflictHit, PartyNameToken, PartyType
from amparo.conflicts.services import (
    conflict_check_case,
    conflicts_reindex_all,
    party_index_for_client,
)
from amparo.core.fields import encrypted_fields
from amparo.core.models import AuditEvent
from amparo.deadlines.models import CaseDeadline, DeadlineSource, Milestone
from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening
from amparo.mentoring.models import MentoringMeeting, MentoringRequest, Mentorship
from amparo.mentoring_work.models import (
    Draft,
    DraftComment,
    MentoringPlan,
    MentorshipFeedback,
    Message,
    PlanMilestone,
    TimeEntry,
)
from amparo.reports.selectors import ReportFilters, dashboard
from amparo.workspace.models import (
    CaseDocument,
    CaseDocumentVersion,
    ClientContact,
    DocumentComment,
    HandoffPacket,
    HearingOutcome,
    HoursEntry,
    WithdrawalRequest,
)
from tests.factories import CaseFactory, ClientFactory

# Written into every free-text field of the case, so that a scan of the whole database after
# the purge finds any field the purge missed.
GIVEN = "Itzamná"
FAMILY = "Retención Quetzalcóatl"
NAME = f"{GIVEN} {FAMILY}"
YEAR = dt.timedelta(days=365)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-media")},
        },
    }


def closed_case(personas: Any, *, closed_ago: dt.timedelta, **facts: Any) -> Case:
    case = CaseFactory(
        stage=Stage.CLOSED,
        attorney_of_record=personas.attorney,
        placing_organization=personas.placed_case.placing_organization,
        outcome=Outcome.GRANTED,
        placed_at=timezone.now() - closed_ago - YEAR,
        closed_at=timezone.now() - closed_ago,
        outcome_date=timezone.localdate() - closed_ago,
        **facts,
    )
    return case


def stored(data: bytes) -> ContentFile:
    return ContentFile(data, name="file.pdf")


@pytest.fixture
def old_case(personas: Any) -> Case:
    """A case closed eight years ago with the client's name in every free-text field, a family
    member and an adverse party, a document and a mentoring draft on disk."""
    client = ClientFactory(
        given_names=GIVEN,
        family_names=FAMILY,
        a_number="A-201-555-777",
        address=f"{NAME}, 12 Calle Larga, Oakland",
        email="itzamna@example.org",
        notes=f"{NAME} prefers mornings",
        safe_mailing_address=f"c/o {NAME}",
        languages=["es", "quc"],
    )
    case = closed_case(
        personas,
        closed_ago=8 * YEAR,
        client=client,
        summary_en=f"{NAME} fled",
        summary_es=f"{NAME} huyó",
        mentor=personas.mentor,
        court=personas.placed_case.court,
    )
    attorney, mentor = personas.attorney, personas.mentor
    FamilyMember.objects.create(
        client=client,
        relationship="child",
        given_names=GIVEN,
        family_names=FAMILY,
        a_number="A-201-555-778",
        date_of_birth=dt.date(2012, 1, 2),
        address=NAME,
        phone="(510) 555-0101",
        notes=NAME,
    )
    AdverseParty.objects.create(
        client=client, kind="perpetrator", name=f"Ernesto {FAMILY}", address=NAME, notes=NAME
    )
    party_index_for_client(client=client)
    ConflictHit.objects.create(
        case=case,
        subject_type=PartyType.CLIENT,
        subject_id=client.pk,
        subject_label="Client",
        matched_type=PartyType.CLIENT,
        matched_id=personas.placed_case.client_id,
        score=0.7,
        why_en="Two of three name parts agree.",
        why_es="Coinciden dos de tres partes del nombre.",
        status=ConflictHit.Status.CLEARED,
        resolved_by=personas.coordinator,
        resolved_at=timezone.now(),
        note=f"Not the same person as {NAME}",
    )
    Screening.objects.create(
        case=case, answers=json.dumps({"x": {"note": NAME}}), merits_notes=NAME, reason=NAME
    )
    hearing = Hearing.objects.create(
        case=case, kind="individual", starts_at=case.closed_at - YEAR / 2, notes=NAME
    )
    HearingOutcome.objects.create(
        hearing=hearing, result="decided", note=NAME, recorded_by=attorney
    )
    OpposingFiling.objects.create(case=case, received_on=dt.date(2017, 1, 1), description=NAME)
    Placement.objects.create(case=case, attorney=attorney, how="coordinator", end_reason=NAME)
    withdrawal = WithdrawalRequest.objects.create(
        case=case, attorney=attorney, reason=NAME, status="declined", decision_note=NAME
    )
    HandoffPacket.objects.create(
        case=case,
        withdrawal_request=withdrawal,
        former_attorney=attorney,
        content=json.dumps({"client": NAME}),
    )
    ClientContact.objects.create(
        case=case,
        contacted_on=dt.date(2017, 2, 1),
        channel="in_person",
        direction="to_client",
        language="es",
        note=NAME,
        logged_by=attorney,
    )
    HoursEntry.objects.create(
        case=case,
        attorney=attorney,
        worked_on=dt.date(2017, 2, 1),
        activity="drafting",
        hours=Decimal("3.50"),
        description=NAME,
    )
    CaseDeadline.objects.create(
        case=case, rule="custom", source=DeadlineSource.CUSTOM, date=dt.date(2017, 3, 1), title=NAME
    )
    Milestone.objects.create(case=case, title_en=NAME, title_es=NAME)
    document = CaseDocument.objects.create(case=case, title=NAME, kind="draft", created_by=attorney)
    version = CaseDocumentVersion(
        document=document,
        number=1,
        original_filename=f"{NAME}.pdf",
        size=10,
        content_type="application/pdf",
        uploaded_by=attorney,
        note=NAME,
    )
    version.file.save("upload.pdf", stored(b"%PDF-1.4 " + NAME.encode()), save=False)
    version.save()
    DocumentComment.objects.create(version=version, author=mentor, body=NAME)
    request = MentoringRequest.objects.create(
        case=case, attorney=attorney, status="closed", help_wanted=NAME
    )
    mentorship = Mentorship.objects.create(
        request=request,
        case=case,
        mentor=mentor,
        mentee=attorney,
        status="closed",
        decline_reason=NAME,
    )
    MentoringMeeting.objects.create(
        mentorship=mentorship,
        starts_at=case.closed_at - YEAR,
        mode="video",
        video_link="https://meet.example.org/x",
        booked_by=mentor,
        notes=NAME,
    )
    MentoringPlan.objects.create(
        mentorship=mentorship,
        first_meeting_at=case.closed_at - YEAR,
        first_meeting_mode="video",
        first_meeting_notes=NAME,
        created_by=mentor,
    )
    milestone = PlanMilestone.objects.create(mentorship=mentorship, title_en=NAME, title_es=NAME)
    draft = Draft(
        milestone=milestone,
        number=1,
        original_name=f"{NAME}.pdf",
        file_type="pdf",
        size=10,
        sha256="0" * 64,
        note=NAME,
        uploaded_by=attorney,
    )
    draft.file.save("draft.pdf", stored(b"%PDF-1.4 draft " + NAME.encode()), save=False)
    draft.save()
    DraftComment.objects.create(draft=draft, author=mentor, body=NAME)
    Message.objects.create(
        mentorship=mentorship,
        author=mentor,
        body=NAME,
        response_seconds=3600,
        answered_on_time=True,
        answered_at=case.closed_at - YEAR,
    )
    TimeEntry.objects.create(
        mentorship=mentorship,
        mentor=mentor,
        date=dt.date(2017, 2, 1),
        minutes=90,
        activity="meeting",
        description=NAME,
        status="approved",
    )
    MentorshipFeedback.objects.create(
        mentorship=mentorship, author=attorney, side="mentee", rating=5, comments=NAME
    )
    return case


def raw_encrypted(model: Any, **lookup: Any) -> list[Any]:
    """The stored values of the model's encrypted columns (tokens, not decrypted)."""
    fields = encrypted_fields(model)
    casts = {f"raw_{f.attname}": Cast(f.attname, models.TextField()) for f in fields}
    rows = model._base_manager.filter(**lookup).annotate(**casts).values_list(*casts)
    return [value for row in rows for value in row]


def database_mentions(text: str) -> list[str]:
    """Every (model, field) whose clear value, anywhere in the database, contains `text`."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = model._meta.concrete_fields
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                shown = (
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(value, dict | list)
                    else value
                )
                if isinstance(shown, str) and text.lower() in shown.lower():
                    found.append(f"{model._meta.label}.{field.name}")
    return sorted(set(found))


def figures() -> Any:
    today = timezone.localdate()
    return dashboard(filters=ReportFilters(start=today - 12 * YEAR, end=today))


# --- archive ----------------------------------------------------------------------------------


def test_archive_by_age_after_the_archive_period(personas, settings):
    settings.AMPARO_ARCHIVE_AFTER_DAYS = 90
    due = closed_case(personas, closed_ago=dt.timedelta(days=91))
    recent = closed_case(personas, closed_ago=dt.timedelta(days=89))

    run = retention_apply()

    assert run.archived == [due.code]
    due.refresh_from_db()
    recent.refresh_from_db()
    assert due.archived_at is not None and due.purged_at is None
    assert recent.archived_at is None
    assert (
        personas.placed_case.__class__.objects.get(pk=personas.placed_case.pk).archived_at is None
    )
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CASE_ARCHIVED)
    assert audit.actor is None and audit.data == {"case_code": due.code, "automatic": True}
    assert due.events.filter(kind=CaseEvent.Kind.ARCHIVED, actor=None).exists()
    # Running again changes nothing.
    assert retention_apply().archived == []


def test_archived_cases_leave_the_working_lists_but_reports_count_them(client, personas):
    case = closed_case(personas, closed_ago=dt.timedelta(days=200))
    before = figures()
    counts_before = case_stage_counts(viewer=personas.coordinator)

    retention_apply()

    assert case not in case_list_for_user(viewer=personas.coordinator)
    assert case not in case_list_for_user(viewer=personas.partner)
    assert case not in case_list_for_user(viewer=personas.attorney)
    assert case in case_list_for_user(viewer=personas.coordinator, archived=True)
    client.force_login(personas.coordinator)
    listed = client.get(reverse("cases:list")).content.decode()
    assert case.code not in listed and personas.placed_case.code in listed
    archived = client.get(reverse("cases:list") + "?show=archived").content.decode()
    assert case.code in archived and personas.placed_case.code not in archived
    client.force_login(personas.partner)
    assert case.code not in client.get(reverse("dashboard")).content.decode()
    # Figures: the program's report and the dashboard's stage counts still count the case.
    assert figures() == before
    assert case_stage_counts(viewer=personas.coordinator) == counts_before
    assert counts_before[Stage.CLOSED] >= 1
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 200


def test_coordinator_archives_a_closed_case_by_hand_and_brings_it_back(client, personas):
    case = closed_case(personas, closed_ago=dt.timedelta(days=10))
    client.force_login(personas.coordinator)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert reverse("cases:archive", args=[case.code]) in page

    response = client.post(reverse("cases:archive", args=[case.code]))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.archived_at is not None
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CASE_ARCHIVED)
    assert audit.actor == personas.coordinator and audit.data["automatic"] is False
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert reverse("cases:unarchive", args=[case.code]) in page

    client.post(reverse("cases:unarchive", args=[case.code]))

    case.refresh_from_db()
    assert case.archived_at is None
    assert case.events.filter(kind=CaseEvent.Kind.UNARCHIVED, actor=personas.coordinator).exists()


def test_a_case_brought_back_stays_on_the_lists_for_another_period(personas, settings):
    settings.AMPARO_ARCHIVE_AFTER_DAYS = 90
    case = closed_case(personas, closed_ago=dt.timedelta(days=200))
    retention_apply()
    from amparo.cases.retention import case_unarchive

    case_unarchive(case=case, actor=personas.coordinator)
    assert retention_apply().archived == []
    assert retention_apply(now=timezone.now() + dt.timedelta(days=91)).archived == [case.code]


@pytest.mark.parametrize("persona", ["attorney", "partner", "program_admin", "mentor"])
def test_only_coordinators_archive_by_hand(client, personas, persona):
    case = closed_case(personas, closed_ago=dt.timedelta(days=10))
    client.force_login(getattr(personas, persona))
    assert client.post(reverse("cases:archive", args=[case.code])).status_code == 404
    case.refresh_from_db()
    assert case.archived_at is None


def test_an_open_case_cannot_be_archived(client, personas):
    case = personas.placed_case
    client.force_login(personas.coordinator)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert reverse("cases:archive", args=[case.code]) not in page

    response = client.post(reverse("cases:archive", args=[case.code]), follow=True)

    assert "Only a closed case can be archived." in response.content.decode()
    case.refresh_from_db()
    assert case.archived_at is None
    assert client.get(reverse("cases:archive", args=[case.code])).status_code == 405


# --- purge ------------------------------------------------------------------------------------


def test_purge_removes_every_personal_field_and_file(personas, old_case):
    assert database_mentions(GIVEN)  # the fixture wrote the name everywhere
    storage = storages["default"]
    files = [v.file.name for v in CaseDocumentVersion.objects.filter(document__case=old_case)]
    files += [d.file.name for d in Draft.objects.filter(milestone__mentorship__case=old_case)]
    assert len(files) == 2 and all(storage.exists(name) for name in files)

    run = retention_apply()

    assert run.purged == [old_case.code]
    assert database_mentions(GIVEN) == []
    assert database_mentions("Quetzalc") == []
    assert not any(storage.exists(name) for name in files)
    client = Client.objects.get(pk=old_case.client_id)
    assert set(raw_encrypted(Client, pk=client.pk)) <= {"", None}
    assert client.a_number_index == ""
    assert set(raw_encrypted(FamilyMember, client=client)) <= {"", None}
    assert set(raw_encrypted(AdverseParty, client=client)) <= {"", None}
    for model, lookup in [
        (Screening, {"case": old_case}),
        (HearingOutcome, {"hearing__case": old_case}),
        (Placement, {"case": old_case}),
        (WithdrawalRequest, {"case": old_case}),
        (HandoffPacket, {"case": old_case}),
        (ClientContact, {"case": old_case}),
        (HoursEntry, {"case": old_case}),
        (MentoringRequest, {"case": old_case}),
        (MentoringMeeting, {"mentorship__case": old_case}),
        (MentoringPlan, {"mentorship__case": old_case}),
        (Message, {"mentorship__case": old_case}),
        (TimeEntry, {"mentorship__case": old_case}),
        (MentorshipFeedback, {"mentorship__case": old_case}),
        (ConflictHit, {"case": old_case}),
    ]:
        values = raw_encrypted(model, **lookup)
        assert values and set(values) <= {"", None}, model
    assert not CaseDocument.objects.filter(case=old_case).exists()
    assert not Draft.objects.filter(milestone__mentorship__case=old_case).exists()


def test_purge_keeps_the_figures(personas, old_case):
    before = figures()
    hours = HoursEntry.objects.get(case=old_case).hours
    facts = Case.objects.filter(pk=old_case.pk).values(
        "case_type", "court_id", "stage", "outcome", "outcome_date", "closed_at", "placed_at"
    )[0]

    retention_apply()

    assert figures() == before
    assert Case.objects.filter(pk=old_case.pk).values(*facts)[0] == facts
    assert HoursEntry.objects.get(case=old_case).hours == hours
    assert TimeEntry.objects.get(mentorship__case=old_case).minutes == 90
    message = Message.objects.get(mentorship__case=old_case)
    assert (message.response_seconds, message.answered_on_time) == (3600, True)
    client = Client.objects.get(pk=old_case.client_id)
    assert (client.country_of_nationality, client.languages) == ("SV", ["es", "quc"])
    assert FamilyMember.objects.get(client=client).relationship == "child"
    assert AdverseParty.objects.get(client=client).kind == "perpetrator"
    hearing = Hearing.objects.get(case=old_case)
    assert (hearing.kind, hearing.status) == ("individual", "scheduled")


def test_purge_is_recorded_without_personal_data(client, personas, old_case):
    retention_apply()

    old_case.refresh_from_db()
    assert old_case.purged_at is not None and old_case.archived_at is not None
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CASE_PURGED)
    assert audit.actor is None and audit.object_id == str(old_case.pk)
    removed = audit.data["removed"]
    assert removed["client"] == 1 and removed["family_members"] == 1
    assert removed["documents"] == 1 and removed["drafts"] == 1 and removed["files"] == 2
    assert audit.data["client_kept"] is False
    event = old_case.events.get(kind=CaseEvent.Kind.PURGED)
    assert event.data["removed"] == removed
    assert GIVEN not in json.dumps(audit.data) + json.dumps(event.data)
    # The case page says so; the timeline shows the purge.
    client.force_login(personas.coordinator)
    page = client.get(reverse("cases:detail", args=[old_case.code])).content.decode()
    assert "purged" in page and reverse("cases:unarchive", args=[old_case.code]) not in page
    timeline = client.get(reverse("cases:timeline", args=[old_case.code])).content.decode()
    assert "Personal data purged under the retention policy" in timeline
    # A purged case cannot come back to the lists.
    client.post(reverse("cases:unarchive", args=[old_case.code]))
    old_case.refresh_from_db()
    assert old_case.archived_at is not None


def test_nothing_is_purged_before_the_retention_period(personas, settings):
    settings.AMPARO_RETENTION_YEARS = 7
    case = closed_case(personas, closed_ago=7 * YEAR - dt.timedelta(days=5))
    name = case.client.family_names

    run = retention_apply()

    assert run.purged == [] and run.archived == [case.code]
    case.refresh_from_db()
    assert case.purged_at is None
    assert Client.objects.get(pk=case.client_id).family_names == name
    with pytest.raises(ValidationError):
        case_purge(case=case)
    assert retention_apply(now=timezone.now() + dt.timedelta(days=10)).purged == [case.code]


def test_a_client_with_another_live_case_keeps_their_identity(personas, old_case):
    CaseFactory(client=old_case.client, stage=Stage.PLACED, attorney_of_record=personas.attorney)

    retention_apply()

    client = Client.objects.get(pk=old_case.client_id)
    assert (client.given_names, client.family_names) == (GIVEN, FAMILY)
    assert FamilyMember.objects.get(client=client).given_names == GIVEN
    assert set(raw_encrypted(ClientContact, case=old_case)) == {""}
    assert AuditEvent.objects.get(action=AuditEvent.Action.CASE_PURGED).data["client_kept"]


def test_a_reopened_case_is_neither_archived_nor_purged(personas, old_case):
    """Retention follows the stage: a re-opened case comes off the archive, and closing it
    again (which sets closed_at) restarts the clock."""
    Case.objects.filter(pk=old_case.pk).update(archived_at=timezone.now())
    Case.objects.filter(pk=old_case.pk).update(stage=Stage.PLACED)

    run = retention_apply()

    assert run.unarchived == [old_case.code] and run.purged == [] and run.archived == []
    old_case.refresh_from_db()
    assert old_case.archived_at is None and old_case.purged_at is None
    assert Client.objects.get(pk=old_case.client_id).family_names == FAMILY
    event = old_case.events.get(kind=CaseEvent.Kind.UNARCHIVED)
    assert event.data == {"reason": "reopened"}


def test_dry_run_lists_and_changes_nothing(personas, old_case):
    archivable = closed_case(personas, closed_ago=dt.timedelta(days=100))
    cases_before = list(Case.objects.order_by("pk").values())
    audit_before = AuditEvent.objects.count()
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    output = out.getvalue()
    assert old_case.code in output and archivable.code in output
    assert "nothing was changed" in output
    assert list(Case.objects.order_by("pk").values()) == cases_before
    assert AuditEvent.objects.count() == audit_before
    assert Client.objects.get(pk=old_case.client_id).family_names == FAMILY


def test_apply_retention_command_and_daily_task(personas, old_case):
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert old_case.code in out.getvalue()
    assert Case.objects.get(pk=old_case.pk).purged_at is not None
    archivable = closed_case(personas, closed_ago=dt.timedelta(days=100))

    assert apply_retention.call_local() == {
        "unarchived": 0,
        "archived": 1,
        "purged": 0,
        "failed": 0,
    }
    assert Case.objects.get(pk=archivable.pk).archived_at is not None


# --- conflicts after a purge ------------------------------------------------------------------


def test_a_purged_former_client_still_stops_a_conflicting_case(personas, old_case):
    """The blind index keeps the purged names' keyed hashes: a new case naming the former
    client (or the adverse party) is flagged for a check by hand."""
    retention_apply()
    assert PartyNameToken.objects.filter(
        party_type=PartyType.CLIENT, party_id=old_case.client_id
    ).exists()
    conflicts_reindex_all()  # a rebuild keeps them
    assert PartyNameToken.objects.filter(
        party_type=PartyType.CLIENT, party_id=old_case.client_id
    ).exists()
    new = CaseFactory(client=ClientFactory(given_names=GIVEN, family_names=FAMILY))

    hits = conflict_check_case(case=new, actor=personas.coordinator)

    hit = next(h for h in hits if h.matched_type == PartyType.CLIENT)
    assert hit.matched_id == old_case.client_id and hit.matched_case_id == old_case.pk
    assert "purged" in hit.why_en and hit.score == 1.0
    assert GIVEN not in hit.why_en
