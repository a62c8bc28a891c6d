from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.cases.domain.urgency import UrgencyFacts, age_band, urgency_score


def facts(**overrides):
    base = dict(
        days_to_next_hearing=None,
        days_to_next_filing_deadline=None,
        detained=False,
        children_involved=False,
        unaccompanied_child=False,
        days_waiting=0,
    )
    return UrgencyFacts(**{**base, **overrides})


def test_urgency_hearing_within_a_week_is_the_maximum_time_factor():
    result = urgency_score(facts(days_to_next_hearing=5))
    assert result.score == 50
    assert result.factors[0].en == "Next hearing in 5 days"


def test_urgency_tighter_of_hearing_and_deadline_counts():
    result = urgency_score(facts(days_to_next_hearing=90, days_to_next_filing_deadline=10))
    assert result.factors[0].factor == "time"
    assert "filing deadline in 10 days" in result.factors[0].en


def test_urgency_detained_child_waiting_adds_up_and_caps_at_100():
    result = urgency_score(
        facts(days_to_next_hearing=3, detained=True, unaccompanied_child=True, days_waiting=200)
    )
    assert result.score == 100
    assert {f.factor for f in result.factors} == {"time", "detained", "child", "waiting"}


def test_urgency_far_hearing_and_nothing_else_is_zero():
    assert urgency_score(facts(days_to_next_hearing=400)).score == 0


@given(
    st.integers(min_value=-30, max_value=400),
    st.integers(min_value=-30, max_value=400),
    st.booleans(),
    st.integers(min_value=0, max_value=1000),
)
def test_urgency_sooner_is_never_less_urgent(days, later, detained, waiting):
    soon, far = sorted([days, later])
    a = urgency_score(facts(days_to_next_hearing=soon, detained=detained, days_waiting=waiting))
    b = urgency_score(facts(days_to_next_hearing=far, detained=detained, days_waiting=waiting))
    assert a.score >= b.score
    assert 0 <= a.score <= 100


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, ""),
        (0, "0-5"),
        (5, "0-5"),
        (6, "6-11"),
        (17, "12-17"),
        (18, "18-20"),
        (21, "21-29"),
        (34, "30-39"),
        (69, "60-69"),
        (85, "70+"),
    ],
)
def test_age_band(age, band):
    assert age_band(age) == band
