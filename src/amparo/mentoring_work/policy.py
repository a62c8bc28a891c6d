"""Who may see and do what in an ongoing mentorship (rules predicates).

A mentorship's workspace (plan, drafts, messages, time) is for its mentor and its mentee; program
admins see it and run pay; coordinators read it. Nobody else: the pages answer 404
(core/policy.py). The workspace names the case by its code only; the client's identity stays in
the case file, behind `cases.view_case_file`.

Permissions on a mentorship's parts (a milestone, a draft, a message, a time entry) are asked
with the mentorship itself, or with the part: `mentorship_of` finds the mentorship either way.
"""

from __future__ import annotations

from typing import Any

import rules

from amparo.core.predicates import (
    is_mentor,
    is_program_admin,
    is_program_staff,
    two_factor_ok,
)
from amparo.mentoring.models import Mentorship

#: A mentorship has a workspace once the mentor accepted it, and keeps it (read-only) after.
WORKSPACE_STATUSES = (Mentorship.Status.ACTIVE, Mentorship.Status.CLOSED)


def mentorship_of(obj: Any) -> Mentorship | None:
    if obj is None:
        return None
    if isinstance(obj, Mentorship):
        return obj
    mentorship = getattr(obj, "mentorship", None)
    return mentorship if isinstance(mentorship, Mentorship) else None


@rules.predicate
def is_mentorship_mentor(user: Any, obj: Any) -> bool:
    mentorship = mentorship_of(obj)
    return mentorship is not None and mentorship.mentor_id == user.pk


@rules.predicate
def is_mentorship_mentee(user: Any, obj: Any) -> bool:
    mentorship = mentorship_of(obj)
    return mentorship is not None and mentorship.mentee_id == user.pk


@rules.predicate
def has_workspace(user: Any, obj: Any) -> bool:
    mentorship = mentorship_of(obj)
    return mentorship is not None and mentorship.status in WORKSPACE_STATUSES


@rules.predicate
def is_active(user: Any, obj: Any) -> bool:
    mentorship = mentorship_of(obj)
    return mentorship is not None and mentorship.status == Mentorship.Status.ACTIVE


@rules.predicate
def is_closed(user: Any, obj: Any) -> bool:
    mentorship = mentorship_of(obj)
    return mentorship is not None and mentorship.status == Mentorship.Status.CLOSED


@rules.predicate
def is_own_open_time_entry(user: Any, entry: Any) -> bool:
    return (
        entry is not None
        and getattr(entry, "mentor_id", None) == user.pk
        and getattr(entry, "status", None) != "approved"
    )


is_participant = is_mentorship_mentor | is_mentorship_mentee

rules.add_perm(
    "mentoring_work.view_mentorship",
    two_factor_ok & has_workspace & (is_participant | is_program_staff),
)
# Writing the plan, uploading drafts, commenting and messaging: the two of them, while active.
rules.add_perm("mentoring_work.work_on_mentorship", two_factor_ok & is_active & is_participant)
rules.add_perm("mentoring_work.review_draft", two_factor_ok & is_active & is_mentorship_mentor)
rules.add_perm(
    "mentoring_work.log_time", two_factor_ok & is_mentor & has_workspace & is_mentorship_mentor
)
rules.add_perm(
    "mentoring_work.change_time_entry", two_factor_ok & is_mentor & is_own_open_time_entry
)
rules.add_perm(
    "mentoring_work.close_mentorship",
    two_factor_ok & is_active & (is_mentorship_mentor | is_program_admin),
)
rules.add_perm("mentoring_work.give_feedback", two_factor_ok & is_closed & is_participant)
# Program staff: the overview of overdue items and the feedback (coordinators read).
rules.add_perm("mentoring_work.view_overview", two_factor_ok & is_program_staff)
# Pay: program admins only.
rules.add_perm("mentoring_work.approve_time", two_factor_ok & is_program_admin)
rules.add_perm("mentoring_work.manage_pay", two_factor_ok & is_program_admin)
# The list of one's own mentorships (mentors and mentees; staff see all of them).
rules.add_perm("mentoring_work.view_mentorship_list", rules.is_authenticated & two_factor_ok)
