"""The attorney's own profile at /volunteers/me/ and the board-digest preference."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.people.models import AttorneyProfile
from amparo.people.selectors import attorney_list_digest_subscribers
from tests.factories import AttorneyProfileFactory, BarAdmissionFactory

ME = "/volunteers/me/"


def profile_data(**overrides):
    data = {
        "phone": "510-555-0142",
        "languages": ["en", "pt"],
        "interests": ["detained"],
        "capacity": "4",
        "declared_conflicts": "Acme Detention Corp.",
        "board_digest": "weekly",
    }
    data.update(overrides)
    return data


def test_my_profile_shows_status_and_admissions(client, personas):
    profile = personas.attorney.attorney_profile
    admission = BarAdmissionFactory(attorney=profile, in_good_standing=True)
    client.force_login(personas.attorney)
    response = client.get(ME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Verified" in html
    assert str(admission.bar_number) in html
    assert "of 2 active cases" in html
    # Bar admissions are read-only here.
    assert 'name="admissions-' not in html and 'name="bar_number"' not in html


def test_my_profile_pending_attorney_sees_what_happens_next(client, personas):
    client.force_login(personas.unverified_attorney)
    html = client.get(ME).content.decode()
    assert "Pending verification" in html
    assert "A coordinator verifies your bar standing before you can take a case." in html


def test_my_profile_in_spanish(client, personas):
    personas.attorney.language = "es"
    personas.attorney.save()
    client.force_login(personas.attorney)
    html = client.get(ME).content.decode()
    assert "Mi perfil de voluntario/a" in html
    assert "Colegiaturas" in html


def test_my_profile_edit(client, personas):
    client.force_login(personas.attorney)
    response = client.post(ME, profile_data())
    assert response.status_code == 302
    profile = AttorneyProfile.objects.get(user=personas.attorney)
    assert profile.phone == "510-555-0142"
    assert profile.languages == ["en", "pt"]
    assert profile.interests == ["detained"]
    assert profile.capacity == 4
    assert profile.declared_conflicts == "Acme Detention Corp."
    assert profile.board_digest == AttorneyProfile.BoardDigest.WEEKLY
    assert profile.is_verified  # unchanged


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", "11"), ("capacity", "0"), ("languages", []), ("board_digest", "hourly")],
)
def test_my_profile_invalid_edit_changes_nothing(client, personas, field, value):
    client.force_login(personas.attorney)
    response = client.post(ME, profile_data(**{field: value}))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    profile = AttorneyProfile.objects.get(user=personas.attorney)
    assert profile.capacity == 2
    assert profile.board_digest == "none"


def test_my_profile_ignores_status_fields_in_the_post(client, personas):
    client.force_login(personas.unverified_attorney)
    client.post(ME, profile_data(verification_status="verified", malpractice_coverage="on"))
    profile = AttorneyProfile.objects.get(user=personas.unverified_attorney)
    assert profile.verification_status == "pending"


@pytest.mark.parametrize("persona", ["coordinator", "mentor", "partner"])
def test_my_profile_only_for_attorneys(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(ME).status_code == 404


def test_my_profile_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_attorney_list_digest_subscribers(personas):
    daily = personas.attorney.attorney_profile
    daily.board_digest = "daily"
    daily.save()
    weekly = personas.other_attorney.attorney_profile
    weekly.board_digest = "weekly"
    weekly.save()
    pending = personas.unverified_attorney.attorney_profile
    pending.board_digest = "daily"  # not verified: no board cases yet
    pending.save()
    AttorneyProfileFactory(board_digest="daily", verification_status="suspended")
    gone = AttorneyProfileFactory(
        board_digest="daily",
        verification_status="verified",
        verified_by=personas.coordinator,
        verified_at=daily.verified_at,
    )
    gone.user.is_active = False
    gone.user.save()

    assert list(attorney_list_digest_subscribers(frequency="daily")) == [daily]
    assert list(attorney_list_digest_subscribers(frequency="weekly")) == [weekly]
    assert list(attorney_list_digest_subscribers(frequency="none")) == []


def test_my_profile_declared_conflicts_reach_the_conflict_check(client, personas):
    """A name the attorney declares is indexed at once: a later intake naming that person as an
    adverse party finds the attorney's declared conflict."""
    from amparo.conflicts.models import ConflictHit
    from amparo.conflicts.services import conflict_check_case
    from tests.factories import AdversePartyFactory, CaseFactory

    client.force_login(personas.attorney)
    response = client.post(ME, profile_data(declared_conflicts="Ernesto Malvado Fuentes"))
    assert response.status_code == 302
    case = CaseFactory()
    AdversePartyFactory(client=case.client, name="Ernesto Malvado")
    conflict_check_case(case=case, actor=personas.coordinator)
    assert ConflictHit.objects.filter(
        case=case, matched_type="declared_conflict", matched_attorney=personas.attorney
    ).exists()
