"""Fifty verified attorneys take one case at the same moment: the database decides, exactly one
wins and every other one is told, cleanly, that the case was taken (PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amparo.accounts.models import Role
from amparo.cases.models import Case, CaseEvent, ConflictAttestation, Placement, Stage
from amparo.cases.placement import PlacementError, case_publish, case_take
from amparo.core.models import AuditEvent
from tests.concurrency.racing import race
from tests.factories import AttorneyProfileFactory, CaseFactory, UserFactory

ATTORNEYS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_attorneys_take_one_case_at_once_exactly_one_wins():
    coordinator = UserFactory(role=Role.COORDINATOR, email="race-coordinator@example.org")
    case = CaseFactory(case_type="affirmative_asylum")
    case_publish(case=case, actor=None)
    attorneys = []
    for n in range(ATTORNEYS):
        attorney = AttorneyProfileFactory(
            user__email=f"racer{n}@example.org",
            verification_status="verified",
            verified_by=coordinator,
            verified_at=timezone.now(),
            capacity=3,
        ).user
        # Each has looked at the parties and attested no conflict (what the take requires).
        ConflictAttestation.objects.create(case=case, attorney=attorney, attested_at=timezone.now())
        attorneys.append(attorney)

    def take(attorney):
        try:
            case_take(case=Case.objects.get(pk=case.pk), attorney=attorney)
        except PlacementError as error:
            assert error.reasons, "a refusal says why"
            return f"refused:{error.code}"
        return f"won:{attorney.pk}"

    outcomes = race(take, attorneys)

    winners = [o for o in outcomes if o.startswith("won:")]
    assert len(winners) == 1, outcomes
    assert outcomes.count("refused:taken") == ATTORNEYS - 1, outcomes
    winner_id = int(winners[0].removeprefix("won:"))
    case.refresh_from_db()
    assert case.stage == Stage.PLACED
    assert case.attorney_of_record_id == winner_id
    assert list(Placement.objects.filter(case=case).values_list("attorney_id", flat=True)) == [
        winner_id
    ]
    placed = AuditEvent.objects.filter(action=AuditEvent.Action.CASE_PLACED, object_id=str(case.pk))
    assert placed.count() == 1
    assert placed.get().actor_id == winner_id
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.PLACED).count() == 1
