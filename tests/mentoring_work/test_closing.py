"""Closing: with the case (the hook and the daily job) or earlier by the mentor or an admin;
then a short feedback form from each side, stored and visible to program staff."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amparo.cases.models import Stage
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.models import MentorshipFeedback, PlanMilestone
from amparo.mentoring_work.services import (
    feedback_give,
    mentorships_close_for_case,
    milestone_add,
)
from amparo.mentoring_work.tasks import mentoring_daily_run


def _close_case(case):
    case.stage = Stage.CLOSED
    case.closed_at = timezone.now()
    case.save()


def test_mentorship_closes_with_its_case(mentorship, personas, django_capture_on_commit_callbacks):
    _close_case(mentorship.case)
    with django_capture_on_commit_callbacks(execute=True):
        assert mentorships_close_for_case(case=mentorship.case) == 1
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.CLOSED
    assert mentorship.closed_at is not None
    # The request is closed too (the case may ask again) and the mentor no longer reads the case.
    mentorship.request.refresh_from_db()
    assert mentorship.request.status == "closed"
    mentorship.case.refresh_from_db()
    assert mentorship.case.mentor_id != mentorship.mentor_id
    # Both sides are asked for feedback, with a link.
    assert {m.to[0] for m in mail.outbox} == {personas.mentor.email, personas.attorney.email}
    assert f"/mentoring/work/{mentorship.pk}/feedback/" in mail.outbox[0].body
    assert mentorships_close_for_case(case=mentorship.case) == 0


def test_the_daily_job_closes_mentorships_of_closed_cases(mentorship, other_mentorship):
    _close_case(mentorship.case)
    assert mentoring_daily_run()["closed"] == 1
    mentorship.refresh_from_db()
    other_mentorship.refresh_from_db()
    assert mentorship.status == "closed"
    assert other_mentorship.status == "active"


def test_closing_early_by_the_mentor_and_then_read_only(client, mentorship, plan, personas):
    url = reverse("mentoring_work:close", args=[mentorship.pk])
    client.force_login(personas.attorney)  # the mentee does not close it
    assert client.get(url).status_code == 404
    client.force_login(personas.mentor)
    response = client.post(url, {"reason": "The attorney withdrew."})
    assert response.status_code == 422  # the confirmation box
    assert Mentorship.objects.get(pk=mentorship.pk).status == "active"
    response = client.post(url, {"reason": "The attorney withdrew.", "confirm": "on"})
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "closed"
    assert mentorship.case.stage == Stage.PLACED  # the case itself goes on
    with pytest.raises(ValidationError):
        milestone_add(
            mentorship=mentorship,
            actor=personas.mentor,
            title="Too late",
            kind="other",
            owner="mentor",
            due_date=None,
        )
    workspace = client.get(reverse("mentoring_work:workspace", args=[mentorship.pk]))
    assert workspace.status_code == 200
    assert "Add a milestone" not in workspace.content.decode()
    assert client.get(url).status_code == 404  # nothing more to close


def test_program_admin_closes(client, mentorship, personas):
    client.force_login(personas.program_admin)
    response = client.post(reverse("mentoring_work:close", args=[mentorship.pk]), {"confirm": "on"})
    assert response.status_code == 302
    client.force_login(personas.coordinator)  # coordinators read only
    mentorship.status = "active"
    mentorship.save()
    assert (
        client.post(
            reverse("mentoring_work:close", args=[mentorship.pk]), {"confirm": "on"}
        ).status_code
        == 404
    )


def test_feedback_from_both_sides(client, mentorship, personas):
    Mentorship.objects.filter(pk=mentorship.pk).update(status="closed", closed_at=timezone.now())
    url = reverse("mentoring_work:feedback", args=[mentorship.pk])
    client.force_login(personas.attorney)
    response = client.post(url, {"rating": "7", "comments": "?"})
    assert response.status_code == 422
    assert not MentorshipFeedback.objects.exists()
    response = client.post(url, {"rating": "5", "comments": "Answered every draft in two days."})
    assert response.status_code == 302
    client.force_login(personas.mentor)
    client.post(url, {"rating": "4", "comments": "Well prepared mentee."})
    assert {(f.side, f.rating) for f in MentorshipFeedback.objects.all()} == {
        ("mentee", 5),
        ("mentor", 4),
    }
    # Once each.
    with pytest.raises(ValidationError):
        feedback_give(mentorship=mentorship, author=personas.mentor, rating=3)
    page = client.get(url).content.decode()
    assert "You rated the mentoring 4 out of 5" in page
    assert "Answered every draft in two days." not in page  # each side sees its own
    # Program staff read both.
    client.force_login(personas.program_admin)
    listing = client.get(reverse("mentoring_work:feedback_list")).content.decode()
    assert "Answered every draft in two days." in listing
    assert "Well prepared mentee." in listing
    client.force_login(personas.coordinator)
    assert "Well prepared mentee." in client.get(url).content.decode()


def test_feedback_only_once_closed(mentorship, personas):
    with pytest.raises(ValidationError):
        feedback_give(mentorship=mentorship, author=personas.attorney, rating=5)
    assert PlanMilestone.objects.count() == 0
