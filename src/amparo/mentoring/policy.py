"""Who may ask for, match, accept and see mentorships (rules predicates).

- Program admins and coordinators manage: the requests queue, eligibility overrides, proposals,
  confirmations (two-factor enrolled, like every staff page).
- The mentee is the case's attorney of record: they ask for a mentor, see their case's mentoring
  page, sign the agreement and book meetings.
- A mentor sees the invitations and mentorships addressed to them, nothing else.
- Partner staff ask for mentors on cases their organization placed and follow their status,
  never another organization's.

Objects are a Case (the mentoring page of a case), a MentoringRequest, a Mentorship or an
AgreementSignature. A forbidden object answers 404 (amparo.core.policy).
"""

from __future__ import annotations

from typing import Any

import rules

from amparo.cases.models import Case
from amparo.core.predicates import (
    is_attorney,
    is_mentor,
    is_partner,
    is_program_staff,
    two_factor_ok,
)
from amparo.mentoring.models import AgreementSignature, MentoringRequest, Mentorship


def _case_of(obj: Any) -> Case | None:
    if isinstance(obj, Case):
        return obj
    if isinstance(obj, MentoringRequest | Mentorship):
        return obj.case
    return None


@rules.predicate
def is_case_attorney_of_record(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    return (
        case is not None
        and case.attorney_of_record_id is not None
        and (case.attorney_of_record_id == user.pk)
    )


@rules.predicate
def is_request_mentee(user: Any, obj: Any) -> bool:
    return isinstance(obj, MentoringRequest) and obj.attorney_id == user.pk


@rules.predicate
def is_of_placing_organization(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    return (
        case is not None
        and user.organization_id is not None
        and user.organization_id == case.placing_organization_id
    )


@rules.predicate
def is_case_current_mentor(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    return case is not None and case.mentor_id is not None and case.mentor_id == user.pk


@rules.predicate
def is_mentorship_mentor(user: Any, obj: Any) -> bool:
    return isinstance(obj, Mentorship) and obj.mentor_id == user.pk


@rules.predicate
def is_mentorship_mentee(user: Any, obj: Any) -> bool:
    return isinstance(obj, Mentorship) and obj.mentee_id == user.pk


@rules.predicate
def is_invitation_open(user: Any, obj: Any) -> bool:
    return isinstance(obj, Mentorship) and obj.status == Mentorship.Status.INVITED


@rules.predicate
def is_mentorship_active(user: Any, obj: Any) -> bool:
    return isinstance(obj, Mentorship) and obj.status == Mentorship.Status.ACTIVE


@rules.predicate
def is_signer(user: Any, obj: Any) -> bool:
    return isinstance(obj, AgreementSignature) and obj.mentee_id == user.pk


@rules.predicate
def is_signers_mentor(user: Any, obj: Any) -> bool:
    """The mentor of the mentorship it was signed for, or of any mentorship of the signer that
    the mentor accepted (the agreement binds the mentee in every mentorship)."""
    if not isinstance(obj, AgreementSignature):
        return False
    mentorship = obj.mentorship if obj.mentorship_id is not None else None
    if mentorship is not None and mentorship.mentor_id == user.pk:
        return True
    return Mentorship.objects.filter(
        mentee_id=obj.mentee_id,
        mentor_id=user.pk,
        status__in=[Mentorship.Status.ACTIVE, Mentorship.Status.CLOSED],
    ).exists()


staff = is_program_staff & two_factor_ok
partner_of_case = is_partner & two_factor_ok & is_of_placing_organization

rules.add_perm("mentoring.manage", staff)
rules.add_perm("mentoring.view_home", is_attorney | is_mentor | is_partner | staff)
# The mentoring page of a case: its six steps, the request, the eligibility items.
rules.add_perm(
    "mentoring.view_case",
    staff
    | (is_attorney & is_case_attorney_of_record)
    | partner_of_case
    | (is_mentor & two_factor_ok & is_case_current_mentor),
)
rules.add_perm(
    "mentoring.request_for_case",
    staff | (is_attorney & is_case_attorney_of_record) | partner_of_case,
)
rules.add_perm("mentoring.request_in_bulk", is_partner & two_factor_ok)
rules.add_perm(
    "mentoring.view_request",
    staff | (is_attorney & is_request_mentee) | partner_of_case,
)
rules.add_perm(
    "mentoring.withdraw_request",
    staff | (is_attorney & is_request_mentee) | partner_of_case,
)
rules.add_perm("mentoring.view_invitations", is_mentor & two_factor_ok)
rules.add_perm(
    "mentoring.respond_invitation",
    is_mentor & two_factor_ok & is_mentorship_mentor & is_invitation_open,
)
rules.add_perm(
    "mentoring.view_mentorship",
    staff
    | (is_mentor & two_factor_ok & is_mentorship_mentor)
    | (is_attorney & is_mentorship_mentee),
)
# The agreement is signed by the mentee, for their own case.
rules.add_perm("mentoring.sign_agreement", is_attorney & is_case_attorney_of_record)
rules.add_perm(
    "mentoring.view_signature",
    staff | is_signer | (is_mentor & two_factor_ok & is_signers_mentor),
)
rules.add_perm(
    "mentoring.book_meeting",
    is_mentorship_active
    & ((is_attorney & is_mentorship_mentee) | (is_mentor & two_factor_ok & is_mentorship_mentor)),
)
