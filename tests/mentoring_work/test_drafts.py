"""Drafts uploaded against milestones: versioned, checked by content, private (served only to
the mentorship's two sides and program staff), commented and marked reviewed by the mentor."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo.core.models import AuditEvent
from amparo.mentoring_work.models import Draft, DraftComment, PlanMilestone
from amparo.mentoring_work.services import draft_comment_add, draft_mark_reviewed, draft_upload
from tests.mentoring_work.conftest import PDF_BYTES, pdf_upload


@pytest.fixture
def milestone(plan, mentorship):
    return mentorship.plan_milestones.get(order=3)


def test_drafts_are_versioned_per_milestone(
    milestone, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = draft_upload(milestone=milestone, actor=personas.attorney, file=pdf_upload())
    assert first.number == 1
    assert first.file_type == "pdf"
    assert first.original_name == "declaration.pdf"
    assert first.file.name.startswith(f"mentoring/{milestone.mentorship_id}/{milestone.pk}/v1-")
    # The mentor hears about it, by case code only.
    assert [m.to for m in mail.outbox] == [[personas.mentor.email]]
    assert milestone.mentorship.case.code in mail.outbox[0].subject
    assert milestone.mentorship.case.client.full_name not in mail.outbox[0].body
    second = draft_upload(
        milestone=milestone,
        actor=personas.attorney,
        file=pdf_upload("declaration-v2.pdf"),
        note="Chronology added.",
    )
    assert second.number == 2
    assert first.file.name != second.file.name
    assert PlanMilestone.objects.get(pk=milestone.pk).status == "in_progress"
    other = milestone.mentorship.plan_milestones.get(order=6)
    assert draft_upload(milestone=other, actor=personas.mentor, file=pdf_upload()).number == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("script.pdf", b"MZ\x90\x00binary", "executable"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "markup"),
        ("declaration.pdf", b"plain text pretending to be a PDF", "extension_mismatch"),
        ("empty.pdf", b"", "empty"),
        ("declaration.exe", PDF_BYTES, "extension_not_allowed"),
    ],
)
def test_refused_files_store_nothing(milestone, personas, name, content, reason, tmp_path):
    with pytest.raises(ValidationError) as error:
        draft_upload(milestone=milestone, actor=personas.attorney, file=pdf_upload(name, content))
    assert error.value.code == reason
    assert not Draft.objects.exists()
    stored = tmp_path / "private-media"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_spreadsheets_are_not_drafts(milestone, personas):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValidationError) as error:
        draft_upload(
            milestone=milestone,
            actor=personas.attorney,
            file=pdf_upload("numbers.xlsx", buffer.getvalue()),
        )
    assert error.value.code == "not_a_draft_type"
    assert not Draft.objects.exists()


def test_upload_page_refuses_bad_files_with_a_clear_error(client, milestone, personas):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("mentoring_work:draft_upload", args=[milestone.pk]),
        {"file": pdf_upload("declaration.pdf", b"#!/bin/sh\nrm -rf /\n")},
    )
    assert response.status_code == 422
    assert "Programs and scripts cannot be uploaded." in response.content.decode()
    assert not Draft.objects.exists()
    response = client.post(
        reverse("mentoring_work:draft_upload", args=[milestone.pk]), {"file": pdf_upload()}
    )
    assert response.status_code == 302
    assert Draft.objects.count() == 1


def test_download_by_role(client, milestone, personas):
    draft = draft_upload(milestone=milestone, actor=personas.attorney, file=pdf_upload())
    url = reverse("mentoring_work:draft_download", args=[draft.pk])
    for user in (personas.attorney, personas.mentor, personas.program_admin, personas.coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.email
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == PDF_BYTES
    events = AuditEvent.objects.filter(data__mentoring_draft=draft.pk).order_by("id")
    assert [(e.action, e.actor_id) for e in events] == [
        (AuditEvent.Action.CLIENT_DOCUMENT_DOWNLOADED, user.pk)
        for user in (
            personas.attorney,
            personas.mentor,
            personas.program_admin,
            personas.coordinator,
        )
    ]
    case = milestone.mentorship.case
    assert all(e.object_id == str(case.pk) and e.data["case_code"] == case.code for e in events)
    assert all(e.ip_address == "127.0.0.1" for e in events)
    for user in (
        personas.other_mentor,
        personas.other_attorney,
        personas.unverified_attorney,
        personas.partner,
        personas.other_partner,
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.email
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_mentor_comments_and_marks_reviewed(
    client, milestone, personas, django_capture_on_commit_callbacks
):
    draft = draft_upload(milestone=milestone, actor=personas.attorney, file=pdf_upload())
    client.force_login(personas.mentor)
    response = client.post(
        reverse("mentoring_work:draft_comment", args=[draft.pk]),
        {"body": "Tie each incident to the protected ground."},
    )
    assert response.status_code == 302
    assert DraftComment.objects.get().body == "Tie each incident to the protected ground."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring_work:draft_reviewed", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.reviewed_by == personas.mentor
    assert [m.to for m in mail.outbox] == [[personas.attorney.email]]
    page = client.get(reverse("mentoring_work:milestone", args=[milestone.pk]))
    html = page.content.decode()
    assert "Tie each incident to the protected ground." in html
    assert "Reviewed on" in html
    # Twice is a clear error, not a second review.
    response = client.post(reverse("mentoring_work:draft_reviewed", args=[draft.pk]))
    assert response.status_code == 422
    assert "already marked reviewed" in response.content.decode()


def test_only_the_mentor_marks_reviewed_and_empty_comments_are_refused(client, milestone, personas):
    draft = draft_upload(milestone=milestone, actor=personas.attorney, file=pdf_upload())
    client.force_login(personas.attorney)
    assert client.post(reverse("mentoring_work:draft_reviewed", args=[draft.pk])).status_code == 404
    with pytest.raises(ValidationError):
        draft_mark_reviewed(draft=draft, actor=personas.attorney)
    response = client.post(reverse("mentoring_work:draft_comment", args=[draft.pk]), {"body": " "})
    assert response.status_code == 422
    assert not DraftComment.objects.exists()
    with pytest.raises(ValidationError):
        draft_comment_add(draft=draft, actor=personas.other_mentor, body="Not my mentee.")
    client.force_login(personas.coordinator)  # staff read, but do not write
    response = client.post(reverse("mentoring_work:draft_comment", args=[draft.pk]), {"body": "x"})
    assert response.status_code == 404
