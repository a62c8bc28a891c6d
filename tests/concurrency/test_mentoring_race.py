"""Twenty confirmations race for a mentor's last free place: the mentor's capacity holds,
exactly one is confirmed and every other one is refused with the capacity message
(PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amparo.accounts.models import Role
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring.services import MentoringError, mentoring_request_create, mentorship_confirm
from tests.concurrency.racing import race
from tests.factories import AttorneyProfileFactory, CaseFactory, MentorProfileFactory, UserFactory

CAPACITY = 3
RACERS = 20


def _request_for_a_new_mentee(n, admin):
    attorney = AttorneyProfileFactory(
        user__email=f"mentee{n}@example.org",
        verification_status="verified",
        verified_by=admin,
        verified_at=timezone.now(),
    ).user
    case = CaseFactory(stage="placed", attorney_of_record=attorney, placed_at=timezone.now())
    return mentoring_request_create(case=case, actor=attorney, help_wanted="first hearing")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_confirmations_for_the_last_place_one_succeeds():
    admin = UserFactory(role=Role.PROGRAM_ADMIN, email="race-admin@example.org")
    mentor = MentorProfileFactory(capacity=CAPACITY, user__email="busy-mentor@example.org").user
    # The mentor already has all but one place taken.
    for n in range(CAPACITY - 1):
        mentorship_confirm(
            request=_request_for_a_new_mentee(f"early{n}", admin), mentor=mentor, actor=admin
        )
    requests = [_request_for_a_new_mentee(n, admin) for n in range(RACERS)]

    def confirm(request):
        try:
            mentorship_confirm(
                request=MentoringRequest.objects.get(pk=request.pk), mentor=mentor, actor=admin
            )
        except MentoringError as error:
            assert "has no place left" in error.reasons[0], error.reasons
            return f"refused:{error.code}"
        return "confirmed"

    outcomes = race(confirm, requests)

    assert outcomes.count("confirmed") == 1, outcomes
    assert outcomes.count("refused:capacity") == RACERS - 1, outcomes
    load = Mentorship.objects.filter(mentor=mentor, status__in=Mentorship.LOAD_STATUSES).count()
    assert load == CAPACITY
    racing = MentoringRequest.objects.filter(pk__in=[r.pk for r in requests])
    assert racing.filter(status=MentoringRequest.Status.PROPOSED).count() == 1
    assert racing.filter(status=MentoringRequest.Status.PENDING).count() == RACERS - 1
