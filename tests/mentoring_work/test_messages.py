"""Messages between mentor and mentee: e-mail with a link back to the conversation, the
mentee's 2-business-day clock, the overdue flag (time moved, never waited for) and the stored
response times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.models import Message
from amparo.mentoring_work.selectors import response_report
from amparo.mentoring_work.services import message_send, overdue_flag
from amparo.mentoring_work.tasks import mentoring_daily, mentoring_daily_run

LA = ZoneInfo("America/Los_Angeles")
# Wednesday before Thanksgiving 2026, 10:00 in California.
WEDNESDAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=LA)


def _send(mentorship, author, body, when):
    with time_machine.travel(when, tick=False):
        return message_send(mentorship=mentorship, author=author, body=body)


def test_a_message_to_the_mentee_starts_the_clock_and_is_e_mailed(
    mentorship, personas, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(WEDNESDAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = message_send(
            mentorship=mentorship, author=personas.mentor, body="Send the I-589 draft, please."
        )
    # Thanksgiving Thursday is skipped: Friday is day 1, Monday 2026-11-30 day 2.
    assert message.response_due_at == dt.datetime(2026, 12, 1, 0, 0, tzinfo=LA)
    assert [m.to for m in mail.outbox] == [[personas.attorney.email]]
    email = mail.outbox[0]
    code = mentorship.case.code
    assert code in email.subject
    link = f"/mentoring/work/{mentorship.pk}/messages/#message-{message.pk}"
    assert link in email.body
    assert "Send the I-589 draft" not in email.body  # the text stays behind sign-in
    assert mentorship.case.client.full_name not in email.body
    assert "Replies to this e-mail are not read" in email.body


def test_the_mentees_reply_stops_the_clock_and_keeps_the_response_time(mentorship, personas):
    first = _send(mentorship, personas.mentor, "Question one", WEDNESDAY)
    second = _send(mentorship, personas.mentor, "Question two", WEDNESDAY + dt.timedelta(hours=1))
    reply = _send(mentorship, personas.attorney, "Answers.", WEDNESDAY + dt.timedelta(days=2))
    assert reply.response_due_at is None  # a mentee's message starts no clock
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.answered_by == reply
    assert first.response_seconds == 2 * 24 * 3600
    assert second.response_seconds == 2 * 24 * 3600 - 3600
    assert first.answered_on_time and second.answered_on_time
    # A later message of the mentor waits for the next reply.
    third = _send(mentorship, personas.mentor, "One more", WEDNESDAY + dt.timedelta(days=7))
    late = _send(mentorship, personas.attorney, "Sorry.", WEDNESDAY + dt.timedelta(days=12))
    third.refresh_from_db()
    assert third.answered_by == late
    assert third.answered_on_time is False
    report = response_report(
        since=WEDNESDAY - dt.timedelta(days=1), until=WEDNESDAY + dt.timedelta(days=30)
    )
    assert (report.messages, report.on_time, report.late, report.unanswered) == (3, 2, 1, 0)
    assert report.on_time_percent == 67


def test_unanswered_message_flagged_overdue_to_the_mentor_and_the_admin(mentorship, personas):
    message = _send(mentorship, personas.mentor, "Any news?", WEDNESDAY)
    mail.outbox.clear()
    # Monday evening: still within the clock.
    with time_machine.travel(dt.datetime(2026, 11, 30, 22, 0, tzinfo=LA), tick=False):
        assert overdue_flag().messages == 0
        assert not Message.objects.get(pk=message.pk).is_overdue
    # Tuesday morning: flagged, once.
    tuesday = dt.datetime(2026, 12, 1, 7, 0, tzinfo=LA)
    with time_machine.travel(tuesday, tick=False):
        run = overdue_flag()
        assert Message.objects.get(pk=message.pk).is_overdue
    assert run.messages == 1
    assert {m.to[0] for m in mail.outbox} == {personas.mentor.email, personas.program_admin.email}
    assert personas.attorney.email not in {m.to[0] for m in mail.outbox}
    message.refresh_from_db()
    assert message.overdue_flagged_at == tuesday
    mail.outbox.clear()
    with time_machine.travel(tuesday + dt.timedelta(days=1), tick=False):
        assert overdue_flag().messages == 0
    assert mail.outbox == []
    # A late answer still records the response time.
    reply = _send(mentorship, personas.attorney, "Here.", tuesday + dt.timedelta(days=1))
    message.refresh_from_db()
    assert message.answered_by == reply
    assert message.answered_on_time is False


def test_the_daily_job_flags_and_is_scheduled(mentorship, personas):
    _send(mentorship, personas.mentor, "Any news?", WEDNESDAY)
    with time_machine.travel(dt.datetime(2026, 12, 2, 7, 0, tzinfo=LA), tick=False):
        result = mentoring_daily_run()
    assert result["messages_flagged"] == 1
    task = mentoring_daily.task_class()
    assert task.validate_datetime(dt.datetime(2026, 11, 23, 14, 20))
    assert not task.validate_datetime(dt.datetime(2026, 11, 23, 14, 21))


def test_thread_shows_badges_and_answers_by_link(client, mentorship, personas):
    _send(mentorship, personas.mentor, "Overdue question", WEDNESDAY)
    # Sessions last 8 hours: sign in at the moved time.
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=LA), tick=False):
        client.force_login(personas.mentor)
        response = client.get(reverse("mentoring_work:messages", args=[mentorship.pk]))
    html = response.content.decode()
    assert "Overdue question" in html
    assert "Reply overdue" in html
    client.force_login(personas.attorney)
    response = client.post(
        reverse("mentoring_work:messages", args=[mentorship.pk]), {"body": "My answer"}
    )
    assert response.status_code == 302
    # Bodies are encrypted at rest: compare after reading them back.
    assert [m.body for m in Message.objects.filter(author=personas.attorney)] == ["My answer"]


def test_thread_fragment_for_htmx(client, mentorship, personas):
    _send(mentorship, personas.mentor, "Hello from the mentor", WEDNESDAY)
    client.force_login(personas.attorney)
    url = reverse("mentoring_work:messages", args=[mentorship.pk])
    page = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in page and "Hello from the mentor" in page
    assert "<html" not in fragment and "Hello from the mentor" in fragment


def test_bad_messages_are_refused_and_nothing_saved(client, mentorship, personas):
    client.force_login(personas.mentor)
    url = reverse("mentoring_work:messages", args=[mentorship.pk])
    response = client.post(url, {"body": "   "})
    assert response.status_code == 422
    response = client.post(url, {"body": "x" * 10_001})
    assert response.status_code == 422
    assert not Message.objects.exists()
    with pytest.raises(ValidationError):
        message_send(mentorship=mentorship, author=personas.other_mentor, body="Hello")
    client.force_login(personas.program_admin)  # staff read the thread, do not write in it
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "Hello"}).status_code == 404
    assert not Message.objects.exists()


def test_no_messages_once_closed(mentorship, personas):
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED)
    mentorship.refresh_from_db()
    with pytest.raises(ValidationError):
        message_send(mentorship=mentorship, author=personas.mentor, body="Still there?")


def test_a_failing_mail_server_loses_nothing(
    client, mentorship, personas, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("amparo.mentoring_work.notifications.send_mail", refuse)
    client.force_login(personas.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring_work:messages", args=[mentorship.pk]), {"body": "Still saved"}
        )
    assert response.status_code == 302
    assert [m.body for m in Message.objects.all()] == ["Still saved"]
