"""The workspace page: who sees it, what it shows, the audit of the client file, htmx, Spanish,
and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from amparo.core.models import AuditEvent
from amparo.deadlines.models import Milestone
from tests.factories import ClientContactFactory, HoursEntryFactory
from tests.workspace.conftest import workspace_url

PAGE_ACCESS = [
    ("attorney", 200),
    ("coordinator", 200),
    ("program_admin", 200),
    ("mentor", 200),
    ("partner", 200),
    ("other_attorney", 404),
    ("unverified_attorney", 404),
    ("other_mentor", 404),
    ("other_partner", 404),
]


@pytest.mark.parametrize(("persona", "status"), PAGE_ACCESS)
def test_workspace_page_access_by_role(client, personas, case, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(workspace_url(case))
    assert response.status_code == status
    html = response.content.decode()
    if status == 404:
        assert case.client.full_name not in html


def test_workspace_page_anonymous_is_sent_to_sign_in(client, case):
    response = client.get(workspace_url(case))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_workspace_page_unknown_case_is_404(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("workspace:case", args=["NOPE-1"])).status_code == 404


def test_workspace_shows_file_hearing_deadlines_plan_and_mentor(client, personas, case):
    client.force_login(personas.attorney)
    html = client.get(workspace_url(case)).content.decode()
    assert case.client.full_name in html
    assert "Individual hearing" in html and "March 16, 2026" in html
    assert "Pre-hearing filing deadline" in html and "Feb. 17, 2026" in html
    assert "Immigration Court Practice Manual" in html  # the rule's citation
    assert "Case plan" in html and "Mock hearing with the mentor" in html
    assert personas.mentor.full_name in html
    # Messages and documents are wired later: no placeholder on the page.
    assert "workspace/_messages.html" not in html and "workspace/_documents.html" not in html


def test_workspace_read_of_the_file_is_audited(client, personas, case):
    client.force_login(personas.attorney)
    client.get(workspace_url(case), REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CLIENT_FILE_VIEWED)
    assert event.actor == personas.attorney
    assert event.object_id == str(case.pk)
    assert event.ip_address == "203.0.113.7"


def test_mentor_without_the_shared_file_sees_the_workspace_but_not_the_client(
    client, personas, case
):
    case.mentor_file_access = False
    case.save()
    ClientContactFactory(case=case, note="Nervous about the hearing")
    client.force_login(personas.mentor)
    response = client.get(workspace_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.client.full_name not in html
    assert case.client.phone not in html
    assert "Nervous about the hearing" not in html  # the log's notes are part of the file
    assert "Phone" in html  # the contact itself (its channel) is listed
    assert "Pre-hearing filing deadline" in html
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_FILE_VIEWED).exists()


def test_mentor_with_the_shared_file_sees_the_notes(client, personas, case):
    ClientContactFactory(case=case, note="Nervous about the hearing")
    client.force_login(personas.mentor)
    html = client.get(workspace_url(case)).content.decode()
    assert case.client.full_name in html
    assert "Nervous about the hearing" in html


def test_workspace_is_read_only_for_mentor_and_partner(client, personas, case):
    for persona in ("mentor", "partner", "program_admin"):
        client.force_login(getattr(personas, persona))
        html = client.get(workspace_url(case)).content.decode()
        assert reverse("workspace:contact_add", args=[case.code]) not in html, persona
        assert reverse("workspace:hearing_add", args=[case.code]) not in html, persona
        assert reverse("workspace:hours_add", args=[case.code]) not in html, persona


def test_workspace_in_spanish(client, personas, case):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(workspace_url(case)).content.decode()
    assert "Audiencias" in html
    assert "Audiencia individual" in html
    assert "Plan del caso" in html
    assert "Simulacro de audiencia con el/la mentor/a" in html
    assert "17 de febrero de 2026" in html


def test_workspace_page_queries_do_not_grow_with_rows(
    client, personas, case, django_assert_max_num_queries
):
    client.force_login(personas.attorney)
    client.get(workspace_url(case))  # warm the session and the templates
    with django_assert_max_num_queries(20) as few:
        client.get(workspace_url(case))
    for day in range(12):
        ClientContactFactory(case=case, contacted_on=dt.date(2025, 12, 1 + day))
        HoursEntryFactory(case=case, worked_on=dt.date(2025, 12, 1 + day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(workspace_url(case))


def test_milestone_toggle_by_htmx_returns_the_row(client, personas, case):
    milestone = case.milestones.order_by("order").first()
    client.force_login(personas.attorney)
    url = reverse("workspace:milestone_status", args=[case.code, milestone.pk])
    response = client.post(url, {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="milestone-{milestone.pk}"')
    assert "Mark not done" in html
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert milestone.completed_by == personas.attorney


def test_milestone_toggle_without_javascript_redirects(client, personas, case):
    milestone = case.milestones.order_by("order").first()
    client.force_login(personas.attorney)
    url = reverse("workspace:milestone_status", args=[case.code, milestone.pk])
    response = client.post(url, {"status": "done"})
    assert response.status_code == 302
    assert response["Location"].endswith("#plan")
    response = client.post(url, {"status": "to_do"})
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.TO_DO


def test_milestone_toggle_bad_status_is_refused(client, personas, case):
    milestone = case.milestones.order_by("order").first()
    client.force_login(personas.attorney)
    url = reverse("workspace:milestone_status", args=[case.code, milestone.pk])
    response = client.post(url, {"status": "exploded"})
    assert response.status_code == 422
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.TO_DO


@pytest.mark.parametrize("persona", ["mentor", "partner", "other_attorney"])
def test_milestone_toggle_refused_to_readers_and_strangers(client, personas, case, persona):
    milestone = case.milestones.order_by("order").first()
    client.force_login(getattr(personas, persona))
    url = reverse("workspace:milestone_status", args=[case.code, milestone.pk])
    assert client.post(url, {"status": "done"}).status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.TO_DO


def test_case_detail_links_to_the_workspace(client, personas, case):
    client.force_login(personas.attorney)
    html = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert workspace_url(case) in html


def test_attorney_dashboard_links_cases_to_the_workspace(client, personas, case):
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard")).content.decode()
    assert workspace_url(case) in html
