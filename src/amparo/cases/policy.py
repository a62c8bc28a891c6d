"""Who may see and change a case. The client's identity is in the *file*; the *summary* is the
anonymized card (DEADLINE-RULES.md section 7: two visibility tiers)."""

from __future__ import annotations

from typing import Any

import rules

from amparo.cases.models import Case, Stage
from amparo.core.predicates import (
    is_coordinator,
    is_mentor,
    is_partner,
    is_program_staff,
    is_verified_attorney,
    two_factor_ok,
)


@rules.predicate
def is_attorney_of_record(user: Any, case: Case | None) -> bool:
    return (
        case is not None
        and case.attorney_of_record_id is not None
        and case.attorney_of_record_id == user.pk
    )


@rules.predicate
def is_case_mentor(user: Any, case: Case | None) -> bool:
    return case is not None and case.mentor_id is not None and case.mentor_id == user.pk


@rules.predicate
def file_shared_with_mentor(user: Any, case: Case | None) -> bool:
    return case is not None and case.mentor_file_access


@rules.predicate
def is_staff_of_placing_organization(user: Any, case: Case | None) -> bool:
    return case is not None and user.organization_id == case.placing_organization_id


@rules.predicate
def is_open_for_placement(user: Any, case: Case | None) -> bool:
    return case is not None and case.stage == Stage.READY


@rules.predicate
def is_before_placement(user: Any, case: Case | None) -> bool:
    return case is not None and case.stage in (Stage.INTAKE, Stage.SCREENING)


can_view_case_file = two_factor_ok & (
    is_program_staff
    | is_attorney_of_record
    | (is_partner & is_staff_of_placing_organization)
    | (is_mentor & is_case_mentor & file_shared_with_mentor)
)

rules.add_perm("cases.view_case_file", can_view_case_file)
rules.add_perm(
    "cases.view_case_summary",
    can_view_case_file
    | (is_verified_attorney & is_open_for_placement)
    | (is_mentor & is_case_mentor),
)
rules.add_perm(
    "cases.change_case",
    two_factor_ok
    & (
        is_coordinator
        | is_attorney_of_record
        | (is_partner & is_staff_of_placing_organization & is_before_placement)
    ),
)
rules.add_perm("cases.add_case", two_factor_ok & (is_coordinator | is_partner))

rules.add_perm("cases.view_board", is_verified_attorney | (is_program_staff & two_factor_ok))
rules.add_perm("cases.take_case", is_verified_attorney)
rules.add_perm("cases.view_timeline", is_program_staff & two_factor_ok)
# Placing a case directly, deciding attorneys' requests, recording withdrawals.
rules.add_perm("cases.place_case", is_coordinator & two_factor_ok)
# Archiving a closed case by hand, and bringing it back before it is purged (retention.py).
rules.add_perm("cases.archive_case", is_coordinator & two_factor_ok)
