"""The first meeting waits for the signed agreement and the intro video (the screen says why);
meetings are booked and logged; the mentee's six steps follow the program's own."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from amparo.mentoring.checklist import mentee_checklist
from amparo.mentoring.models import MentoringMeeting, Mentorship
from amparo.mentoring.selectors import case_mentoring_state
from amparo.mentoring.services import (
    MentoringError,
    agreement_sign,
    meeting_book,
    meeting_log_held,
    mentorship_accept,
    mentorship_confirm,
)
from amparo.trainings.services.completion import module_complete
from tests.factories import MentoringAgreementFactory
from tests.mentoring.conftest import individual_hearing


def _when(days=3, hour=10):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _form(days=3, **extra):
    data = {
        "starts_at": timezone.localtime(_when(days)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "video",
        "video_link": "https://meet.example.org/abc",
        "place": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def active(personas, program, open_request):
    mentorship = mentorship_confirm(
        request=open_request, mentor=personas.mentor, actor=personas.program_admin
    )
    return mentorship_accept(mentorship=mentorship, actor=personas.mentor)


def _sign(personas, program):
    text = program.agreement.text_en
    return agreement_sign(
        case=program.case,
        mentee=personas.attorney,
        agreement=program.agreement,
        typed_name=personas.attorney.full_name,
        language="en",
        shown_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def _ready(personas, program):
    _sign(personas, program)
    module_complete(user=personas.attorney, module=program.intro_module)


def test_first_meeting_is_refused_until_agreement_and_intro_video(
    client, personas, program, active
):
    client.force_login(personas.attorney)
    page = client.get(reverse("mentoring:case", args=[program.case.code]))
    html = page.content.decode()
    assert "The first meeting cannot be booked yet:" in html
    assert "Sign the mentoring agreement first." in html
    assert "Complete the training “Mentoring intro video” first" in html
    assert "Book the meeting" not in html
    response = client.post(reverse("mentoring:meeting_book", args=[program.case.code]), _form())
    assert response.status_code == 422
    assert "Sign the mentoring agreement first." in response.content.decode()
    assert not MentoringMeeting.objects.exists()

    _sign(personas, program)
    with pytest.raises(MentoringError) as error:
        meeting_book(
            mentorship=active,
            actor=personas.attorney,
            starts_at=_when(),
            mode="video",
            video_link="https://meet.example.org/x",
        )
    assert error.value.reasons == [
        "Complete the training “Mentoring intro video” first (not started)."
    ]
    assert not MentoringMeeting.objects.exists()


def test_the_mentor_reads_why_in_the_third_person(client, personas, program, active):
    client.force_login(personas.mentor)
    html = client.get(reverse("mentoring:case", args=[program.case.code])).content.decode()
    assert "The mentee has not signed the mentoring agreement yet." in html
    assert "Required training “Mentoring intro video” is not complete" in html


def test_first_meeting_booked_once_both_are_done(
    client, personas, program, active, django_capture_on_commit_callbacks
):
    _ready(personas, program)
    client.force_login(personas.attorney)
    html = client.get(reverse("mentoring:case", args=[program.case.code])).content.decode()
    assert "Book the first meeting" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring:meeting_book", args=[program.case.code]), _form())
    assert response.status_code == 302
    meeting = MentoringMeeting.objects.get()
    assert meeting.is_first
    assert meeting.booked_by == personas.attorney
    assert meeting.video_link == "https://meet.example.org/abc"
    assert [m.to for m in mail.outbox] == [[personas.mentor.email]]
    assert program.case.code in mail.outbox[0].subject


def test_later_meetings_are_not_gated(personas, program, active):
    _ready(personas, program)
    meeting_book(
        mentorship=active,
        actor=personas.mentor,
        starts_at=_when(),
        mode="in_person",
        place="Office, 3022 International Blvd",
    )
    MentoringAgreementFactory(version=2)  # a new version after the first meeting was booked
    second = meeting_book(
        mentorship=active,
        actor=personas.mentor,
        starts_at=_when(10),
        mode="video",
        video_link="https://meet.example.org/2",
    )
    assert not second.is_first


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": ""}, "Choose the date and time."),
        ({"starts_at": "tomorrow"}, "Enter the date and time as YYYY-MM-DD HH:MM."),
        ({"starts_at": "2001-01-01T10:00"}, "Choose a date and time in the future."),
        ({"mode": "phone"}, "Select a valid choice"),
        ({"mode": "in_person", "place": ""}, "Say where you will meet."),
        ({"mode": "video", "video_link": ""}, "Give the link of the video call."),
        ({"mode": "video", "video_link": "not a link"}, "Enter the full link"),
    ],
)
def test_meeting_bad_input_saves_nothing(client, personas, program, active, data, message):
    _ready(personas, program)
    client.force_login(personas.attorney)
    response = client.post(
        reverse("mentoring:meeting_book", args=[program.case.code]), _form(**data)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MentoringMeeting.objects.exists()


def test_meeting_more_than_a_year_ahead_is_refused(personas, program, active):
    _ready(personas, program)
    with pytest.raises(MentoringError, match="within the next year"):
        meeting_book(
            mentorship=active,
            actor=personas.attorney,
            starts_at=_when(400),
            mode="video",
            video_link="https://meet.example.org/x",
        )


def test_only_mentor_and_mentee_book(client, personas, program, active):
    _ready(personas, program)
    url = reverse("mentoring:meeting_book", args=[program.case.code])
    for persona in ("other_attorney", "other_mentor", "partner", "other_partner", "program_admin"):
        client.force_login(getattr(personas, persona))
        assert client.post(url, _form()).status_code == 404, persona
    assert not MentoringMeeting.objects.exists()


def test_no_meeting_before_the_mentor_accepts(client, personas, program, open_request):
    mentorship_confirm(request=open_request, mentor=personas.mentor, actor=personas.program_admin)
    client.force_login(personas.attorney)
    response = client.post(reverse("mentoring:meeting_book", args=[program.case.code]), _form())
    assert response.status_code == 404
    assert not MentoringMeeting.objects.exists()


def test_a_meeting_is_logged_as_held_once_it_started(client, personas, program, active):
    _ready(personas, program)
    meeting = meeting_book(
        mentorship=active,
        actor=personas.attorney,
        starts_at=_when(2),
        mode="video",
        video_link="https://meet.example.org/x",
    )
    with pytest.raises(MentoringError, match="once it has started"):
        meeting_log_held(meeting=meeting, actor=personas.mentor)
    with time_machine.travel(_when(2) + dt.timedelta(hours=1)):
        client.force_login(personas.mentor)
        response = client.post(
            reverse("mentoring:meeting_held", args=[meeting.pk]), {"notes": "Plan drafted."}
        )
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held and meeting.logged_by == personas.mentor
    assert meeting.notes == "Plan drafted."
    with pytest.raises(MentoringError, match="already logged"):
        meeting_log_held(meeting=meeting, actor=personas.attorney)
    client.force_login(personas.other_mentor)
    assert client.post(reverse("mentoring:meeting_held", args=[meeting.pk])).status_code == 404


def _states(case, viewer):
    return [step.state for step in mentee_checklist(case_mentoring_state(case=case, viewer=viewer))]


def test_the_six_steps_follow_the_mentee(personas, program):
    from amparo.mentoring.services import mentoring_request_create

    attorney, case = personas.attorney, program.case
    assert _states(case, attorney) == ["current", "later", "later", "later", "later", "later"]

    individual_hearing(case, 5)  # too close: one requirement is not met
    request = mentoring_request_create(case=case, actor=attorney, help_wanted="Help")
    assert _states(case, attorney) == ["done", "current", "later", "current", "later", "later"]

    case.hearings.all().delete()
    assert _states(case, attorney)[:3] == ["done", "done", "waiting"]

    mentorship = mentorship_confirm(
        request=request, mentor=personas.mentor, actor=personas.program_admin
    )
    assert _states(case, attorney)[:3] == ["done", "done", "waiting"]

    mentorship_accept(mentorship=mentorship, actor=personas.mentor)
    assert _states(case, attorney) == ["done", "done", "done", "current", "blocked", "later"]

    _ready(personas, program)
    assert _states(case, attorney) == ["done", "done", "done", "done", "current", "later"]

    meeting = meeting_book(
        mentorship=Mentorship.objects.get(pk=mentorship.pk),
        actor=attorney,
        starts_at=_when(1),
        mode="video",
        video_link="https://meet.example.org/x",
    )
    assert _states(case, attorney)[4] == "waiting"

    with time_machine.travel(_when(1) + dt.timedelta(hours=2)):
        meeting_log_held(meeting=meeting, actor=attorney)
        assert _states(case, attorney) == ["done", "done", "done", "done", "done", "current"]

    Mentorship.objects.filter(pk=mentorship.pk).update(status="closed", closed_at=timezone.now())
    request.status = "closed"
    request.save()
    assert _states(case, attorney) == ["done", "done", "done", "done", "done", "done"]


def test_the_checklist_is_on_the_page_with_the_programs_steps(client, personas, program):
    client.force_login(personas.attorney)
    html = client.get(reverse("mentoring:case", args=[program.case.code])).content.decode()
    for title in (
        "Ask for a mentor",
        "Requirements checked",
        "Matched with a mentor",
        "Sign the agreement and watch the intro video",
        "First meeting with your mentor",
        "Mentoring through the case",
    ):
        assert title in html
