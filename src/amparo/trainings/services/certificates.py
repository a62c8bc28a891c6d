"""Certificates of courses taken elsewhere: the upload (checked by content), and the
coordinators' review, which completes the course or tells the person why not."""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.core.storage import display_filename
from amparo.library.filetypes import (
    CONTENT_TYPES,
    FileRefused,
    FileType,
    Refusal,
    check_upload,
)
from amparo.library.uploads import archive_refusal_message
from amparo.trainings import notifications
from amparo.trainings.domain.files import FILE_EXTENSION_FOR_TYPE
from amparo.trainings.models import Certificate, Course, CourseCompletion

# Audit actions (codes only; the audit log keeps ids, never personal data).
CERTIFICATE_UPLOADED = AuditEvent.Action.CERTIFICATE_UPLOADED
CERTIFICATE_VERIFIED = AuditEvent.Action.CERTIFICATE_VERIFIED
CERTIFICATE_REJECTED = AuditEvent.Action.CERTIFICATE_REJECTED

CERTIFICATE_MAX_BYTES = getattr(settings, "AMPARO_TRAINING_CERTIFICATE_MAX_BYTES", 10 * 1024 * 1024)
# What a certificate may be, decided from its bytes by the shared upload check.
CERTIFICATE_TYPES = frozenset({FileType.PDF, FileType.PNG, FileType.JPEG})


def certificate_max_megabytes() -> int:
    return max(1, CERTIFICATE_MAX_BYTES // (1024 * 1024))


def _refusal_message(error: FileRefused) -> str:
    reason = error.reason
    if reason == Refusal.EMPTY:
        return _("The file is empty.")
    if reason == Refusal.TOO_LARGE:
        return _("The file is too large: the limit is %(limit)s MB.") % {
            "limit": certificate_max_megabytes()
        }
    if reason == Refusal.ARCHIVE_TOO_LARGE:
        return archive_refusal_message()
    wrong_name = reason in (Refusal.EXTENSION_MISMATCH, Refusal.EXTENSION_NOT_ALLOWED)
    if wrong_name and error.detected in CERTIFICATE_TYPES:
        kind = FILE_EXTENSION_FOR_TYPE[CONTENT_TYPES[error.detected]]
        return _(
            "The file's content does not match its name: it is a %(kind)s file. "
            "Rename it or export it again."
        ) % {"kind": kind.upper()}
    return _("Upload the certificate as a PDF, PNG or JPEG file.")


def _certificate_type(upload: UploadedFile) -> str:
    """The certificate's real type (by content, through the shared upload check), or a
    ValidationError saying what is wrong."""
    try:
        checked = check_upload(
            name=upload.name or "",
            stream=cast(BinaryIO, upload),
            size=upload.size or 0,
            max_size=CERTIFICATE_MAX_BYTES,
            allowed=CERTIFICATE_TYPES,
        )
    except FileRefused as error:
        raise ValidationError({"file": [_refusal_message(error)]}) from error
    finally:
        upload.seek(0)
    return checked.content_type


@transaction.atomic
def certificate_upload(
    *,
    user: Any,
    course: Course,
    upload: UploadedFile,
    completed_on: dt.date,
    request: HttpRequest | None = None,
) -> Certificate:
    """Keep the certificate privately and put it in the coordinators' review queue."""
    if not course.takes_certificate or not course.active:
        raise ValidationError(_("This course does not take a certificate."))
    errors: dict[str, list[str]] = {}
    try:
        content_type = _certificate_type(upload)
    except ValidationError as error:
        errors.update(error.message_dict)
        content_type = ""
    if completed_on > timezone.localdate():
        errors["completed_on"] = [_("The date of completion cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if Certificate.objects.filter(
        user=user, course=course, status=Certificate.Status.PENDING
    ).exists():
        raise ValidationError(
            _("A certificate for this course is already waiting for verification.")
        )
    original_name = display_filename(upload.name, fallback="certificate")
    certificate = Certificate(
        user=user,
        course=course,
        original_name=original_name,
        content_type=content_type,
        size=upload.size or 0,
        completed_on=completed_on,
    )
    # The stored name is random (certificate_path); only the checked type's extension is kept.
    certificate.file.save(
        f"certificate.{FILE_EXTENSION_FOR_TYPE[content_type]}", upload, save=False
    )
    try:
        with transaction.atomic():
            certificate.save()
            audit_record(
                actor=user,
                action=CERTIFICATE_UPLOADED,
                target=certificate,
                request=request,
                data={"course_id": course.pk},
            )
    except BaseException as error:
        # Nothing is kept when the row is not: the stored file goes too.
        if certificate.file.name:
            certificate.file.storage.delete(certificate.file.name)
        if isinstance(error, IntegrityError):
            raise ValidationError(
                _("A certificate for this course is already waiting for verification.")
            ) from error
        raise
    return certificate


def _certificate_lock(certificate: Certificate) -> Certificate:
    return (
        Certificate.objects.select_for_update()
        .select_related("course", "user")
        .get(pk=certificate.pk)
    )


@transaction.atomic
def certificate_verify(
    *, certificate: Certificate, actor: Any, request: HttpRequest | None = None
) -> Certificate:
    """Accept the certificate: the course counts as completed on the certificate's date."""
    certificate = _certificate_lock(certificate)
    if certificate.status != Certificate.Status.PENDING:
        raise ValidationError(_("This certificate was already reviewed."))
    completion = CourseCompletion.objects.create(
        user=certificate.user,
        course=certificate.course,
        completed_on=certificate.completed_on,
        source=CourseCompletion.Source.CERTIFICATE,
        recorded_by=actor,
    )
    certificate.status = Certificate.Status.VERIFIED
    certificate.reviewed_by = actor
    certificate.reviewed_at = timezone.now()
    certificate.completion = completion
    certificate.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "completion", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=CERTIFICATE_VERIFIED,
        target=certificate,
        request=request,
        data={"course_id": certificate.course_id, "user_id": certificate.user_id},
    )
    certificate_id = certificate.pk
    transaction.on_commit(
        lambda: notifications.email_certificate_decision(certificate_id=certificate_id),
        robust=True,
    )
    return certificate


@transaction.atomic
def certificate_reject(
    *, certificate: Certificate, actor: Any, reason: str, request: HttpRequest | None = None
) -> Certificate:
    """Refuse the certificate with the reason the person receives by e-mail."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason; the person receives it by e-mail.")]})
    certificate = _certificate_lock(certificate)
    if certificate.status != Certificate.Status.PENDING:
        raise ValidationError(_("This certificate was already reviewed."))
    certificate.status = Certificate.Status.REJECTED
    certificate.reviewed_by = actor
    certificate.reviewed_at = timezone.now()
    certificate.rejection_reason = reason
    certificate.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=CERTIFICATE_REJECTED,
        target=certificate,
        request=request,
        data={"course_id": certificate.course_id, "user_id": certificate.user_id},
    )
    certificate_id = certificate.pk
    transaction.on_commit(
        lambda: notifications.email_certificate_decision(certificate_id=certificate_id),
        robust=True,
    )
    return certificate
