"""Writes of the ongoing mentorship: the plan written at the first meeting, its milestones,
drafts and comments, messages with the response clock, the overdue flags, and closing with
feedback. Mentor time and pay are in pay.py.

Services validate again what the forms check (they are the authority), write in one
transaction with the audit event, and send e-mails after the commit.
"""

from __future__ import annotations

from amparo.mentoring_work.services.closing import (
    feedback_give,
    mentorship_close,
    mentorships_close_for_case,
    mentorships_close_for_closed_cases,
)
from amparo.mentoring_work.services.drafts import (
    draft_comment_add,
    draft_download_record,
    draft_mark_reviewed,
    draft_upload,
)
from amparo.mentoring_work.services.messages import OverdueRun, message_send, overdue_flag
from amparo.mentoring_work.services.plan import (
    case_anchor_dates,
    milestone_add,
    milestone_update,
    plan_create_at_first_meeting,
    plan_due_dates_refresh,
    plan_due_dates_refresh_active,
)

__all__ = [
    "OverdueRun",
    "case_anchor_dates",
    "draft_comment_add",
    "draft_download_record",
    "draft_mark_reviewed",
    "draft_upload",
    "feedback_give",
    "mentorship_close",
    "mentorships_close_for_case",
    "mentorships_close_for_closed_cases",
    "message_send",
    "milestone_add",
    "milestone_update",
    "overdue_flag",
    "plan_create_at_first_meeting",
    "plan_due_dates_refresh",
    "plan_due_dates_refresh_active",
]
