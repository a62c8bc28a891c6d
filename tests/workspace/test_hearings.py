"""Hearings from the workspace: add, reschedule (the history stays, the deadlines that depend on
the hearing move and the attorney and mentor are told what moved), record the outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo.cases.models import Hearing
from amparo.core.models import AuditEvent
from amparo.deadlines.models import CaseDeadline
from amparo.workspace.models import HearingOutcome
from amparo.workspace.services import hearing_outcome_record, hearing_reschedule_and_notify
from tests.workspace.conftest import TODAY, at_court

PREHEARING = "ICPM_PREHEARING"


def _prehearing(case) -> CaseDeadline:
    return CaseDeadline.objects.get(case=case, rule=PREHEARING)


def _individual(case) -> Hearing:
    return case.hearings.get(kind="individual", status="scheduled")


def _reschedule_url(case, hearing):
    return reverse("workspace:hearing_reschedule", args=[case.code, hearing.pk])


def _reschedule_data(hearing, date: str, time: str = "09:00"):
    prefix = f"reschedule-{hearing.pk}"
    return {f"{prefix}-date": date, f"{prefix}-time": time}


# --- rescheduling -----------------------------------------------------------------------------


def test_rescheduling_moves_the_dependent_deadlines_and_keeps_the_history(
    client, personas, case, mailoutbox, django_capture_on_commit_callbacks
):
    old = _individual(case)
    assert _prehearing(case).date == dt.date(2026, 2, 17)
    client.force_login(personas.attorney)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_reschedule_url(case, old), _reschedule_data(old, "2026-04-20"))
    assert response.status_code == 302
    old.refresh_from_db()
    new = _individual(case)
    assert old.status == Hearing.Status.RESCHEDULED
    assert new.rescheduled_from == old
    assert new.starts_at == at_court(dt.date(2026, 4, 20))
    deadline = _prehearing(case)
    assert deadline.hearing == new
    # 30 days before Monday 20 April 2026 is Saturday 21 March: the next business day, 23 March.
    assert deadline.date == dt.date(2026, 3, 23)
    # The plan's milestones that count from the hearing moved too.
    mock = case.milestones.get(title_en="Mock hearing with the mentor")
    assert mock.due_date == dt.date(2026, 4, 6)
    assert AuditEvent.objects.filter(data__hearing_rescheduled=old.pk).exists()

    # The attorney and the mentor are told what moved, each in their language, by code only.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [personas.attorney.email, personas.mentor.email]
    )
    message = next(m for m in mailoutbox if m.to == [personas.attorney.email])
    assert message.subject == f"{case.code}: hearing rescheduled"
    assert "Feb. 17, 2026 → March 23, 2026" in message.body
    assert "March 16, 2026" in message.body and "April 20, 2026" in message.body
    for text in (message.subject, message.body):
        assert case.client.family_names not in text
        assert case.client.given_names not in text
        assert "asylum" not in text.lower()  # neutral words only (DEADLINE-RULES section 7)


def test_rescheduling_mail_goes_out_in_each_language(
    personas, case, mailoutbox, django_capture_on_commit_callbacks
):
    personas.mentor.language = "es"
    personas.mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        hearing_reschedule_and_notify(
            hearing=_individual(case),
            actor=personas.attorney,
            starts_at=at_court(dt.date(2026, 4, 20)),
        )
    spanish = next(m for m in mailoutbox if m.to == [personas.mentor.email])
    assert "17 de febrero de 2026" in spanish.body and "23 de marzo de 2026" in spanish.body
    assert case.client.family_names not in spanish.body


def test_rescheduling_by_htmx_shows_what_moved(client, personas, case):
    old = _individual(case)
    client.force_login(personas.coordinator)
    response = client.post(
        _reschedule_url(case, old), _reschedule_data(old, "2026-04-20"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="schedule">')
    assert "What moved" in html
    assert "Pre-hearing filing deadline: Feb. 17, 2026 → March 23, 2026" in html
    assert "Rescheduled from March 16, 2026" in html


@pytest.mark.parametrize(
    ("date", "time", "message"),
    [
        ("", "09:00", "This field is required."),
        ("2026-02-30", "09:00", "Enter a valid date."),
        ("2025-12-01", "09:00", "The new date cannot be in the past."),
        ("2026-03-16", "09:00", "The new date and time are the same as before."),
        ("1850-01-01", "09:00", "Enter a date between 1990 and 2100."),
    ],
)
def test_rescheduling_bad_input_is_explained_and_changes_nothing(
    client, personas, case, mailoutbox, date, time, message
):
    old = _individual(case)
    client.force_login(personas.attorney)
    response = client.post(
        _reschedule_url(case, old), _reschedule_data(old, date, time), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    old.refresh_from_db()
    assert old.status == Hearing.Status.SCHEDULED
    assert case.hearings.count() == 1
    assert _prehearing(case).date == dt.date(2026, 2, 17)
    assert mailoutbox == []


def test_rescheduling_bad_input_without_javascript_shows_the_page_with_the_error(
    client, personas, case
):
    old = _individual(case)
    client.force_login(personas.attorney)
    response = client.post(_reschedule_url(case, old), _reschedule_data(old, "2025-12-01"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "The new date cannot be in the past." in html
    assert "Case workspace" in html


def test_a_rescheduled_hearing_cannot_be_rescheduled_again(personas, case):
    old = _individual(case)
    hearing_reschedule_and_notify(
        hearing=old, actor=personas.attorney, starts_at=at_court(dt.date(2026, 4, 20))
    )
    old.refresh_from_db()
    with pytest.raises(ValidationError):
        hearing_reschedule_and_notify(
            hearing=old, actor=personas.attorney, starts_at=at_court(dt.date(2026, 5, 4))
        )


@pytest.mark.parametrize("persona", ["mentor", "partner", "program_admin", "other_attorney"])
def test_rescheduling_refused_to_readers_and_strangers(client, personas, case, persona):
    old = _individual(case)
    client.force_login(getattr(personas, persona))
    response = client.post(_reschedule_url(case, old), _reschedule_data(old, "2026-04-20"))
    assert response.status_code == 404
    assert case.hearings.count() == 1


def test_rescheduling_a_hearing_of_another_case_is_404(client, personas, case):
    other = personas.ready_case
    foreign = Hearing.objects.create(case=other, kind="master", starts_at=at_court(TODAY))
    client.force_login(personas.attorney)
    response = client.post(_reschedule_url(case, foreign), _reschedule_data(foreign, "2026-04-20"))
    assert response.status_code == 404


# --- adding -------------------------------------------------------------------------------------


def test_add_master_hearing(client, personas, case):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:hearing_add", args=[case.code]),
        {
            "hearing-kind": "master",
            "hearing-date": "2026-02-09",
            "hearing-time": "13:30",
            "hearing-ruling_requested": "on",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    hearing = case.hearings.get(kind="master")
    assert hearing.starts_at == dt.datetime(2026, 2, 9, 21, 30, tzinfo=dt.UTC)  # 13:30 in SF
    assert hearing.ruling_requested
    assert "Hearing added" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"hearing-kind": "bail", "hearing-date": "2026-02-09", "hearing-time": "09:00"},
            "Select a valid choice.",
        ),
        (
            {"hearing-kind": "master", "hearing-date": "2025-01-01", "hearing-time": "09:00"},
            "A hearing cannot be before the client",
        ),
        (
            {"hearing-kind": "master", "hearing-date": "2026-02-09", "hearing-time": "25:00"},
            "Enter a valid time.",
        ),
    ],
)
def test_add_hearing_bad_input_is_explained_and_saves_nothing(
    client, personas, case, data, message
):
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:hearing_add", args=[case.code]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert case.hearings.count() == 1


# --- outcome of a hearing -------------------------------------------------------------------


def test_record_that_a_past_hearing_was_held(client, personas, case):
    past = Hearing.objects.create(
        case=case, kind="master", starts_at=at_court(dt.date(2025, 12, 1))
    )
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:hearing_outcome", args=[case.code, past.pk]),
        {f"outcome-{past.pk}-result": "held", f"outcome-{past.pk}-note": "Pleadings taken."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    past.refresh_from_db()
    assert past.status == Hearing.Status.HELD
    assert past.outcome.result == "held"
    assert past.outcome.note == "Pleadings taken."
    assert "Pleadings taken." in response.content.decode()


def test_cancelling_the_individual_hearing_removes_its_deadline(personas, case):
    hearing_outcome_record(hearing=_individual(case), actor=personas.attorney, result="cancelled")
    assert not CaseDeadline.objects.filter(case=case, rule=PREHEARING).exists()
    assert case.hearings.get().status == Hearing.Status.CANCELLED


def test_a_future_hearing_cannot_have_been_held(client, personas, case):
    hearing = _individual(case)
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:hearing_outcome", args=[case.code, hearing.pk]),
        {f"outcome-{hearing.pk}-result": "held"},
    )
    assert response.status_code == 422
    assert "cannot have been held before its date" in response.content.decode()
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.SCHEDULED
    assert not HearingOutcome.objects.exists()


def test_hearing_outcome_is_encrypted_at_rest(personas, case):
    from django.db import connection

    past = Hearing.objects.create(
        case=case, kind="master", starts_at=at_court(dt.date(2025, 12, 1))
    )
    hearing_outcome_record(
        hearing=past, actor=personas.attorney, result="client_absent", note="Client was ill"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM workspace_hearingoutcome")
        (stored,) = cursor.fetchone()
    assert "Client was ill" not in stored
