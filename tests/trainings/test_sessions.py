"""Live sessions: scheduling in a time zone, registration, capacity, the waiting list, the
calendar invitation, cancellation and attendance."""

from __future__ import annotations

import datetime as dt
import threading

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amparo.courts.models import ImmigrationCourt
from amparo.trainings import services
from amparo.trainings.domain.progress import State
from amparo.trainings.models import CourseCompletion, LiveSession, Registration
from amparo.trainings.selectors import course_progress_for_user, progress_sentence
from tests.factories import AttorneyProfileFactory, CourseFactory, LiveSessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _verified(coordinator, n):
    return [
        AttorneyProfileFactory(
            user__email=f"seat{i}@example.org",
            verification_status="verified",
            verified_by=coordinator,
            verified_at=timezone.now(),
        ).user
        for i in range(n)
    ]


def _ics(message):
    [(name, content, mimetype)] = message.attachments
    assert name == "training.ics"
    assert mimetype.startswith("text/calendar")
    raw = content if isinstance(content, str) else content.decode()
    return icalendar.Calendar.from_ical(raw), raw


def test_schedule_in_a_court_time_zone(personas, catalogue):
    chicago = ImmigrationCourt.objects.filter(time_zone="America/Chicago").first()
    assert chicago is not None
    day = timezone.localdate() + dt.timedelta(days=40)
    session = services.session_schedule(
        actor=personas.coordinator,
        course=catalogue.live,
        starts=dt.datetime.combine(day, dt.time(9, 0)),
        ends=dt.datetime.combine(day, dt.time(11, 0)),
        time_zone=chicago.time_zone,
        location=f"{chicago.name}, training room",
        video_url="",
        capacity=10,
    )
    assert session.local_start.hour == 9
    assert session.local_start.tzinfo.key == "America/Chicago"
    assert session.starts_at.astimezone(dt.UTC).hour in (14, 15)  # CDT or CST


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_zone": "Mars/Base"}, "time_zone", "Choose a time zone"),
        ({"location": "", "video_url": ""}, "location", "the place, the video link"),
        ({"ends_hour": 8}, "ends", "end after it starts"),
        ({"past": True}, "starts", "start in the future"),
    ],
)
def test_schedule_refuses_bad_input_and_saves_nothing(personas, catalogue, changes, field, message):
    day = timezone.localdate() + (
        dt.timedelta(days=-3) if changes.get("past") else dt.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as error:
        services.session_schedule(
            actor=personas.coordinator,
            course=catalogue.live,
            starts=dt.datetime.combine(day, dt.time(9, 0)),
            ends=dt.datetime.combine(day, dt.time(changes.get("ends_hour", 11), 0)),
            time_zone=changes.get("time_zone", "America/Los_Angeles"),
            location=changes.get("location", "Room 1"),
            video_url=changes.get("video_url", ""),
            capacity=5,
        )
    assert message in " ".join(error.value.message_dict[field])
    assert LiveSession.objects.count() == 1  # the fixture's


def test_schedule_refuses_a_time_the_clocks_skip(personas, catalogue):
    with pytest.raises(ValidationError, match="clocks skip"):
        services.session_schedule(
            actor=personas.coordinator,
            course=catalogue.live,
            starts=dt.datetime(2030, 3, 10, 2, 30),
            ends=dt.datetime(2030, 3, 10, 4, 0),
            time_zone="America/Los_Angeles",
            location="Room 1",
            video_url="",
            capacity=5,
        )


def test_schedule_page(client, personas, catalogue):
    client.force_login(personas.coordinator)
    page = client.get(reverse("trainings:session_new"))
    assert page.status_code == 200
    assert "America/Los_Angeles (the program&#x27;s time zone)" in page.content.decode()
    day = timezone.localdate() + dt.timedelta(days=20)
    response = client.post(
        reverse("trainings:session_new"),
        {
            "course": catalogue.live.pk,
            "starts": f"{day.isoformat()}T09:00",
            "ends": f"{day.isoformat()}T10:30",
            "time_zone": "America/New_York",
            "location": "",
            "video_url": "https://meet.example.org/abc",
            "capacity": "15",
        },
    )
    assert response.status_code == 302
    session = LiveSession.objects.latest("pk")
    assert session.time_zone == "America/New_York" and session.local_start.hour == 9
    bad = client.post(
        reverse("trainings:session_new"),
        {"course": catalogue.live.pk, "starts": "tomorrow", "ends": "", "capacity": "0"},
    )
    assert bad.status_code == 422
    assert "Enter a date and time." in bad.content.decode()


@pytest.mark.parametrize("persona", ["attorney", "mentor", "partner", "program_admin"])
def test_only_coordinators_schedule(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("trainings:session_new")).status_code == 404


def test_register_sends_the_invitation_with_the_zone(
    personas, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    session = catalogue.session
    session.time_zone = "America/New_York"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.session_register(session=session, user=personas.attorney)
    assert registration.status == "registered"
    [message] = mailoutbox
    assert message.to == [personas.attorney.email]
    calendar, raw = _ics(message)
    local = session.starts_at.astimezone(session.local_start.tzinfo)
    assert f"DTSTART;TZID=America/New_York:{local:%Y%m%dT%H%M%S}" in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:America/New_York" in raw
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == session.ends_at
    assert str(event["summary"]).endswith(catalogue.live.title_en)
    assert str(event["location"]).startswith("Oakland office")
    progress = course_progress_for_user(user=personas.attorney, course=catalogue.live)
    assert progress.state is State.REGISTERED


def test_invitation_in_spanish_for_a_spanish_speaker(
    personas, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    personas.attorney.language = "es"
    personas.attorney.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_register(session=catalogue.session, user=personas.attorney)
    [message] = mailoutbox
    calendar, _raw = _ics(message)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]).endswith("Taller en vivo")
    assert "Taller en vivo" in message.subject


def test_capacity_then_waiting_list_in_order(
    personas, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    session = catalogue.session  # two seats
    people = _verified(personas.coordinator, 4)
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.session_register(session=session, user=p) for p in people]
    assert [r.status for r in registrations] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    assert [len(m.attachments) for m in mailoutbox] == [1, 1, 0, 0]
    assert "waiting list (number 2)" in mailoutbox[3].body
    with pytest.raises(ValidationError, match="already registered"):
        services.session_register(session=session, user=people[0])
    progress = course_progress_for_user(user=people[2], course=catalogue.live)
    assert progress.state is State.WAITLISTED
    assert progress_sentence(progress).startswith("on the waiting list for the session on")


def test_cancelling_frees_the_seat_for_the_first_waiting(
    personas, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    session = catalogue.session
    first, second, third, fourth = _verified(personas.coordinator, 4)
    registrations = [
        services.session_register(session=session, user=p) for p in (first, second, third, fourth)
    ]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=registrations[1], actor=second)
    assert promoted is not None and promoted.user == third
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {
        first.pk: "registered",
        second.pk: "cancelled",
        third.pk: "registered",
        fourth.pk: "waitlisted",
    }
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {second.email, third.email}
    _cancel_calendar, cancel_raw = _ics(by_recipient[second.email])
    assert "METHOD:CANCEL" in cancel_raw and "STATUS:CANCELLED" in cancel_raw
    assert "A seat opened" in by_recipient[third.email].subject
    _calendar, invite_raw = _ics(by_recipient[third.email])
    assert "METHOD:PUBLISH" in invite_raw
    # Cancelling a waiting-list place promotes nobody.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_cancel(registration=registrations[3], actor=fourth) is None
    assert [m.to for m in mailoutbox] == [[fourth.email]]
    # Registering again after cancelling is allowed.
    again = services.session_register(session=session, user=second)
    assert again.status == "waitlisted"


def test_register_and_cancel_pages(client, personas, catalogue, mailoutbox):
    client.force_login(personas.attorney)
    course_url = reverse("trainings:course", args=[catalogue.live.pk])
    assert "Register" in client.get(course_url).content.decode()
    response = client.post(
        reverse("trainings:session_register", args=[catalogue.session.pk]), follow=True
    )
    assert "You are registered" in response.content.decode()
    registration = Registration.objects.get(user=personas.attorney)
    ics = client.get(reverse("trainings:session_calendar", args=[catalogue.session.pk]))
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    # Someone else cannot cancel it, nor download their invitation.
    client.force_login(personas.other_attorney)
    assert (
        client.post(reverse("trainings:registration_cancel", args=[registration.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("trainings:session_calendar", args=[catalogue.session.pk])).status_code
        == 404
    )
    client.force_login(personas.attorney)
    response = client.post(
        reverse("trainings:registration_cancel", args=[registration.pk]), follow=True
    )
    assert "Your registration is cancelled." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


@pytest.mark.parametrize("persona", ["unverified_attorney", "partner", "coordinator"])
def test_only_learners_register(client, personas, catalogue, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(reverse("trainings:session_register", args=[catalogue.session.pk]))
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_mentor_registers_too(personas, catalogue):
    assert services.session_register(session=catalogue.session, user=personas.mentor).status == (
        "registered"
    )


def test_no_registration_once_started(personas, catalogue):
    session = LiveSessionFactory(
        course=catalogue.live,
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    with pytest.raises(ValidationError, match="already started"):
        services.session_register(session=session, user=personas.attorney)


def test_attendance_completes_the_course_for_those_who_came(client, personas, catalogue):
    session = catalogue.session
    came, absent = personas.attorney, personas.other_attorney
    for person in (came, absent):
        services.session_register(session=session, user=person)
    with pytest.raises(ValidationError, match="once the session has started"):
        services.session_attendance_mark(
            session=session, actor=personas.coordinator, attended_ids=[]
        )
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    session.refresh_from_db()
    registration = Registration.objects.get(user=came)
    client.force_login(personas.coordinator)
    page = client.get(reverse("trainings:session", args=[session.pk]))
    assert page.status_code == 200 and "Save attendance" in page.content.decode()
    response = client.post(
        reverse("trainings:session_attendance", args=[session.pk]), {"attended": [registration.pk]}
    )
    assert response.status_code == 302
    completion = CourseCompletion.objects.get(user=came, course=catalogue.live)
    assert completion.source == "attendance"
    assert completion.completed_on == session.local_end.date()
    assert course_progress_for_user(user=came, course=catalogue.live).is_complete
    assert not CourseCompletion.objects.filter(user=absent).exists()
    assert Registration.objects.get(user=absent).attended is False
    # Marking again is idempotent; unmarking removes the completion it recorded.
    services.session_attendance_mark(
        session=session, actor=personas.coordinator, attended_ids=[registration.pk]
    )
    assert CourseCompletion.objects.filter(user=came).count() == 1
    services.session_attendance_mark(session=session, actor=personas.coordinator, attended_ids=[])
    assert not CourseCompletion.objects.exists()


def test_attendance_refuses_people_not_registered(client, personas, catalogue):
    other_session = LiveSessionFactory(course=catalogue.live)
    stranger = services.session_register(session=other_session, user=personas.other_attorney)
    LiveSession.objects.filter(pk=catalogue.session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("trainings:session_attendance", args=[catalogue.session.pk]),
        {"attended": [stranger.pk]},
    )
    assert response.status_code == 422
    assert not CourseCompletion.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("program_admin", 200), ("attorney", 404), ("mentor", 404)],
)
def test_sessions_pages_are_for_program_staff(client, personas, catalogue, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("trainings:sessions")).status_code == status
    assert (
        client.get(reverse("trainings:session", args=[catalogue.session.pk])).status_code == status
    )


def test_sessions_page_query_count_does_not_grow(
    client, personas, catalogue, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("trainings:sessions"))
    for _n in range(10):
        LiveSessionFactory(course=CourseFactory(kind="live"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("trainings:sessions")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_people_for_the_last_seat_only_one_gets_it():
    """The session row is locked (select_for_update; SQLite's IMMEDIATE transactions hold the
    write lock), so the seat count cannot be read twice before either writes."""
    course = CourseFactory(kind="live")
    session = LiveSessionFactory(course=course, capacity=1)
    coordinator = UserFactory(role="coordinator")
    people = _verified(coordinator, 6)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def race(person):
        try:
            barrier.wait()
            registration = services.session_register(
                session=LiveSession.objects.get(pk=session.pk), user=person
            )
            outcomes.append(registration.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["registered"] + ["waitlisted"] * (len(people) - 1)
    assert Registration.objects.filter(session=session, status="registered").count() == 1
