"""E-mails of the mentoring steps, one per recipient in their own language. Cases are named by
code only (never the client's name); links need sign-in.

Called from services with transaction.on_commit, so nothing is sent for a write that failed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from amparo.accounts.models import Role, User
from amparo.mentoring.models import MentoringMeeting, MentoringRequest, Mentorship

_INVITATION_SUBJECT = gettext_lazy("Mentoring invitation: case %(code)s")
_ACCEPTED_SUBJECT = gettext_lazy("Your mentor for case %(code)s")
_DECLINED_SUBJECT = gettext_lazy("%(code)s: the mentor declined; next proposal ready")
_REQUESTED_SUBJECT = gettext_lazy("New mentor requests: %(codes)s")
_REQUESTED_FOR_YOU_SUBJECT = gettext_lazy("A mentor was requested for your case %(code)s")
_MEETING_SUBJECT = gettext_lazy("Mentoring meeting on case %(code)s")


def _url(path: str) -> str:
    return settings.AMPARO_SITE_URL.rstrip("/") + path


def _send(user: Any, subject: Any, template: str, context: dict[str, Any]) -> None:
    with translation.override(user.language):
        text_subject = str(subject[0]) % subject[1]
        body = render_to_string(
            template, {**context, "recipient": user, "site_url": settings.AMPARO_SITE_URL}
        )
    send_mail(text_subject, body, None, [user.email])


def _program_admins() -> list[User]:
    return list(User.objects.filter(role=Role.PROGRAM_ADMIN, is_active=True).order_by("pk"))


def send_invitation(*, mentorship_id: int) -> None:
    from amparo.mentoring.services import invitation_token

    mentorship = Mentorship.objects.select_related(
        "case", "case__court", "mentor", "mentee", "request"
    ).get(pk=mentorship_id)
    link = _url(reverse("mentoring:invitation", args=[invitation_token(mentorship)]))
    _send(
        mentorship.mentor,
        (_INVITATION_SUBJECT, {"code": mentorship.case.code}),
        "mentoring/email/invitation.txt",
        {"mentorship": mentorship, "case": mentorship.case, "link": link},
    )


def send_accepted(*, mentorship_id: int) -> None:
    mentorship = Mentorship.objects.select_related("case", "mentor", "mentee").get(pk=mentorship_id)
    link = _url(reverse("mentoring:case", args=[mentorship.case.code]))
    _send(
        mentorship.mentee,
        (_ACCEPTED_SUBJECT, {"code": mentorship.case.code}),
        "mentoring/email/accepted.txt",
        {"mentorship": mentorship, "case": mentorship.case, "link": link},
    )


def send_declined(*, mentorship_id: int, next_mentor_id: int | None, auto_invited: bool) -> None:
    mentorship = Mentorship.objects.select_related("case", "mentor", "request").get(
        pk=mentorship_id
    )
    next_mentor = User.objects.filter(pk=next_mentor_id).first() if next_mentor_id else None
    link = _url(reverse("mentoring:request_detail", args=[mentorship.request_id]))
    for admin in _program_admins():
        _send(
            admin,
            (_DECLINED_SUBJECT, {"code": mentorship.case.code}),
            "mentoring/email/declined.txt",
            {
                "mentorship": mentorship,
                "case": mentorship.case,
                "next_mentor": next_mentor,
                "auto_invited": auto_invited,
                "link": link,
            },
        )


def send_requested(*, request_ids: list[int]) -> None:
    """One e-mail to each program admin for a batch of new requests, and one to each mentee
    whose request someone else made (a partner organization or staff)."""
    requests = list(
        MentoringRequest.objects.filter(pk__in=request_ids)
        .select_related("case", "attorney", "requested_by")
        .order_by("pk")
    )
    if not requests:
        return
    codes = ", ".join(r.case.code for r in requests[:5]) + ("…" if len(requests) > 5 else "")
    queue = _url(reverse("mentoring:queue"))
    for admin in _program_admins():
        _send(
            admin,
            (_REQUESTED_SUBJECT, {"codes": codes}),
            "mentoring/email/requested.txt",
            {"requests": requests, "link": queue},
        )
    for mentoring_request in requests:
        if mentoring_request.requested_by_id == mentoring_request.attorney_id:
            continue
        _send(
            mentoring_request.attorney,
            (_REQUESTED_FOR_YOU_SUBJECT, {"code": mentoring_request.case.code}),
            "mentoring/email/requested_for_you.txt",
            {
                "request": mentoring_request,
                "case": mentoring_request.case,
                "link": _url(reverse("mentoring:case", args=[mentoring_request.case.code])),
            },
        )


def send_meeting_booked(*, meeting_id: int) -> None:
    meeting = MentoringMeeting.objects.select_related(
        "mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee", "booked_by"
    ).get(pk=meeting_id)
    mentorship = meeting.mentorship
    other = mentorship.mentee if meeting.booked_by_id == mentorship.mentor_id else mentorship.mentor
    link = _url(reverse("mentoring:case", args=[mentorship.case.code]))
    _send(
        other,
        (_MEETING_SUBJECT, {"code": mentorship.case.code}),
        "mentoring/email/meeting.txt",
        {"meeting": meeting, "case": mentorship.case, "link": link},
    )
