"""Retention (issue 9): what happens to a case after it closes.

Archive. AMPARO_ARCHIVE_AFTER_DAYS after closing, a closed case is archived: it leaves the
working lists (the case list and the dashboards; the board, the cases at risk and the
coordinators' queues only ever show open cases), stays readable by those who could read it,
and every report still counts it. A coordinator may archive a closed case earlier, by hand, and
bring an archived case back before it is purged; the daily job then leaves it on the lists for
another AMPARO_ARCHIVE_AFTER_DAYS.

Purge. AMPARO_RETENTION_YEARS after closing, the personal data of the case is removed for good:
the client's identity and contact details (names, A-number and its search hash, birth date,
addresses, phone, e-mail, notes), the family members' and adverse parties' likewise, and what
the team wrote about the client: screening answers and notes, hearing notes and outcomes'
notes, the other party's filings' descriptions, the communication log's notes, hours'
descriptions, withdrawal reasons and hand-off packets, custom deadline and milestone titles,
mentoring requests' help wanted, meeting and plan notes, messages, time descriptions, feedback
comments, conflict-hit notes, the board summaries. Case documents and mentoring drafts are
deleted with their files. What the program's figures count is kept: the case's type, court,
stage, outcome and every date, placements, hearings (kind, date, status), hours, mentor time,
the messages' response times, the client's country and languages, how many family members.
A client with another case that is still open or inside its own retention period keeps their
identity until that case is purged too.

Conflicts. An attorney cannot act against a former client (ABA Model Rule 1.9), so a purged
party stays in the conflict check's blind index: the keyed hashes (HMAC under
AMPARO_BLIND_INDEX_KEY) of the sound-alike tokens of the name's parts, never the name. The
conflict search reports a new person sharing those tokens as a possible match to compare by
hand (conflicts/services/search.py). The hashes cannot be turned back into a name without the
key, and only approximately with it; rebuilding the index after a change of that key cannot
recreate them, which the key-rotation docs say.

Re-opened cases. Retention runs only on cases whose stage is closed now, counted from
`closed_at`: the daily job takes a re-opened case off the archive, and closing it again
restarts the clock (the closing services set `closed_at`).

Backups made before a purge still hold the purged data (encrypted) until they are deleted:
keep backups for a bounded time (docs/deploy.md, "Backups").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, CaseEvent, Hearing, OpposingFiling, Placement, Stage
from amparo.cases.services import case_event_record
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent


def archive_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=settings.AMPARO_ARCHIVE_AFTER_DAYS)


def purge_cutoff(now: dt.datetime) -> dt.datetime:
    """The same day and time AMPARO_RETENTION_YEARS years earlier (29 February: the 28th)."""
    year = now.year - settings.AMPARO_RETENTION_YEARS
    try:
        return now.replace(year=year)
    except ValueError:
        return now.replace(year=year, day=28)


# --- reads ------------------------------------------------------------------------------------


def retention_archive_due(*, now: dt.datetime) -> QuerySet[Case]:
    """Closed cases past the archive period, not archived, and not brought back by hand within
    the last period."""
    cutoff = archive_cutoff(now)
    brought_back = CaseEvent.objects.filter(
        case=OuterRef("pk"), kind=CaseEvent.Kind.UNARCHIVED, created_at__gt=cutoff
    )
    return (
        Case.objects.filter(
            stage=Stage.CLOSED,
            closed_at__lte=cutoff,
            archived_at__isnull=True,
            purged_at__isnull=True,
        )
        .exclude(Exists(brought_back))
        .order_by("closed_at", "pk")
    )


def retention_purge_due(*, now: dt.datetime) -> QuerySet[Case]:
    return Case.objects.filter(
        stage=Stage.CLOSED, closed_at__lte=purge_cutoff(now), purged_at__isnull=True
    ).order_by("closed_at", "pk")


def retention_reopened() -> QuerySet[Case]:
    """Archived cases that are no longer closed."""
    return (
        Case.objects.filter(archived_at__isnull=False, purged_at__isnull=True)
        .exclude(stage=Stage.CLOSED)
        .order_by("pk")
    )


def case_can_archive(case: Case) -> bool:
    return case.stage == Stage.CLOSED and case.archived_at is None and case.purged_at is None


def case_can_unarchive(case: Case) -> bool:
    return case.archived_at is not None and case.purged_at is None


# --- archive ----------------------------------------------------------------------------------


@transaction.atomic
def case_archive(*, case: Case, actor: Any, request: HttpRequest | None = None) -> Case:
    """Take a closed case off the working lists (`actor` None: the daily job)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.purged_at is not None or locked.archived_at is not None:
        raise ValidationError(_("This case is already archived."), code="archived")
    if locked.stage != Stage.CLOSED:
        raise ValidationError(_("Only a closed case can be archived."), code="not_closed")
    locked.archived_at = timezone.now()
    locked.save(update_fields=["archived_at", "updated_at"])
    automatic = not getattr(actor, "is_authenticated", False)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_ARCHIVED,
        target=locked,
        request=request,
        data={"case_code": locked.code, "automatic": automatic},
    )
    case_event_record(
        case=locked, kind=CaseEvent.Kind.ARCHIVED, actor=actor, data={"automatic": automatic}
    )
    return locked


@transaction.atomic
def case_unarchive(
    *, case: Case, actor: Any, request: HttpRequest | None = None, reason: str = "by_hand"
) -> Case:
    """Bring an archived case back to the working lists (never once purged)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.purged_at is not None:
        raise ValidationError(
            _("The personal data of this case was purged: it stays archived."), code="purged"
        )
    if locked.archived_at is None:
        raise ValidationError(_("This case is not archived."), code="not_archived")
    locked.archived_at = None
    locked.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=locked,
        request=request,
        data={"case_code": locked.code, "archived": False, "reason": reason},
    )
    case_event_record(
        case=locked, kind=CaseEvent.Kind.UNARCHIVED, actor=actor, data={"reason": reason}
    )
    return locked


# --- purge ------------------------------------------------------------------------------------


#: Emptied on the client, their family members and adverse parties (the encrypted columns
#: become empty strings or NULL; the blind-index hash of the A-number goes with it).
CLIENT_PERSONAL = {
    "given_names": "",
    "family_names": "",
    "a_number": "",
    "a_number_index": "",
    "date_of_birth": None,
    "address": "",
    "phone": "",
    "email": "",
    "notes": "",
    "safe_mailing_address": "",
}
FAMILY_MEMBER_PERSONAL = {
    "given_names": "",
    "family_names": "",
    "a_number": "",
    "a_number_index": "",
    "date_of_birth": None,
    "address": "",
    "phone": "",
    "notes": "",
}
ADVERSE_PARTY_PERSONAL = {"name": "", "address": "", "phone": "", "notes": ""}
#: What is left of a title the team wrote, where a title is required.
PURGED_TITLE = "—"


@dataclass
class PurgeResult:
    case: Case
    removed: dict[str, int]
    client_kept: bool
    files: list[str] = field(default_factory=list)


def _client_has_other_live_case(case: Case) -> bool:
    """Another case of the same client that is not being purged with this one."""
    return (
        Case.objects.filter(client_id=case.client_id, purged_at__isnull=True)
        .exclude(pk=case.pk)
        .exists()
    )


@transaction.atomic
def case_purge(*, case: Case, actor: Any = None, now: dt.datetime | None = None) -> PurgeResult:
    """Remove the personal data of a case closed more than AMPARO_RETENTION_YEARS ago (see the
    module's docstring for what goes and what stays). Idempotent on the rows; refuses a case
    that is not closed or not yet past the retention period."""
    from amparo.conflicts.models import ConflictHit
    from amparo.deadlines.models import CaseDeadline, DeadlineSource, Milestone
    from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening
    from amparo.mentoring.models import MentoringMeeting, MentoringRequest, Mentorship
    from amparo.mentoring_work.models import (
        Draft,
        MentoringPlan,
        MentorshipFeedback,
        Message,
        PlanMilestone,
        TimeEntry,
    )
    from amparo.workspace.models import (
        CaseDocument,
        CaseDocumentVersion,
        ClientContact,
        HandoffPacket,
        HearingOutcome,
        HoursEntry,
        WithdrawalRequest,
    )

    now = now or timezone.now()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.purged_at is not None:
        raise ValidationError(_("The personal data of this case was already purged."))
    if (
        locked.stage != Stage.CLOSED
        or locked.closed_at is None
        or locked.closed_at > purge_cutoff(now)
    ):
        raise ValidationError(
            _("Only a case closed more than %(years)s years ago can be purged.")
            % {"years": settings.AMPARO_RETENTION_YEARS}
        )
    removed: Counter[str] = Counter()

    def clear(label: str, queryset: QuerySet[Any], **values: Any) -> None:
        removed[label] += queryset.update(**values)

    locked.summary_en = locked.summary_es = ""
    locked.on_public_urgent_page = False
    locked.archived_at = locked.archived_at or now
    locked.purged_at = now
    locked.save(
        update_fields=[
            "summary_en",
            "summary_es",
            "on_public_urgent_page",
            "archived_at",
            "purged_at",
            "updated_at",
        ]
    )
    clear(
        "screening",
        Screening.objects.filter(case=locked),
        answers="",
        merits_notes="",
        reason="",
    )
    clear("hearing_notes", Hearing.objects.filter(case=locked).exclude(notes=""), notes="")
    clear("hearing_outcome_notes", HearingOutcome.objects.filter(hearing__case=locked), note="")
    clear(
        "opposing_filings",
        OpposingFiling.objects.filter(case=locked).exclude(description=""),
        description="",
    )
    clear("placement_end_reasons", Placement.objects.filter(case=locked), end_reason="")
    clear(
        "withdrawal_requests",
        WithdrawalRequest.objects.filter(case=locked),
        reason="",
        decision_note="",
    )
    clear("handoff_packets", HandoffPacket.objects.filter(case=locked), content="")
    clear("client_contact_notes", ClientContact.objects.filter(case=locked), note="")
    clear("hours_descriptions", HoursEntry.objects.filter(case=locked), description="")
    clear(
        "custom_deadline_titles",
        CaseDeadline.objects.filter(case=locked, source=DeadlineSource.CUSTOM),
        title=PURGED_TITLE,  # a custom deadline must have a title (custom_deadline_has_title)
    )
    clear(
        "custom_milestone_titles",
        Milestone.objects.filter(case=locked, template_item__isnull=True),
        title_en="",
        title_es="",
    )
    clear("conflict_hit_notes", ConflictHit.objects.filter(case=locked), note="")

    # Mentoring on the case.
    mentorships = Mentorship.objects.filter(case=locked)
    clear(
        "mentoring_requests",
        MentoringRequest.objects.filter(case=locked),
        help_wanted="",
    )
    clear("mentorship_decline_reasons", mentorships.exclude(decline_reason=""), decline_reason="")
    clear("meeting_notes", MentoringMeeting.objects.filter(mentorship__case=locked), notes="")
    clear(
        "mentoring_plan_notes",
        MentoringPlan.objects.filter(mentorship__case=locked),
        first_meeting_notes="",
    )
    clear(
        "custom_mentoring_milestone_titles",
        PlanMilestone.objects.filter(mentorship__case=locked, template_step__isnull=True),
        title_en="",
        title_es="",
    )
    clear("messages", Message.objects.filter(mentorship__case=locked), body="")
    clear("time_descriptions", TimeEntry.objects.filter(mentorship__case=locked), description="")
    clear(
        "feedback_comments",
        MentorshipFeedback.objects.filter(mentorship__case=locked),
        comments="",
    )

    # Documents and drafts go, rows and files (their comments with them).
    files: list[str] = []
    versions = CaseDocumentVersion.objects.filter(document__case=locked)
    files += [name for name in versions.values_list("file", flat=True) if name]
    removed["document_versions"] += versions.count()
    documents = CaseDocument.objects.filter(case=locked)
    removed["documents"] += documents.count()
    documents.delete()
    drafts = Draft.objects.filter(milestone__mentorship__case=locked)
    files += [name for name in drafts.values_list("file", flat=True) if name]
    removed["drafts"] += drafts.count()
    drafts.delete()

    # The client and the people around them, once no case of theirs needs them any more.
    client_kept = _client_has_other_live_case(locked)
    if not client_kept:
        clear("client", Client.objects.filter(pk=locked.client_id), **CLIENT_PERSONAL)
        clear(
            "family_members",
            FamilyMember.objects.filter(client_id=locked.client_id),
            **FAMILY_MEMBER_PERSONAL,
        )
        clear(
            "adverse_parties",
            AdverseParty.objects.filter(client_id=locked.client_id),
            **ADVERSE_PARTY_PERSONAL,
        )

    # Last, so that an error above leaves every file in place. Should the commit itself fail,
    # the case is not marked purged and the next run purges it again (deleting what is left).
    _delete_files(files)
    removed["files"] = len(files)
    counts = {label: n for label, n in sorted(removed.items()) if n}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_PURGED,
        target=locked,
        data={"case_code": locked.code, "removed": counts, "client_kept": client_kept},
    )
    case_event_record(
        case=locked,
        kind=CaseEvent.Kind.PURGED,
        actor=actor,
        data={"removed": counts, "client_kept": client_kept},
    )
    return PurgeResult(case=locked, removed=counts, client_kept=client_kept, files=files)


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import storages

    storage = storages["default"]
    for name in names:
        if storage.exists(name):
            storage.delete(name)


# --- the daily run ----------------------------------------------------------------------------


@dataclass
class RetentionRun:
    now: dt.datetime
    dry_run: bool
    archived: list[str] = field(default_factory=list)
    unarchived: list[str] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def retention_apply(*, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Un-archive re-opened cases, archive closed cases past the archive period, purge cases
    past the retention period. Each case in its own transaction: one that fails is reported and
    the others go on. With `dry_run`, only list what would happen."""
    now = now or timezone.now()
    run = RetentionRun(now=now, dry_run=dry_run)
    reopened = list(retention_reopened())
    to_purge = list(retention_purge_due(now=now))
    purging = {case.pk for case in to_purge}
    # A case about to be purged is archived by the purge itself.
    to_archive = [c for c in retention_archive_due(now=now) if c.pk not in purging]
    for case in reopened:
        _step(
            run,
            run.unarchived,
            case,
            lambda c: case_unarchive(case=c, actor=None, reason="reopened"),
        )
    for case in to_archive:
        _step(run, run.archived, case, lambda c: case_archive(case=c, actor=None))
    for case in to_purge:
        _step(run, run.purged, case, lambda c: case_purge(case=c, actor=None, now=now))
    return run


def _step(run: RetentionRun, done: list[str], case: Case, action: Any) -> None:
    if run.dry_run:
        done.append(case.code)
        return
    try:
        action(case)
    except ValidationError as error:  # changed since it was listed (e.g. archived by hand)
        run.failed.append((case.code, " ".join(error.messages)))
        return
    done.append(case.code)
