"""Writes of the mentoring program: requests, eligibility overrides, confirmation of a mentor,
the mentor's answer, the agreement signature, meetings.

Each service validates, writes its rows and the audit event in one transaction, and sends its
e-mails with transaction.on_commit (robust: a mail server that fails is logged, and never turns a
write that succeeded into an error page). A refusal raises MentoringError with the reasons in the
active language; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Role
from amparo.cases.models import Case, Stage
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.mentoring import notifications
from amparo.mentoring.domain.matching import Why
from amparo.mentoring.eligibility import EligibilityResult, eligibility_evaluate
from amparo.mentoring.models import (
    AgreementSignature,
    EligibilityOverride,
    EligibilityRequirement,
    MentoringAgreement,
    MentoringMeeting,
    MentoringRequest,
    Mentorship,
)
from amparo.people.models import Language, MentorProfile

MAX_HELP_WANTED = 2000
MAX_NOTE = 2000
MAX_DECLINE_REASON = 2000
INVITATION_SALT = "amparo.mentoring.invitation"
# The e-mailed link works this long; the mentor's invitations page always has a fresh one.
INVITATION_MAX_AGE = dt.timedelta(days=30)
MEETING_HORIZON = dt.timedelta(days=366)
ELIGIBILITY_FRESH = dt.timedelta(hours=1)


class MentoringError(Exception):
    """The action was refused; `reasons` say why in the user's language. `code`: "invalid"
    (bad input), "not_eligible", "capacity", "taken" (someone else acted first), "state"."""

    def __init__(self, reasons: list[str], *, code: str = "invalid") -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.code = code


# --- requests ---------------------------------------------------------------------------------


@dataclass
class RequestData:
    case: Case
    help_wanted: str = ""
    languages: list[str] = field(default_factory=list)


def request_data_problems(*, data: RequestData, actor: Any) -> list[str]:
    """Why a mentor cannot be requested for this case by this person (empty: they can)."""
    case = data.case
    problems: list[str] = []
    if actor.role == Role.ATTORNEY and case.attorney_of_record_id != actor.pk:
        problems.append(_("Only the attorney of record can ask for a mentor for this case."))
    if actor.role == Role.PARTNER and case.placing_organization_id != actor.organization_id:
        problems.append(_("Your organization did not place this case."))
    if actor.role not in (Role.ATTORNEY, Role.PARTNER, Role.COORDINATOR, Role.PROGRAM_ADMIN):
        problems.append(_("You cannot ask for a mentor."))
    if case.stage == Stage.CLOSED:
        problems.append(_("This case is closed."))
    elif case.attorney_of_record_id is None:
        problems.append(
            _(
                "This case has no attorney of record yet: a mentor guides the attorney who "
                "represents the client."
            )
        )
    if len(data.help_wanted) > MAX_HELP_WANTED:
        problems.append(
            _("Describe the help wanted in at most %(limit)d characters.")
            % {"limit": MAX_HELP_WANTED}
        )
    unknown = [code for code in data.languages if code not in Language.values]
    if unknown:
        problems.append(_("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    return problems


def _open_request_problem(case: Case) -> str | None:
    existing = (
        MentoringRequest.objects.filter(case=case, status__in=MentoringRequest.OPEN_STATUSES)
        .only("status")
        .first()
    )
    if existing is None:
        return None
    return _("This case already has an open mentor request (%(status)s).") % {
        "status": existing.get_status_display()
    }


def _source_for(actor: Any, source: str | None) -> str:
    if source:
        return source
    return {
        Role.ATTORNEY: MentoringRequest.Source.ATTORNEY,
        Role.PARTNER: MentoringRequest.Source.PARTNER,
    }.get(actor.role, MentoringRequest.Source.STAFF)


def mentoring_requests_create(
    *,
    items: list[RequestData],
    actor: Any,
    source: str | None = None,
    http_request: HttpRequest | None = None,
) -> list[MentoringRequest]:
    """Create one request per case, all or none: the first problem of any item raises
    MentoringError listing every problem ("CODE: why"); nothing is saved then."""
    problems: list[str] = []
    seen: set[int] = set()
    for data in items:
        item_problems = request_data_problems(data=data, actor=actor)
        if data.case.pk in seen:
            item_problems.append(_("This case is listed twice."))
        seen.add(data.case.pk)
        open_problem = _open_request_problem(data.case)
        if open_problem:
            item_problems.append(open_problem)
        problems += [f"{data.case.code}: {p}" if len(items) > 1 else p for p in item_problems]
    if not items:
        problems.append(_("Choose at least one case."))
    if problems:
        raise MentoringError(problems)
    created: list[MentoringRequest] = []
    try:
        with transaction.atomic():
            for data in items:
                mentee = data.case.attorney_of_record
                assert mentee is not None  # checked by request_data_problems
                mentoring_request = MentoringRequest.objects.create(
                    case=data.case,
                    attorney=mentee,
                    requested_by=actor,
                    help_wanted=data.help_wanted.strip(),
                    languages=sorted(set(data.languages)),
                    source=_source_for(actor, source),
                )
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.MENTORING_REQUESTED,
                    target=mentoring_request,
                    request=http_request,
                    data={"case_code": data.case.code, "source": mentoring_request.source},
                )
                created.append(mentoring_request)
            for mentoring_request in created:
                mentoring_request_eligibility_refresh(request=mentoring_request)
            ids = [r.pk for r in created]
            transaction.on_commit(
                lambda: notifications.send_requested(request_ids=ids), robust=True
            )
    except IntegrityError as error:
        # Someone asked for a mentor for one of these cases a moment ago.
        raise MentoringError(
            [_("A mentor request for one of these cases was just made by someone else.")],
            code="taken",
        ) from error
    return created


def mentoring_request_create(
    *,
    case: Case,
    actor: Any,
    help_wanted: str = "",
    languages: list[str] | None = None,
    source: str | None = None,
    http_request: HttpRequest | None = None,
) -> MentoringRequest:
    return mentoring_requests_create(
        items=[RequestData(case=case, help_wanted=help_wanted, languages=languages or [])],
        actor=actor,
        source=source,
        http_request=http_request,
    )[0]


@transaction.atomic
def mentoring_request_withdraw(
    *, request: MentoringRequest, actor: Any, http_request: HttpRequest | None = None
) -> MentoringRequest:
    """Withdraw a request not yet matched; an invitation waiting for the mentor is cancelled."""
    locked = MentoringRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in (MentoringRequest.Status.PENDING, MentoringRequest.Status.PROPOSED):
        raise MentoringError(
            [
                _("This request can no longer be withdrawn (%(status)s).")
                % {"status": locked.get_status_display()}
            ],
            code="state",
        )
    now = timezone.now()
    Mentorship.objects.filter(request=locked, status=Mentorship.Status.INVITED).update(
        status=Mentorship.Status.CLOSED, closed_at=now
    )
    locked.status = MentoringRequest.Status.WITHDRAWN
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MENTORING_REQUEST_WITHDRAWN,
        target=locked,
        request=http_request,
        data={"case_code": locked.case.code},
    )
    return locked


# --- eligibility --------------------------------------------------------------------------------


def mentoring_request_eligibility_refresh(
    *, request: MentoringRequest, today: dt.date | None = None
) -> EligibilityResult:
    """Evaluate the requirements and keep the verdict on the request (for the queue). Pages
    evaluate on every view; the row is written only when the verdict changed or is an hour old."""
    result = eligibility_evaluate(request=request, today=today)
    now = timezone.now()
    checked = request.eligibility_checked_at
    if (
        request.eligibility_ok is not result.ok
        or checked is None
        or now - checked > ELIGIBILITY_FRESH
    ):
        MentoringRequest.objects.filter(pk=request.pk).update(
            eligibility_ok=result.ok, eligibility_checked_at=now
        )
        request.eligibility_ok = result.ok
        request.eligibility_checked_at = now
    return result


@transaction.atomic
def eligibility_override_record(
    *,
    request: MentoringRequest,
    requirement: EligibilityRequirement,
    actor: Any,
    note: str,
    http_request: HttpRequest | None = None,
) -> EligibilityOverride:
    """Program staff accept the request although this requirement is not met, saying why."""
    note = note.strip()
    if not note:
        raise MentoringError([_("Say why the program accepts this request anyway.")])
    if len(note) > MAX_NOTE:
        raise MentoringError(
            [_("Write the note in at most %(limit)d characters.") % {"limit": MAX_NOTE}]
        )
    if not request.is_open:
        raise MentoringError([_("This request is no longer open.")], code="state")
    if not requirement.active:
        raise MentoringError([_("This requirement is no longer in use.")], code="state")
    result = eligibility_evaluate(request=request)
    item = next((i for i in result.items if i.requirement.pk == requirement.pk), None)
    if item is None or item.met:
        raise MentoringError([_("This requirement is met: there is nothing to override.")])
    if item.override is not None:
        raise MentoringError([_("This requirement was already overridden.")], code="taken")
    try:
        with transaction.atomic():
            override = EligibilityOverride.objects.create(
                request=request, requirement=requirement, by=actor, note=note
            )
    except IntegrityError as error:
        raise MentoringError(
            [_("This requirement was already overridden.")], code="taken"
        ) from error
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ELIGIBILITY_OVERRIDDEN,
        target=request,
        request=http_request,
        data={"requirement_id": requirement.pk, "kind": requirement.kind},
    )
    mentoring_request_eligibility_refresh(request=request)
    return override


# --- confirmation, invitation and the mentor's answer -------------------------------------------


def invitation_token(mentorship: Mentorship) -> str:
    return signing.dumps(mentorship.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Mentorship | None:
    """The mentorship the link names; None for a link that was altered, or that has expired."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Mentorship.objects.select_related("case", "case__court", "mentor", "mentee", "request")
        .filter(pk=pk)
        .first()
    )


def _fit_problem(fit: Any, mentor: Any) -> str | None:
    from amparo.mentoring.proposals import MentorFit

    if fit is None:
        return _("%(name)s is not an active mentor.") % {"name": mentor.full_name}
    assert isinstance(fit, MentorFit)
    if fit.declined_before:
        return _("%(name)s already declined this request.") % {"name": mentor.full_name}
    if fit.feasibility.ok:
        return None
    code = fit.feasibility.code
    if code == Why.CAPACITY:
        return None  # told with the numbers by the capacity check
    messages: dict[str, str] = {
        Why.CASE_TYPE: _("%(name)s does not mentor this type of case."),
        Why.LANGUAGE: _("%(name)s does not speak every language the request needs."),
        Why.CONFLICT: _("%(name)s has a conflict of interest with this case."),
    }
    return str(messages.get(code, _("%(name)s cannot be proposed for this request."))) % {
        "name": mentor.full_name
    }


def mentorship_confirm(
    *,
    request: MentoringRequest,
    mentor: Any,
    actor: Any,
    http_request: HttpRequest | None = None,
) -> Mentorship:
    """Confirm the mentor for the request: the mentor is invited (Mentorship INVITED) and gets
    the invitation by e-mail.

    Capacity holds however many admins confirm at once: the mentor's profile row is locked
    (select_for_update; SQLite's IMMEDIATE transactions serialize writers) and their load is
    counted under the lock, so of two confirmations past capacity exactly one succeeds and the
    other gets a MentoringError with code "capacity". The request row is locked too, and the
    database allows one invited-or-active mentorship per case.
    """
    from amparo.mentoring.proposals import request_mentor_fit

    eligibility = eligibility_evaluate(request=request)
    if not eligibility.ok:
        raise MentoringError(
            [_("The mentee does not meet every requirement yet:"), *eligibility.reasons()],
            code="not_eligible",
        )
    try:
        with transaction.atomic():
            locked_request = (
                MentoringRequest.objects.select_for_update(of=("self",))
                .select_related("case", "case__court")
                .get(pk=request.pk)
            )
            if locked_request.status != MentoringRequest.Status.PENDING:
                raise MentoringError(
                    [_("This request is no longer waiting for a match: reload the page.")],
                    code="taken",
                )
            profile = MentorProfile.objects.select_for_update().filter(user=mentor).first()
            load = Mentorship.objects.filter(
                mentor=mentor, status__in=Mentorship.LOAD_STATUSES
            ).count()
            fit = request_mentor_fit(request=locked_request, mentor=mentor, load=load)
            problem = _fit_problem(fit, mentor)
            if problem:
                raise MentoringError([problem], code="not_eligible")
            assert profile is not None and fit is not None
            if load >= profile.capacity:
                raise MentoringError(
                    [
                        _(
                            "%(name)s has no place left: %(load)d of %(capacity)d mentees. "
                            "Choose another mentor."
                        )
                        % {"name": mentor.full_name, "load": load, "capacity": profile.capacity}
                    ],
                    code="capacity",
                )
            now = timezone.now()
            pair = fit.pair
            mentorship = Mentorship.objects.create(
                request=locked_request,
                case=locked_request.case,
                mentor=mentor,
                mentee_id=locked_request.attorney_id,
                status=Mentorship.Status.INVITED,
                score=pair.score if pair else 0,
                reasons=[
                    {"factor": str(r.factor), "points": r.points, "en": r.en, "es": r.es}
                    for r in (pair.reasons if pair else ())
                ],
                confirmed_by=actor if getattr(actor, "is_authenticated", False) else None,
                confirmed_at=now,
            )
            locked_request.status = MentoringRequest.Status.PROPOSED
            locked_request.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.MENTOR_CONFIRMED,
                target=mentorship,
                request=http_request,
                data={
                    "request_id": locked_request.pk,
                    "case_code": locked_request.case.code,
                    "mentor_id": mentor.pk,
                    "score": mentorship.score,
                },
            )
            transaction.on_commit(
                lambda: notifications.send_invitation(mentorship_id=mentorship.pk), robust=True
            )
    except IntegrityError as error:
        raise MentoringError(
            [_("This case already has a mentor or an invitation waiting: reload the page.")],
            code="taken",
        ) from error
    return mentorship


def _locked_invitation(mentorship: Mentorship) -> Mentorship:
    locked = (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("case", "request")
        .get(pk=mentorship.pk)
    )
    if locked.status != Mentorship.Status.INVITED:
        raise MentoringError(
            [
                _("This invitation is no longer open (%(status)s).")
                % {"status": locked.get_status_display()}
            ],
            code="state",
        )
    return locked


@transaction.atomic
def mentorship_accept(
    *, mentorship: Mentorship, actor: Any, http_request: HttpRequest | None = None
) -> Mentorship:
    """The mentor accepts: the mentorship starts and the mentor becomes the case's mentor."""
    if actor.pk != mentorship.mentor_id:
        raise MentoringError([_("Only the invited mentor can answer.")], code="state")
    locked = _locked_invitation(mentorship)
    now = timezone.now()
    locked.status = Mentorship.Status.ACTIVE
    locked.responded_at = now
    locked.started_at = now
    locked.save(update_fields=["status", "responded_at", "started_at", "updated_at"])
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    if case.mentor_id != locked.mentor_id:
        # A new mentor starts without the client's file: the attorney shares it when ready.
        case.mentor_id = locked.mentor_id
        case.mentor_file_access = False
        case.save(update_fields=["mentor", "mentor_file_access", "updated_at"])
    MentoringRequest.objects.filter(pk=locked.request_id).update(
        status=MentoringRequest.Status.MATCHED, updated_at=now
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MENTORSHIP_ACCEPTED,
        target=locked,
        request=http_request,
        data={"case_code": case.code},
    )
    transaction.on_commit(lambda: notifications.send_accepted(mentorship_id=locked.pk), robust=True)
    return locked


def mentorship_decline(
    *,
    mentorship: Mentorship,
    actor: Any,
    reason: str,
    http_request: HttpRequest | None = None,
) -> Mentorship:
    """The mentor declines, saying why: the request waits for a match again and the next best
    mentor is proposed at once. With AMPARO_MENTORING_AUTO_INVITE_NEXT on, that mentor is invited
    straight away; otherwise (the default) the program admins are e-mailed the proposal and
    confirm it, as they confirmed the first."""
    reason = reason.strip()
    if not reason:
        raise MentoringError([_("Say why you decline: it helps the program find another mentor.")])
    if len(reason) > MAX_DECLINE_REASON:
        raise MentoringError(
            [_("Write the reason in at most %(limit)d characters.") % {"limit": MAX_DECLINE_REASON}]
        )
    if actor.pk != mentorship.mentor_id:
        raise MentoringError([_("Only the invited mentor can answer.")], code="state")
    with transaction.atomic():
        locked = _locked_invitation(mentorship)
        locked.status = Mentorship.Status.DECLINED
        locked.responded_at = timezone.now()
        locked.decline_reason = reason
        locked.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
        MentoringRequest.objects.filter(
            pk=locked.request_id, status=MentoringRequest.Status.PROPOSED
        ).update(status=MentoringRequest.Status.PENDING, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=AuditEvent.Action.MENTORSHIP_DECLINED,
            target=locked,
            request=http_request,
            data={"case_code": locked.case.code},
        )
        transaction.on_commit(
            lambda: mentoring_request_propose_next(mentorship_id=locked.pk), robust=True
        )
    return locked


def mentoring_request_propose_next(*, mentorship_id: int) -> Mentorship | None:
    """After a decline: find the next best mentor; invite them when the program chose automatic
    invitations, and tell the program admins either way. Returns the new invitation, if any."""
    from amparo.mentoring.proposals import request_proposals

    declined = Mentorship.objects.select_related("request", "request__case").get(pk=mentorship_id)
    mentoring_request = declined.request
    proposals = request_proposals(request=mentoring_request, limit=1)
    next_mentor = proposals[0].mentor if proposals else None
    invited: Mentorship | None = None
    if next_mentor is not None and getattr(settings, "AMPARO_MENTORING_AUTO_INVITE_NEXT", False):
        try:
            invited = mentorship_confirm(request=mentoring_request, mentor=next_mentor, actor=None)
        except MentoringError:
            invited = None  # not eligible any more, or the place just went: the admins decide
    notifications.send_declined(
        mentorship_id=declined.pk,
        next_mentor_id=next_mentor.pk if next_mentor else None,
        auto_invited=invited is not None,
    )
    return invited


# --- the agreement ------------------------------------------------------------------------------


def agreement_text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _same_name(typed: str, full_name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold()


def _client_address(http_request: HttpRequest | None) -> tuple[str | None, str]:
    if http_request is None:
        return None, ""
    # REMOTE_ADDR only, as the audit log does (see amparo.core.audit).
    address = http_request.META.get("REMOTE_ADDR") or None
    return address, str(http_request.META.get("HTTP_USER_AGENT", ""))[:300]


def agreement_sign(
    *,
    case: Case,
    mentee: Any,
    agreement: MentoringAgreement,
    typed_name: str,
    language: str,
    shown_sha256: str,
    http_request: HttpRequest | None = None,
) -> AgreementSignature:
    """The mentee e-signs the current version of the agreement in the language they read it.

    The typed name must be the mentee's full name (case and spaces aside); `shown_sha256` is the
    hash of the text the page showed, so a text that changed while they read is never signed.
    """
    problems: list[str] = []
    current = MentoringAgreement.objects.current()
    if current is None or current.pk != agreement.pk:
        raise MentoringError(
            [_("A new version of the agreement was published: read it and sign again.")],
            code="state",
        )
    if language not in ("en", "es"):
        problems.append(_("Choose English or Spanish."))
        raise MentoringError(problems)
    text = agreement.text_in(language)
    sha = agreement_text_sha256(text)
    if shown_sha256 != sha:
        raise MentoringError(
            [_("The text of the agreement changed while you read it: read it and sign again.")],
            code="state",
        )
    if not typed_name.strip():
        problems.append(_("Type your full name to sign."))
    elif not _same_name(typed_name, mentee.full_name):
        problems.append(
            _("Type your full name exactly as in your account: %(name)s.")
            % {"name": mentee.full_name}
        )
    if case.attorney_of_record_id != mentee.pk:
        problems.append(_("Only the attorney of record signs the mentoring agreement."))
    mentoring_request = (
        MentoringRequest.objects.filter(
            case=case, attorney=mentee, status__in=MentoringRequest.OPEN_STATUSES
        )
        .order_by("-created_at")
        .first()
    )
    if mentoring_request is None:
        problems.append(_("Ask for a mentor for this case first."))
    if problems:
        raise MentoringError(problems)
    existing = AgreementSignature.objects.filter(agreement=agreement, mentee=mentee).first()
    if existing is not None:
        raise MentoringError(
            [
                _("You already signed version %(version)s on %(date)s.")
                % {
                    "version": agreement.version,
                    "date": timezone.localtime(existing.signed_at).strftime("%Y-%m-%d"),
                }
            ],
            code="taken",
        )
    mentorship = (
        Mentorship.objects.filter(
            case=case,
            mentee=mentee,
            status__in=[Mentorship.Status.INVITED, Mentorship.Status.ACTIVE],
        )
        .order_by("-created_at")
        .first()
    )
    address, agent = _client_address(http_request)
    try:
        with transaction.atomic():
            signature = AgreementSignature.objects.create(
                agreement=agreement,
                mentee=mentee,
                mentorship=mentorship,
                request=mentoring_request,
                typed_name=" ".join(typed_name.split()),
                language=language,
                sha256=sha,
                signed_at=timezone.now(),
                ip_address=address,
                user_agent=agent,
            )
            audit_record(
                actor=mentee,
                action=AuditEvent.Action.AGREEMENT_SIGNED,
                target=signature,
                request=http_request,
                data={"version": agreement.version, "language": language, "sha256": sha},
            )
    except IntegrityError as error:
        raise MentoringError(
            [_("You already signed this version of the agreement.")], code="taken"
        ) from error
    return signature


# --- meetings -------------------------------------------------------------------------------------


def meeting_book(
    *,
    mentorship: Mentorship,
    actor: Any,
    starts_at: dt.datetime,
    mode: str,
    place: str = "",
    video_link: str = "",
) -> MentoringMeeting:
    """Book a meeting of mentor and mentee. The first one waits for the signed agreement and
    the trainings required before it (the intro video): the reasons say what is missing."""
    from amparo.mentoring.selectors import first_meeting_blockers

    problems: list[str] = []
    now = timezone.now()
    if starts_at <= now:
        problems.append(_("Choose a date and time in the future."))
    elif starts_at > now + MEETING_HORIZON:
        problems.append(_("Choose a date within the next year."))
    if mode not in MentoringMeeting.Mode.values:
        problems.append(_("Choose in person or video call."))
    place = place.strip()
    video_link = video_link.strip()
    if mode == MentoringMeeting.Mode.IN_PERSON and not place:
        problems.append(_("Say where you will meet."))
    if mode == MentoringMeeting.Mode.VIDEO and not video_link:
        problems.append(_("Give the link of the video call."))
    if problems:
        raise MentoringError(problems)
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if locked.status != Mentorship.Status.ACTIVE:
            raise MentoringError(
                [_("Meetings are booked once the mentor has accepted.")], code="state"
            )
        is_first = not MentoringMeeting.objects.filter(mentorship=locked).exists()
        if is_first:
            blockers = first_meeting_blockers(mentorship=locked, viewer=actor)
            if blockers:
                raise MentoringError(blockers, code="not_eligible")
        meeting = MentoringMeeting.objects.create(
            mentorship=locked,
            starts_at=starts_at,
            mode=mode,
            place=place if mode == MentoringMeeting.Mode.IN_PERSON else "",
            video_link=video_link if mode == MentoringMeeting.Mode.VIDEO else "",
            booked_by=actor,
            is_first=is_first,
        )
        transaction.on_commit(
            lambda: notifications.send_meeting_booked(meeting_id=meeting.pk), robust=True
        )
    return meeting


@transaction.atomic
def meeting_log_held(*, meeting: MentoringMeeting, actor: Any, notes: str = "") -> MentoringMeeting:
    """Record that the meeting took place (after its start), with optional notes."""
    if meeting.held:
        raise MentoringError([_("This meeting is already logged as held.")], code="taken")
    if meeting.starts_at > timezone.now():
        raise MentoringError([_("A meeting can be logged as held once it has started.")])
    if len(notes) > MAX_NOTE:
        raise MentoringError(
            [_("Write the notes in at most %(limit)d characters.") % {"limit": MAX_NOTE}]
        )
    meeting.held_logged_at = timezone.now()
    meeting.logged_by = actor
    meeting.notes = notes.strip()
    meeting.save(update_fields=["held_logged_at", "logged_by", "notes", "updated_at"])
    return meeting


def mentoring_requests_eligibility_refresh_open() -> int:
    """Evaluate again every request waiting for a match (the daily job); returns how many."""
    count = 0
    for mentoring_request in MentoringRequest.objects.filter(
        status__in=[MentoringRequest.Status.PENDING, MentoringRequest.Status.PROPOSED]
    ).select_related("case", "attorney"):
        mentoring_request_eligibility_refresh(request=mentoring_request)
        count += 1
    return count
