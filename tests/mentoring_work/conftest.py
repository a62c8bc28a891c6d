"""Fixtures of the ongoing mentorship: an active mentorship between the mentor persona and the
attorney persona on the placed case (the mentor with an hourly rate), and small helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring_work.models import MentoringPlan
from amparo.mentoring_work.services import plan_create_at_first_meeting
from tests.factories import CaseFactory, MentorProfileFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Each test starts in English (a request may leave the user's language active)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    """Drafts go to a private storage of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-media")},
        },
    }


def make_mentorship(
    *, case: Any, mentor: Any, mentee: Any, status: str = Mentorship.Status.ACTIVE
) -> Mentorship:
    request = MentoringRequest.objects.create(
        case=case, attorney=mentee, status=MentoringRequest.Status.MATCHED
    )
    return Mentorship.objects.create(
        request=request,
        case=case,
        mentor=mentor,
        mentee=mentee,
        status=status,
        started_at=timezone.now() - dt.timedelta(days=120),
    )


@pytest.fixture
def mentorship(personas: Any) -> Mentorship:
    MentorProfileFactory(user=personas.mentor, hourly_rate=Decimal("120.00"))
    return make_mentorship(
        case=personas.placed_case, mentor=personas.mentor, mentee=personas.attorney
    )


@pytest.fixture
def other_mentorship(personas: Any) -> Mentorship:
    """The other mentor with the other attorney, on another placed case."""
    case = CaseFactory(
        stage="placed",
        attorney_of_record=personas.other_attorney,
        mentor=personas.other_mentor,
        placing_organization=personas.placed_case.placing_organization,
    )
    return make_mentorship(case=case, mentor=personas.other_mentor, mentee=personas.other_attorney)


@pytest.fixture
def plan(mentorship: Mentorship, personas: Any) -> MentoringPlan:
    return plan_create_at_first_meeting(
        mentorship=mentorship,
        actor=personas.mentor,
        met_at=timezone.now() - dt.timedelta(days=1),
        mode=MentoringPlan.MeetingMode.VIDEO,
    )


def pdf_upload(name: str = "declaration.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
