from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.core.models import AuditEvent

# (persona, case attribute, expected status) — forbidden answers 404 so existence does not leak.
CASE_FILE_ACCESS = [
    ("coordinator", "placed_case", 200),
    ("attorney", "placed_case", 200),
    ("other_attorney", "placed_case", 404),
    ("mentor", "placed_case", 200),
    ("other_mentor", "placed_case", 404),
    ("partner", "placed_case", 200),
    ("other_partner", "placed_case", 404),
    ("attorney", "ready_case", 404),
]


@pytest.mark.parametrize(("persona", "case", "status"), CASE_FILE_ACCESS)
def test_case_detail_access_by_role(client, personas, persona, case, status):
    client.force_login(getattr(personas, persona))
    target = getattr(personas, case)
    response = client.get(reverse("cases:detail", args=[target.code]))
    assert response.status_code == status
    if status == 200:
        assert target.client.family_names in response.content.decode()
    else:
        assert target.client.family_names not in response.content.decode()


def test_case_detail_anonymous_is_sent_to_sign_in(client, personas):
    response = client.get(reverse("cases:detail", args=[personas.placed_case.code]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_case_detail_read_is_audited(client, personas):
    client.force_login(personas.attorney)
    client.get(reverse("cases:detail", args=[personas.placed_case.code]), REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CLIENT_FILE_VIEWED)
    assert event.actor == personas.attorney
    assert event.object_id == str(personas.placed_case.pk)
    assert event.ip_address == "203.0.113.9"


def test_case_detail_refused_read_is_not_audited_as_a_view(client, personas):
    client.force_login(personas.other_attorney)
    client.get(reverse("cases:detail", args=[personas.placed_case.code]))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_FILE_VIEWED).exists()


def test_case_detail_unknown_code_is_404(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("cases:detail", args=["NOPE-1"])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("attorney", ["placed_case"], ["ready_case", "intake_case", "other_org_case"]),
        ("partner", ["placed_case", "ready_case", "intake_case"], ["other_org_case"]),
        ("other_partner", ["other_org_case"], ["placed_case", "ready_case"]),
        ("mentor", ["placed_case"], ["ready_case", "other_org_case"]),
        ("coordinator", ["placed_case", "ready_case", "intake_case", "other_org_case"], []),
    ],
)
def test_case_list_shows_only_allowed_cases(client, personas, persona, visible, hidden):
    client.force_login(getattr(personas, persona))
    html = client.get(reverse("cases:list")).content.decode()
    for name in visible:
        assert getattr(personas, name).code in html
    for name in hidden:
        assert getattr(personas, name).code not in html


def test_case_list_page_and_fragment(client, personas):
    client.force_login(personas.coordinator)
    page = client.get(reverse("cases:list"))
    fragment = client.get(reverse("cases:list"), HTTP_HX_REQUEST="true")
    assert b"<html" in page.content
    assert b"<html" not in fragment.content
    assert personas.placed_case.code.encode() in fragment.content


def test_case_list_query_count_does_not_grow_with_cases(
    client, personas, django_assert_max_num_queries
):
    from tests.factories import CaseFactory, HearingFactory

    for _ in range(20):
        HearingFactory(
            case=CaseFactory(placing_organization=personas.placed_case.placing_organization)
        )
    client.force_login(personas.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200


def test_case_detail_shows_hearing_in_the_courts_time_zone(client, personas):
    import datetime

    from amparo.courts.models import ImmigrationCourt
    from tests.factories import HearingFactory

    case = personas.placed_case
    case.court = ImmigrationCourt.objects.get(code="SFR")
    case.save()
    HearingFactory(case=case, starts_at=datetime.datetime(2027, 3, 16, 16, 30, tzinfo=datetime.UTC))
    client.force_login(personas.attorney)
    html = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "9:30" in html  # 16:30 UTC is 9:30 in San Francisco (PDT)
    assert "PDT" in html


def test_case_detail_names_languages(client, personas):
    client.force_login(personas.attorney)
    html = client.get(reverse("cases:detail", args=[personas.placed_case.code])).content.decode()
    assert "Spanish" in html
