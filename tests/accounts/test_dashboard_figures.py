"""The coordinator dashboard's figures and urgent list, as rewritten for scale: counts of cases
(not of case-hearing pairs), and the urgent list's next hearing from the window's hearings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from amparo.cases.models import Hearing, Stage
from amparo.cases.selectors import case_list_urgent_unplaced, case_stage_counts
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db


def _hearing(case, days: float, **extra):
    return HearingFactory(case=case, starts_at=timezone.now() + dt.timedelta(days=days), **extra)


def test_stage_counts_count_each_case_once_whatever_its_hearings(personas):
    before = case_stage_counts(viewer=personas.coordinator)
    case = CaseFactory(
        stage=Stage.SCREENING, placing_organization=personas.ready_case.placing_organization
    )
    for days in (3, 40, 90):
        _hearing(case, days)
    after = case_stage_counts(viewer=personas.coordinator)
    assert after[Stage.SCREENING] == before[Stage.SCREENING] + 1
    assert sum(after.values()) == sum(before.values()) + 1


def test_urgent_list_shows_the_next_hearing_within_the_window(personas):
    org = personas.ready_case.placing_organization
    soon = CaseFactory(stage=Stage.READY, placing_organization=org)
    _hearing(soon, -5)  # past: not the next one
    _hearing(soon, 20)
    first = _hearing(soon, 6)
    later = CaseFactory(stage=Stage.SCREENING, placing_organization=org)
    _hearing(later, 12)
    cancelled_only = CaseFactory(stage=Stage.READY, placing_organization=org)
    _hearing(cancelled_only, 2, status=Hearing.Status.CANCELLED)
    beyond = CaseFactory(stage=Stage.READY, placing_organization=org)
    _hearing(beyond, 45)
    placed = personas.placed_case
    _hearing(placed, 1)
    archived = CaseFactory(stage=Stage.READY, placing_organization=org, archived_at=timezone.now())
    _hearing(archived, 1)

    urgent = list(case_list_urgent_unplaced(viewer=personas.coordinator))

    assert [case.code for case in urgent] == [soon.code, later.code]
    assert urgent[0].next_hearing_at == first.starts_at
    assert len(urgent) == len({case.pk for case in urgent})


def test_urgent_list_is_for_those_who_may_list_the_cases(personas):
    case = CaseFactory(
        stage=Stage.READY, placing_organization=personas.ready_case.placing_organization
    )
    _hearing(case, 3)
    assert list(case_list_urgent_unplaced(viewer=personas.coordinator)) == [case]
    assert list(case_list_urgent_unplaced(viewer=personas.attorney)) == []
