"""Personal data is encrypted at rest, keys rotate without loss, and A-numbers are searchable
only through their keyed hash."""

from __future__ import annotations

import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from amparo.core.crypto import DecryptionError, a_number_index, normalize_a_number
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.intake.selectors import client_find_by_a_number
from amparo.intake.services import adverse_party_add, client_create, family_member_add

SECRETS = {
    "given": "Rosa Amelia",
    "family": "Quintanilla Ayala",
    "a_number": "A-212-345-678",
    "dob": "1991-07-04",
    "address": "742 Calle Evergreen, Oakland",
    "phone": "(510) 555-0142",
    "child": "Mateo Quintanilla",
    "perpetrator": "Ernesto Malvado",
}


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


def _make_client():
    client = client_create(
        actor=None,
        given_names=SECRETS["given"],
        family_names=SECRETS["family"],
        country_of_nationality="SV",
        a_number=SECRETS["a_number"],
        date_of_birth=datetime.date.fromisoformat(SECRETS["dob"]),
        address=SECRETS["address"],
        phone=SECRETS["phone"],
        notes="Fled after threats from the local gang leader.",
    )
    family_member_add(
        client=client,
        relationship="child",
        given_names="Mateo",
        family_names="Quintanilla",
        date_of_birth=datetime.date(2016, 1, 2),
        a_number="212345679",
    )
    adverse_party_add(
        client=client, kind="perpetrator", name=SECRETS["perpetrator"], phone="(510) 555-0999"
    )
    return client


@pytest.mark.django_db
def test_encryption_raw_rows_hold_no_clear_text():
    _make_client()
    raw = (
        _raw_rows("intake_client")
        + _raw_rows("intake_familymember")
        + _raw_rows("intake_adverseparty")
    )
    for secret in [
        *SECRETS.values(),
        "212345678",
        "212-345-678",
        "Mateo",
        "gang leader",
        "555-0999",
        "2016-01-02",
    ]:
        assert secret not in raw, secret


@pytest.mark.django_db
def test_encryption_values_read_back_in_the_clear():
    client = Client.objects.get(pk=_make_client().pk)
    assert client.full_name == "Rosa Amelia Quintanilla Ayala"
    assert client.a_number == "A-212-345-678"
    assert client.date_of_birth == datetime.date(1991, 7, 4)
    member = FamilyMember.objects.get(client=client)
    assert member.date_of_birth == datetime.date(2016, 1, 2)
    assert AdverseParty.objects.get(client=client).name == SECRETS["perpetrator"]


@pytest.mark.django_db
def test_encryption_same_value_encrypts_differently_each_time():
    first = client_create(
        actor=None, given_names="Ana", family_names="López", country_of_nationality="HN"
    )
    second = client_create(
        actor=None, given_names="Ana", family_names="López", country_of_nationality="HN"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names FROM intake_client WHERE id IN (%s, %s)", [first.pk, second.pk]
        )
        tokens = [row[0] for row in cursor.fetchall()]
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_key_rotation_reencrypts_everything_and_old_key_can_go(settings):
    old_key = settings.AMPARO_FIELD_KEYS[0]
    settings.AMPARO_FIELD_KEYS = [old_key]
    client_pk = _make_client().pk
    before = _raw_rows("intake_client")

    new_key = Fernet.generate_key().decode()
    settings.AMPARO_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_keys", verbosity=0)
    assert _raw_rows("intake_client") != before

    settings.AMPARO_FIELD_KEYS = [new_key]  # the old key is retired
    client = Client.objects.get(pk=client_pk)
    assert client.full_name == "Rosa Amelia Quintanilla Ayala"
    assert client.a_number == "A-212-345-678"
    assert client.notes.startswith("Fled after")
    assert FamilyMember.objects.get(client=client).given_names == "Mateo"
    assert AdverseParty.objects.get(client=client).name == SECRETS["perpetrator"]


@pytest.mark.django_db
def test_key_rotation_without_the_key_in_use_fails_loudly(settings):
    client_pk = _make_client().pk
    settings.AMPARO_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        Client.objects.get(pk=client_pk)


@pytest.mark.django_db
def test_blind_index_finds_a_number_in_any_written_form():
    client = _make_client()
    for written in ["A-212-345-678", "212345678", "a 212 345 678", "A212-345-678"]:
        assert list(client_find_by_a_number(a_number=written)) == [client]
    assert not client_find_by_a_number(a_number="212345670").exists()


@pytest.mark.django_db
def test_blind_index_is_keyed(settings):
    digest = a_number_index("212345678")
    settings.AMPARO_BLIND_INDEX_KEY = "another-installation"
    assert a_number_index("212345678") != digest


def test_blind_index_eight_digit_numbers_are_zero_padded():
    assert normalize_a_number("A12345678") == "012345678"
    assert a_number_index("12345678") == a_number_index("012345678")


@pytest.mark.parametrize("bad", ["", "A-12-345", "1234567890", "A-ABC-DEF-GHI", "212-345-6789-1"])
def test_blind_index_rejects_malformed_a_numbers(bad):
    with pytest.raises(ValueError, match="8 or 9 digits"):
        normalize_a_number(bad)
