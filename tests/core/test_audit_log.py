"""The audit log: every read of a client file, download of a client document and export of
personal data writes one event (who, what, when, from where); program staff search it; nobody
can change or delete it, neither in the admin nor anywhere else."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from amparo.accounts.models import Role
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.core.selectors import AuditCursor
from amparo.workspace import services as workspace_services
from tests.factories import UserFactory

URL = reverse("audit_log")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Action = AuditEvent.Action


def _record(actor, action, *, target=None, ip="10.0.0.1", data=None):
    request = RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_USER_AGENT="TestBrowser/1.0")
    return audit_record(actor=actor, action=action, target=target, request=request, data=data)


def _new_events(before_ids):
    return list(AuditEvent.objects.exclude(id__in=before_ids).order_by("id"))


def _shown_ids(response):
    return [row["event"].pk for row in response.context["rows"]]


# --- each read, download and export writes one event ------------------------------------------


def _document_download_url(personas):
    case = personas.placed_case
    document = workspace_services.case_document_create(
        case=case,
        actor=personas.attorney,
        title="Declaration",
        kind="draft",
        milestone=None,
        file=SimpleUploadedFile("declaration.pdf", PDF, content_type="application/pdf"),
        note="",
    )
    version = document.versions.get()
    return reverse("workspace:document_download", args=[case.code, version.pk])


@pytest.mark.parametrize(
    ("persona", "url", "action", "on_case"),
    [
        ("coordinator", lambda p: reverse("cases:detail", args=[p.placed_case.code]), "view", True),
        ("attorney", lambda p: reverse("workspace:case", args=[p.placed_case.code]), "view", True),
        ("coordinator", lambda p: reverse("cases:edit", args=[p.placed_case.code]), "view", True),
        (
            "coordinator",
            lambda p: reverse("conflicts:case_conflicts", args=[p.placed_case.code]),
            "view",
            True,
        ),
        ("mentor", _document_download_url, "download", True),
        ("coordinator", lambda p: reverse("public:subscriber_export"), "export", False),
        (
            "coordinator",
            lambda p: reverse("workspace:hours_export") + "?start=&end=&group=entries",
            "export",
            False,
        ),
    ],
    ids=["case", "workspace", "case-edit", "conflicts", "document", "newsletter", "hours"],
)
def test_each_read_download_and_export_writes_exactly_one_event(
    client, personas, persona, url, action, on_case
):
    user = getattr(personas, persona)
    target = url(personas)
    client.force_login(user)
    before = set(AuditEvent.objects.values_list("id", flat=True))
    response = client.get(target, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox/140")
    assert response.status_code == 200
    [event] = _new_events(before)
    expected = {
        "view": Action.CLIENT_FILE_VIEWED,
        "download": Action.CLIENT_DOCUMENT_DOWNLOADED,
        "export": Action.EXPORT,
    }[action]
    assert (event.actor, event.action) == (user, expected)
    assert (event.ip_address, event.user_agent) == ("192.0.2.7", "Firefox/140")
    if on_case:
        case = personas.placed_case
        assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
        assert event.data["case_code"] == case.code
    # Codes and ids only: never a name.
    client_record = personas.placed_case.client
    assert client_record.family_names not in str(event.data)
    assert user.email not in str(event.data)


# --- who may search ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "program_admin"])
def test_program_staff_open_the_audit_log(client, personas, persona):
    _record(personas.attorney, Action.CLIENT_FILE_VIEWED, target=personas.placed_case)
    client.force_login(getattr(personas, persona))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Audit log" in html
    assert 'class="table-responsive"' in html and '<th scope="col">' in html
    assert '<label class="form-label" for="id_person">' in html


def test_the_program_tools_page_links_the_audit_log(client, personas):
    client.force_login(personas.coordinator)
    html = client.get(reverse("program_tools")).content.decode()
    assert f'href="{URL}"' in html


@pytest.mark.parametrize(
    "persona", ["attorney", "unverified_attorney", "mentor", "partner", "other_partner"]
)
def test_everyone_else_gets_404_and_leaves_no_search_event(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.AUDIT_LOG_SEARCHED).exists()


def test_staff_without_their_second_factor_get_404(client, db):
    coordinator = UserFactory(role=Role.COORDINATOR, email="new-coord@example.org")
    client.force_login(coordinator)
    assert client.get(URL).status_code in (302, 404)
    assert not AuditEvent.objects.filter(action=Action.AUDIT_LOG_SEARCHED).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the filters ------------------------------------------------------------------------------


@pytest.fixture
def log(personas):
    """A small log: reads by two people on two cases, an export, from two addresses, on two
    days."""
    case, other = personas.placed_case, personas.ready_case
    with time_machine.travel(dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC), tick=False):
        old_read = _record(
            personas.attorney,
            Action.CLIENT_FILE_VIEWED,
            target=case,
            data={"case_code": case.code},
        )
    with time_machine.travel(dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC), tick=False):
        mentor_download = _record(
            personas.mentor,
            Action.CLIENT_DOCUMENT_DOWNLOADED,
            target=case,
            ip="2001:db8::5",
            data={"case_code": case.code, "case_document": 7},
        )
        other_read = _record(
            personas.coordinator,
            Action.CLIENT_FILE_VIEWED,
            target=other,
            data={"case_code": other.code},
        )
        export = _record(personas.coordinator, Action.EXPORT, data={"export": "x"})
    return {
        "old_read": old_read,
        "mentor_download": mentor_download,
        "other_read": other_read,
        "export": export,
    }


def _search(client, personas, **params):
    client.force_login(personas.program_admin)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return set(_shown_ids(response))


def test_no_filter_shows_everything_newest_first(client, personas, log):
    client.force_login(personas.program_admin)
    shown = _shown_ids(client.get(URL))
    mine = [pk for pk in shown if pk in {e.pk for e in log.values()}]
    assert mine == [
        log["export"].pk,
        log["other_read"].pk,
        log["mentor_download"].pk,
        log["old_read"].pk,
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"person": "MENTOR@"}, {"mentor_download"}),
        ({"action": Action.EXPORT}, {"export"}),
        ({"action": Action.CLIENT_FILE_VIEWED}, {"old_read", "other_read"}),
        ({"ip_address": "2001:DB8:0::5"}, {"mentor_download"}),
        ({"date_from": "2026-03-05"}, {"mentor_download", "other_read", "export"}),
        ({"date_to": "2026-03-02"}, {"old_read"}),
        ({"date_from": "2026-03-02", "date_to": "2026-03-02"}, {"old_read"}),
        (
            {"person": "att@", "action": Action.CLIENT_FILE_VIEWED, "ip_address": "10.0.0.1"},
            {"old_read"},
        ),
    ],
)
def test_each_filter_narrows_the_results(client, personas, log, params, expected):
    shown = _search(client, personas, **params)
    assert shown & {e.pk for e in log.values()} == {log[name].pk for name in expected}


def test_case_code_and_object_id_filters(client, personas, log):
    case, other = personas.placed_case, personas.ready_case
    by_code = _search(client, personas, target=case.code.lower())
    assert {log["old_read"].pk, log["mentor_download"].pk} <= by_code
    assert log["other_read"].pk not in by_code and log["export"].pk not in by_code
    # An event on another object that names the case by its code is found too.
    hit = _record(
        personas.coordinator, Action.CONFLICT_HIT_RESOLVED, data={"case_code": other.code}
    )
    assert _search(client, personas, target=other.code) >= {log["other_read"].pk, hit.pk}
    by_id = _search(client, personas, target=str(other.pk))
    assert log["other_read"].pk in by_id and log["old_read"].pk not in by_id


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_to": "9999-12-31"}, "Enter a date between 1990 and 2100."),
        (
            {"date_from": "2026-03-10", "date_to": "2026-03-01"},
            "The start of the period is after its end.",
        ),
        ({"ip_address": "999.1.1.1"}, "Enter a valid IPv4 or IPv6 address."),
        ({"action": "drop_table"}, "Select a valid choice."),
        ({"before": "not-a-cursor"}, "This page link is not valid."),
        ({"before": "9" * 18 + ".1"}, "This page link is not valid."),
        ({"after": "1.1", "before": "1.1"}, "This page link is not valid."),
        ({"person": "x" * 300}, "Ensure this value has at most 254 characters"),
    ],
)
def test_bad_filters_get_a_clear_message_not_a_500(client, personas, params, message):
    client.force_login(personas.coordinator)
    response = client.get(URL, params)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "rows" not in response.context
    assert not AuditEvent.objects.filter(action=Action.AUDIT_LOG_SEARCHED).exists()


# --- searching is audited ---------------------------------------------------------------------


def test_each_search_is_itself_audited_with_codes_and_ids_only(client, personas, log):
    client.force_login(personas.coordinator)
    params = {
        "person": "mentor@",
        "action": Action.CLIENT_DOCUMENT_DOWNLOADED,
        "target": personas.placed_case.code,
        "date_from": "2026-03-01",
        "date_to": "2026-03-31",
        "ip_address": "2001:db8::5",
    }
    response = client.get(URL, params, REMOTE_ADDR="198.51.100.4")
    assert _shown_ids(response) == [log["mentor_download"].pk]
    event = AuditEvent.objects.get(action=Action.AUDIT_LOG_SEARCHED)
    assert (event.actor, event.ip_address) == (personas.coordinator, "198.51.100.4")
    assert event.data == {
        "filters": {
            "action": Action.CLIENT_DOCUMENT_DOWNLOADED,
            "case_code": personas.placed_case.code,
            "from": "2026-03-01",
            "to": "2026-03-31",
            "ip_address": "2001:db8::5",
        },
        "page": "newest",
        "shown": 1,
        # The person searched for, by id: no e-mail address in the log's details.
        "person_ids": [personas.mentor.pk],
    }
    # The search does not show itself: the next one does.
    again = client.get(URL, {"action": Action.AUDIT_LOG_SEARCHED})
    assert _shown_ids(again) == [event.pk]


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def many(personas):
    # 120 reads, a second apart, alternating two addresses.
    events = []
    start = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
    for n in range(120):
        with time_machine.travel(start + dt.timedelta(seconds=n), tick=False):
            events.append(
                _record(
                    personas.attorney,
                    Action.CLIENT_FILE_VIEWED,
                    target=personas.placed_case,
                    ip="10.0.0.1" if n % 2 else "10.0.0.2",
                    data={"case_code": personas.placed_case.code},
                )
            )
    return events


def test_pages_of_50_walk_the_whole_log_without_gaps_or_repeats(client, personas, many):
    client.force_login(personas.coordinator)
    newest_first = [e.pk for e in reversed(many)]
    first = client.get(URL, {"action": Action.CLIENT_FILE_VIEWED})
    assert _shown_ids(first) == newest_first[:50]
    assert first.context["page"].newer is None
    older = first.context["older_query"]
    second = client.get(f"{URL}?{older}")
    assert _shown_ids(second) == newest_first[50:100]
    third = client.get(f"{URL}?{second.context['older_query']}")
    assert _shown_ids(third) == newest_first[100:]
    assert third.context["older_query"] == ""
    assert "action=client_file.viewed" in third.context["newer_query"]
    back = client.get(f"{URL}?{third.context['newer_query']}")
    assert _shown_ids(back) == newest_first[50:100]
    # Newer from the second page is the newest page itself.
    top = client.get(f"{URL}?{back.context['newer_query']}")
    assert _shown_ids(top) == newest_first[:50] and top.context["page"].is_first


def test_a_page_keeps_its_filters(client, personas, many):
    client.force_login(personas.coordinator)
    first = client.get(URL, {"ip_address": "10.0.0.1"})
    second = client.get(f"{URL}?{first.context['older_query']}")
    shown = _shown_ids(first) + _shown_ids(second)
    assert shown == [e.pk for e in reversed(many) if e.ip_address == "10.0.0.1"]


def test_query_count_is_fixed_whatever_the_page_and_filters(
    client, personas, many, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    client.get(URL)  # sessions and caches warm
    # Sign-in and second-factor checks, one query for the page of events (with their actors),
    # one insert for the search's own event; the person filter adds one (the ids it records).
    with django_assert_max_num_queries(8):
        first = client.get(URL)
    with django_assert_max_num_queries(8):
        client.get(f"{URL}?{first.context['older_query']}")
    filtered = {
        "person": "att",
        "target": personas.placed_case.code,
        "date_from": "2026-04-01",
        "ip_address": "10.0.0.1",
    }
    with django_assert_max_num_queries(9):
        response = client.get(URL, filtered)
    assert len(response.context["rows"]) == 50


def test_the_cursor_round_trips():
    cursor = AuditCursor(created_at=dt.datetime(2026, 4, 1, 12, 0, 0, 123456, tzinfo=dt.UTC), id=9)
    assert AuditCursor.decode(cursor.encode()) == cursor


# --- nobody can change or delete an entry -----------------------------------------------------


@pytest.fixture
def superuser(db):
    from tests.conftest import enrol_totp

    user = UserFactory(
        email="root@example.org", role=Role.PROGRAM_ADMIN, is_staff=True, is_superuser=True
    )
    enrol_totp(user)
    return user


def test_the_admin_lists_entries_but_cannot_add_change_or_delete(client, personas, superuser):
    event = _record(personas.attorney, Action.CLIENT_FILE_VIEWED, target=personas.placed_case)
    client.force_login(superuser)
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200  # read-only view
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:core_auditevent_add"), {"action": "export"}).status_code == (
        403
    )
    posted = client.post(change, {"action": Action.EXPORT, "object_id": "1", "data": "{}"})
    assert posted.status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.object_id) == (Action.CLIENT_FILE_VIEWED, event.object_id)


def test_no_page_of_the_application_accepts_a_write_to_the_log(client, personas):
    client.force_login(personas.coordinator)
    assert client.post(URL, {"action": "export"}).status_code == 405
    assert client.delete(URL).status_code == 405


def test_the_model_and_every_queryset_write_refuse(personas):
    event = _record(personas.attorney, Action.CLIENT_FILE_VIEWED, target=personas.placed_case)
    event.action = Action.EXPORT
    with pytest.raises(PermissionError), transaction.atomic():
        event.save()
    with pytest.raises(PermissionError), transaction.atomic():
        event.delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.EXPORT)
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"action": Action.EXPORT})
    assert AuditEvent.objects.get(pk=event.pk).action == Action.CLIENT_FILE_VIEWED
