"""Every page of the ongoing mentorship by role: signed out -> sign-in; the mentorship's mentor
and mentee, program admins (and coordinators, reading) see it; every other person gets 404.
Also: list pages in a fixed number of queries, Spanish rendering, demo data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.demo import mentoring_work_demo_seed
from amparo.mentoring_work.models import (
    Draft,
    FundingSource,
    MentorStatement,
    Message,
    PlanMilestone,
    TimeEntry,
)
from amparo.mentoring_work.pay import (
    funding_source_create,
    statements_prepare,
    time_entries_decide,
    time_entry_log,
)
from amparo.mentoring_work.services import draft_upload, message_send, milestone_add
from tests.factories import CaseFactory, UserFactory
from tests.mentoring_work.conftest import make_mentorship, pdf_upload

OUTSIDERS = ["other_attorney", "unverified_attorney", "other_mentor", "partner", "other_partner"]
LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def world(mentorship, plan, personas):
    milestone = mentorship.plan_milestones.order_by("order").first()
    draft = draft_upload(milestone=milestone, actor=personas.attorney, file=pdf_upload())
    message_send(mentorship=mentorship, author=personas.mentor, body="Hello")
    entry = time_entry_log(
        mentorship=mentorship,
        mentor=personas.mentor,
        date=LAST_MONTH.replace(day=3),
        minutes=30,
        activity="meeting",
    )
    open_entry = time_entry_log(
        mentorship=mentorship,
        mentor=personas.mentor,
        date=LAST_MONTH.replace(day=4),
        minutes=30,
        activity="meeting",
    )
    time_entries_decide(entry_ids=[entry.pk], actor=personas.program_admin, approve=True)
    [statement] = statements_prepare(month=LAST_MONTH, actor=personas.program_admin).statements
    source = funding_source_create(
        actor=personas.program_admin,
        name="Grant",
        kind="grant",
        amount=Decimal("500"),
        start_date=LAST_MONTH,
    )
    return {
        "mentorship": mentorship,
        "milestone": milestone,
        "draft": draft,
        "entry": open_entry,
        "statement": statement,
        "source": source,
    }


def _pages(w):
    m, pk = w["mentorship"], w["mentorship"].pk
    return {
        # name: (url, who may open it)
        "workspace": (reverse("mentoring_work:workspace", args=[pk]), "view"),
        "messages": (reverse("mentoring_work:messages", args=[pk]), "view"),
        "milestone": (reverse("mentoring_work:milestone", args=[w["milestone"].pk]), "view"),
        "draft": (reverse("mentoring_work:draft_download", args=[w["draft"].pk]), "view"),
        "time_log": (reverse("mentoring_work:time_log", args=[pk]), "time"),
        "time_entry": (reverse("mentoring_work:time_entry", args=[w["entry"].pk]), "mentor"),
        "close": (reverse("mentoring_work:close", args=[m.pk]), "close"),
        "time_queue": (reverse("mentoring_work:time_queue"), "admin"),
        "statements": (reverse("mentoring_work:statements"), "admin"),
        "statements_csv": (reverse("mentoring_work:statements_csv"), "admin"),
        "statement": (reverse("mentoring_work:statement", args=[w["statement"].pk]), "admin"),
        "statement_print": (
            reverse("mentoring_work:statement_print", args=[w["statement"].pk]),
            "admin",
        ),
        "statement_csv": (
            reverse("mentoring_work:statement_csv", args=[w["statement"].pk]),
            "admin",
        ),
        "funding": (reverse("mentoring_work:funding"), "admin"),
        "funding_source": (
            reverse("mentoring_work:funding_source", args=[w["source"].pk]),
            "admin",
        ),
        "overdue": (reverse("mentoring_work:overdue"), "staff"),
        "feedback_list": (reverse("mentoring_work:feedback_list"), "staff"),
        "list": (reverse("mentoring_work:list"), "anyone"),
    }


ALLOWED = {
    "view": {"mentor", "attorney", "program_admin", "coordinator"},
    "time": {"mentor", "program_admin"},
    "mentor": {"mentor"},
    "close": {"mentor", "program_admin"},
    "admin": {"program_admin"},
    "staff": {"program_admin", "coordinator"},
    "anyone": {"mentor", "attorney", "program_admin", "coordinator", *OUTSIDERS},
}


def test_signed_out_every_page_sends_to_sign_in(client, world):
    for name, (url, _who) in _pages(world).items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), (name, method)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], (name, method)


@pytest.mark.parametrize(
    "persona", ["mentor", "attorney", "program_admin", "coordinator", *OUTSIDERS]
)
def test_every_page_by_role(client, world, personas, persona):
    client.force_login(getattr(personas, persona))
    code = world["mentorship"].case.code
    client_name = world["mentorship"].case.client.full_name
    for name, (url, who) in _pages(world).items():
        response = client.get(url)
        expected = 200 if persona in ALLOWED[who] else 404
        assert response.status_code == expected, (persona, name, response.status_code)
        if response.status_code == 200 and not hasattr(response, "streaming_content"):
            html = response.content.decode()
            assert client_name not in html, (persona, name)  # case codes only, never the client
            if name == "list" and persona in OUTSIDERS:
                assert code not in html, persona


def test_outsiders_cannot_write_anything(client, world, personas):
    m = world["mentorship"]
    posts = [
        (reverse("mentoring_work:messages", args=[m.pk]), {"body": "Hi"}),
        (
            reverse("mentoring_work:milestone_add", args=[m.pk]),
            {"title": "x", "kind": "other", "owner": "mentor"},
        ),
        (
            reverse("mentoring_work:draft_upload", args=[world["milestone"].pk]),
            {"file": pdf_upload()},
        ),
        (reverse("mentoring_work:draft_comment", args=[world["draft"].pk]), {"body": "x"}),
        (reverse("mentoring_work:draft_reviewed", args=[world["draft"].pk]), {}),
        (
            reverse("mentoring_work:time_log", args=[m.pk]),
            {"date": "2026-01-05", "minutes": 5, "activity": "other"},
        ),
        (reverse("mentoring_work:time_entry_delete", args=[world["entry"].pk]), {}),
        (reverse("mentoring_work:close", args=[m.pk]), {"confirm": "on"}),
        (
            reverse("mentoring_work:statement_issue", args=[world["statement"].pk]),
            {"source": world["source"].pk},
        ),
    ]
    counts = (
        Message.objects.count(),
        PlanMilestone.objects.count(),
        Draft.objects.count(),
        TimeEntry.objects.count(),
        MentorStatement.objects.filter(status="issued").count(),
    )
    for persona in OUTSIDERS:
        client.force_login(getattr(personas, persona))
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (persona, url)
    assert counts == (
        Message.objects.count(),
        PlanMilestone.objects.count(),
        Draft.objects.count(),
        TimeEntry.objects.count(),
        MentorStatement.objects.filter(status="issued").count(),
    )
    assert Mentorship.objects.get(pk=m.pk).status == "active"


def test_unknown_ids_are_404_not_500(client, personas, world):
    client.force_login(personas.program_admin)
    for name in ("workspace", "milestone", "statement", "funding_source"):
        assert client.get(reverse(f"mentoring_work:{name}", args=[999_999])).status_code == 404


def test_invited_or_declined_mentorships_have_no_workspace(client, personas):
    case = CaseFactory(stage="placed", attorney_of_record=personas.attorney)
    invited = make_mentorship(
        case=case, mentor=personas.mentor, mentee=personas.attorney, status="invited"
    )
    client.force_login(personas.mentor)
    assert client.get(reverse("mentoring_work:workspace", args=[invited.pk])).status_code == 404


# --- query counts --------------------------------------------------------------------------------


def _more_mentorships(personas, count):
    for _ in range(count):
        mentee = UserFactory(role="attorney")
        case = CaseFactory(
            stage="placed",
            attorney_of_record=mentee,
            placing_organization=personas.placed_case.placing_organization,
        )
        other = make_mentorship(case=case, mentor=personas.mentor, mentee=mentee)
        message_send(mentorship=other, author=personas.mentor, body="Hi")


def test_list_pages_query_counts_do_not_grow(
    client, world, personas, django_assert_max_num_queries
):
    pages = [
        (personas.mentor, reverse("mentoring_work:list"), 10),
        (personas.program_admin, reverse("mentoring_work:list"), 10),
        (personas.program_admin, reverse("mentoring_work:overdue"), 10),
        (personas.program_admin, reverse("mentoring_work:feedback_list"), 10),
        (personas.mentor, reverse("mentoring_work:workspace", args=[world["mentorship"].pk]), 16),
        (personas.mentor, reverse("mentoring_work:messages", args=[world["mentorship"].pk]), 12),
        (personas.mentor, reverse("mentoring_work:time_log", args=[world["mentorship"].pk]), 12),
    ]
    for user, url, limit in pages:
        client.force_login(user)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
    _more_mentorships(personas, 6)
    m = world["mentorship"]
    for n in range(8):
        message_send(
            mentorship=m, author=personas.attorney if n % 2 else personas.mentor, body=f"m{n}"
        )
        milestone_add(
            mentorship=m,
            actor=personas.mentor,
            title=f"Extra {n}",
            kind="other",
            owner="both",
            due_date=dt.date.today() - dt.timedelta(days=3),
        )
        draft_upload(milestone=world["milestone"], actor=personas.attorney, file=pdf_upload())
        time_entry_log(
            mentorship=m, mentor=personas.mentor, date=dt.date.today(), minutes=5, activity="other"
        )
    PlanMilestone.objects.update(due_date=dt.date.today() - dt.timedelta(days=2))
    Message.objects.update(response_due_at=timezone.now() - dt.timedelta(days=1))
    for user, url, limit in pages:
        client.force_login(user)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


# --- Spanish ---------------------------------------------------------------------------------------


def test_pages_render_in_spanish(client, world, personas):
    for persona in ("mentor", "program_admin"):
        user = getattr(personas, persona)
        user.language = "es"
        user.save()
        client.force_login(user)
        for name, (url, who) in _pages(world).items():
            if persona not in ALLOWED[who] or name in ("draft", "statements_csv", "statement_csv"):
                continue
            response = client.get(url)
            assert response.status_code == 200, (persona, name)
            assert '<html lang="es">' in response.content.decode(), (persona, name)
    client.force_login(personas.mentor)
    html = client.get(reverse("mentoring_work:workspace", args=[world["mentorship"].pk])).content
    # The plan's Spanish titles come from the template, whatever the .po files hold.
    assert "Borrador del escrito legal previo a la audiencia, para revisión" in html.decode()


def test_e_mails_go_in_the_recipients_language(
    mentorship, personas, django_capture_on_commit_callbacks
):
    from django.core import mail

    personas.attorney.language = "es"
    personas.attorney.save()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(mentorship=mentorship, author=personas.mentor, body="Hola")
    assert mail.outbox[0].to == [personas.attorney.email]
    # The language is switched for rendering; the wording depends on the lead's translations.
    assert mentorship.case.code in mail.outbox[0].subject


def test_personal_text_is_encrypted_at_rest(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM mentoring_work_message")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all("Hello" not in value for value in stored)


# --- demo data -----------------------------------------------------------------------------------


def test_demo_seed_fills_the_demo_mentorship(personas):
    mentor = UserFactory(role="mentor", email="mentor@demo.amparo.org")
    mentee = personas.attorney
    mentee.email = "attorney@demo.amparo.org"
    mentee.save()
    assert mentoring_work_demo_seed(program_admin=personas.program_admin) is False  # none yet
    mentorship = make_mentorship(case=personas.placed_case, mentor=mentor, mentee=mentee)
    assert mentoring_work_demo_seed(program_admin=personas.program_admin) is True
    assert mentorship.plan_milestones.exists()
    assert Draft.objects.filter(milestone__mentorship=mentorship).get().comments.exists()
    assert any(m.is_overdue for m in Message.objects.filter(mentorship=mentorship))
    assert Message.objects.filter(mentorship=mentorship, response_seconds__isnull=False).exists()
    assert TimeEntry.objects.filter(status="approved").exists()
    assert TimeEntry.objects.filter(status="submitted").exists()
    statement = MentorStatement.objects.get()
    assert statement.is_issued and statement.month == LAST_MONTH
    assert FundingSource.objects.count() == 2
    assert mentoring_work_demo_seed(program_admin=personas.program_admin) is False  # once
