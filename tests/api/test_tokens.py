"""API tokens: created (hashed, shown once), used, revoked; the bearer authentication, the
caller's language, the rate limit, and the admin and management commands around them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from amparo.api.models import ApiToken
from amparo.api.services import api_token_create, api_token_hash, api_token_revoke
from tests.api.conftest import ApiClient
from tests.factories import UserFactory

ME = "/api/v1/me/deadlines"


def test_token_is_stored_hashed_with_a_display_prefix(personas):
    token, secret = api_token_create(user=personas.partner, name="Partner CMS")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("amp_") and len(secret) > 40
    assert stored.token_hash == api_token_hash(secret) != secret
    assert secret.startswith(stored.prefix) and len(stored.prefix) == 10
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())


def test_a_valid_token_authenticates_and_marks_it_used(client, personas):
    token, secret = api_token_create(user=personas.attorney, name="t")
    response = ApiClient(client, secret).get(ME)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer not-a-token",
        "Bearer amp_" + "x" * 43,
        "Basic dXNlcjpwYXNz",
        "Bearer amp_" + "x" * 5000,
    ],
)
def test_missing_or_wrong_token_answers_401_json(client, db, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "not_authenticated" and "Bearer" in body["message"]


def test_a_revoked_token_is_refused_at_once(client, personas):
    token, secret = api_token_create(user=personas.attorney, name="t")
    api = ApiClient(client, secret)
    assert api.get(ME).status_code == 200
    api_token_revoke(token=token)
    assert api.get(ME).status_code == 401


def test_a_deactivated_users_token_is_refused(client, personas):
    _token, secret = api_token_create(user=personas.attorney, name="t")
    personas.attorney.is_active = False
    personas.attorney.save()
    assert ApiClient(client, secret).get(ME).status_code == 401


def test_answers_come_in_the_token_users_language(api_as, personas):
    personas.partner.language = "es"
    personas.partner.save()
    body = {
        "client": {
            "given_names": "Rosa",
            "family_names": "Quintanilla",
            "date_of_birth": "2090-01-01",
            "country_of_nationality": "SV",
            "languages": ["es"],
        },
        "case_type": "u_visa",
    }
    response = api_as(personas.partner).post("/api/v1/cases", body)
    assert response.status_code == 422
    assert response["Content-Language"] == "es"
    assert response.json()["fields"]["client.date_of_birth"] == [
        "La fecha de nacimiento es futura."
    ]


def test_signed_out_errors_follow_accept_language(client, db):
    response = client.get(ME, headers={"Accept-Language": "es"})
    assert response.status_code == 401
    assert response["Content-Language"] == "es"


@override_settings(AMPARO_API_RATE="3/min")
def test_each_token_is_rate_limited(client, personas):
    _token, secret = api_token_create(user=personas.attorney, name="t")
    api = ApiClient(client, secret)
    assert [api.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(ME)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another token (another integration) has its own allowance.
    _other, other_secret = api_token_create(user=personas.attorney, name="other")
    assert ApiClient(client, other_secret).get(ME).status_code == 200


def test_staff_token_stands_in_for_two_factor(client, db):
    """A partner without an authenticator app is stopped on the web but not with a token
    (docs: staff create tokens for integrations; the token is the second factor)."""
    from tests.factories import OrganizationFactory

    partner = UserFactory(role="partner", organization=OrganizationFactory())
    client.force_login(partner)
    assert client.get(reverse("cases:list")).status_code == 302  # to 2FA enrolment
    client.logout()
    _token, secret = api_token_create(user=partner, name="t")
    response = ApiClient(client, secret).post("/api/v1/cases", {})
    assert response.status_code == 422  # allowed in: the body is what is wrong


# --- management commands --------------------------------------------------------------------


def test_create_api_token_prints_the_token_once_and_stores_its_hash(personas):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "PARTNER@example.org", "--name", "CMS", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=personas.partner)
    assert token.name == "CMS" and token.token_hash == api_token_hash(secret)
    assert token.prefix in err.getvalue() and secret not in err.getvalue()


@pytest.mark.parametrize("email", ["nobody@example.org"])
def test_create_api_token_refuses_an_unknown_user(db, email):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", email, stdout=io.StringIO(), stderr=io.StringIO())


def test_create_api_token_refuses_an_inactive_user(db):
    UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(CommandError, match="not an active user"):
        call_command("create_api_token", "gone@example.org", stdout=io.StringIO())


def test_revoke_api_token_by_prefix(client, personas):
    token, secret = api_token_create(user=personas.attorney, name="t")
    call_command("revoke_api_token", token.prefix, stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(client, secret).get(ME).status_code == 401
    with pytest.raises(CommandError):
        call_command("revoke_api_token", token.prefix, stdout=io.StringIO())


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    from tests.conftest import enrol_totp

    user = UserFactory(
        email="root@example.org", role="program_admin", is_staff=True, is_superuser=True
    )
    enrol_totp(user)
    return user


def test_admin_creates_a_token_and_shows_it_only_once(client, personas, superuser):
    client.force_login(superuser)
    add_url = reverse("admin:api_apitoken_add")
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, {"email": "partner@example.org", "name": "Partner CMS"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=personas.partner)
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert token.token_hash == api_token_hash(secret) and token.created_by == superuser
    change = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert change.status_code == 200 and secret not in change.content.decode()
    assert ApiClient(client, secret).get(ME).status_code == 200


def test_admin_refuses_an_unknown_email(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"email": "nobody@example.org", "name": "x"}
    )
    assert response.status_code == 200
    assert "No active user has this e-mail address." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_revokes_selected_tokens(client, personas, superuser):
    token, secret = api_token_create(user=personas.partner, name="t")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        client.get(reverse("admin:api_apitoken_changelist") + "?state=revoked").status_code == 200
    )
    client.logout()
    assert ApiClient(client, secret).get(ME).status_code == 401
