"""Security headers on every kind of page, HTTPS-only cookies, and error pages that leak nothing.

The suite runs with DEBUG off and the production security settings (only the HTTPS redirect is
off, see test_settings.py), so these responses carry what production sends.
This module is also a URLconf (the site's URLs plus a view that fails) for the error-page tests.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from amparo.config.urls import urlpatterns as site_urlpatterns
from amparo.core.models import AuditEvent
from amparo.core.proxies import forwarded_client_address
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


def _fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: /srv/amparo/settings.py SECRET_KEY=abc")


urlpatterns = [path("test-failure/", _fail), *site_urlpatterns]

ANONYMOUS_PAGES = ["home", "account_login", "account_reset_password", "public:newsletter"]
SIGNED_IN_PAGES = [
    "dashboard",
    "cases:list",
    "account_security",
    "usersessions_list",
    "mfa_index",
    "account_change_password",
]
# Versions or internals a response must never show.
LEAKS = ("Traceback", "Django", "Python", "WSGIServer", "gunicorn", "settings.py", "SECRET_KEY")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _csp(response: HttpResponse) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in directives if d}


def _assert_security_headers(response: HttpResponse) -> None:
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response
    assert "X-Powered-By" not in response


def _assert_no_inline_script(html: str) -> None:
    """What the header forbids, the page must not need: browsers would block it silently."""
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_security_headers_on_public_pages(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_security_headers(response)
    _assert_no_inline_script(response.content.decode())


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_security_headers_on_signed_in_pages(client, personas, name):
    client.force_login(personas.attorney)
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_security_headers(response)
    _assert_no_inline_script(response.content.decode())


def test_security_headers_on_a_case_file(client, personas):
    client.force_login(personas.attorney)
    response = client.get(reverse("cases:detail", args=[personas.placed_case.code]))
    assert response.status_code == 200
    _assert_security_headers(response)
    _assert_no_inline_script(response.content.decode())


def test_static_files_are_not_sniffed(client, db):
    response = client.get("/static/amparo/app.js")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in response


def test_hsts_on_https(client, db):
    response = client.get(reverse("home"), secure=True)
    hsts = response["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))  # type: ignore[union-attr]
    assert max_age >= 60 * 60 * 24 * 365
    assert "includeSubDomains" in hsts


def test_plain_http_is_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("account_login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + reverse("account_login")


def test_cookies_are_https_only(db):
    UserFactory(email="cookies@example.org")
    browser = Client()
    browser.get(reverse("account_login"), secure=True)
    browser.post(
        reverse("account_login"),
        {"login": "cookies@example.org", "password": PASSWORD},
        secure=True,
    )
    browser.post(reverse("set_language"), {"language": "es", "next": "/"}, secure=True)
    for name in ("sessionid", "csrftoken", "django_language"):
        cookie = browser.cookies[name]
        assert cookie["secure"], name
        assert cookie["samesite"] == "Lax", name
    assert browser.cookies["sessionid"]["httponly"]
    assert browser.cookies["csrftoken"]["httponly"]


def test_not_found_page_leaks_nothing(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    for leak in LEAKS:
        assert leak not in html, leak
    _assert_security_headers(response)


@pytest.mark.urls("tests.core.test_headers")
def test_server_error_page_leaks_nothing(db, settings):
    assert settings.DEBUG is False
    browser = Client(raise_request_exception=False)
    response = browser.get("/test-failure/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    for leak in (*LEAKS, "RuntimeError", "secret internals", "/srv/amparo"):
        assert leak not in html, leak
    _assert_security_headers(response)


def test_security_txt_names_the_deployments_contact(client, db, settings):
    settings.AMPARO_SECURITY_CONTACT = "security@legal-aid.example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Contact: mailto:security@legal-aid.example.org\n" in text
    expires = re.search(r"^Expires: (\S+)$", text, re.MULTILINE)
    assert expires is not None
    assert expires.group(1) > dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- The client's address behind the reverse proxy -----------------------------------------------


@pytest.mark.parametrize(
    ("forwarded_for", "count", "expected"),
    [
        ("203.0.113.9", 1, "203.0.113.9"),
        ("6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # the left entry is the client's own claim
        ("6.6.6.6, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        ("203.0.113.9", 2, None),  # fewer entries than proxies: not from our proxies
        ("not-an-address", 1, None),
        ("", 1, None),
        ("203.0.113.9", 0, None),
    ],
)
def test_forwarded_client_address(forwarded_for, count, expected):
    assert forwarded_client_address(forwarded_for, proxy_count=count) == expected


@pytest.mark.parametrize(("count", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_sign_in_records_the_address_the_proxy_saw(db, settings, count, recorded):
    settings.AMPARO_TRUSTED_PROXY_COUNT = count
    user = UserFactory(email="behind-proxy@example.org")
    browser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN, actor=user)
    assert event.ip_address == recorded


def test_lock_out_counts_per_client_behind_the_proxy(db, settings):
    """Behind the proxy, an attacker's failures lock the attacker's address, not every user
    who comes through the same proxy."""
    settings.AMPARO_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="target@example.org")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(reverse("account_login"), {"login": user.email, "password": "guess-guess"})
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = owner.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert owner.get(reverse("dashboard")).status_code == 200
    locked = attacker.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert locked.status_code in (403, 429)
