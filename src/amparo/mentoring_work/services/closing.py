"""Closing the mentoring (with its case or earlier) and the feedback of both sides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, Stage
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring_work import notifications
from amparo.mentoring_work.models import (
    MentorshipFeedback,
)
from amparo.mentoring_work.services._common import (
    MAX_COMMENT_LENGTH,
    _audit,
    _lock,
    _require_active,
)

# --- closing and feedback ------------------------------------------------------------------------


@transaction.atomic
def mentorship_close(*, mentorship: Mentorship, actor: Any, reason: str = "") -> Mentorship:
    """Close the mentoring (the case closed, or earlier by the mentor or a program admin). Both
    sides are asked for their feedback by e-mail."""
    mentorship = _lock(mentorship)
    _require_active(mentorship)
    if len(reason) > MAX_COMMENT_LENGTH:
        raise ValidationError({"reason": _("The reason is too long.")})
    mentorship.status = Mentorship.Status.CLOSED
    mentorship.closed_at = timezone.now()
    mentorship.save(update_fields=["status", "closed_at", "updated_at"])
    # The request is done too, so the case can ask for a mentor again; and the mentor no longer
    # reads the case (the file-sharing flag goes with them).
    MentoringRequest.objects.filter(pk=mentorship.request_id).update(
        status=MentoringRequest.Status.CLOSED, updated_at=timezone.now()
    )
    Case.objects.filter(pk=mentorship.case_id, mentor_id=mentorship.mentor_id).update(
        mentor=None, mentor_file_access=False
    )
    _audit(
        actor=actor,
        mentorship=mentorship,
        what="mentorship_closed",
        early=mentorship.case.stage != Stage.CLOSED,
    )
    mentorship_id = mentorship.pk
    transaction.on_commit(
        lambda: notifications.notify_mentorship_closed(mentorship_id=mentorship_id)
    )
    return mentorship


def mentorships_close_for_case(*, case: Case, actor: Any = None) -> int:
    """Close every active mentorship of a case that has closed (the hook the cases app calls
    where a case is closed; the daily job catches any other way a case closes)."""
    closed = 0
    for mentorship in Mentorship.objects.filter(case=case, status=Mentorship.Status.ACTIVE):
        mentorship_close(mentorship=mentorship, actor=actor)
        closed += 1
    return closed


def mentorships_close_for_closed_cases() -> int:
    closed = 0
    for case in Case.objects.filter(
        stage=Stage.CLOSED, mentorships__status=Mentorship.Status.ACTIVE
    ).distinct():
        closed += mentorships_close_for_case(case=case)
    return closed


def feedback_give(
    *, mentorship: Mentorship, author: Any, rating: int, comments: str = ""
) -> MentorshipFeedback:
    if mentorship.status != Mentorship.Status.CLOSED:
        raise ValidationError(_("Feedback is asked for once the mentoring has closed."))
    if author.pk == mentorship.mentor_id:
        side = MentorshipFeedback.Side.MENTOR
    elif author.pk == mentorship.mentee_id:
        side = MentorshipFeedback.Side.MENTEE
    else:
        raise ValidationError(_("Only the mentor and the mentee of this mentorship can do this."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    if len(comments) > MAX_COMMENT_LENGTH:
        raise ValidationError({"comments": _("The comments are too long.")})
    try:
        with transaction.atomic():
            feedback = MentorshipFeedback.objects.create(
                mentorship=mentorship,
                author=author,
                side=side,
                rating=rating,
                comments=comments.strip(),
            )
    except IntegrityError as error:
        raise ValidationError(_("You already gave your feedback on this mentoring.")) from error
    return feedback
