"""Sessions end after inactivity and after a maximum age; a person can sign out everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from amparo.accounts.session_limits import SEEN_AT, SIGNED_IN_AT, session_check
from amparo.core.models import AuditEvent
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(params=["db", "cache"])
def session_engine(request: Any, settings: Any) -> str:
    """Both session engines the settings choose from: the database, and the cache (Redis in
    production; the in-memory cache here)."""
    if request.param == "cache":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    else:
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    return str(request.param)


def _sign_in(email: str, user_agent: str = FIREFOX, address: str = "203.0.113.5") -> Client:
    """A browser signing in through allauth's own form, as a person does."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = browser.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return browser


def _signed_in(browser: Client) -> bool:
    return bool(browser.get(reverse("dashboard")).status_code == 200)


# --- Inactivity and maximum age ------------------------------------------------------------------


def test_session_idle_longer_than_the_limit_is_signed_out(db, session_engine, settings):
    assert settings.AMPARO_SESSION_IDLE_MINUTES == 30
    user = UserFactory(email="idle@example.org")
    with time_machine.travel(START, tick=False) as clock:
        browser = _sign_in(user.email)
        assert _signed_in(browser)
        clock.move_to(START + dt.timedelta(minutes=31))
        response = browser.get(reverse("dashboard"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
        assert "signed out after 30 minutes without activity" in response.content.decode()
        clock.move_to(START + dt.timedelta(minutes=32))
        assert not _signed_in(browser)


def test_abandoned_session_is_dropped_by_the_store_itself(db, session_engine):
    """Nobody comes back: the database or cache forgets the session once the idle limit (plus
    the five minutes in which the middleware can say why) has passed."""
    user = UserFactory(email="abandoned@example.org")
    with time_machine.travel(START, tick=False) as clock:
        browser = _sign_in(user.email)
        key = browser.session.session_key
        store = browser.session.__class__
        assert store().exists(key)
        clock.move_to(START + dt.timedelta(minutes=36))
        assert not store(key).load()


def test_session_in_use_stays_signed_in(db, session_engine):
    """A request every 20 minutes for two hours: the idle clock and the session store's own
    expiry (35 minutes) are renewed as the person works."""
    user = UserFactory(email="busy@example.org")
    with time_machine.travel(START, tick=False) as clock:
        browser = _sign_in(user.email)
        for minutes in range(20, 121, 20):
            clock.move_to(START + dt.timedelta(minutes=minutes))
            assert _signed_in(browser), f"signed out after {minutes} minutes of activity"
        clock.move_to(START + dt.timedelta(minutes=120 + 29))
        assert _signed_in(browser)


def test_session_ends_after_the_maximum_age_even_when_active(db, session_engine, settings):
    settings.AMPARO_SESSION_MAX_HOURS = 2
    user = UserFactory(email="long-day@example.org")
    with time_machine.travel(START, tick=False) as clock:
        browser = _sign_in(user.email)
        for minutes in range(20, 121, 20):
            clock.move_to(START + dt.timedelta(minutes=minutes))
            assert _signed_in(browser)
        clock.move_to(START + dt.timedelta(minutes=125))
        response = browser.get(reverse("dashboard"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
        assert "Your session ended" in response.content.decode()


def test_idle_limit_is_enforced_even_if_the_store_keeps_the_session(db, settings):
    """The middleware's own clock, not only the store's expiry, signs out an idle session."""
    settings.SESSION_COOKIE_AGE = 60 * 60 * 8
    user = UserFactory(email="store@example.org")
    with time_machine.travel(START, tick=False) as clock:
        browser = _sign_in(user.email)
        clock.move_to(START + dt.timedelta(minutes=45))
        assert not _signed_in(browser)


@pytest.mark.parametrize("idle_minutes", [31, 60])
def test_idle_htmx_request_reloads_the_page(db, idle_minutes):
    """Not the sign-in page swapped into a fragment: htmx reloads the page, which asks to sign
    in (whether the middleware or the store ended the session)."""
    user = UserFactory(email="htmx@example.org")
    with time_machine.travel(START, tick=False) as clock:
        browser = _sign_in(user.email)
        clock.move_to(START + dt.timedelta(minutes=idle_minutes))
        response = browser.get(reverse("cases:list"), HTTP_HX_REQUEST="true")
        assert response.status_code == 204
        assert response["HX-Refresh"] == "true"


def test_activity_is_written_at_most_once_a_minute():
    session: dict[str, Any] = {}
    assert session_check(session, now=1000.0, idle_seconds=1800, max_seconds=28800) == ""
    assert session == {SIGNED_IN_AT: 1000, SEEN_AT: 1000}
    session_check(session, now=1030.0, idle_seconds=1800, max_seconds=28800)
    assert session[SEEN_AT] == 1000  # no write within the minute
    session_check(session, now=1061.0, idle_seconds=1800, max_seconds=28800)
    assert session[SEEN_AT] == 1061
    assert session_check(session, now=1061.0 + 1801, idle_seconds=1800, max_seconds=28800) == (
        "idle"
    )
    # A clock that went back counts as no time passed.
    assert session_check(session, now=500.0, idle_seconds=1800, max_seconds=28800) == ""


# --- Seeing sessions and signing out everywhere --------------------------------------------------


def test_security_page_lists_the_sessions_and_offers_sign_out_everywhere(db, session_engine):
    user = UserFactory(email="two-browsers@example.org")
    laptop = _sign_in(user.email, FIREFOX)
    _sign_in(user.email, SAFARI_PHONE, address="198.51.100.7")
    html = laptop.get(reverse("account_security")).content.decode()
    assert "Firefox on Windows" in html
    assert "Safari on iPhone" in html
    assert "198.51.100.7" in html
    assert "This browser" in html
    assert reverse("account_sign_out_everywhere") in html
    assert reverse("mfa_index") in html
    assert reverse("account_change_password") in html
    sessions_page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Sign out the other sessions" in sessions_page


def test_navbar_account_menu_reaches_security_and_sign_out_everywhere(client, db):
    client.force_login(UserFactory())
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("account_security") in html
    assert f'action="{reverse("account_sign_out_everywhere")}"' in html


def test_sign_out_other_sessions_keeps_this_one(db, session_engine):
    user = UserFactory(email="others@example.org")
    laptop = _sign_in(user.email, FIREFOX)
    phone = _sign_in(user.email, SAFARI_PHONE, address="198.51.100.7")
    assert UserSession.objects.filter(user=user).count() == 2
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_OUT_EVERYWHERE)
    assert event.actor == user
    assert event.data == {"sessions_ended": 1, "this_session_too": False}


def test_sign_out_everywhere_ends_every_session_this_one_too(db, session_engine):
    user = UserFactory(email="everywhere@example.org")
    other = UserFactory(email="bystander@example.org")
    laptop = _sign_in(user.email, FIREFOX)
    phone = _sign_in(user.email, SAFARI_PHONE, address="198.51.100.7")
    bystander = _sign_in(other.email)
    response = laptop.post(reverse("account_sign_out_everywhere"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "signed out of every session" in response.content.decode()
    assert not _signed_in(laptop)
    assert not _signed_in(phone)
    assert _signed_in(bystander)  # someone else's session is untouched
    assert not UserSession.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_OUT_EVERYWHERE)
    assert (event.actor, event.ip_address) == (user, "203.0.113.5")
    assert event.data == {"sessions_ended": 2, "this_session_too": True}


def test_sign_out_everywhere_needs_a_post_and_a_signed_in_person(client, db):
    url = reverse("account_sign_out_everywhere")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
    client.logout()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_OUT_EVERYWHERE).exists()


def test_changing_the_password_signs_out_the_other_browsers(db):
    """What the new sign-in e-mail promises."""
    user = UserFactory(email="change@example.org")
    laptop = _sign_in(user.email, FIREFOX)
    phone = _sign_in(user.email, SAFARI_PHONE, address="198.51.100.7")
    new_password = "an even longer passphrase 2026"
    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)


def test_expired_sessions_are_deleted_every_night(db, settings):
    from django.contrib.sessions.models import Session

    # The database store's clean-up; Redis expires cached sessions on its own.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"

    from amparo.accounts.tasks import clear_expired_sessions

    user = UserFactory(email="night@example.org")
    with time_machine.travel(START, tick=False) as clock:
        _sign_in(user.email)  # the laptop, then left alone
        clock.move_to(START + dt.timedelta(minutes=50))
        fresh = _sign_in(user.email, SAFARI_PHONE)
        clock.move_to(START + dt.timedelta(hours=1))
        assert Session.objects.count() == 2
        clear_expired_sessions.call_local()
        assert list(Session.objects.values_list("session_key", flat=True)) == [
            fresh.session.session_key
        ]
    night = dt.datetime(2026, 3, 3, 3, 17)
    assert clear_expired_sessions.task_class().validate_datetime(night)
