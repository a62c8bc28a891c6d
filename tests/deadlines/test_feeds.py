"""Private calendar feeds: the token, the iCalendar they serve, and the settings page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amparo.cases.models import CaseType, Hearing, Stage
from amparo.core.crypto import blind_index
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.feeds import (
    calendar_feed_build_ics,
    calendar_feed_find,
    calendar_feed_get_or_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)
from amparo.deadlines.models import Anchor, CalendarFeed, Milestone, OwnerRole
from tests.deadlines.factories import CaseDeadlineFactory, CustomDeadlineFactory, MilestoneFactory
from tests.factories import CaseFactory, ClientFactory, HearingFactory

TODAY = dt.date(2026, 11, 23)
CHICAGO = ZoneInfo("America/Chicago")


def _feed_url(token: str) -> str:
    return reverse("deadlines:calendar_feed", args=[token])


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _summaries(body: bytes) -> set[str]:
    return {str(event["SUMMARY"]) for event in _events(body).values()}


def test_calendar_feed_token_is_long_random_and_found_by_its_index(personas):
    feed = calendar_feed_get_or_create(user=personas.attorney)

    assert len(feed.token) >= 43
    assert feed.token_index == blind_index(feed.token, purpose="calendar_feed")
    assert calendar_feed_find(token=feed.token) == feed
    assert calendar_feed_get_or_create(user=personas.attorney).token == feed.token
    assert calendar_feed_get_or_create(user=personas.mentor).token != feed.token
    for wrong in ("", "not-a-token", feed.token[:-1], feed.token_index, "x" * 5000):
        assert calendar_feed_find(token=wrong) is None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {CalendarFeed._meta.db_table}")
        stored = {row[0] for row in cursor.fetchall()}
    assert feed.token not in stored  # encrypted at rest


def test_calendar_feed_of_an_inactive_user_is_not_found(personas):
    feed = calendar_feed_get_or_create(user=personas.attorney)
    personas.attorney.is_active = False
    personas.attorney.save()
    assert calendar_feed_find(token=feed.token) is None


def test_calendar_feed_regenerate_invalidates_the_old_address(personas, client):
    old = calendar_feed_get_or_create(user=personas.attorney).token
    assert client.get(_feed_url(old)).status_code == 200

    new = calendar_feed_regenerate(user=personas.attorney).token

    assert new != old
    assert client.get(_feed_url(old)).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=personas.attorney).count() == 1


def test_calendar_feed_revoke_turns_the_address_off(personas, client):
    token = calendar_feed_get_or_create(user=personas.attorney).token

    assert calendar_feed_revoke(user=personas.attorney) is True

    assert client.get(_feed_url(token)).status_code == 404
    assert not CalendarFeed.objects.filter(user=personas.attorney).exists()
    assert calendar_feed_revoke(user=personas.attorney) is False


def test_calendar_feed_view_answers_private_icalendar(personas, client):
    feed = calendar_feed_get_or_create(user=personas.attorney)
    assert feed.last_fetched_at is None

    response = client.get(_feed_url(feed.token))  # no sign-in: calendar apps fetch it

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert icalendar.Calendar.from_ical(response.content)["VERSION"] == "2.0"
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None
    assert client.post(_feed_url(feed.token)).status_code == 405


def test_calendar_feed_view_unknown_token_is_404(db, client):
    assert client.get(_feed_url("a" * 43)).status_code == 404


def test_calendar_feed_ics_holds_hearings_deadlines_and_milestones(personas):
    case = personas.placed_case
    case.court = ImmigrationCourt.objects.get(code="CHI")
    case.save()
    # 15:00 UTC on 1 December is 09:00 in Chicago (CST, UTC-6).
    hearing = HearingFactory(
        case=case,
        kind=Hearing.Kind.INDIVIDUAL,
        starts_at=dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC),
    )
    HearingFactory(
        case=case,
        starts_at=dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC),
        status=Hearing.Status.CANCELLED,
    )
    deadline = CaseDeadlineFactory(
        case=case, date=dt.date(2026, 12, 10), safe_target=dt.date(2026, 12, 8)
    )
    custom = CustomDeadlineFactory(case=case, date=dt.date(2026, 12, 4))
    CustomDeadlineFactory(case=case, date=dt.date(2026, 12, 5), completed_at=timezone.now())
    milestone = MilestoneFactory(case=case, due_date=dt.date(2026, 11, 20))  # overdue, open
    MilestoneFactory(case=case, due_date=dt.date(2026, 12, 3), status=Milestone.Status.DONE)
    MilestoneFactory(case=case, due_date=None)

    body = calendar_feed_build_ics(user=personas.attorney, today=TODAY)
    events = _events(body)

    host = "127.0.0.1"
    assert set(events) == {
        f"hearing-{hearing.pk}@{host}",
        f"deadline-{deadline.pk}@{host}",
        f"deadline-{custom.pk}@{host}",
        f"milestone-{milestone.pk}@{host}",
    }
    event = events[f"hearing-{hearing.pk}@{host}"]
    assert str(event["SUMMARY"]) == f"{case.code} — hearing"
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 12, 1, 9, 0, tzinfo=CHICAGO)
    assert start.utcoffset() == dt.timedelta(hours=-6)
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.decoded("DTEND") - start == dt.timedelta(hours=3)
    assert str(event["URL"]) == f"{settings.AMPARO_SITE_URL}/cases/{case.code}/"
    zones = {str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(body).walk("VTIMEZONE")}
    assert "America/Chicago" in zones

    event = events[f"deadline-{deadline.pk}@{host}"]
    assert str(event["SUMMARY"]) == f"{case.code} — filing deadline"
    assert event.decoded("DTSTART") == dt.date(2026, 12, 10)
    assert event.decoded("DTEND") == dt.date(2026, 12, 11)
    assert "Immigration Court Practice Manual ch. 3.1(b)" in str(event["DESCRIPTION"])
    assert "2026-12-08" in str(event["DESCRIPTION"])
    assert str(events[f"deadline-{custom.pk}@{host}"]["SUMMARY"]) == f"{case.code} — deadline"

    event = events[f"milestone-{milestone.pk}@{host}"]
    assert str(event["SUMMARY"]) == f"{case.code} — milestone due"
    assert event.decoded("DTSTART") == dt.date(2026, 11, 20)


def test_calendar_feed_ics_hearing_without_court_uses_the_program_zone(personas):
    hearing = HearingFactory(
        case=personas.placed_case, starts_at=dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
    )
    events = _events(calendar_feed_build_ics(user=personas.attorney, today=TODAY))
    start = next(e for uid, e in events.items() if uid.startswith(f"hearing-{hearing.pk}@"))
    assert start.decoded("DTSTART") == dt.datetime(
        2026, 12, 1, 9, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def test_calendar_feed_ics_never_names_the_client_or_the_relief(personas):
    client = ClientFactory(given_names="Marisol", family_names="Etxeberria Quispe")
    u_visa = CaseFactory(
        stage=Stage.PLACED,
        case_type=CaseType.U_VISA,
        client=client,
        attorney_of_record=personas.attorney,
        court=ImmigrationCourt.objects.get(code="SFR"),
    )
    HearingFactory(case=u_visa, notes="Marisol will bring her U visa certification")
    CaseDeadlineFactory(
        case=u_visa,
        rule="UVISA_SUPB_6_MONTHS",
        citation="8 CFR 214.14(c)(2)(i); Form I-918 Supplement B instructions",
        explanation_en="The U visa Supplement B for Marisol expires.",
    )
    CaseDeadlineFactory(
        case=personas.placed_case,
        rule="DERIVATIVE_TURNS_21",
        citation="INA 208(b)(3) (age-out protection for asylum derivatives UNVERIFIED)",
    )
    CaseDeadlineFactory(case=personas.placed_case, rule="ASYLUM_ONE_YEAR")
    CustomDeadlineFactory(case=u_visa, title="Marisol's asylum and U visa packet")
    MilestoneFactory(
        case=u_visa,
        title_en="File the U visa petition for Marisol Etxeberria",
        anchor=Anchor.SUPPLEMENT_B_LAST_SAFE_RECEIPT,
    )

    for user in (personas.attorney, personas.coordinator):
        body = calendar_feed_build_ics(user=user, today=timezone.localdate())
        text = body.decode("utf-8").replace("\r\n ", "").lower()  # unfold long lines
        assert u_visa.code.lower() in text
        for forbidden in ("asylum", "visa", "marisol", "etxeberria", "i-918", "rosa amelia"):
            assert forbidden not in text
        assert personas.placed_case.client.family_names.lower() not in text


def test_calendar_feed_ics_leaves_out_other_peoples_cases(personas):
    mine = personas.placed_case
    theirs = CaseFactory(
        stage=Stage.PLACED, attorney_of_record=personas.other_attorney, mentor=personas.other_mentor
    )
    for case in (mine, theirs, personas.ready_case):
        HearingFactory(case=case)
        CaseDeadlineFactory(case=case)
        MilestoneFactory(case=case)
    MilestoneFactory(case=theirs, owner_role=OwnerRole.COORDINATOR)
    today = timezone.localdate()

    def codes(user) -> set[str]:
        body = calendar_feed_build_ics(user=user, today=today)
        return {summary.split(" — ")[0] for summary in _summaries(body)}

    assert codes(personas.attorney) == {mine.code}
    assert codes(personas.mentor) == {mine.code}
    assert codes(personas.other_attorney) == {theirs.code}
    assert codes(personas.partner) == set()
    staff = _summaries(calendar_feed_build_ics(user=personas.coordinator, today=today))
    # Staff: hearings and deadlines of every placed case, and only the milestones they own.
    assert staff == {
        f"{mine.code} — hearing",
        f"{mine.code} — filing deadline",
        f"{theirs.code} — hearing",
        f"{theirs.code} — filing deadline",
        f"{theirs.code} — milestone due",
    }
    assert _summaries(calendar_feed_build_ics(user=personas.program_admin, today=today)) == staff


def test_calendar_feed_ics_in_the_users_language(personas):
    personas.attorney.language = "es"
    personas.attorney.save()
    HearingFactory(case=personas.placed_case)
    CaseDeadlineFactory(case=personas.placed_case)
    MilestoneFactory(case=personas.placed_case)

    body = calendar_feed_build_ics(user=personas.attorney, today=timezone.localdate())

    code = personas.placed_case.code
    assert _summaries(body) == {
        f"{code} — audiencia",
        f"{code} — fecha límite de presentación",
        f"{code} — vencimiento de etapa clave",
    }


def test_calendar_feed_view_query_count_bounded(personas, client, django_assert_max_num_queries):
    token = calendar_feed_get_or_create(user=personas.coordinator).token
    for _ in range(6):
        case = CaseFactory(stage=Stage.PLACED, attorney_of_record=personas.attorney)
        HearingFactory(case=case)
        CaseDeadlineFactory(case=case)
        MilestoneFactory(case=case, owner_role=OwnerRole.COORDINATOR)

    # Find the feed, note the fetch, then one query each for hearings, deadlines, milestones.
    with django_assert_max_num_queries(5):
        response = client.get(_feed_url(token))

    assert len(_events(response.content)) == 18


# --- the settings page -------------------------------------------------------------------------

SETTINGS_URL = "/calendar/"


def test_calendar_settings_anonymous_is_sent_to_sign_in(db, client):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(SETTINGS_URL, {"action": "create"}).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_calendar_settings_get_without_and_with_an_address(personas, client):
    client.force_login(personas.attorney)
    assert reverse("deadlines:calendar_settings") == SETTINGS_URL

    response = client.get(SETTINGS_URL)
    assert response.status_code == 200
    assert b'value="create"' in response.content
    assert b"Google Calendar" in response.content
    assert b"Keep this address private." in response.content

    feed = calendar_feed_get_or_create(user=personas.attorney)
    response = client.get(SETTINGS_URL)
    assert f"http://testserver/calendar/{feed.token}.ics".encode() in response.content
    assert f"webcal://testserver/calendar/{feed.token}.ics".encode() in response.content
    assert b'value="regenerate"' in response.content
    assert b'value="revoke"' in response.content
    assert b"<script" not in response.content.split(b"</head>")[1]
    assert b"style=" not in response.content


def test_calendar_settings_post_actions(personas, client):
    client.force_login(personas.attorney)

    response = client.post(SETTINGS_URL, {"action": "create"}, follow=True)
    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    feed = CalendarFeed.objects.get(user=personas.attorney)
    assert b"Your calendar address is ready." in response.content
    assert feed.token.encode() in response.content

    response = client.post(SETTINGS_URL, {"action": "regenerate"}, follow=True)
    assert b"You have a new calendar address." in response.content
    new_token = CalendarFeed.objects.get(user=personas.attorney).token
    assert new_token != feed.token
    assert feed.token.encode() not in response.content

    response = client.post(SETTINGS_URL, {"action": "revoke"}, follow=True)
    assert b"Your calendar address is turned off." in response.content
    assert not CalendarFeed.objects.filter(user=personas.attorney).exists()
    assert client.get(_feed_url(new_token)).status_code == 404


@pytest.mark.parametrize("data", [{"action": "delete_everything"}, {}, {"action": ""}])
def test_calendar_settings_unknown_action_is_400(personas, client, data):
    client.force_login(personas.attorney)
    response = client.post(SETTINGS_URL, data)
    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


def test_calendar_settings_in_spanish(personas, client):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)

    response = client.get(SETTINGS_URL)
    assert "Dirección del calendario".encode() in response.content
    assert "Mantenga esta dirección en privado.".encode() in response.content

    response = client.post(SETTINGS_URL, {"action": "create"}, follow=True)
    assert "Su dirección de calendario está lista.".encode() in response.content


def test_calendar_settings_for_staff_with_two_factor(personas, client):
    client.force_login(personas.coordinator)
    response = client.post(SETTINGS_URL, {"action": "create"})
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(user=personas.coordinator).exists()
