"""What the attorney records while working the case: the client communication log and pro bono
hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.people.models import Language
from amparo.workspace.models import (
    MAX_HOURS_PER_ENTRY,
    ClientContact,
    ContactChannel,
    ContactDirection,
    HoursActivity,
    HoursEntry,
)
from amparo.workspace.selectors import as_hours


@transaction.atomic
def client_contact_log(
    *,
    case: Case,
    actor: Any,
    contacted_on: dt.date,
    channel: str,
    direction: str,
    language: str,
    with_interpreter: bool = False,
    note: str = "",
    today: dt.date | None = None,
) -> ClientContact:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if contacted_on > today:
        errors["contacted_on"] = _("A contact cannot be in the future.")
    if channel not in ContactChannel.values:
        errors["channel"] = _("Choose how you were in contact.")
    if direction not in ContactDirection.values:
        errors["direction"] = _("Choose who contacted whom.")
    if language not in Language.values:
        errors["language"] = _("Choose the language of the conversation.")
    if errors:
        raise ValidationError(errors)
    contact = ClientContact.objects.create(
        case=case,
        contacted_on=contacted_on,
        channel=channel,
        direction=direction,
        language=language,
        with_interpreter=with_interpreter,
        note=note.strip(),
        logged_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"client_contact_logged": contact.pk},
    )
    return contact


# --- pro bono hours -------------------------------------------------------------------------


@transaction.atomic
def hours_log(
    *,
    case: Case,
    attorney: Any,
    worked_on: dt.date,
    activity: str,
    hours: Decimal,
    description: str = "",
    today: dt.date | None = None,
) -> HoursEntry:
    """The attorney of record logs pro bono hours; the entry keeps the attorney's firm of the
    day, for the firm's own pro bono report."""
    today = today or timezone.localdate()
    if case.attorney_of_record_id != attorney.pk:
        raise ValidationError(_("Only the attorney of record logs hours on this case."))
    errors: dict[str, str] = {}
    # Past days are fine, even before the case was recorded here: a program that moves to
    # Amparo brings cases its volunteers have worked on for months.
    if worked_on > today:
        errors["worked_on"] = _("Hours cannot be logged for a day still to come.")
    if activity not in HoursActivity.values:
        errors["activity"] = _("Choose an activity.")
    if not Decimal("0.1") <= hours <= MAX_HOURS_PER_ENTRY:
        errors["hours"] = _("Enter between 0.1 and 24 hours.")
    if not errors:
        logged = as_hours(
            HoursEntry.objects.filter(attorney=attorney, worked_on=worked_on).aggregate(
                total=Sum("hours")
            )["total"]
        )
        if logged + hours > MAX_HOURS_PER_ENTRY:
            errors["hours"] = _(
                "You already logged %(logged)s hours on that day: a day has 24 hours."
            ) % {"logged": formats.number_format(logged, decimal_pos=2)}
    if errors:
        raise ValidationError(errors)
    profile = getattr(attorney, "attorney_profile", None)
    entry = HoursEntry.objects.create(
        case=case,
        attorney=attorney,
        firm_id=profile.firm_id if profile is not None else None,
        worked_on=worked_on,
        activity=activity,
        hours=hours,
        description=description.strip(),
    )
    audit_record(
        actor=attorney,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"hours_logged": entry.pk},
    )
    return entry


@transaction.atomic
def hours_delete(*, entry: HoursEntry, actor: Any) -> None:
    if entry.attorney_id != actor.pk:
        raise ValidationError(_("Only the attorney who logged these hours can delete them."))
    case = entry.case
    pk = entry.pk
    entry.delete()
    audit_record(
        actor=actor, action=AuditEvent.Action.CASE_UPDATED, target=case, data={"hours_deleted": pk}
    )
