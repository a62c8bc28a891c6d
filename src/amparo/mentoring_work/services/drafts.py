"""Drafts uploaded against milestones (versioned, checked by content), comments and reviews."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.core.storage import display_filename
from amparo.mentoring_work import notifications
from amparo.mentoring_work.models import (
    Draft,
    DraftComment,
    PlanMilestone,
)
from amparo.mentoring_work.services._common import (
    MAX_COMMENT_LENGTH,
    _audit,
    _lock,
    _require_active,
    _require_participant,
)
from amparo.mentoring_work.uploads import draft_upload_check

# --- drafts ----------------------------------------------------------------------------------------


def _sha256(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def draft_upload(*, milestone: PlanMilestone, actor: Any, file: Any, note: str = "") -> Draft:
    """A new version of the draft for this milestone. Nothing is stored if the file is refused."""
    checked = draft_upload_check(file)
    if len(note) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "note": _("The note is too long (at most %(max)s characters).")
                % {"max": MAX_COMMENT_LENGTH}
            }
        )
    stored_name = ""
    try:
        with transaction.atomic():
            mentorship = _lock(milestone.mentorship)
            _require_active(mentorship)
            _require_participant(mentorship, actor)
            milestone = PlanMilestone.objects.select_for_update().get(pk=milestone.pk)
            last = milestone.drafts.aggregate(last=Max("number"))["last"] or 0
            draft = Draft(
                milestone=milestone,
                number=last + 1,
                original_name=display_filename(getattr(file, "name", ""), fallback="draft"),
                file_type=checked.file_type.value,
                size=checked.size,
                sha256=_sha256(file),
                note=note.strip(),
                uploaded_by=actor,
            )
            draft.file.save(f"draft.{checked.file_type.value}", file, save=False)
            stored_name = draft.file.name or ""
            draft.save()
            if milestone.status == PlanMilestone.Status.TO_DO:
                milestone.status = PlanMilestone.Status.IN_PROGRESS
                milestone.save(update_fields=["status", "updated_at"])
            _audit(actor=actor, mentorship=mentorship, what="draft_uploaded", draft=draft.pk)
            draft_id = draft.pk
            transaction.on_commit(lambda: notifications.notify_draft_uploaded(draft_id=draft_id))
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return draft


@transaction.atomic
def draft_comment_add(*, draft: Draft, actor: Any, body: str) -> DraftComment:
    mentorship = _lock(draft.milestone.mentorship)
    _require_active(mentorship)
    _require_participant(mentorship, actor)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "body": _("The comment is too long (at most %(max)s characters).")
                % {"max": MAX_COMMENT_LENGTH}
            }
        )
    comment = DraftComment.objects.create(draft=draft, author=actor, body=body)
    _audit(actor=actor, mentorship=mentorship, what="draft_commented", draft=draft.pk)
    return comment


@transaction.atomic
def draft_mark_reviewed(*, draft: Draft, actor: Any) -> Draft:
    mentorship = _lock(draft.milestone.mentorship)
    _require_active(mentorship)
    if actor.pk != mentorship.mentor_id:
        raise ValidationError(_("Only the mentor marks a draft reviewed."))
    draft = (
        Draft.objects.select_for_update(of=("self",)).select_related("milestone").get(pk=draft.pk)
    )
    if draft.reviewed_at is not None:
        raise ValidationError(_("This version is already marked reviewed."))
    draft.reviewed_at = timezone.now()
    draft.reviewed_by = actor
    draft.save(update_fields=["reviewed_at", "reviewed_by"])
    _audit(actor=actor, mentorship=mentorship, what="draft_reviewed", draft=draft.pk)
    draft_id = draft.pk
    transaction.on_commit(lambda: notifications.notify_draft_reviewed(draft_id=draft_id))
    return draft


def draft_download_record(*, draft: Draft, viewer: Any, request: Any = None) -> None:
    """A draft is part of the client's file (a declaration, a brief): every download is logged,
    on the case (so that the log finds it by case), naming the draft by ids only."""
    case = draft.milestone.mentorship.case
    audit_record(
        actor=viewer,
        action=AuditEvent.Action.CLIENT_DOCUMENT_DOWNLOADED,
        target=case,
        request=request,
        data={
            "client_id": case.client_id,
            "case_code": case.code,
            "mentoring_draft": draft.pk,
            "version": draft.number,
        },
    )
