"""E-mails of the ongoing mentorship, each in its recipient's language.

Like the deadline reminders (deadlines/reminders.py), subjects and bodies name the case by its
code and say what happened in neutral words: never the client, the relief sought, a milestone's
title or a message's text. The e-mail carries a link to the page (sign-in required), where the
person reads and answers: replying to the e-mail itself does nothing (there is no inbound mail
parsing), and the e-mails say so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User

logger = logging.getLogger(__name__)


def site_link(view: str, *args: Any) -> str:
    return f"{settings.AMPARO_SITE_URL}{reverse(view, args=args)}"


def _send(
    users: Iterable[Any],
    *,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
    connection: Any = None,
) -> int:
    sent = 0
    connection = connection or get_connection()
    for user in users:
        if not user.is_active or not user.email:
            continue
        with translation.override(user.language):
            body = render_to_string(
                template, {**context, "recipient": user, "site_url": settings.AMPARO_SITE_URL}
            )
            try:
                send_mail(subject(), body, None, [user.email], connection=connection)
            except Exception:  # a mail server's refusal must not undo or hide the saved work
                logger.exception("Mentoring e-mail to user #%s failed", user.pk)
                continue
        sent += 1
    return sent


def program_admins() -> list[User]:
    return list(User.objects.filter(role=Role.PROGRAM_ADMIN, is_active=True).order_by("pk"))


def notify_new_message(*, message_id: int) -> int:
    from amparo.mentoring_work.models import Message

    message = (
        Message.objects.select_related(
            "author", "mentorship", "mentorship__case", "mentorship__mentor", "mentorship__mentee"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    mentorship = message.mentorship
    from_mentor = message.author_id == mentorship.mentor_id
    recipient = mentorship.mentee if from_mentor else mentorship.mentor
    code = mentorship.case.code
    link = site_link("mentoring_work:messages", mentorship.pk) + f"#message-{message.pk}"

    def subject() -> str:
        if from_mentor:
            return _("%(code)s: new message from your mentor") % {"code": code}
        return _("%(code)s: new message from your mentee") % {"code": code}

    return _send(
        [recipient],
        subject=subject,
        template="mentoring_work/email/new_message.txt",
        context={
            "message": message,
            "code": code,
            "link": link,
            "from_mentor": from_mentor,
            "due_at": message.response_due_at,
        },
    )


def notify_draft_uploaded(*, draft_id: int) -> int:
    from amparo.mentoring_work.models import Draft

    draft = (
        Draft.objects.select_related(
            "uploaded_by",
            "milestone__mentorship__case",
            "milestone__mentorship__mentor",
            "milestone__mentorship__mentee",
        )
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        return 0
    mentorship = draft.milestone.mentorship
    by_mentee = draft.uploaded_by_id == mentorship.mentee_id
    recipient = mentorship.mentor if by_mentee else mentorship.mentee
    code = mentorship.case.code

    def subject() -> str:
        return _("%(code)s: a new draft (version %(number)s) is ready") % {
            "code": code,
            "number": draft.number,
        }

    return _send(
        [recipient],
        subject=subject,
        template="mentoring_work/email/draft_uploaded.txt",
        context={
            "draft": draft,
            "code": code,
            "by_mentee": by_mentee,
            "link": site_link("mentoring_work:workspace", mentorship.pk)
            + f"#milestone-{draft.milestone_id}",
        },
    )


def notify_draft_reviewed(*, draft_id: int) -> int:
    from amparo.mentoring_work.models import Draft

    draft = (
        Draft.objects.select_related(
            "milestone__mentorship__case",
            "milestone__mentorship__mentor",
            "milestone__mentorship__mentee",
        )
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        return 0
    mentorship = draft.milestone.mentorship
    code = mentorship.case.code

    def subject() -> str:
        return _("%(code)s: your mentor reviewed version %(number)s of a draft") % {
            "code": code,
            "number": draft.number,
        }

    return _send(
        [mentorship.mentee],
        subject=subject,
        template="mentoring_work/email/draft_reviewed.txt",
        context={
            "draft": draft,
            "code": code,
            "link": site_link("mentoring_work:workspace", mentorship.pk)
            + f"#milestone-{draft.milestone_id}",
        },
    )


def notify_mentorship_closed(*, mentorship_id: int) -> int:
    from amparo.mentoring.models import Mentorship

    mentorship = (
        Mentorship.objects.select_related("case", "mentor", "mentee")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None:
        return 0
    code = mentorship.case.code

    def subject() -> str:
        return _("%(code)s: the mentoring has closed; tell us how it went") % {"code": code}

    return _send(
        [mentorship.mentor, mentorship.mentee],
        subject=subject,
        template="mentoring_work/email/mentorship_closed.txt",
        context={
            "code": code,
            "link": site_link("mentoring_work:feedback", mentorship.pk),
        },
    )


# --- the daily overdue flags ----------------------------------------------------------------


@dataclass
class OverdueItem:
    code: str
    kind: str  # "milestone" or "message"
    date: Any
    link: str
    role: str  # what the recipient is to this mentorship: mentor, mentee or admin


@dataclass
class OverdueDigest:
    user: Any
    milestones: list[OverdueItem] = field(default_factory=list)
    messages: list[OverdueItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.milestones) + len(self.messages)


def notify_overdue(*, milestones: list[Any], messages: list[Any]) -> int:
    """One e-mail per person with what was newly flagged: overdue milestones go to the mentor,
    the mentee and the program admins; unanswered messages to the mentor and the admins."""
    admins = program_admins()
    digests: dict[int, OverdueDigest] = {}

    def digest_for(user: Any) -> OverdueDigest:
        if user.pk not in digests:
            digests[user.pk] = OverdueDigest(user=user)
        return digests[user.pk]

    for milestone in milestones:
        mentorship = milestone.mentorship
        link = site_link("mentoring_work:workspace", mentorship.pk) + f"#milestone-{milestone.pk}"
        for user, role in [
            (mentorship.mentor, "mentor"),
            (mentorship.mentee, "mentee"),
            *((admin, "admin") for admin in admins),
        ]:
            digest_for(user).milestones.append(
                OverdueItem(mentorship.case.code, "milestone", milestone.due_date, link, role)
            )
    for message in messages:
        mentorship = message.mentorship
        link = site_link("mentoring_work:messages", mentorship.pk) + f"#message-{message.pk}"
        for user, role in [(mentorship.mentor, "mentor"), *((admin, "admin") for admin in admins)]:
            digest_for(user).messages.append(
                OverdueItem(mentorship.case.code, "message", message.sent_at, link, role)
            )
    connection = get_connection()
    sent = 0
    for digest in digests.values():
        user = digest.user

        def subject(digest: OverdueDigest = digest) -> str:
            first = (digest.milestones or digest.messages)[0]
            if digest.count == 1 and digest.milestones:
                return _("%(code)s: a mentoring milestone is overdue") % {"code": first.code}
            if digest.count == 1:
                return _("%(code)s: a message to the mentee has waited over 2 business days") % {
                    "code": first.code
                }
            return _("Mentoring: %(count)s items are overdue") % {"count": digest.count}

        sent += _send(
            [user],
            subject=subject,
            template="mentoring_work/email/overdue.txt",
            context={"digest": digest},
            connection=connection,
        )
    return sent
