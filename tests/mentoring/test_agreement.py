"""The mentoring agreement: versioned text in English and Spanish, the mentee's e-signature (typed
name, time, address, browser, SHA-256 of the exact text signed) and the printable signed copy."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.core.models import AuditEvent
from amparo.mentoring.models import AgreementSignature, MentoringAgreement
from amparo.mentoring.services import MentoringError, agreement_sign
from tests.factories import MentoringAgreementFactory, MentorshipFactory


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sign_data(agreement, *, name, language="en", **extra):
    return {
        "typed_name": name,
        "language": language,
        "sha256": sha(agreement.text_in(language)),
        "version": agreement.version,
        **extra,
    }


@pytest.fixture
def signing(client, personas, program, open_request):
    client.force_login(personas.attorney)
    return client, reverse("mentoring:agreement", args=[program.case.code])


def test_agreement_page_shows_the_current_version_in_each_language(signing, program):
    client, url = signing
    MentoringAgreementFactory(version=2, published_at=None)  # a draft is never shown
    html = client.get(url).content.decode()
    assert "version 1" in html
    assert program.agreement.text_en in html
    assert sha(program.agreement.text_en) in html
    html = client.get(url + "?language=es").content.decode()
    assert program.agreement.text_es in html
    assert sha(program.agreement.text_es) in html


def test_mentee_signs_with_their_typed_name(signing, personas, program):
    client, url = signing
    typed = "  " + personas.attorney.full_name.upper().replace(" ", "   ") + " "
    response = client.post(
        url,
        sign_data(program.agreement, name=typed),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
    )
    assert response.status_code == 302
    signature = AgreementSignature.objects.get()
    assert signature.mentee == personas.attorney
    assert signature.agreement == program.agreement
    assert signature.typed_name.casefold() == personas.attorney.full_name.casefold()
    assert signature.ip_address == "203.0.113.9"
    assert signature.user_agent == "Firefox/140"
    assert signature.language == "en"
    assert signature.sha256 == sha(program.agreement.text_en)
    assert abs((timezone.now() - signature.signed_at).total_seconds()) < 60
    assert signature.request is not None
    event = AuditEvent.objects.get(action="mentoring_agreement.signed")
    assert event.data["sha256"] == signature.sha256
    html = client.get(reverse("mentoring:case", args=[program.case.code])).content.decode()
    assert "Printable signed copy" in html


def test_signing_in_spanish_hashes_the_spanish_text(signing, personas, program):
    client, url = signing
    response = client.post(
        url, sign_data(program.agreement, name=personas.attorney.full_name, language="es")
    )
    assert response.status_code == 302
    signature = AgreementSignature.objects.get()
    assert signature.language == "es"
    assert signature.sha256 == sha(program.agreement.text_es)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Type your full name to sign."), ("Someone Else", "Type your full name exactly")],
)
def test_a_name_that_is_not_the_users_saves_nothing(signing, program, name, message):
    client, url = signing
    response = client.post(url, sign_data(program.agreement, name=name))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not AgreementSignature.objects.exists()


def test_a_text_changed_while_reading_is_not_signed(signing, personas, program):
    client, url = signing
    data = sign_data(program.agreement, name=personas.attorney.full_name)
    data["sha256"] = "0" * 64
    response = client.post(url, data)
    assert response.status_code == 409
    assert "changed while you read it" in response.content.decode()
    assert not AgreementSignature.objects.exists()


def test_a_new_version_published_while_reading_must_be_read_first(signing, personas, program):
    client, url = signing
    data = sign_data(program.agreement, name=personas.attorney.full_name)
    MentoringAgreementFactory(version=2, published_at=timezone.now())
    response = client.post(url, data)
    assert response.status_code == 409
    assert "A new version of the agreement was published" in response.content.decode()
    assert not AgreementSignature.objects.exists()


def test_tampered_hidden_fields_are_refused(signing, personas, program):
    client, url = signing
    for data in (
        {**sign_data(program.agreement, name=personas.attorney.full_name), "language": "fr"},
        {**sign_data(program.agreement, name=personas.attorney.full_name), "version": "x"},
        {"typed_name": personas.attorney.full_name},
    ):
        assert client.post(url, data).status_code == 422
    assert not AgreementSignature.objects.exists()


def test_signing_needs_a_request_and_the_attorney_of_record(client, personas, program):
    with pytest.raises(MentoringError, match=r"Ask for a mentor for this case first\."):
        agreement_sign(
            case=program.case,
            mentee=personas.attorney,
            agreement=program.agreement,
            typed_name=personas.attorney.full_name,
            language="en",
            shown_sha256=sha(program.agreement.text_en),
        )
    client.force_login(personas.other_attorney)
    url = reverse("mentoring:agreement", args=[program.case.code])
    assert client.get(url).status_code == 404
    response = client.post(
        url, sign_data(program.agreement, name=personas.other_attorney.full_name)
    )
    assert response.status_code == 404
    assert not AgreementSignature.objects.exists()


def test_signing_twice_is_refused(signing, personas, program):
    client, url = signing
    data = sign_data(program.agreement, name=personas.attorney.full_name)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 409
    assert "You already signed version 1" in response.content.decode()
    assert AgreementSignature.objects.count() == 1
    assert "You signed this version (" in client.get(url).content.decode()


def test_no_published_agreement_is_said(signing, program):
    client, url = signing
    MentoringAgreement.objects.update(published_at=None)
    html = client.get(url).content.decode()
    assert "has not published the mentoring agreement yet" in html


def _signed(personas, program):
    mentorship = MentorshipFactory(
        request__case=program.case, request__attorney=personas.attorney, mentor=personas.mentor
    )
    return agreement_sign(
        case=program.case,
        mentee=personas.attorney,
        agreement=program.agreement,
        typed_name=personas.attorney.full_name,
        language="en",
        shown_sha256=sha(program.agreement.text_en),
    ), mentorship


def test_printable_copy_for_mentee_mentor_and_admin_only(client, personas, program):
    signature, _mentorship = _signed(personas, program)
    url = reverse("mentoring:signature_print", args=[signature.pk])
    for persona in ("attorney", "mentor", "program_admin", "coordinator"):
        client.force_login(getattr(personas, persona))
        response = client.get(url)
        assert response.status_code == 200, persona
        html = response.content.decode()
        assert program.agreement.text_en in html
        assert signature.sha256 in html
        assert signature.typed_name in html
        assert "its SHA-256 matches" in html
    for persona in ("other_attorney", "other_mentor", "partner", "other_partner"):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == 404, persona
    client.logout()
    assert client.get(url).status_code == 302


def test_printable_copy_warns_when_the_text_no_longer_matches(client, personas, program):
    signature, _mentorship = _signed(personas, program)
    MentoringAgreement.objects.filter(pk=program.agreement.pk).update(text_en="Changed")
    client.force_login(personas.program_admin)
    html = client.get(reverse("mentoring:signature_print", args=[signature.pk])).content.decode()
    assert "does not match the fingerprint" in html


def test_a_signed_version_is_read_only_in_the_admin(client, personas, program):
    personas.program_admin.is_staff = True
    personas.program_admin.save()
    client.force_login(personas.program_admin)
    url = reverse("admin:mentoring_mentoringagreement_change", args=[program.agreement.pk])
    assert 'name="text_en"' in client.get(url).content.decode()
    _signed(personas, program)
    html = client.get(url).content.decode()
    assert 'name="text_en"' not in html
    assert program.agreement.text_en[:20] in html


def test_current_is_the_latest_published(db):
    now = timezone.now()
    MentoringAgreementFactory(version=1, published_at=now - dt.timedelta(days=10))
    v2 = MentoringAgreementFactory(version=2, published_at=now - dt.timedelta(days=1))
    MentoringAgreementFactory(version=3, published_at=now + dt.timedelta(days=5))  # scheduled
    MentoringAgreementFactory(version=4, published_at=None)  # draft
    assert MentoringAgreement.objects.current() == v2
