"""Mentor time and pay: the mentor logs time per case, a program admin approves it, the monthly
statement (hours, rate, amount) is prepared, exported as CSV and a printable page, and issued
against a funding source whose remaining balance it reduces (or refused, with nothing written)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amparo.core.models import AuditEvent
from amparo.mentoring_work.models import FundingCharge, MentorStatement, TimeEntry
from amparo.mentoring_work.pay import (
    funding_source_create,
    funding_source_update,
    statement_issue,
    statements_prepare,
    time_entries_decide,
    time_entry_log,
    time_entry_update,
)
from amparo.mentoring_work.selectors import funding_source_balance
from tests.factories import MentorProfileFactory
from tests.mentoring_work.conftest import make_mentorship

TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _log(mentorship, mentor, day, minutes, activity="meeting"):
    return time_entry_log(
        mentorship=mentorship,
        mentor=mentor,
        date=LAST_MONTH.replace(day=day),
        minutes=minutes,
        activity=activity,
    )


@pytest.fixture
def approved_month(mentorship, personas):
    """Last month: 60 + 45 + 20 minutes approved, 30 waiting, 15 turned down."""
    entries = [_log(mentorship, personas.mentor, d, m) for d, m in [(2, 60), (9, 45), (16, 20)]]
    waiting = _log(mentorship, personas.mentor, 20, 30)
    rejected = _log(mentorship, personas.mentor, 21, 15)
    time_entries_decide(
        entry_ids=[e.pk for e in entries], actor=personas.program_admin, approve=True
    )
    time_entries_decide(
        entry_ids=[rejected.pk], actor=personas.program_admin, approve=False, reason="Duplicate."
    )
    return entries, waiting


@pytest.fixture
def grant(personas):
    return funding_source_create(
        actor=personas.program_admin,
        name="Bar Foundation grant",
        kind="grant",
        amount=Decimal("1000.00"),
        start_date=LAST_MONTH.replace(month=1) if LAST_MONTH.month > 1 else LAST_MONTH,
    )


def test_mentor_logs_time_and_bad_input_is_refused(client, mentorship, personas):
    client.force_login(personas.mentor)
    url = reverse("mentoring_work:time_log", args=[mentorship.pk])
    response = client.post(
        url,
        {
            "date": TODAY.isoformat(),
            "minutes": 50,
            "activity": "draft_review",
            "description": "Reviewed.",
        },
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.minutes, entry.status, entry.mentor) == (50, "submitted", personas.mentor)
    for bad in (
        {"date": (TODAY + dt.timedelta(days=1)).isoformat(), "minutes": 30, "activity": "meeting"},
        {"date": TODAY.isoformat(), "minutes": 0, "activity": "meeting"},
        {"date": TODAY.isoformat(), "minutes": 721, "activity": "meeting"},
        {"date": TODAY.isoformat(), "minutes": "lots", "activity": "meeting"},
        {"date": TODAY.isoformat(), "minutes": 30, "activity": "golf"},
        {"date": "2026-02-30", "minutes": 30, "activity": "meeting"},
        {
            "date": (TODAY - dt.timedelta(days=400)).isoformat(),
            "minutes": 30,
            "activity": "meeting",
        },
    ):
        response = client.post(url, bad)
        assert response.status_code == 422, bad
    assert TimeEntry.objects.count() == 1
    # Never more than 24 hours on one day.
    for _ in range(2):
        time_entry_log(
            mentorship=mentorship,
            mentor=personas.mentor,
            date=TODAY,
            minutes=690,
            activity="research",
        )
    with pytest.raises(ValidationError) as error:
        time_entry_log(
            mentorship=mentorship,
            mentor=personas.mentor,
            date=TODAY,
            minutes=30,
            activity="research",
        )
    assert "more than 24 hours" in str(error.value)


def test_only_the_mentor_logs_their_own_time(client, mentorship, other_mentorship, personas):
    with pytest.raises(ValidationError):
        time_entry_log(
            mentorship=mentorship,
            mentor=personas.other_mentor,
            date=TODAY,
            minutes=30,
            activity="meeting",
        )
    url = reverse("mentoring_work:time_log", args=[mentorship.pk])
    data = {"date": TODAY.isoformat(), "minutes": 30, "activity": "meeting"}
    for user in (personas.attorney, personas.other_mentor, personas.coordinator, personas.partner):
        client.force_login(user)
        assert client.post(url, data).status_code == 404, user.email
    client.force_login(personas.program_admin)
    assert client.get(url).status_code == 200  # admins read the log
    assert client.post(url, data).status_code == 404  # but log nobody's time
    assert not TimeEntry.objects.exists()


def test_approved_time_can_no_longer_change(client, approved_month, personas):
    entries, waiting = approved_month
    client.force_login(personas.mentor)
    assert client.get(reverse("mentoring_work:time_entry", args=[entries[0].pk])).status_code == 404
    assert (
        client.post(reverse("mentoring_work:time_entry_delete", args=[entries[0].pk])).status_code
        == 404
    )
    response = client.post(
        reverse("mentoring_work:time_entry", args=[waiting.pk]),
        {"date": waiting.date.isoformat(), "minutes": 35, "activity": "messages"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.minutes, waiting.activity) == (35, "messages")
    rejected = TimeEntry.objects.get(status="rejected")
    assert rejected.rejection_reason == "Duplicate."
    time_entry_update(
        entry=rejected, mentor=personas.mentor, date=rejected.date, minutes=10, activity="other"
    )
    rejected.refresh_from_db()
    assert rejected.status == "submitted" and rejected.rejection_reason == ""


def test_admin_approval_queue(client, mentorship, personas, django_assert_max_num_queries):
    entries = [_log(mentorship, personas.mentor, day, 30) for day in (1, 2, 3)]
    client.force_login(personas.program_admin)
    url = reverse("mentoring_work:time_queue")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    for day in range(4, 20):
        _log(mentorship, personas.mentor, day, 10)
    with django_assert_max_num_queries(12):
        client.get(url)
    response = client.post(url, {"entries": [entries[0].pk, entries[1].pk], "decision": "approve"})
    assert response.status_code == 302
    assert set(TimeEntry.objects.filter(status="approved").values_list("pk", flat=True)) == {
        entries[0].pk,
        entries[1].pk,
    }
    # Turning time down needs a reason; ticking nothing or an unknown entry is a clear error.
    for data in (
        {"entries": [entries[2].pk], "decision": "reject"},
        {"decision": "approve"},
        {"entries": [entries[0].pk], "decision": "approve"},  # already decided
        {"entries": ["x"], "decision": "approve"},
    ):
        response = client.post(url, data)
        assert response.status_code == 422, data
    assert TimeEntry.objects.get(pk=entries[2].pk).status == "submitted"
    # Only program admins approve.
    for user in (personas.coordinator, personas.mentor, personas.attorney):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_statement_amounts_csv_and_printable_page(client, approved_month, personas, grant):
    result = statements_prepare(month=LAST_MONTH, actor=personas.program_admin)
    assert result.problems == []
    [statement] = result.statements
    # 60 + 45 + 20 = 125 minutes at $120.00 an hour.
    assert statement.minutes == 125
    assert statement.hourly_rate == Decimal("120.00")
    assert statement.amount == Decimal("250.00")
    assert statement.entries.count() == 3
    client.force_login(personas.program_admin)
    response = client.get(reverse("mentoring_work:statement_csv", args=[statement.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Mentor", personas.mentor.full_name]
    lines = [r for r in rows if r and r[0][:4].isdigit() and len(r) == 5]
    assert [line[3] for line in lines] == ["60", "45", "20"]
    assert all(line[1] == statement.entries.first().mentorship.case.code for line in lines)
    assert ["Total hours", "2.08"] in rows
    assert ["Hourly rate (USD)", "120.00"] in rows
    assert ["Amount (USD)", "250.00"] in rows
    page = client.get(reverse("mentoring_work:statement_print", args=[statement.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "$250.00" in html and "2.08" in html and personas.mentor.full_name in html
    assert statement.entries.first().mentorship.case.client.full_name not in html
    month_csv = client.get(
        reverse("mentoring_work:statements_csv"), {"month": f"{LAST_MONTH:%Y-%m}"}
    ).content.decode("utf-8-sig")
    assert "250.00" in month_csv and personas.mentor.email in month_csv
    # Each of the three exports (CSV, printable page, month's CSV) is one audit event.
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("id")
    month = f"{LAST_MONTH:%Y-%m}"
    assert [(e.actor, e.object_id, e.data, e.ip_address) for e in exports] == [
        (
            personas.program_admin,
            str(statement.pk),
            {"export": "mentor_statement", "month": month},
            "127.0.0.1",
        ),
        (
            personas.program_admin,
            str(statement.pk),
            {"export": "mentor_statement_print", "month": month},
            "127.0.0.1",
        ),
        (
            personas.program_admin,
            "",
            {"export": "mentor_statements", "month": month},
            "127.0.0.1",
        ),
    ]


def test_statement_issued_against_a_source_reduces_its_balance(approved_month, personas, grant):
    [statement] = statements_prepare(month=LAST_MONTH, actor=personas.program_admin).statements
    statement_issue(statement=statement, source=grant, actor=personas.program_admin)
    statement.refresh_from_db()
    assert statement.is_issued
    assert FundingCharge.objects.get().amount == Decimal("250.00")
    assert funding_source_balance(source=grant) == Decimal("750.00")
    with pytest.raises(ValidationError):
        statement_issue(statement=statement, source=grant, actor=personas.program_admin)
    # Time approved later goes on a new statement; the issued one never changes.
    late = _log(statement.entries.first().mentorship, personas.mentor, 25, 30)
    time_entries_decide(entry_ids=[late.pk], actor=personas.program_admin, approve=True)
    [second] = statements_prepare(month=LAST_MONTH, actor=personas.program_admin).statements
    assert second.pk != statement.pk
    assert second.minutes == 30
    statement.refresh_from_db()
    assert statement.minutes == 125


def test_insufficient_balance_is_refused_and_nothing_is_written(client, approved_month, personas):
    small = funding_source_create(
        actor=personas.program_admin,
        name="Small donation",
        kind="donation",
        amount=Decimal("100.00"),
        start_date=LAST_MONTH,
    )
    [statement] = statements_prepare(month=LAST_MONTH, actor=personas.program_admin).statements
    client.force_login(personas.program_admin)
    response = client.post(
        reverse("mentoring_work:statement_issue", args=[statement.pk]), {"source": small.pk}
    )
    assert response.status_code == 422
    assert "Small donation has $100.00 left, less than this statement&#x27;s $250.00" in (
        response.content.decode()
    )
    statement.refresh_from_db()
    assert statement.status == "draft"
    assert not FundingCharge.objects.exists()
    # A source whose period misses the month is refused too.
    later = funding_source_create(
        actor=personas.program_admin,
        name="Next year's grant",
        kind="grant",
        amount=Decimal("5000.00"),
        start_date=TODAY + dt.timedelta(days=40),
    )
    with pytest.raises(ValidationError) as error:
        statement_issue(statement=statement, source=later, actor=personas.program_admin)
    assert "does not cover" in str(error.value)
    assert not FundingCharge.objects.exists()


def test_mentor_without_a_rate_is_reported(personas, other_mentorship):
    time_entry_log(
        mentorship=other_mentorship,
        mentor=personas.other_mentor,
        date=LAST_MONTH.replace(day=5),
        minutes=30,
        activity="meeting",
    )
    time_entries_decide(
        entry_ids=list(TimeEntry.objects.values_list("pk", flat=True)),
        actor=personas.program_admin,
        approve=True,
    )
    result = statements_prepare(month=LAST_MONTH, actor=personas.program_admin)
    assert result.statements == []
    assert personas.other_mentor.full_name in result.problems[0]
    with pytest.raises(ValidationError):
        statements_prepare(
            month=TODAY.replace(day=1) + dt.timedelta(days=40), actor=personas.program_admin
        )


def test_funding_sources_page_shows_balances(
    client, approved_month, personas, grant, django_assert_max_num_queries
):
    [statement] = statements_prepare(month=LAST_MONTH, actor=personas.program_admin).statements
    statement_issue(statement=statement, source=grant, actor=personas.program_admin)
    client.force_login(personas.program_admin)
    url = reverse("mentoring_work:funding")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert "$1,000.00" in html and "$250.00" in html and "$750.00" in html
    for n in range(10):
        funding_source_create(
            actor=personas.program_admin,
            name=f"Donor {n}",
            kind="donation",
            amount=10,
            start_date=TODAY,
        )
    with django_assert_max_num_queries(10):
        client.get(url)
    # Bad input: a clear error, nothing saved.
    response = client.post(
        url,
        {
            "name": "",
            "kind": "loan",
            "amount": "-5",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert MentorStatement.objects.count() == 1
    # The amount of a source never drops below what is already charged.
    with pytest.raises(ValidationError) as error:
        funding_source_update(
            source=grant,
            actor=personas.program_admin,
            name=grant.name,
            kind=grant.kind,
            amount=Decimal("200.00"),
            start_date=grant.start_date,
        )
    assert "already charged" in str(error.value)
    response = client.post(
        reverse("mentoring_work:funding_source", args=[grant.pk]),
        {
            "name": "Renamed grant",
            "kind": "grant",
            "amount": "1500.00",
            "start_date": grant.start_date.isoformat(),
        },
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.name, grant.amount) == ("Renamed grant", Decimal("1500.00"))


def test_statements_page_prepares_and_counts_queries(
    client, mentorship, personas, django_assert_max_num_queries
):
    def add_mentor(n):
        profile = MentorProfileFactory(hourly_rate=Decimal("90.00"))
        other = make_mentorship(
            case=mentorship.case.__class__.objects.create(
                code=f"AMP-26-9{n:03d}",
                case_type="defensive_asylum",
                stage="placed",
                client=mentorship.case.client,
                attorney_of_record=personas.attorney,
                placing_organization=mentorship.case.placing_organization,
            ),
            mentor=profile.user,
            mentee=personas.attorney,
        )
        entry = _log(other, profile.user, 3, 40)
        time_entries_decide(entry_ids=[entry.pk], actor=personas.program_admin, approve=True)

    add_mentor(1)
    client.force_login(personas.program_admin)
    url = reverse("mentoring_work:statements")
    month = f"{LAST_MONTH:%Y-%m}"
    with django_assert_max_num_queries(14):
        client.get(url, {"month": month})
    for n in range(2, 8):
        add_mentor(n)
    with django_assert_max_num_queries(14):
        response = client.get(url, {"month": month})
    assert len(response.context["previews"]) == 7
    response = client.post(url, {"month": month})
    assert response.status_code == 302
    assert MentorStatement.objects.filter(month=LAST_MONTH).count() == 7
    with django_assert_max_num_queries(14):
        response = client.get(url, {"month": month})
    assert len(response.context["statements"]) == 7
    assert client.get(url, {"month": "2026-13"}).status_code == 404
    assert client.get(url, {"month": "garbage"}).status_code == 404
