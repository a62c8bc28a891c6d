"""Who sees which mentoring page: signed out -> sign-in; each role by its relationship to the
case, the request or the mentorship; everyone else 404. Spanish rendering; the demo data."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from amparo.accounts.models import User
from amparo.mentoring.models import AgreementSignature, MentoringRequest, Mentorship
from amparo.mentoring.services import (
    agreement_sign,
    invitation_token,
    mentorship_accept,
    mentorship_confirm,
)
from tests.conftest import enrol_totp

ROLES = [
    "coordinator",
    "program_admin",
    "attorney",
    "other_attorney",
    "unverified_attorney",
    "mentor",
    "other_mentor",
    "partner",
    "other_partner",
]


@pytest.fixture
def pages(personas, program, open_request):
    """Every mentoring page, with an active mentorship (mentor persona) and a signature."""
    mentorship = mentorship_confirm(
        request=open_request, mentor=personas.mentor, actor=personas.program_admin
    )
    token = invitation_token(mentorship)
    mentorship_accept(mentorship=mentorship, actor=personas.mentor)
    text = program.agreement.text_en
    signature = agreement_sign(
        case=program.case,
        mentee=personas.attorney,
        agreement=program.agreement,
        typed_name=personas.attorney.full_name,
        language="en",
        shown_sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    code = program.case.code
    return {
        "home": reverse("mentoring:home"),
        "case": reverse("mentoring:case", args=[code]),
        "agreement": reverse("mentoring:agreement", args=[code]),
        "print": reverse("mentoring:signature_print", args=[signature.pk]),
        "queue": reverse("mentoring:queue"),
        "detail": reverse("mentoring:request_detail", args=[open_request.pk]),
        "bulk": reverse("mentoring:request_bulk"),
        "invitation": reverse("mentoring:invitation", args=[token]),
    }


# 200 (or a redirect to the staff queue) for these roles; 404 for every other role.
ALLOWED = {
    "home": set(ROLES),
    "case": {"coordinator", "program_admin", "attorney", "mentor", "partner"},
    "agreement": {"attorney"},
    "print": {"coordinator", "program_admin", "attorney", "mentor"},
    "queue": {"coordinator", "program_admin"},
    "detail": {"coordinator", "program_admin"},
    "bulk": {"partner", "other_partner"},
    "invitation": {"mentor"},
}


def test_signed_out_every_mentoring_page_sends_to_sign_in(client, pages):
    for name, url in pages.items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert "/accounts/login/" in response["Location"], (name, method)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_its_pages(client, personas, pages, role):
    client.force_login(getattr(personas, role))
    for name, url in pages.items():
        response = client.get(url)
        if role in ALLOWED[name]:
            assert response.status_code in (200, 302), (role, name, response.status_code)
            if response.status_code == 302:
                assert name == "home" and response["Location"] == pages["queue"]
        else:
            assert response.status_code == 404, (role, name, response.status_code)


def test_post_only_pages_answer_404_to_strangers(client, personas, program, open_request):
    urls = [
        reverse("mentoring:request_create", args=[program.case.code]),
        reverse("mentoring:request_withdraw", args=[open_request.pk]),
        reverse("mentoring:request_confirm", args=[open_request.pk]),
        reverse("mentoring:request_override", args=[open_request.pk]),
        reverse("mentoring:meeting_book", args=[program.case.code]),
    ]
    for role in ("other_attorney", "other_mentor", "other_partner"):
        client.force_login(getattr(personas, role))
        for url in urls:
            assert client.post(url, {"help_wanted": "x"}).status_code == 404, (role, url)
    assert MentoringRequest.objects.count() == 1
    assert not Mentorship.objects.exists()


def test_a_mentor_without_two_factor_is_sent_to_enrol(client, personas, pages):
    stranger = User.objects.create_user(email="m3@example.org", role="mentor", full_name="M")
    client.force_login(stranger)
    response = client.get(pages["home"])
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_required")
    enrol_totp(stranger)
    assert client.get(pages["home"]).status_code == 200


def test_the_partner_of_another_organization_never_sees_our_request(client, personas, pages):
    client.force_login(personas.other_partner)
    html = client.get(pages["home"]).content.decode()
    assert personas.attorney.full_name not in html
    assert client.get(pages["case"]).status_code == 404


def test_the_nav_has_mentoring_for_every_role(client, personas, program):
    for role in ROLES:
        client.force_login(getattr(personas, role))
        html = client.get(reverse("dashboard")).content.decode()
        assert 'href="/mentoring/"' in html, role


def test_pages_render_in_spanish(client, personas, pages, program):
    for user in User.objects.all():
        user.language = "es"
        user.save(update_fields=["language"])
    checks = {
        "attorney": ["home", "case", "agreement", "print"],
        "mentor": ["home", "case", "invitation", "print"],
        "program_admin": ["queue", "detail", "case"],
        "partner": ["home", "bulk", "case"],
    }
    for role, names in checks.items():
        client.force_login(getattr(personas, role))
        for name in names:
            response = client.get(pages[name])
            assert response.status_code == 200, (role, name)
            html = response.content.decode()
            assert 'lang="es"' in html, (role, name)
            if name in ("case", "detail"):
                assert "Asilo defensivo" in html, (role, name)
    client.force_login(personas.attorney)
    assert program.agreement.text_es in client.get(pages["agreement"]).content.decode()
    client.force_login(personas.mentor)
    # The match reasons come from the matcher in both languages.
    assert "Atiende casos de asilo defensivo" in client.get(pages["invitation"]).content.decode()


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.AMPARO_DEMO_SKIPS_2FA = True
    call_command("demo_data", verbosity=0)


def test_demo_data_has_the_mentoring_program(client, demo):
    attorney = User.objects.get(email="attorney@demo.amparo.org")
    mentor = User.objects.get(email="mentor@demo.amparo.org")
    active = Mentorship.objects.get(mentor=mentor, mentee=attorney, status="active")
    assert active.case.mentor == mentor
    signature = AgreementSignature.objects.get(mentee=attorney)
    assert signature.agreement.version == 1
    assert "2 business days" in signature.agreement.text_en
    assert "2 días hábiles" in signature.agreement.text_es
    assert "malpractice insurance" in signature.agreement.text_en
    assert MentoringRequest.objects.filter(attorney=attorney, status="pending").exists()
    assert Mentorship.objects.filter(mentor=mentor, status="invited").exists()
    # Every case given a mentor has its mentorship, and no mentor is over capacity.
    for case in active.case.__class__.objects.filter(mentor__isnull=False, stage="placed"):
        assert Mentorship.objects.filter(case=case, status="active", mentor=case.mentor).exists()
    for user in User.objects.filter(email__endswith="@demo.amparo.org"):
        client.force_login(user)
        response = client.get(reverse("mentoring:home"), follow=True)
        assert response.status_code == 200, user.email
    client.force_login(attorney)
    response = client.get(reverse("mentoring:case", args=[active.case.code]))
    assert response.status_code == 200
    assert "Printable signed copy" in response.content.decode()
    # The demo partner has a placed case to ask a mentor for.
    partner = User.objects.get(email="partner@demo.amparo.org")
    client.force_login(partner)
    assert 'name="cases"' in client.get(reverse("mentoring:request_bulk")).content.decode()
    client.force_login(User.objects.get(email="admin@demo.amparo.org"))
    pending = MentoringRequest.objects.get(attorney=attorney, status="pending")
    response = client.get(reverse("mentoring:request_detail", args=[pending.pk]))
    assert response.status_code == 200
