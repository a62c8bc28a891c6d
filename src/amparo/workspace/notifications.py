"""E-mails of the case workspace, one per recipient in their language. Subjects and bodies name
the case by its code only, never the client nor the relief sought (DEADLINE-RULES.md section 7,
rule 6): what moved is told with the neutral words of deadlines/reminders.py, and the workspace
(behind sign-in) shows the rest. Called after the transaction commits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from amparo.accounts.models import Role, User
from amparo.cases.models import Case, Hearing

_RESCHEDULED_SUBJECT = gettext_lazy("%(code)s: hearing rescheduled")
_WITHDRAWAL_REQUESTED_SUBJECT = gettext_lazy("%(code)s: the attorney asks to withdraw")
_WITHDRAWAL_APPROVED_SUBJECT = gettext_lazy("%(code)s: your withdrawal was approved")
_WITHDRAWAL_DECLINED_SUBJECT = gettext_lazy("%(code)s: your withdrawal was not approved")
_STATUS_REQUEST_SUBJECT = gettext_lazy("A coordinator asks for a status update on your cases")


def _url(name: str, *args: Any) -> str:
    return settings.AMPARO_SITE_URL + reverse(name, args=args)


def _send(user: Any, subject: Any, template: str, context: dict[str, Any], code: str = "") -> None:
    """Subject and body are rendered in the recipient's language (the subject's `%(code)s`
    filled in there too)."""
    with translation.override(user.language):
        body = render_to_string(
            template, {**context, "user": user, "site_url": settings.AMPARO_SITE_URL}
        )
        text = str(subject) % {"code": code} if code else str(subject)
    send_mail(text, body, None, [user.email])


def hearing_rescheduled_notify(
    *, case_id: int, old_hearing_id: int, new_hearing_id: int, moved: list[dict[str, Any]]
) -> int:
    """Tell the attorney of record and the mentor that the hearing moved and what moved with
    it. Returns how many e-mails went out."""
    from amparo.workspace.services import MovedDate

    case = Case.objects.select_related("court", "attorney_of_record", "mentor").get(pk=case_id)
    hearings = Hearing.objects.in_bulk([old_hearing_id, new_hearing_id])
    context = {
        "case": case,
        # Hearing times are told in the court's own time zone, as on every page.
        "time_zone": case.court.time_zone if case.court else settings.TIME_ZONE,
        "old_at": hearings[old_hearing_id].starts_at,
        "new_at": hearings[new_hearing_id].starts_at,
        "moved": [MovedDate.from_dict(item) for item in moved],
        "workspace_url": _url("workspace:case", case.code),
    }
    recipients = [u for u in (case.attorney_of_record, case.mentor) if u and u.is_active]
    for user in recipients:
        _send(
            user,
            _RESCHEDULED_SUBJECT,
            "workspace/email/hearing_rescheduled.txt",
            context,
            code=case.code,
        )
    return len(recipients)


def withdrawal_requested_notify(*, request_id: int) -> None:
    from amparo.workspace.models import WithdrawalRequest

    request = WithdrawalRequest.objects.select_related("case").get(pk=request_id)
    context = {"case": request.case, "workspace_url": _url("workspace:case", request.case.code)}
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        _send(
            coordinator,
            _WITHDRAWAL_REQUESTED_SUBJECT,
            "workspace/email/withdrawal_requested.txt",
            context,
            code=request.case.code,
        )


def withdrawal_decided_notify(*, request_id: int) -> None:
    from amparo.workspace.models import WithdrawalRequest

    request = WithdrawalRequest.objects.select_related("case", "attorney").get(pk=request_id)
    approved = request.status == WithdrawalRequest.Status.APPROVED
    subject = _WITHDRAWAL_APPROVED_SUBJECT if approved else _WITHDRAWAL_DECLINED_SUBJECT
    _send(
        request.attorney,
        subject,
        "workspace/email/withdrawal_decided.txt",
        {
            "case": request.case,
            "approved": approved,
            # The coordinator's note may speak of the client: it stays behind sign-in.
            "workspace_url": _url("workspace:case", request.case.code),
        },
        code=request.case.code,
    )


def status_request_notify(*, status_request_id: int) -> int:
    from amparo.workspace.models import StatusRequestRecipient

    recipients = list(
        StatusRequestRecipient.objects.filter(status_request_id=status_request_id).select_related(
            "status_request", "attorney"
        )
    )
    for recipient in recipients:
        _send(
            recipient.attorney,
            _STATUS_REQUEST_SUBJECT,
            "workspace/email/status_request.txt",
            {
                "status_request": recipient.status_request,
                "answer_url": _url("workspace:status_answer", recipient.pk),
            },
        )
    return len(recipients)
