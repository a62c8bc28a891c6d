"""Two-factor enrolment for staff and mentors, lock-out after repeated failures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.accounts.models import User
from tests.conftest import enrol_totp
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


@pytest.mark.parametrize("role", ["coordinator", "program_admin", "mentor", "partner"])
def test_two_factor_required_before_any_client_data(client, personas, role):
    user = UserFactory(role=role, organization=personas.partner.organization)
    client.force_login(user)
    for url in [
        reverse("dashboard"),
        reverse("cases:list"),
        reverse("cases:detail", args=[personas.placed_case.code]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("two_factor_required")
    enrol_totp(user)
    assert client.get(reverse("dashboard")).status_code == 200


def test_two_factor_optional_for_attorneys_by_default(client, personas):
    client.force_login(personas.attorney)
    assert client.get(reverse("dashboard")).status_code == 200


def test_two_factor_required_for_attorneys_when_the_program_says_so(client, personas, settings):
    settings.AMPARO_REQUIRE_2FA_FOR_ATTORNEYS = True
    client.force_login(personas.attorney)
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize(("debug", "expected"), [(True, 200), (False, 302)])
def test_demo_accounts_skip_two_factor_only_while_debug(client, db, settings, debug, expected):
    settings.AMPARO_DEMO_SKIPS_2FA = debug
    user = UserFactory(role="coordinator", is_demo=True)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == expected


def test_sign_in_with_email_and_password(client, db):
    UserFactory(email="volunteer@example.org", role="attorney")
    response = client.post(
        reverse("account_login"), {"login": "volunteer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_repeated_failed_sign_ins_lock_the_account(client, db, settings):
    UserFactory(email="target@example.org", role="attorney")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong-password"}
        )
    response = client.post(
        reverse("account_login"), {"login": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code in (403, 429)
    assert client.get(reverse("dashboard")).status_code == 302  # still signed out


def test_admin_sign_in_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_open_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not User.objects.filter(email="x@example.org").exists()
    assert response.status_code in (200, 302)


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 302),
        ("mentor", 302),
        ("partner", 302),
    ],
)
def test_admin_is_for_program_staff_only(client, personas, persona, status):
    user = getattr(personas, persona)
    user.is_staff = persona in ("coordinator", "program_admin")
    user.save()
    client.force_login(user)
    assert client.get("/admin/people/attorneyprofile/").status_code == status


def test_admin_audit_log_is_read_only_for_staff(client, personas):
    personas.coordinator.is_staff = True
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get("/admin/core/auditevent/add/").status_code == 403


def test_admin_never_lists_client_identity(client, personas):
    personas.coordinator.is_staff = True
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    html = client.get("/admin/cases/case/").content.decode()
    assert personas.placed_case.code in html
    assert personas.placed_case.client.family_names not in html
    assert client.get("/admin/intake/client/").status_code == 404


def test_staff_can_reach_totp_enrolment_after_sign_in(client, db):
    UserFactory(email="newcoord@example.org", role="coordinator")
    client.post(reverse("account_login"), {"login": "newcoord@example.org", "password": PASSWORD})
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("two_factor_required")
    # allauth asks for the password again before a security change (MFA_REAUTHENTICATION_REQUIRED).
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    enrol = client.get(reverse("mfa_activate_totp"))
    assert enrol.status_code == 200
    assert 'name="code"' in enrol.content.decode()
