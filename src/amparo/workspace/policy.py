"""Who may use a case's workspace.

- The attorney of record works the case: hearings, contacts, hours, outcome, closing, asking to
  withdraw.
- Coordinators see and change every workspace and decide withdrawals; program admins read.
- The case's mentor reads the workspace; the client file and the notes of the communication log
  only when the attorney shared the file (Case.mentor_file_access, DEADLINE-RULES section 7).
- Staff of the placing organization read, as far as the cases policy lets them see the file.
- Nobody else: the pages answer 404 (core/policy.py).
"""

from __future__ import annotations

from typing import Any

import rules

from amparo.cases.models import Stage
from amparo.cases.policy import (
    can_view_case_file,
    file_shared_with_mentor,
    is_attorney_of_record,
    is_case_mentor,
    is_staff_of_placing_organization,
)
from amparo.core.predicates import (
    is_attorney,
    is_coordinator,
    is_mentor,
    is_partner,
    is_program_staff,
    two_factor_ok,
)


@rules.predicate
def is_case_open(user: Any, case: Any) -> bool:
    return case is not None and case.stage != Stage.CLOSED


@rules.predicate
def is_case_placed(user: Any, case: Any) -> bool:
    return case is not None and case.stage == Stage.PLACED


@rules.predicate
def is_recipient(user: Any, recipient: Any) -> bool:
    return recipient is not None and recipient.attorney_id == user.pk


can_view_workspace = two_factor_ok & (
    is_program_staff
    | is_attorney_of_record
    | (is_mentor & is_case_mentor)
    | (is_partner & is_staff_of_placing_organization)
)
can_work_case = two_factor_ok & is_case_open & (is_coordinator | is_attorney_of_record)

rules.add_perm("workspace.view_workspace", can_view_workspace)
# Hearings, the communication log, the plan's milestones and the outcome.
rules.add_perm("workspace.change_workspace", can_work_case)
# The notes of the communication log tell the client's story: only those who see the file.
rules.add_perm("workspace.view_contact_notes", can_view_case_file)
# Pro bono hours are the attorney's own; late entries after closing are still theirs to log.
rules.add_perm("workspace.log_hours", two_factor_ok & is_attorney & is_attorney_of_record)
rules.add_perm("workspace.close_case", can_work_case)
rules.add_perm(
    "workspace.request_withdrawal", two_factor_ok & is_attorney_of_record & is_case_placed
)
rules.add_perm("workspace.decide_withdrawal", two_factor_ok & is_coordinator)
# The packet is for the next attorney of record, and for coordinators.
rules.add_perm("workspace.view_handoff", two_factor_ok & (is_program_staff | is_attorney_of_record))
rules.add_perm("workspace.view_hours_totals", two_factor_ok & is_program_staff)
rules.add_perm("workspace.view_own_hours", is_attorney)
rules.add_perm("workspace.send_status_request", two_factor_ok & is_program_staff)
rules.add_perm("workspace.view_own_status_requests", is_attorney)
rules.add_perm("workspace.answer_status_request", is_attorney & is_recipient)

# Documents (issue 7, point 3) hold the client's story: the attorney of record and coordinators
# upload and download; the case's mentor downloads and comments only when the attorney shared
# the file. Nobody else sees even the list (titles may name the client).
can_view_documents = two_factor_ok & (
    is_coordinator | is_attorney_of_record | (is_mentor & is_case_mentor & file_shared_with_mentor)
)
rules.add_perm("workspace.view_documents", can_view_documents)
rules.add_perm("workspace.upload_document", can_work_case)
rules.add_perm("workspace.comment_document", can_view_documents & is_case_open)
# Early warning (issue 7, point 8): the list of cases at risk is for program staff.
rules.add_perm("workspace.view_cases_at_risk", two_factor_ok & is_program_staff)
