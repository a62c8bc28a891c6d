"""Coordinators' status-update requests and the attorneys' answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Role
from amparo.workspace import notifications
from amparo.workspace.models import StatusRequest, StatusRequestRecipient


@transaction.atomic
def status_request_send(
    *,
    actor: Any,
    attorneys: list[Any],
    message: str,
    answer_by: dt.date | None = None,
    today: dt.date | None = None,
) -> StatusRequest:
    """Ask each attorney for a status update; each is e-mailed a link to answer."""
    today = today or timezone.localdate()
    message = message.strip()
    errors: dict[str, str] = {}
    if not attorneys:
        errors["attorneys"] = _("Choose at least one attorney.")
    elif any(a.role != Role.ATTORNEY or not a.is_active for a in attorneys):
        errors["attorneys"] = _("Status updates can be asked of active volunteer attorneys only.")
    if not message:
        errors["message"] = _("Write what you would like to know.")
    if answer_by is not None and answer_by < today:
        errors["answer_by"] = _("The answer date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    status_request = StatusRequest.objects.create(
        sent_by=actor, message=message, answer_by=answer_by
    )
    StatusRequestRecipient.objects.bulk_create(
        StatusRequestRecipient(status_request=status_request, attorney=attorney)
        for attorney in {a.pk: a for a in attorneys}.values()
    )
    transaction.on_commit(
        lambda: notifications.status_request_notify(status_request_id=status_request.pk)
    )
    return status_request


@transaction.atomic
def status_request_answer(*, recipient: StatusRequestRecipient, answer: str) -> None:
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write your status update.")})
    recipient.answer = answer
    recipient.answered_at = timezone.now()
    recipient.save(update_fields=["answer", "answered_at", "updated_at"])
