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
    # The "needs your attention" list costs one COUNT per queue the role works (at most 8).
    with django_assert_max_num_queries(18):
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


def _attention(client, user) -> list[str]:
    from html import unescape

    client.force_login(user)
    response = client.get(reverse("dashboard"))
    return [unescape(item.text) for item in response.context["attention"]]


def test_attention_lists_overdue_before_this_week_for_the_attorney(client, personas):
    import datetime as dt

    from django.utils import timezone

    from amparo.deadlines.models import CaseDeadline

    today = timezone.localdate()
    case = personas.placed_case
    CaseDeadline.objects.create(
        case=case, rule="ICPM_PREHEARING", source="rule", date=today + dt.timedelta(days=3)
    )
    CaseDeadline.objects.create(
        case=case, rule="ASYLUM_ONE_YEAR", source="rule", date=today - dt.timedelta(days=1)
    )
    items = _attention(client, personas.attorney)
    assert items == [
        "1 deadline has passed without being marked done",
        "1 deadline this week",
    ]
    # Another attorney sees nothing of it, and is told what to do next.
    client.force_login(personas.other_attorney)
    response = client.get(reverse("dashboard"))
    assert response.context["attention"] == []
    assert "Nothing needs your attention today." in response.content.decode()
    assert reverse("board:board") in response.content.decode()


def test_attention_counts_mentor_messages_waiting_for_the_attorney(client, personas):
    import datetime as dt

    from django.utils import timezone

    from amparo.mentoring_work.models import Message
    from tests.factories import MentorshipFactory

    mentorship = MentorshipFactory(
        case=personas.placed_case, mentor=personas.mentor, mentee=personas.attorney
    )
    now = timezone.now()
    for due in (now - dt.timedelta(hours=1), now + dt.timedelta(days=1)):
        Message.objects.create(
            mentorship=mentorship, author=personas.mentor, body="Hola", response_due_at=due
        )
    items = _attention(client, personas.attorney)
    assert "1 message from your mentor is waiting too long for your reply" in items
    assert "1 message from your mentor waits for your reply" in items
    assert items.index("1 message from your mentor is waiting too long for your reply") == 0


def test_attention_for_the_coordinator_links_to_each_queue(client, personas):
    from amparo.conflicts.models import ConflictHit

    AttorneyProfileFactory(user__full_name="Pending Person")
    client.force_login(personas.coordinator)
    response = client.get(reverse("dashboard"))
    items = {unescape_text(i.text): i.url for i in response.context["attention"]}
    # The personas' unverified attorney and Pending Person.
    assert items["2 volunteers wait for verification"] == reverse("people:verification_queue")
    # The intake case and the other organisation's intake case both wait.
    assert items["2 cases wait for intake or screening"] == reverse("cases:list") + "?show=waiting"
    waiting = client.get(reverse("cases:list") + "?show=waiting").content.decode()
    assert personas.intake_case.code in waiting
    assert personas.placed_case.code not in waiting
    assert not ConflictHit.objects.exists()
    assert not any("conflict" in text for text in items)


def unescape_text(text: str) -> str:
    from html import unescape

    return unescape(text)


def test_attention_in_spanish(client, personas):
    personas.attorney.language = "es"
    personas.attorney.save()
    from django.utils import timezone

    from amparo.deadlines.models import CaseDeadline

    CaseDeadline.objects.create(
        case=personas.placed_case, rule="ICPM_PREHEARING", source="rule", date=timezone.localdate()
    )
    client.force_login(personas.attorney)
    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Requiere su atención hoy" in html
    assert "1 plazo esta semana" in html
