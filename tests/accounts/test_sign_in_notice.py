"""Every completed sign-in is audited; a browser new to the account gets the person an e-mail."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from amparo.accounts.devices import device_describe
from amparo.core.models import AuditEvent
from tests.conftest import enrol_totp
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"
WHEN = dt.datetime(2026, 3, 2, 17, 5, tzinfo=dt.UTC)  # 9:05 in Los Angeles
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def sign_in(db, django_capture_on_commit_callbacks):
    """Sign in through allauth's form from a given browser, running the after-commit e-mail."""

    def _sign_in(email: str, user_agent: str = FIREFOX, address: str = "203.0.113.5") -> Client:
        browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(
                reverse("account_login"), {"login": email, "password": PASSWORD}
            )
        assert response.status_code == 302
        return browser

    return _sign_in


def _sign_ins(user):
    return list(
        AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.SIGNED_IN).order_by("id")
    )


def test_first_sign_in_is_audited_and_sends_nothing(sign_in):
    user = UserFactory(email="first@example.org")
    sign_in(user.email)
    (event,) = _sign_ins(user)
    assert (event.ip_address, event.user_agent) == ("203.0.113.5", FIREFOX)
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))
    assert event.data == {"new_browser": True}
    assert mail.outbox == []


def test_sign_in_from_a_known_browser_sends_nothing(sign_in):
    user = UserFactory(email="known@example.org")
    sign_in(user.email)
    sign_in(user.email)
    assert [e.data["new_browser"] for e in _sign_ins(user)] == [True, False]
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("user_agent", "address"),
    [(SAFARI_PHONE, "203.0.113.5"), (FIREFOX, "198.51.100.7")],
    ids=["new browser", "new address"],
)
def test_sign_in_from_a_new_browser_or_address_e_mails_the_person(sign_in, user_agent, address):
    user = UserFactory(email="notice@example.org", full_name="Rosa Díaz")
    other = UserFactory(email="someone-else@example.org")
    sign_in(other.email, user_agent, address)  # another person's browser is no reference
    sign_in(user.email)
    with time_machine.travel(WHEN, tick=False):
        sign_in(user.email, user_agent, address)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["notice@example.org"]
    assert message.subject == "New sign-in to your Amparo account"
    body = message.body
    assert "Hello Rosa," in body
    assert "March 2, 2026, 9:05 a.m. (America/Los_Angeles)" in body
    assert address in body
    expected_device = "Safari on iPhone" if user_agent == SAFARI_PHONE else "Firefox on Windows"
    assert expected_device in body
    assert "http://127.0.0.1:8000/accounts/security/" in body
    assert "http://127.0.0.1:8000/accounts/password/change/" in body
    assert "Sign out everywhere" in body
    assert _sign_ins(user)[-1].data == {"new_browser": True}


def test_the_notice_is_in_the_persons_language(sign_in):
    user = UserFactory(email="es@example.org", language="es")
    sign_in(user.email)
    with time_machine.travel(WHEN, tick=False):
        sign_in(user.email, SAFARI_PHONE)
    (message,) = mail.outbox
    # Dates are written the Spanish way whatever language the request was in.
    assert "2 de marzo de 2026" in message.body


def test_sign_in_is_recorded_only_once_the_second_factor_is_given(db):
    user = UserFactory(email="staff@example.org", role="coordinator")
    enrol_totp(user)
    browser = Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.5")
    response = browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert _sign_ins(user) == []  # the password alone is not a sign-in
    code = format_hotp_value(hotp_value("JBSWY3DPEHPK3PXP", int(time.time()) // 30))
    response = browser.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert len(_sign_ins(user)) == 1


def test_failed_sign_in_is_not_a_sign_in(client, db):
    user = UserFactory(email="wrong@example.org")
    client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password"})
    assert _sign_ins(user) == []


def test_a_mail_failure_does_not_stop_the_sign_in(sign_in, monkeypatch):
    user = UserFactory(email="mail-down@example.org")
    sign_in(user.email)

    def broken(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("amparo.accounts.notifications.send_mail", broken)
    browser = sign_in(user.email, SAFARI_PHONE)
    assert browser.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX, ("Firefox", "Windows")),
        (SAFARI_PHONE, ("Safari", "iPhone")),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36",
            ("Chrome", "macOS"),
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.0.0",
            ("Edge", "Android"),
        ),
        ("curl/8.5.0", ("", "")),
        ("", ("", "")),
    ],
)
def test_device_describe(user_agent, expected):
    assert device_describe(user_agent) == expected
