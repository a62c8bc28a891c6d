"""The coordinators' verification queue and decisions: approve (who, when, how, audit, the
set-password e-mail that really lets the volunteer sign in), decline, suspend, reinstate."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from amparo.accounts.models import User
from amparo.core.models import AuditEvent
from amparo.core.predicates import is_verified_attorney
from amparo.people import services
from amparo.people.models import AttorneyProfile, VerificationMethod
from tests.factories import BarAdmissionFactory

QUEUE = "/volunteers/verify/"
PASSWORD = "Correct-Horse-Battery-42"
_bar_numbers = itertools.count(500000)


def pending_attorney(
    *, email: str = "ana.solis@baylaw.example", language: str = "en", admissions: int = 2
) -> AttorneyProfile:
    return services.attorney_signup(
        full_name="Ana María Solís",
        email=email,
        phone="",
        admissions=[
            services.BarAdmissionData(
                state=state, bar_number=str(next(_bar_numbers)), year_admitted=2015
            )
            for state in ["CA", "NY", "TX"][:admissions]
        ],
        firm_name="Bay Law LLP",
        languages=["en", "es"],
        experience="some",
        interests=["asylum", "u_visa"],
        capacity=3,
        malpractice_coverage=False,
        declared_conflicts="",
        consent=True,
        language=language,
    )


def detail_url(profile: AttorneyProfile) -> str:
    return reverse("people:attorney_detail", args=[profile.pk])


def approve_data(
    profile: AttorneyProfile, standing: str = "yes", **overrides: str
) -> dict[str, str]:
    data = {"action": "decide", "decision": "approve", "method": "state_bar_lookup", "note": ""}
    for admission in profile.bar_admissions.all():
        data[f"standing_{admission.pk}"] = standing
    data.update(overrides)
    return data


def test_url_names():
    assert reverse("people:verification_queue") == QUEUE
    assert reverse("people:attorney_detail", args=[7]) == "/volunteers/7/"
    assert reverse("people:my_profile") == "/volunteers/me/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 404),
        ("attorney", 404),
        ("unverified_attorney", 404),
        ("mentor", 404),
        ("partner", 404),
    ],
)
def test_verification_queue_access(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(QUEUE).status_code == status


def test_verification_queue_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_verification_queue_lists_pending_oldest_first_with_details(client, personas):
    first = pending_attorney(email="first@example.org")
    second = pending_attorney(email="second@example.org")
    client.force_login(personas.coordinator)
    html = client.get(QUEUE).content.decode()
    assert html.index(detail_url(first)) < html.index(detail_url(second))
    assert html.index(detail_url(personas.unverified_attorney.attorney_profile)) < html.index(
        detail_url(first)
    )
    assert detail_url(personas.attorney.attorney_profile) not in html  # verified already
    for admission in first.bar_admissions.all():
        assert str(admission) in html
    assert "Bay Law LLP" in html
    assert "English, Spanish" in html
    assert "Asylum, U visa" in html
    assert "One to three immigration cases" in html


def test_verification_queue_query_count_does_not_grow(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    pending_attorney(email="a0@example.org")
    with django_assert_max_num_queries(6):
        assert client.get(QUEUE).status_code == 200
    for index in range(1, 12):
        pending_attorney(email=f"a{index}@example.org", admissions=3)
    with django_assert_max_num_queries(6):
        html = client.get(QUEUE).content.decode()
    assert html.count('href="/volunteers/') >= 12


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("other_attorney", 404),
        ("mentor", 404),
        ("partner", 404),
    ],
)
def test_attorney_detail_access(client, personas, persona, status):
    profile = personas.attorney.attorney_profile
    client.force_login(getattr(personas, persona))
    assert client.get(detail_url(profile)).status_code == status


def test_attorney_detail_the_attorney_sees_their_own_without_decision_forms(client, personas):
    profile = personas.unverified_attorney.attorney_profile
    client.force_login(personas.unverified_attorney)
    response = client.get(detail_url(profile))
    assert response.status_code == 200
    assert 'name="decision"' not in response.content.decode()
    assert client.post(detail_url(profile), {"action": "decide"}).status_code == 404


def test_attorney_detail_anonymous_is_sent_to_sign_in(client, personas):
    response = client.get(detail_url(personas.attorney.attorney_profile))
    assert response.status_code == 302


def test_attorney_detail_program_admin_sees_but_cannot_decide(client, personas):
    profile = pending_attorney()
    client.force_login(personas.program_admin)
    assert 'name="decision"' not in client.get(detail_url(profile)).content.decode()
    assert client.post(detail_url(profile), approve_data(profile)).status_code == 404
    profile.refresh_from_db()
    assert profile.verification_status == "pending"


def test_attorney_detail_coordinator_sees_decision_form_with_a_question_per_admission(
    client, personas
):
    profile = pending_attorney()
    client.force_login(personas.coordinator)
    html = client.get(detail_url(profile)).content.decode()
    for admission in profile.bar_admissions.all():
        assert f'name="standing_{admission.pk}"' in html
    assert "State bar online lookup" in html and "Certificate of good standing" in html
    assert 'value="approve"' in html and 'value="decline"' in html


def test_approve_records_who_when_how_audit_and_lets_the_volunteer_set_a_password(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    profile = pending_attorney(language="es")
    ca, ny = profile.bar_admissions.order_by("state")
    client.force_login(personas.coordinator)
    data = approve_data(profile, method="certificate", note="Certificate dated 2026-01-05")
    data[f"standing_{ny.pk}"] = "no"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(profile), data)
    assert response.status_code == 302
    assert response["Location"] == QUEUE

    profile.refresh_from_db()
    assert profile.verification_status == AttorneyProfile.Verification.VERIFIED
    assert profile.verified_by == personas.coordinator
    assert profile.verified_at is not None
    assert profile.verification_method == VerificationMethod.CERTIFICATE
    assert profile.verification_note == "Certificate dated 2026-01-05"
    ca.refresh_from_db()
    ny.refresh_from_db()
    assert (ca.in_good_standing, ny.in_good_standing) == (True, False)
    assert ca.verified_at == profile.verified_at
    event = AuditEvent.objects.get(action=AuditEvent.Action.ATTORNEY_VERIFIED)
    assert event.actor == personas.coordinator
    assert event.object_type == "people.attorneyprofile"
    assert event.object_id == str(profile.pk)
    assert event.data["method"] == "certificate"

    # The e-mail, in the volunteer's language, carries a working set-password link.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana.solis@baylaw.example"]
    assert message.subject == "Su colegiatura está verificada: ya es abogado/a voluntario/a"
    assert "contraseña" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)
    assert link is not None

    volunteer = Client()
    response = volunteer.get(link.group(1))
    assert response.status_code == 302
    set_password = response["Location"]
    assert volunteer.get(set_password).status_code == 200
    response = volunteer.post(set_password, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=profile.user_id).has_usable_password()

    # The link works once.
    assert "set-password" not in Client().get(link.group(1)).get("Location", "")

    response = volunteer.post(
        reverse("account_login"), {"login": "ana.solis@baylaw.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert volunteer.get(reverse("dashboard")).status_code == 200
    assert volunteer.get(reverse("people:my_profile")).status_code == 200


def test_approve_in_english_for_an_english_speaker(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    profile = pending_attorney(language="en")
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(profile), approve_data(profile))
    assert mailoutbox[0].subject == "You are verified as a volunteer attorney"
    assert "Set your password to sign in:" in mailoutbox[0].body


def test_approve_refused_when_no_admission_is_in_good_standing(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    profile = pending_attorney()
    client.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(profile), approve_data(profile, standing="no"))
    assert response.status_code == 422
    assert "No bar admission is in good standing" in response.content.decode()
    profile.refresh_from_db()
    assert profile.verification_status == "pending"
    assert profile.verified_by is None
    assert not profile.bar_admissions.filter(verified_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ATTORNEY_VERIFIED).exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"method": ""}, "method", "Choose how you verified bar standing."),
        ({"method": "other"}, "note", "Describe how you verified bar standing."),
    ],
)
def test_approve_needs_the_method(client, personas, overrides, field, message):
    profile = pending_attorney()
    client.force_login(personas.coordinator)
    response = client.post(detail_url(profile), approve_data(profile, **overrides))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    profile.refresh_from_db()
    assert profile.verification_status == "pending"


def test_approve_needs_an_answer_for_each_admission(client, personas):
    profile = pending_attorney()
    first = profile.bar_admissions.first()
    client.force_login(personas.coordinator)
    data = approve_data(profile)
    data.pop(f"standing_{first.pk}")
    response = client.post(detail_url(profile), data)
    assert response.status_code == 422
    assert f'id="id_standing_{first.pk}_error"' in response.content.decode()


def test_decline_with_reason(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    profile = pending_attorney(language="es")
    client.force_login(personas.coordinator)
    data = {"action": "decide", "decision": "decline", "reason": "No active bar license found."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(profile), data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.verification_status == AttorneyProfile.Verification.DECLINED
    assert profile.status_reason == "No active bar license found."
    assert not profile.user.is_active
    assert AuditEvent.objects.filter(
        action=services.ATTORNEY_DECLINED, object_id=str(profile.pk), actor=personas.coordinator
    ).exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.solis@baylaw.example"]
    assert mailoutbox[0].subject == "Su solicitud como voluntario/a"
    assert "No active bar license found." in mailoutbox[0].body


def test_decline_without_reason_is_refused(client, personas, mailoutbox):
    profile = pending_attorney()
    client.force_login(personas.coordinator)
    response = client.post(detail_url(profile), {"action": "decide", "decision": "decline"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Give the reason for declining; the volunteer receives it." in html
    assert 'id="id_reason_error"' in html
    profile.refresh_from_db()
    assert profile.verification_status == "pending"
    assert profile.user.is_active
    assert mailoutbox == []


def test_suspend_a_verified_attorney(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    attorney = personas.attorney
    profile = attorney.attorney_profile
    client.force_login(personas.coordinator)
    assert 'name="reason"' in client.get(detail_url(profile)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(profile), {"action": "suspend", "reason": "Bar license lapsed."}
        )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.verification_status == AttorneyProfile.Verification.SUSPENDED
    assert profile.status_reason == "Bar license lapsed."
    attorney = User.objects.get(pk=attorney.pk)
    assert attorney.is_active
    assert not is_verified_attorney(attorney)
    assert AuditEvent.objects.filter(action=services.ATTORNEY_SUSPENDED).count() == 1
    assert mailoutbox[0].to == [attorney.email]
    assert "Bar license lapsed." in mailoutbox[0].body


def test_suspend_without_reason_is_refused(client, personas):
    profile = personas.attorney.attorney_profile
    client.force_login(personas.coordinator)
    response = client.post(detail_url(profile), {"action": "suspend", "reason": "  "})
    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    profile.refresh_from_db()
    assert profile.is_verified


def test_suspend_only_verified_attorneys(client, personas):
    profile = pending_attorney()
    client.force_login(personas.coordinator)
    response = client.post(detail_url(profile), {"action": "suspend", "reason": "x"})
    assert response.status_code == 404


def test_reinstate_a_suspended_attorney(client, personas, django_capture_on_commit_callbacks):
    profile = personas.attorney.attorney_profile
    BarAdmissionFactory(attorney=profile)
    services.attorney_suspend(profile=profile, actor=personas.coordinator, reason="Lapsed.")
    client.force_login(personas.coordinator)
    html = client.get(detail_url(profile)).content.decode()
    assert 'value="decline"' not in html  # a suspended attorney is reinstated or stays suspended
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail_url(profile), approve_data(profile))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.is_verified
    assert profile.status_reason == ""


def test_attorney_verify_service_refuses_without_good_standing(personas):
    profile = pending_attorney()
    with pytest.raises(ValidationError) as error:
        services.attorney_verify(
            profile=profile,
            actor=personas.coordinator,
            method="state_bar_lookup",
            note="",
            admissions_in_good_standing={a.pk: False for a in profile.bar_admissions.all()},
        )
    assert "No bar admission is in good standing" in error.value.messages[0]


def test_attorney_verify_service_needs_every_admission_answered(personas):
    profile = pending_attorney()
    with pytest.raises(ValidationError):
        services.attorney_verify(
            profile=profile,
            actor=personas.coordinator,
            method="state_bar_lookup",
            note="",
            admissions_in_good_standing={profile.bar_admissions.first().pk: True},
        )


def test_attorney_decision_services_check_the_current_status(personas):
    verified = personas.attorney.attorney_profile
    with pytest.raises(ValidationError):
        services.attorney_decline(profile=verified, actor=personas.coordinator, reason="x")
    with pytest.raises(ValidationError):
        services.attorney_verify(
            profile=verified,
            actor=personas.coordinator,
            method="state_bar_lookup",
            note="",
            admissions_in_good_standing={},
        )
    pending = pending_attorney()
    with pytest.raises(ValidationError):
        services.attorney_suspend(profile=pending, actor=personas.coordinator, reason="x")
