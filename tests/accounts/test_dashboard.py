from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AttorneyProfileFactory, HearingFactory


def test_dashboard_coordinator_sees_urgent_unplaced_and_pending_verifications(client, personas):
    HearingFactory(case=personas.ready_case)
    AttorneyProfileFactory(user__full_name="Pending Person")
    client.force_login(personas.coordinator)
    html = client.get(reverse("dashboard")).content.decode()
    assert personas.ready_case.code in html
    assert "Pending Person" in html


def test_dashboard_attorney_sees_own_cases_only(client, personas):
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard")).content.decode()
    assert personas.placed_case.code in html
    assert personas.ready_case.code not in html
    assert "Verified" in html


def test_dashboard_partner_sees_own_organization_cases(client, personas):
    client.force_login(personas.partner)
    html = client.get(reverse("dashboard")).content.decode()
    assert personas.intake_case.code in html
    assert personas.other_org_case.code not in html


def test_dashboard_never_shows_client_names(client, personas):
    client.force_login(personas.coordinator)
    html = client.get(reverse("dashboard")).content.decode()
    assert personas.placed_case.client.family_names not in html


@pytest.mark.parametrize(
    "persona", ["coordinator", "program_admin", "attorney", "mentor", "partner"]
)
def test_dashboard_query_count_is_bounded(client, personas, persona, django_assert_max_num_queries):
    client.force_login(getattr(personas, persona))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("dashboard")).status_code == 200


def test_dashboard_anonymous_goes_to_sign_in(client, db):
    assert client.get(reverse("dashboard")).status_code == 302


def test_dashboard_attorney_sees_what_is_due_and_overdue(client, personas):
    import datetime as dt

    from django.utils import timezone

    from amparo.deadlines.models import CaseDeadline, Milestone

    today = timezone.localdate()
    case = personas.placed_case
    CaseDeadline.objects.create(
        case=case, rule="ICPM_PREHEARING", source="rule", date=today + dt.timedelta(days=5)
    )
    CaseDeadline.objects.create(
        case=case, rule="ASYLUM_ONE_YEAR", source="rule", date=today + dt.timedelta(days=40)
    )
    Milestone.objects.create(
        case=case,
        title_en="Client declaration",
        title_es="Declaración",
        due_date=today - dt.timedelta(days=2),
    )
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Pre-hearing filing deadline" in html
    assert "Asylum one-year filing deadline" not in html  # beyond 14 days
    assert "Client declaration" in html and "Overdue" in html
