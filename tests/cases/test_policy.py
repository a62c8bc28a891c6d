"""Table-driven: each role sees only what the policy allows, on each kind of case."""

from __future__ import annotations

import pytest

from amparo.core.policy import can

# (persona, case, permission, allowed)
POLICY_TABLE = [
    # The full client file.
    ("coordinator", "placed_case", "cases.view_case_file", True),
    ("coordinator", "other_org_case", "cases.view_case_file", True),
    ("program_admin", "placed_case", "cases.view_case_file", True),
    ("attorney", "placed_case", "cases.view_case_file", True),
    ("other_attorney", "placed_case", "cases.view_case_file", False),
    ("attorney", "ready_case", "cases.view_case_file", False),
    ("unverified_attorney", "ready_case", "cases.view_case_file", False),
    ("mentor", "placed_case", "cases.view_case_file", True),
    ("other_mentor", "placed_case", "cases.view_case_file", False),
    ("mentor", "ready_case", "cases.view_case_file", False),
    ("partner", "placed_case", "cases.view_case_file", True),
    ("partner", "intake_case", "cases.view_case_file", True),
    ("partner", "other_org_case", "cases.view_case_file", False),
    ("other_partner", "placed_case", "cases.view_case_file", False),
    ("other_partner", "other_org_case", "cases.view_case_file", True),
    # The anonymized summary (the board card).
    ("attorney", "ready_case", "cases.view_case_summary", True),
    ("other_attorney", "ready_case", "cases.view_case_summary", True),
    ("unverified_attorney", "ready_case", "cases.view_case_summary", False),
    ("attorney", "intake_case", "cases.view_case_summary", False),
    ("other_mentor", "ready_case", "cases.view_case_summary", False),
    ("other_partner", "ready_case", "cases.view_case_summary", False),
    # Changing a case.
    ("coordinator", "placed_case", "cases.change_case", True),
    ("program_admin", "placed_case", "cases.change_case", False),
    ("attorney", "placed_case", "cases.change_case", True),
    ("other_attorney", "placed_case", "cases.change_case", False),
    ("mentor", "placed_case", "cases.change_case", False),
    ("partner", "intake_case", "cases.change_case", True),
    ("partner", "placed_case", "cases.change_case", False),
    ("other_partner", "intake_case", "cases.change_case", False),
    # Creating cases.
    ("coordinator", None, "cases.add_case", True),
    ("partner", None, "cases.add_case", True),
    ("attorney", None, "cases.add_case", False),
    ("mentor", None, "cases.add_case", False),
]


@pytest.mark.parametrize(("persona", "case", "permission", "allowed"), POLICY_TABLE)
def test_policy_case_permissions_by_role(personas, persona, case, permission, allowed):
    user = getattr(personas, persona)
    target = getattr(personas, case) if case else None
    assert can(user, permission, target) is allowed


def test_policy_mentor_without_shared_file_sees_summary_only(personas):
    case = personas.placed_case
    case.mentor_file_access = False
    case.save()
    assert can(personas.mentor, "cases.view_case_summary", case)
    assert not can(personas.mentor, "cases.view_case_file", case)


def test_policy_staff_without_two_factor_sees_no_client_file(personas):
    personas.coordinator.authenticator_set.all().delete()
    coordinator = type(personas.coordinator).objects.get(pk=personas.coordinator.pk)
    assert not can(coordinator, "cases.view_case_file", personas.placed_case)


def test_policy_superuser_flag_grants_nothing_by_itself(personas):
    personas.other_attorney.is_superuser = True
    personas.other_attorney.save()
    assert not can(personas.other_attorney, "cases.view_case_file", personas.placed_case)


def test_policy_inactive_user_is_refused_everything(personas):
    personas.coordinator.is_active = False
    assert not can(personas.coordinator, "cases.view_case_file", personas.placed_case)
