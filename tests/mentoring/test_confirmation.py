"""Proposals, confirmation by a program admin, the mentor's answer from the e-mailed link, the
next best mentor after a decline, and capacity under concurrency."""

from __future__ import annotations

import re
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amparo.conflicts.models import ConflictHit
from amparo.core.models import AuditEvent
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring.proposals import request_proposals
from amparo.mentoring.services import (
    MentoringError,
    invitation_token,
    mentoring_request_create,
    mentorship_confirm,
    mentorship_decline,
)
from tests.factories import CaseFactory, MentorProfileFactory, MentorshipFactory, UserFactory
from tests.mentoring.conftest import individual_hearing


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/mentoring/invitations/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_proposals_rank_mentors_with_score_and_reasons(client, personas, program, open_request):
    # The mentor knows the court (SFR); the other does not.
    proposals = request_proposals(request=open_request)
    assert [p.mentor for p in proposals] == [personas.mentor, personas.other_mentor]
    assert proposals[0].score > proposals[1].score
    client.force_login(personas.program_admin)
    html = client.get(reverse("mentoring:request_detail", args=[open_request.pk])).content.decode()
    assert "score" in html
    assert "Has worked before this court: San Francisco" in html
    assert f"Confirm and invite {personas.mentor.full_name}" in html


def test_proposal_reasons_in_the_admins_language(client, personas, program, open_request):
    personas.program_admin.language = "es"
    personas.program_admin.save()
    client.force_login(personas.program_admin)
    html = client.get(reverse("mentoring:request_detail", args=[open_request.pk])).content.decode()
    assert 'lang="es"' in html
    assert "Ha trabajado ante este tribunal" in html
    assert "Atiende casos de asilo defensivo" in html


def test_proposals_exclude_conflicts_missing_languages_no_capacity_and_inactive(
    personas, program, open_request
):
    ConflictHit.objects.create(
        case=program.case,
        subject_type="client",
        subject_id=1,
        subject_label="Client",
        matched_type="declared_conflict",
        matched_id=1,
        matched_attorney=personas.mentor,
        score=0.99,
        why_en="x",
        why_es="x",
        status="confirmed",
        resolved_by=personas.coordinator,
        resolved_at=timezone.now(),
    )
    program.other_mentor_profile.languages = ["en"]  # the request needs Spanish
    program.other_mentor_profile.save()
    full = MentorProfileFactory(capacity=1)
    MentorshipFactory(mentor=full.user)
    MentorProfileFactory(active=False)
    fitting = MentorProfileFactory()
    assert [p.mentor for p in request_proposals(request=open_request)] == [fitting.user]


def test_confirm_invites_the_mentor_by_email_and_the_link_accepts(
    client, personas, program, open_request, django_capture_on_commit_callbacks
):
    client.force_login(personas.program_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:request_confirm", args=[open_request.pk]),
            {"mentor": personas.mentor.pk},
        )
    assert response.status_code == 302
    mentorship = Mentorship.objects.get()
    assert mentorship.status == "invited"
    assert mentorship.confirmed_by == personas.program_admin
    assert mentorship.score > 0 and mentorship.reasons
    open_request.refresh_from_db()
    assert open_request.status == "proposed"
    assert AuditEvent.objects.filter(action="mentorship.confirmed").count() == 1
    (invitation,) = mail.outbox
    assert invitation.to == [personas.mentor.email]
    assert program.case.code in invitation.subject
    path = _link_path(invitation.body)

    mail.outbox.clear()
    client.force_login(personas.mentor)
    page = client.get(path)
    assert page.status_code == 200
    assert "Accept the mentorship" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path + "accept/")
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "active"
    assert mentorship.started_at is not None and mentorship.responded_at is not None
    program.case.refresh_from_db()
    assert program.case.mentor == personas.mentor
    open_request.refresh_from_db()
    assert open_request.status == "matched"
    assert [m.to for m in mail.outbox] == [[personas.attorney.email]]
    assert "sign the mentoring agreement" in mail.outbox[0].body
    # Answered once: the link now shows the status, without the buttons.
    assert "Accept the mentorship" not in client.get(path).content.decode()
    again = client.post(path + "accept/")
    assert again.status_code == 409
    assert "This invitation is no longer open (Active)." in again.content.decode()


def test_confirm_waits_for_the_requirements(client, personas, program):
    individual_hearing(program.case, 3)
    request = mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    client.force_login(personas.program_admin)
    response = client.post(
        reverse("mentoring:request_confirm", args=[request.pk]), {"mentor": personas.mentor.pk}
    )
    assert response.status_code == 422
    assert "does not meet every requirement" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_confirm_bad_input_is_explained(client, personas, program, open_request):
    client.force_login(personas.program_admin)
    url = reverse("mentoring:request_confirm", args=[open_request.pk])
    for data in ({}, {"mentor": "abc"}, {"mentor": personas.attorney.pk}):
        response = client.post(url, data)
        assert response.status_code == 422
    response = client.post(url, {"mentor": UserFactory(role="mentor").pk})  # no profile
    assert response.status_code == 422
    assert "is not an active mentor" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_confirm_past_capacity_fails_cleanly(client, personas, program, open_request):
    program.mentor_profile.capacity = 1
    program.mentor_profile.save()
    MentorshipFactory(mentor=personas.mentor)  # the only place is taken
    client.force_login(personas.program_admin)
    response = client.post(
        reverse("mentoring:request_confirm", args=[open_request.pk]),
        {"mentor": personas.mentor.pk},
    )
    assert response.status_code == 409
    assert "has no place left: 1 of 1 mentees" in response.content.decode()
    assert Mentorship.objects.filter(request=open_request).count() == 0
    open_request.refresh_from_db()
    assert open_request.status == "pending"


def test_confirm_twice_is_refused(personas, program, open_request):
    mentorship_confirm(request=open_request, mentor=personas.mentor, actor=personas.program_admin)
    with pytest.raises(MentoringError) as error:
        mentorship_confirm(
            request=open_request, mentor=personas.other_mentor, actor=personas.coordinator
        )
    assert error.value.code == "taken"
    assert Mentorship.objects.count() == 1


def test_decline_with_a_reason_proposes_the_next_best_mentor(
    client, personas, program, open_request, django_capture_on_commit_callbacks
):
    mentorship = mentorship_confirm(
        request=open_request, mentor=personas.mentor, actor=personas.program_admin
    )
    path = reverse("mentoring:invitation", args=[invitation_token(mentorship)])
    client.force_login(personas.mentor)
    response = client.post(path + "decline/", {"reason": " "})
    assert response.status_code == 422
    assert "Say why you decline" in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == "invited"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path + "decline/", {"reason": "No time before the hearing"})
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "declined"
    assert mentorship.decline_reason == "No time before the hearing"
    open_request.refresh_from_db()
    assert open_request.status == "pending"
    # The program admins are told, with the next best mentor; the decliner is not proposed again.
    (notice,) = mail.outbox
    assert notice.to == [personas.program_admin.email]
    assert personas.other_mentor.full_name in notice.body
    assert "No time before the hearing" in notice.body
    assert [p.mentor for p in request_proposals(request=open_request)] == [personas.other_mentor]
    with pytest.raises(MentoringError, match="already declined"):
        mentorship_confirm(
            request=open_request, mentor=personas.mentor, actor=personas.program_admin
        )
    assert AuditEvent.objects.filter(action="mentorship.declined").count() == 1


def test_decline_can_invite_the_next_best_automatically(
    settings, personas, program, open_request, django_capture_on_commit_callbacks
):
    settings.AMPARO_MENTORING_AUTO_INVITE_NEXT = True
    mentorship = mentorship_confirm(
        request=open_request, mentor=personas.mentor, actor=personas.program_admin
    )
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_decline(mentorship=mentorship, actor=personas.mentor, reason="Conflict")
    invited = Mentorship.objects.get(status="invited")
    assert invited.mentor == personas.other_mentor
    assert invited.confirmed_by is None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert personas.other_mentor.email in recipients
    assert personas.program_admin.email in recipients


def test_invitation_link_is_only_for_the_invited_mentor(client, personas, program, open_request):
    mentorship = mentorship_confirm(
        request=open_request, mentor=personas.mentor, actor=personas.program_admin
    )
    token = invitation_token(mentorship)
    path = reverse("mentoring:invitation", args=[token])
    assert client.get(path).status_code == 302  # signed out: sign in first
    for persona in ("other_mentor", "attorney", "partner", "program_admin"):
        client.force_login(getattr(personas, persona))
        assert client.get(path).status_code == 404, persona
        assert client.post(path + "accept/").status_code == 404, persona
    client.force_login(personas.mentor)
    tampered = reverse("mentoring:invitation", args=[token[:-2] + "xx"])
    assert client.get(tampered).status_code == 404
    with time_machine.travel(timezone.now() + timezone.timedelta(days=31)):
        client.force_login(personas.mentor)
        assert client.get(path).status_code == 404  # expired: the invitations list has a new one
    mentorship.refresh_from_db()
    assert mentorship.status == "invited"


def test_mentor_home_lists_invitations_and_mentorships(
    client, personas, program, open_request, django_assert_max_num_queries
):
    mentorship_confirm(request=open_request, mentor=personas.mentor, actor=personas.program_admin)
    for _ in range(4):
        MentorshipFactory(mentor=personas.mentor)
    client.force_login(personas.mentor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("mentoring:home"))
    html = response.content.decode()
    assert program.case.code in html
    assert "Read and answer" in html


def test_queue_shows_eligibility_and_best_proposal_in_fixed_queries(
    client, personas, program, open_request, django_assert_max_num_queries
):
    for _ in range(8):
        case = CaseFactory(
            stage="placed", attorney_of_record=personas.other_attorney, court=program.court
        )
        mentoring_request_create(case=case, actor=personas.coordinator, help_wanted="x")
    for _ in range(5):
        MentorProfileFactory()
    mentorship_confirm(request=open_request, mentor=personas.mentor, actor=personas.program_admin)
    client.force_login(personas.program_admin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mentoring:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Met</span>") >= 9
    assert program.case.code in html
    assert MentoringRequest.objects.count() == 9


def test_coordinator_also_manages_and_home_redirects_to_the_queue(client, personas, program):
    client.force_login(personas.coordinator)
    response = client.get(reverse("mentoring:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:queue")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_admins_confirming_past_capacity_at_once_one_wins():
    from amparo.accounts.models import User
    from amparo.mentoring.services import mentoring_request_create as create
    from tests.factories import AttorneyProfileFactory

    admins = [
        User.objects.create_user(email=f"admin{n}@example.org", role="program_admin", full_name="A")
        for n in range(2)
    ]
    mentor = MentorProfileFactory(capacity=1).user
    requests = []
    for n in range(2):
        attorney = AttorneyProfileFactory(
            user__email=f"mentee{n}@example.org",
            verification_status="verified",
            verified_by=admins[0],
            verified_at=timezone.now(),
        ).user
        case = CaseFactory(stage="placed", attorney_of_record=attorney)
        requests.append(create(case=case, actor=attorney, help_wanted="x"))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(request, admin):
        try:
            barrier.wait()
            mentorship_confirm(
                request=MentoringRequest.objects.get(pk=request.pk), mentor=mentor, actor=admin
            )
            outcomes.append("won")
        except MentoringError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(r, a)) for r, a in zip(requests, admins, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["capacity", "won"]
    assert Mentorship.objects.filter(mentor=mentor).count() == 1
    assert MentoringRequest.objects.filter(status="proposed").count() == 1
    assert MentoringRequest.objects.filter(status="pending").count() == 1
