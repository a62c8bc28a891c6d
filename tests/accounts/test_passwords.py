"""Weak passwords are refused with a clear message, in the person's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-test-password"

WEAK = [
    ("short-pw", "This password is too short. It must contain at least 12 characters."),
    ("qwerty123456", "This password is too common."),
    ("123456789012345", "This password is entirely numeric."),
    ("rosa.diaz@example", "The password is too similar to the e-mail address."),
]
WEAK_ES = [
    ("short-pw", "La contraseña es demasiado corta. Debe contener por lo menos 12 caracteres."),
    ("qwerty123456", "Esta contraseña es demasiado común."),
    ("123456789012345", "Esta contraseña es completamente numérica."),
]


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_weak_password_is_refused_on_change(client, db, password, message):
    user = UserFactory(email="rosa.diaz@example.org")
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(("password", "message"), WEAK_ES)
def test_weak_password_is_refused_in_spanish(client, db, password, message):
    user = UserFactory(email="rosa.diaz@example.org", language="es")
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(("password", "message"), WEAK[:2])
def test_weak_password_is_refused_when_setting_a_first_password(client, db, password, message):
    user = UserFactory(email="new.volunteer@example.org")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("account_set_password"), {"password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_strong_password_is_accepted_and_the_person_is_told(client, db, mailoutbox):
    user = UserFactory()
    client.force_login(user)
    strong = "correct horse battery staple 42"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": strong, "password2": strong},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)
    # allauth's own security notice (ACCOUNT_EMAIL_NOTIFICATIONS).
    (notice,) = mailoutbox
    assert notice.to == [user.email]
    assert notice.subject == "[Amparo] Password Changed"
    assert "Hello from Amparo!" in notice.body
