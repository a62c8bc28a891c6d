"""U visa derivatives: qualification, age-out protection and DERIVATIVE_AGE_OUT_RISK."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.derivatives import assess_u_visa_derivatives, filing_date_for_ages
from amparo.deadlines.domain.engine import compute_case
from amparo.deadlines.domain.facts import CaseFacts, CaseType, FamilyMember, Relationship
from amparo.deadlines.domain.results import FlagCode

D = date.fromisoformat

FAMILY = (
    FamilyMember("spouse", Relationship.SPOUSE, D("1990-01-01")),
    FamilyMember("child", Relationship.CHILD, D("2006-06-01")),  # 21 on 2027-06-01
    FamilyMember("married_child", Relationship.CHILD, D("2008-01-01"), married=True),
    FamilyMember("parent", Relationship.PARENT, D("1975-01-01")),
    FamilyMember("sibling", Relationship.SIBLING, D("2010-01-01")),  # 18 on 2028-01-01
    FamilyMember("older_sibling", Relationship.SIBLING, D("2007-01-01")),  # 18 on 2025-01-01
)


def _u_visa(**overrides: object) -> CaseFacts:
    fields: dict[str, object] = {
        "id": "u",
        "as_of": D("2026-01-05"),
        "case_type": CaseType.U_VISA,
        "family": FAMILY,
    }
    fields.update(overrides)
    return CaseFacts(**fields)  # type: ignore[arg-type]


def _table(facts: CaseFacts) -> dict[str, tuple[bool | None, bool | None]]:
    return {
        a.family_id: (a.qualifies, a.age_out_protected) for a in assess_u_visa_derivatives(facts)
    }


def test_derivatives_adult_principal_spouse_and_unmarried_children_only() -> None:
    facts = _u_visa(date_of_birth=D("1985-01-01"))
    assert _table(facts) == {
        "spouse": (True, None),
        "child": (True, False),  # not filed yet: no protection
        "married_child": (False, False),
        "parent": (False, False),
        "sibling": (False, False),
        "older_sibling": (False, False),
    }


def test_derivatives_principal_under_21_adds_parents_and_siblings_under_18() -> None:
    facts = _u_visa(date_of_birth=D("2007-03-01"), i918_filed=D("2026-01-02"))
    assert _table(facts) == {
        "spouse": (True, None),
        "child": (True, True),
        "married_child": (False, False),
        "parent": (True, True),
        "sibling": (True, True),
        "older_sibling": (False, False),  # 18 before filing
    }


def test_derivatives_ages_are_fixed_at_filing() -> None:
    # The child turns 21 on 2027-06-01; as_of is years later, but the I-918 was filed before.
    facts = _u_visa(
        date_of_birth=D("1985-01-01"), as_of=D("2030-01-01"), i918_filed=D("2027-05-31")
    )
    assert _table(facts)["child"] == (True, True)
    filed_on_birthday = _u_visa(
        date_of_birth=D("1985-01-01"), as_of=D("2030-01-01"), i918_filed=D("2027-06-01")
    )
    assert _table(filed_on_birthday)["child"] == (False, False)


def test_derivatives_unfiled_case_is_judged_at_planned_filing_date() -> None:
    facts = _u_visa(date_of_birth=D("1985-01-01"), i918_planned=D("2027-07-01"))
    assert filing_date_for_ages(facts) == D("2027-07-01")
    assert _table(facts)["child"] == (False, False)  # 21 on 2027-06-01, before the plan
    stale_plan = _u_visa(date_of_birth=D("1985-01-01"), i918_planned=D("2025-01-01"))
    assert filing_date_for_ages(stale_plan) == D("2026-01-05")


def test_derivatives_unknown_birth_dates_cannot_be_decided() -> None:
    facts = _u_visa(
        family=(
            FamilyMember("c", Relationship.CHILD),
            FamilyMember("p", Relationship.PARENT, D("1970-01-01")),
        )
    )
    assert _table(facts) == {"c": (None, None), "p": (None, None)}


def test_derivatives_only_for_u_visa_cases() -> None:
    facts = _u_visa(case_type=CaseType.AFFIRMATIVE_ASYLUM)
    assert assess_u_visa_derivatives(facts) == ()


@pytest.mark.parametrize(
    ("as_of", "planned", "filed", "flagged"),
    [
        ("2027-03-02", None, None, False),  # 91 days before the 21st birthday
        ("2027-03-03", None, None, True),  # 90 days before
        ("2028-01-01", None, None, True),  # already 21, still not filed
        ("2026-01-05", "2027-06-01", None, True),  # the plan is on the birthday
        ("2026-01-05", "2027-05-31", None, False),  # the plan is in time
        ("2027-05-01", None, "2027-04-30", False),  # filed: age fixed
    ],
)
def test_derivative_age_out_risk_for_u_visa_child(
    us_calendar: BusinessCalendar,
    as_of: str,
    planned: str | None,
    filed: str | None,
    flagged: bool,
) -> None:
    facts = _u_visa(
        as_of=D(as_of),
        date_of_birth=D("1985-01-01"),
        family=(FamilyMember("child", Relationship.CHILD, D("2006-06-01")),),
        i918_planned=D(planned) if planned else None,
        i918_filed=D(filed) if filed else None,
    )
    flags = compute_case(facts, calendar=us_calendar).flags_with(FlagCode.DERIVATIVE_AGE_OUT_RISK)
    assert bool(flags) is flagged
    assert all(flag.applies_to == "family:child" for flag in flags)


def test_derivative_age_out_risk_for_sibling_turning_18(us_calendar: BusinessCalendar) -> None:
    facts = _u_visa(
        as_of=D("2027-11-01"),  # 61 days before the sibling turns 18 on 2028-01-01
        date_of_birth=D("2008-01-01"),  # principal turns 21 on 2029-01-01
        family=(FamilyMember("sibling", Relationship.SIBLING, D("2010-01-01")),),
    )
    flags = compute_case(facts, calendar=us_calendar).flags_with(FlagCode.DERIVATIVE_AGE_OUT_RISK)
    assert [(f.applies_to, "18" in f.message.en) for f in flags] == [("family:sibling", True)]


def test_derivative_age_out_risk_when_principal_nears_21(us_calendar: BusinessCalendar) -> None:
    facts = _u_visa(
        as_of=D("2026-12-01"),
        date_of_birth=D("2006-01-15"),  # principal turns 21 on 2027-01-15
        family=(FamilyMember("parent", Relationship.PARENT, D("1980-01-01")),),
    )
    flags = compute_case(facts, calendar=us_calendar).flags_with(FlagCode.DERIVATIVE_AGE_OUT_RISK)
    assert [f.applies_to for f in flags] == ["family:parent"]
    assert "2027-01-15" in flags[0].message.en


def test_derivative_age_out_risk_for_asylum_child_asks_for_review(
    us_calendar: BusinessCalendar,
) -> None:
    facts = CaseFacts(
        id="a",
        as_of=D("2027-04-01"),
        case_type=CaseType.DEFENSIVE_ASYLUM,
        i589_received=D("2025-01-01"),
        family=(FamilyMember("child", Relationship.CHILD, D("2006-06-01")),),
    )
    (flag,) = compute_case(facts, calendar=us_calendar).flags_with(FlagCode.DERIVATIVE_AGE_OUT_RISK)
    assert "attorney review" in flag.message.en
