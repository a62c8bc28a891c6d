"""Certificates of courses taken elsewhere: upload checks, review, e-mail, file access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from amparo.core.models import AuditEvent
from amparo.trainings import services
from amparo.trainings.domain.progress import State
from amparo.trainings.models import Certificate, CourseCompletion
from amparo.trainings.selectors import course_progress_for_user, gate_check, progress_sentence
from amparo.trainings.services import certificates
from tests.factories import AttorneyProfileFactory
from tests.trainings.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, pdf_upload

pytestmark = pytest.mark.django_db

LAST_WEEK = dt.date.today() - dt.timedelta(days=7)


def _stored_files() -> list[Path]:
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(user, course, upload=None, completed_on=None):
    return services.certificate_upload(
        user=user,
        course=course,
        upload=upload or pdf_upload(),
        completed_on=completed_on or timezone.localdate() - dt.timedelta(days=7),
    )


def test_upload_keeps_the_file_privately_and_waits_for_review(personas, catalogue):
    certificate = _upload(personas.attorney, catalogue.external)
    assert certificate.status == "pending"
    assert certificate.content_type == "application/pdf"
    assert certificate.original_name == "certificate.pdf"
    # Stored under a random name, never the sender's, in the private storage.
    assert certificate.file.name.startswith("trainings/certificates/")
    assert "certificate.pdf" not in certificate.file.name
    assert len(_stored_files()) == 1
    progress = course_progress_for_user(user=personas.attorney, course=catalogue.external)
    assert progress.state is State.CERTIFICATE_PENDING
    assert progress_sentence(progress) == "certificate waiting for verification"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("certificate.pdf", b"MZ\x90\x00this is an executable", "PDF, PNG or JPEG"),
        ("certificate.pdf", b"<html><script>alert(1)</script></html>", "PDF, PNG or JPEG"),
        ("certificate.pdf", PNG_BYTES, "does not match its name: it is a PNG file"),
        ("scan.png", JPEG_BYTES, "does not match its name: it is a JPG file"),
        ("certificate.exe", PDF_BYTES, "does not match its name"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_upload_refuses_wrong_types_by_content(personas, catalogue, name, content, message):
    with pytest.raises(ValidationError) as error:
        _upload(personas.attorney, catalogue.external, SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.messages)
    assert not Certificate.objects.exists()
    assert _stored_files() == []


def test_upload_refuses_a_file_over_the_size_limit(personas, catalogue, monkeypatch):
    monkeypatch.setattr(certificates, "CERTIFICATE_MAX_BYTES", 1024)
    big = pdf_upload(content=PDF_BYTES + b"0" * 2048)
    with pytest.raises(ValidationError, match="too large: the limit is 1 MB"):
        _upload(personas.attorney, catalogue.external, big)
    assert not Certificate.objects.exists()
    assert _stored_files() == []


def test_upload_refuses_a_future_date_and_a_second_pending_certificate(personas, catalogue):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _upload(
            personas.attorney,
            catalogue.external,
            completed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    _upload(personas.attorney, catalogue.external)
    with pytest.raises(ValidationError, match="already waiting"):
        _upload(personas.attorney, catalogue.external)
    assert Certificate.objects.count() == 1
    assert len(_stored_files()) == 1


def test_upload_page_shows_the_error_and_saves_nothing(client, personas, catalogue):
    client.force_login(personas.attorney)
    url = reverse("trainings:certificate_upload", args=[catalogue.external.pk])
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("certificate.pdf", b"GIF89a not a certificate"),
            "completed_on": "2026-01-05",
        },
    )
    assert response.status_code == 422
    assert "Upload the certificate as a PDF, PNG or JPEG file." in response.content.decode()
    assert not Certificate.objects.exists()
    missing = client.post(url, {"completed_on": "not a date"})
    assert missing.status_code == 422
    html = missing.content.decode()
    assert "Choose the certificate file." in html and "Enter a valid date." in html


def test_upload_page_then_course_page(client, personas, catalogue):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("trainings:certificate_upload", args=[catalogue.external.pk]),
        {"file": pdf_upload(), "completed_on": LAST_WEEK.isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "a coordinator will check it" in html
    assert "Certificate waiting for verification" in html


def test_upload_only_for_courses_that_take_a_certificate(client, personas, catalogue):
    client.force_login(personas.attorney)
    url = reverse("trainings:certificate_upload", args=[catalogue.asylum.pk])
    assert client.get(url).status_code == 404


def test_verify_completes_the_course_and_tells_the_attorney(
    personas, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    certificate = _upload(personas.attorney, catalogue.external, completed_on=LAST_WEEK)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_verify(certificate=certificate, actor=personas.coordinator)
    certificate.refresh_from_db()
    assert certificate.status == "verified"
    assert certificate.reviewed_by == personas.coordinator and certificate.reviewed_at
    completion = CourseCompletion.objects.get(user=personas.attorney, course=catalogue.external)
    assert completion.completed_on == LAST_WEEK and completion.source == "certificate"
    assert certificate.completion == completion
    assert course_progress_for_user(user=personas.attorney, course=catalogue.external).is_complete
    assert AuditEvent.objects.filter(action="training_certificate.verified").count() == 1
    [message] = mailoutbox
    assert message.to == [personas.attorney.email]
    assert "accepted" in message.subject
    with pytest.raises(ValidationError, match="already reviewed"):
        services.certificate_verify(certificate=certificate, actor=personas.coordinator)


def test_reject_needs_a_reason_and_sends_it_in_the_attorney_language(
    personas, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    personas.attorney.language = "es"
    personas.attorney.save()
    certificate = _upload(personas.attorney, catalogue.external)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.certificate_reject(certificate=certificate, actor=personas.coordinator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reject(
            certificate=certificate,
            actor=personas.coordinator,
            reason="The certificate shows another person's name.",
        )
    certificate.refresh_from_db()
    assert certificate.status == "rejected"
    assert not CourseCompletion.objects.exists()
    [message] = mailoutbox
    assert message.to == [personas.attorney.email]
    # The course title is in the attorney's language; the reason is as the coordinator wrote it.
    assert "Capacitación en línea Center of Excellence" in message.subject
    assert "The certificate shows another person's name." in message.body
    progress = course_progress_for_user(user=personas.attorney, course=catalogue.external)
    assert progress.state is State.CERTIFICATE_REJECTED
    # A new upload is possible, and waits again.
    _upload(personas.attorney, catalogue.external)
    progress = course_progress_for_user(user=personas.attorney, course=catalogue.external)
    assert progress.state is State.CERTIFICATE_PENDING


def test_review_page_verify_and_reject(client, personas, catalogue, mailoutbox):
    first = _upload(personas.attorney, catalogue.external)
    second = _upload(personas.other_attorney, catalogue.external)
    client.force_login(personas.coordinator)
    page = client.get(reverse("trainings:certificate_review", args=[first.pk]))
    assert page.status_code == 200 and personas.attorney.full_name in page.content.decode()
    response = client.post(
        reverse("trainings:certificate_review", args=[first.pk]), {"decision": "verify"}
    )
    assert response.status_code == 302
    empty = client.post(
        reverse("trainings:certificate_review", args=[second.pk]),
        {"decision": "reject", "reason": ""},
    )
    assert empty.status_code == 422
    assert "Give the reason" in empty.content.decode()
    second.refresh_from_db()
    assert second.status == "pending"
    client.post(
        reverse("trainings:certificate_review", args=[second.pk]),
        {"decision": "reject", "reason": "Unreadable scan"},
    )
    second.refresh_from_db()
    assert second.status == "rejected" and second.rejection_reason == "Unreadable scan"
    again = client.post(
        reverse("trainings:certificate_review", args=[second.pk]), {"decision": "verify"}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("attorney", True),  # the owner
        ("coordinator", True),
        ("program_admin", True),
        ("other_attorney", False),
        ("unverified_attorney", False),
        ("mentor", False),
        ("partner", False),
    ],
)
def test_certificate_file_access_by_role(client, personas, catalogue, persona, allowed):
    certificate = _upload(personas.attorney, catalogue.external)
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("trainings:certificate_file", args=[certificate.pk]))
    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF_BYTES
    else:
        assert response.status_code == 404


def test_certificate_file_anonymous_goes_to_sign_in(client, personas, catalogue):
    certificate = _upload(personas.attorney, catalogue.external)
    response = client.get(reverse("trainings:certificate_file", args=[certificate.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 404),
        ("mentor", 404),
        ("partner", 404),
    ],
)
def test_review_queue_is_for_program_staff(client, personas, catalogue, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("trainings:certificate_queue")).status_code == status


def test_program_admin_reads_but_does_not_decide(client, personas, catalogue):
    certificate = _upload(personas.attorney, catalogue.external)
    client.force_login(personas.program_admin)
    page = client.get(reverse("trainings:certificate_review", args=[certificate.pk]))
    assert page.status_code == 200
    assert "Accept: the course is completed" not in page.content.decode()
    response = client.post(
        reverse("trainings:certificate_review", args=[certificate.pk]), {"decision": "verify"}
    )
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "pending"


def test_review_queue_query_count_does_not_grow(
    client, personas, catalogue, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    _upload(personas.attorney, catalogue.external)
    with django_assert_max_num_queries(8) as few:
        assert client.get(reverse("trainings:certificate_queue")).status_code == 200
    for _n in range(15):
        profile = AttorneyProfileFactory(
            verification_status="verified",
            verified_by=personas.coordinator,
            verified_at=timezone.now(),
        )
        _upload(profile.user, catalogue.external)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("trainings:certificate_queue"))
    assert response.content.decode().count("Review</a>") == 16


def test_certificate_gate_reason_while_waiting(personas, catalogue):
    from amparo.trainings.models import Gate

    gate = Gate.objects.create(action=Gate.Action.MENTOR_FIRST_MEETING)
    gate.required_courses.set([catalogue.external])
    _upload(personas.attorney, catalogue.external)
    result = gate_check(user=personas.attorney, action="mentor_first_meeting")
    assert not result.ok
    [(course, why)] = result.missing
    assert course == catalogue.external
    assert why == "certificate waiting for verification"
