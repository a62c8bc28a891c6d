"""The board digest: new board cases that fit an attorney, e-mailed daily or weekly."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.conf import settings
from django.utils import timezone

from amparo.cases import digest as digest_module
from amparo.cases.digest import (
    board_digest_send,
    digest_cases_for_attorney,
)
from amparo.cases.models import CaseEvent, CaseType, Stage
from amparo.cases.tasks import send_daily_board_digest, send_weekly_board_digest
from amparo.courts.models import ImmigrationCourt
from amparo.people.models import AttorneyProfile
from tests.factories import AttorneyProfileFactory, CaseFactory, ClientFactory

# A Wednesday, at the digest hour.
NOW = dt.datetime(2026, 3, 4, settings.AMPARO_DIGEST_HOUR_UTC, 15, tzinfo=dt.UTC)
ME = "/volunteers/me/"


@pytest.fixture
def sfr(db):
    return ImmigrationCourt.objects.get(code="SFR")


@pytest.fixture
def concord(db):
    return ImmigrationCourt.objects.get(code="CCC")


def board_case(*, published=NOW - dt.timedelta(hours=2), **facts):
    """A case on the board with its card facts set, and a client whose identity must never
    reach an e-mail."""
    client = ClientFactory(
        given_names="Rosa Amelia",
        family_names="Quintanilla Ayala",
        a_number="A201-555-987",
        address="1234 Calle Escondida, Oakland",
        phone="(510) 555-0199",
        date_of_birth=dt.date(1990, 5, 17),
    )
    values = {
        "stage": Stage.READY,
        "published_at": published,
        "board_languages": ",es,",
        "case_type": CaseType.DEFENSIVE_ASYLUM,
        "summary_en": "Mother of two fleeing gang threats.",
        "summary_es": "Madre de dos que huye de amenazas de pandillas.",
        "client_age_band": "30-39",
        "urgency": 40,
        "client": client,
    }
    values.update(facts)
    return CaseFactory(**values)


def subscribe(user, frequency="daily", *, courts=(), **fields):
    profile = user.attorney_profile
    profile.board_digest = frequency
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.courts.set(courts)
    return AttorneyProfile.objects.get(pk=profile.pk)


def codes(digest):
    return {case.code for case in digest.cases}


# --- Which cases fit ----------------------------------------------------------------------------


def test_digest_cases_share_a_language_when_the_case_lists_any(personas):
    profile = subscribe(personas.attorney, languages=["pt", "en"])
    spanish = board_case(board_languages=",es,")
    portuguese = board_case(board_languages=",es,pt,")
    unlisted = board_case(board_languages="")
    digest = digest_cases_for_attorney(profile=profile, since=None, now=NOW)
    assert codes(digest) == {portuguese.code, unlisted.code}
    assert spanish.code not in codes(digest)


@pytest.mark.parametrize(
    ("interests", "expected"),
    [
        (["asylum"], {"defensive", "affirmative", "detained"}),
        (["u_visa"], {"u_visa", "children", "unaccompanied"}),
        (["detained"], {"detained"}),
        (["children"], {"children", "unaccompanied"}),
        (["detained", "children"], {"detained", "children", "unaccompanied"}),
        ([], {"defensive", "affirmative", "u_visa", "detained", "children", "unaccompanied"}),
    ],
)
def test_digest_cases_fit_the_attorneys_interests(personas, interests, expected):
    profile = subscribe(personas.attorney, interests=interests)
    cases = {
        "defensive": board_case(),
        "affirmative": board_case(case_type=CaseType.AFFIRMATIVE_ASYLUM),
        "u_visa": board_case(case_type=CaseType.U_VISA),
        "detained": board_case(detained=True),
        "children": board_case(case_type=CaseType.U_VISA, has_children=True),
        "unaccompanied": board_case(case_type=CaseType.U_VISA, is_unaccompanied_child=True),
    }
    digest = digest_cases_for_attorney(profile=profile, since=None, now=NOW)
    assert codes(digest) == {cases[name].code for name in expected}


def test_digest_cases_in_the_attorneys_courts_or_without_a_court(personas, sfr, concord):
    in_sfr = board_case(court=sfr)
    in_concord = board_case(court=concord)
    no_court = board_case(case_type=CaseType.AFFIRMATIVE_ASYLUM, court=None)
    profile = subscribe(personas.attorney, courts=[sfr])
    assert codes(digest_cases_for_attorney(profile=profile, since=None, now=NOW)) == {
        in_sfr.code,
        no_court.code,
    }
    anywhere = subscribe(personas.attorney, courts=[])
    assert codes(digest_cases_for_attorney(profile=anywhere, since=None, now=NOW)) == {
        in_sfr.code,
        in_concord.code,
        no_court.code,
    }


def test_digest_cases_only_new_unplaced_board_cases(personas):
    profile = subscribe(personas.attorney)
    new = board_case()
    board_case(published=NOW - dt.timedelta(days=2))  # before the daily window
    board_case(published=NOW + dt.timedelta(minutes=5))  # after this run: the next one's
    board_case(stage=Stage.SCREENING)
    board_case(stage=Stage.PLACED, attorney_of_record=personas.other_attorney)
    assert codes(digest_cases_for_attorney(profile=profile, since=None, now=NOW)) == {new.code}
    since = NOW - dt.timedelta(hours=1)
    assert not digest_cases_for_attorney(profile=profile, since=since, now=NOW).cases


def test_digest_cases_most_urgent_first_capped_with_a_count_of_the_rest(personas):
    profile = subscribe(personas.attorney)
    cases = [board_case(urgency=urgency) for urgency in range(23)]
    digest = digest_cases_for_attorney(profile=profile, since=None, now=NOW, limit=20)
    assert [case.code for case in digest.cases] == [case.code for case in cases[::-1][:20]]
    assert (digest.total, digest.more) == (23, 3)


# --- The e-mail ---------------------------------------------------------------------------------


def test_board_digest_send_emails_the_card_never_the_client(personas, mailoutbox, sfr):
    subscribe(personas.attorney)
    case = board_case(court=sfr, detained=True, next_hearing_on=dt.date(2026, 3, 20))
    assert board_digest_send(frequency="daily", now=NOW) == 1
    (message,) = mailoutbox
    assert message.to == [personas.attorney.email]
    assert "1 new case on the board fits your practice" in message.subject
    body = message.body
    site = settings.AMPARO_SITE_URL.rstrip("/")
    assert case.code in body
    assert f"{site}/board/{case.code}/" in body
    assert "Defensive asylum" in body
    assert "San Francisco Immigration Court" in body
    assert "Detained" in body
    assert "Spanish" in body
    assert "Age 30-39" in body
    assert "Urgency 40" in body
    assert "March 20, 2026" in body
    assert "Mother of two fleeing gang threats." in body
    assert f"{site}/volunteers/me/" in body
    for secret in ("Rosa", "Quintanilla", "A201", "201-555-987", "Escondida", "555-0199", "1990"):
        assert secret not in body
        assert secret not in message.subject
    assert "Rosa" not in message.subject


def test_board_digest_in_the_attorneys_language(personas, mailoutbox):
    personas.attorney.language = "es"
    personas.attorney.save()
    subscribe(personas.attorney)
    case = board_case()
    assert board_digest_send(frequency="daily", now=NOW) == 1
    body = mailoutbox[0].body
    assert case.code in body
    assert f"/board/{case.code}/" in body
    assert "Madre de dos que huye de amenazas de pandillas." in body
    assert "Mother of two" not in body
    # Words the board card already has in Spanish.
    assert "Urgencia 40" in body
    assert "Próxima audiencia" in body
    assert "Quintanilla" not in body


def test_board_digest_lists_twenty_and_counts_the_rest(personas, mailoutbox):
    subscribe(personas.attorney)
    cases = [board_case(urgency=urgency) for urgency in range(23)]
    assert board_digest_send(frequency="daily", now=NOW) == 1
    body = mailoutbox[0].body
    assert "23 new cases on the board fit your practice" in mailoutbox[0].subject
    assert "And 3 more cases: see the board." in body
    assert all(case.code in body for case in cases[3:])
    assert not any(case.code in body for case in cases[:3])


def test_board_digest_nothing_new_sends_nothing(personas, mailoutbox):
    profile = subscribe(personas.attorney, languages=["pt"])
    board_case(board_languages=",es,")  # not in their languages
    board_case(published=NOW - dt.timedelta(days=3))  # old news
    assert board_digest_send(frequency="daily", now=NOW) == 0
    assert mailoutbox == []
    profile.refresh_from_db()
    assert profile.board_digest_sent_at is None
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.SENT).exists()


def test_board_digest_second_run_the_same_day_sends_nothing(personas, mailoutbox):
    profile = subscribe(personas.attorney)
    first = board_case()
    assert board_digest_send(frequency="daily", now=NOW) == 1
    profile.refresh_from_db()
    assert profile.board_digest_sent_at == NOW
    later = board_case(published=NOW + dt.timedelta(hours=1))
    assert board_digest_send(frequency="daily", now=NOW + dt.timedelta(hours=3)) == 0
    assert len(mailoutbox) == 1
    # The next day lists what was published since the last digest, and only that.
    assert board_digest_send(frequency="daily", now=NOW + dt.timedelta(days=1)) == 1
    body = mailoutbox[1].body
    assert later.code in body
    assert first.code not in body


def test_board_digest_weekly_and_daily_are_separate(personas, mailoutbox):
    daily = subscribe(personas.attorney, "daily")
    weekly = subscribe(personas.other_attorney, "weekly")
    yesterday = board_case()
    last_week = board_case(published=NOW - dt.timedelta(days=5))

    assert board_digest_send(frequency="daily", now=NOW) == 1
    assert mailoutbox[0].to == [daily.user.email]
    assert yesterday.code in mailoutbox[0].body
    assert last_week.code not in mailoutbox[0].body  # a first daily digest looks back one day

    assert board_digest_send(frequency="weekly", now=NOW) == 1
    assert mailoutbox[1].to == [weekly.user.email]
    assert yesterday.code in mailoutbox[1].body
    assert last_week.code in mailoutbox[1].body

    board_case(published=NOW + dt.timedelta(days=1))
    assert board_digest_send(frequency="weekly", now=NOW + dt.timedelta(days=3)) == 0
    assert board_digest_send(frequency="weekly", now=NOW + dt.timedelta(days=7)) == 1
    assert len(mailoutbox) == 3


def test_board_digest_only_for_verified_active_subscribers(personas, mailoutbox):
    board_case()
    subscribe(personas.attorney, "none")
    subscribe(personas.unverified_attorney, "daily")
    AttorneyProfileFactory(board_digest="daily", verification_status="suspended")
    inactive = subscribe(personas.other_attorney, "daily")
    inactive.user.is_active = False
    inactive.user.save()
    assert board_digest_send(frequency="daily", now=NOW) == 0
    assert mailoutbox == []


def test_board_digest_records_who_was_sent_each_case(personas, mailoutbox):
    subscribe(personas.attorney)
    subscribe(personas.other_attorney, languages=["pt"])
    shown = [board_case(urgency=50), board_case(urgency=20)]
    not_shown = board_case(board_languages=",quc,")
    assert board_digest_send(frequency="daily", now=NOW) == 1
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.SENT)
    assert sorted((e.case_id, e.actor_id, e.data["attorney_id"]) for e in events) == sorted(
        (case.pk, None, personas.attorney.pk) for case in shown
    )
    assert {e.data["how"] for e in events} == {"digest"}
    assert not not_shown.events.filter(kind=CaseEvent.Kind.SENT).exists()


def test_board_digest_failed_send_is_retried_next_run(personas, mailoutbox, monkeypatch):
    profile = subscribe(personas.attorney)
    board_case()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({personas.attorney.email: (550, b"no")})

    monkeypatch.setattr(digest_module, "send_mail", refuse)
    assert board_digest_send(frequency="daily", now=NOW) == 0
    profile.refresh_from_db()
    assert profile.board_digest_sent_at is None
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.SENT).exists()
    monkeypatch.undo()
    assert board_digest_send(frequency="daily", now=NOW + dt.timedelta(minutes=5)) == 1


@pytest.mark.parametrize("case_count", [2, 30])
def test_board_digest_queries_do_not_grow_with_cases(
    personas, mailoutbox, sfr, django_assert_max_num_queries, case_count
):
    subscribe(personas.attorney, courts=[sfr])
    subscribe(personas.other_attorney, interests=["asylum"])
    for urgency in range(case_count):
        board_case(urgency=urgency, court=sfr)
    # Subscribers and their courts; per attorney: cases, their count, the claim, the events.
    with django_assert_max_num_queries(2 + 2 * 4):
        assert board_digest_send(frequency="daily", now=NOW) == 2


def test_board_digest_rejects_an_unknown_frequency(db):
    with pytest.raises(ValueError):
        board_digest_send(frequency="none")


def test_board_digest_tasks_run_daily_and_on_mondays(personas, mailoutbox):
    hour = settings.AMPARO_DIGEST_HOUR_UTC
    monday = dt.datetime(2026, 3, 2, hour, 20)
    tuesday = dt.datetime(2026, 3, 3, hour, 20)
    weekly = send_weekly_board_digest.task_class()
    daily = send_daily_board_digest.task_class()
    assert weekly.validate_datetime(monday)
    assert not weekly.validate_datetime(tuesday)
    assert daily.validate_datetime(tuesday.replace(minute=15))
    assert not daily.validate_datetime(tuesday)
    subscribe(personas.attorney)
    board_case(published=timezone.now() - dt.timedelta(hours=1))
    assert send_daily_board_digest.call_local() == 1
    assert len(mailoutbox) == 1


# --- The courts choice on "my profile" ----------------------------------------------------------


def profile_data(**overrides):
    data = {
        "phone": "510-555-0142",
        "languages": ["en", "es"],
        "interests": ["asylum"],
        "capacity": "2",
        "declared_conflicts": "",
        "board_digest": "daily",
    }
    data.update(overrides)
    return data


def test_my_profile_courts_choice_saves(client, personas, sfr, concord):
    client.force_login(personas.attorney)
    html = client.get(ME).content.decode()
    assert 'name="courts"' in html
    assert "San Francisco Immigration Court (CA)" in html

    response = client.post(ME, profile_data(courts=[sfr.pk, concord.pk]))
    assert response.status_code == 302
    profile = AttorneyProfile.objects.get(user=personas.attorney)
    assert set(profile.courts.all()) == {sfr, concord}
    assert profile.board_digest == "daily"
    html = client.get(ME).content.decode()
    assert f'value="{sfr.pk}" selected' in html

    assert client.post(ME, profile_data()).status_code == 302
    assert not profile.courts.exists()  # none chosen: any court


@pytest.mark.parametrize("value", ["999999", "not-a-court"])
def test_my_profile_bad_court_changes_nothing(client, personas, sfr, value):
    profile = subscribe(personas.attorney, "none", courts=[sfr])
    client.force_login(personas.attorney)
    response = client.post(ME, profile_data(courts=[value], capacity="3"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_courts_error"' in html
    assert "Choose courts from the list." in html
    profile.refresh_from_db()
    assert list(profile.courts.all()) == [sfr]
    assert profile.capacity == 2
    assert profile.board_digest == "none"


def test_attorney_profile_update_refuses_an_inactive_court(personas, sfr, concord):
    from django.core.exceptions import ValidationError

    from amparo.people.services import attorney_profile_update

    concord.active = False
    concord.save()
    profile = subscribe(personas.attorney, courts=[sfr])
    with pytest.raises(ValidationError) as error:
        attorney_profile_update(
            profile=profile,
            actor=personas.attorney,
            phone="",
            languages=["en"],
            interests=[],
            capacity=2,
            declared_conflicts="",
            board_digest="weekly",
            courts=[concord],
        )
    assert "courts" in error.value.message_dict
    profile.refresh_from_db()
    assert list(profile.courts.all()) == [sfr]
    assert profile.board_digest == "daily"
