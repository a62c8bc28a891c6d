"""Writes of mentor time and pay: mentors log their time per case, program admins approve it,
monthly statements are prepared and issued against funding sources (PRODUCT.md section 6).

Money rules: a statement's amount is its approved minutes at the mentor's hourly rate
(domain/pay.py); issuing charges it to one funding source, refused when the source's remaining
balance is smaller or its period does not cover the month; an issued statement and its time
entries never change again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.mentoring.models import Mentorship
from amparo.mentoring_work.domain.pay import amount_for, month_end, ranges_overlap
from amparo.mentoring_work.models import (
    MAX_ENTRY_MINUTES,
    FundingCharge,
    FundingSource,
    MentorStatement,
    TimeActivity,
    TimeEntry,
)
from amparo.mentoring_work.policy import WORKSPACE_STATUSES
from amparo.mentoring_work.selectors import funding_source_balance
from amparo.people.models import MentorProfile

MINUTES_IN_A_DAY = 24 * 60
MAX_FUNDING_AMOUNT = Decimal("9999999999.99")


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


# --- time entries ------------------------------------------------------------------------------


def _clean_entry(
    *,
    mentorship: Mentorship,
    mentor: Any,
    date: dt.date,
    minutes: int,
    activity: str,
    description: str,
    exclude_pk: int | None = None,
) -> None:
    if mentor.pk != mentorship.mentor_id:
        raise ValidationError(_("Only the mentor of this mentorship logs time on it."))
    if mentorship.status not in WORKSPACE_STATUSES:
        raise ValidationError(_("Time can be logged only on a mentorship the mentor accepted."))
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if date > today:
        errors["date"] = _("The date is in the future: log time once the work is done.")
    elif mentorship.started_at and date < timezone.localdate(mentorship.started_at):
        errors["date"] = _("The date is before the mentorship started (%(start)s).") % {
            "start": date_format(timezone.localdate(mentorship.started_at), "DATE_FORMAT")
        }
    elif mentorship.closed_at and date > timezone.localdate(mentorship.closed_at):
        errors["date"] = _("The date is after the mentorship closed (%(end)s).") % {
            "end": date_format(timezone.localdate(mentorship.closed_at), "DATE_FORMAT")
        }
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_ENTRY_MINUTES:
        errors["minutes"] = _("Give between 1 and %(max)s minutes.") % {"max": MAX_ENTRY_MINUTES}
    if activity not in TimeActivity.values:
        errors["activity"] = _("Choose an activity.")
    if len(description) > 2000:
        errors["description"] = _("The description is too long (at most 2000 characters).")
    if not errors:
        same_day = TimeEntry.objects.filter(mentor=mentor, date=date).exclude(
            status=TimeEntry.Status.REJECTED
        )
        if exclude_pk is not None:
            same_day = same_day.exclude(pk=exclude_pk)
        logged = same_day.aggregate(total=Sum("minutes"))["total"] or 0
        if logged + minutes > MINUTES_IN_A_DAY:
            errors["minutes"] = _(
                "With this entry you would log more than 24 hours on %(date)s."
            ) % {"date": date_format(date, "DATE_FORMAT")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def time_entry_log(
    *,
    mentorship: Mentorship,
    mentor: Any,
    date: dt.date,
    minutes: int,
    activity: str,
    description: str = "",
) -> TimeEntry:
    _clean_entry(
        mentorship=mentorship,
        mentor=mentor,
        date=date,
        minutes=minutes,
        activity=activity,
        description=description,
    )
    return TimeEntry.objects.create(
        mentorship=mentorship,
        mentor=mentor,
        date=date,
        minutes=minutes,
        activity=activity,
        description=description.strip(),
    )


def _lock_entry(entry: TimeEntry, mentor: Any) -> TimeEntry:
    entry = (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related("mentorship")
        .get(pk=entry.pk)
    )
    if entry.mentor_id != mentor.pk:
        raise ValidationError(_("Only the mentor who logged this time can change it."))
    if entry.status == TimeEntry.Status.APPROVED:
        raise ValidationError(_("This time is already approved: it can no longer change."))
    return entry


@transaction.atomic
def time_entry_update(
    *,
    entry: TimeEntry,
    mentor: Any,
    date: dt.date,
    minutes: int,
    activity: str,
    description: str = "",
) -> TimeEntry:
    """Correct time not approved yet; time that was not approved goes back to the queue."""
    entry = _lock_entry(entry, mentor)
    _clean_entry(
        mentorship=entry.mentorship,
        mentor=mentor,
        date=date,
        minutes=minutes,
        activity=activity,
        description=description,
        exclude_pk=entry.pk,
    )
    entry.date = date
    entry.minutes = minutes
    entry.activity = activity
    entry.description = description.strip()
    entry.status = TimeEntry.Status.SUBMITTED
    entry.decided_by = None
    entry.decided_at = None
    entry.rejection_reason = ""
    entry.save()
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, mentor: Any) -> None:
    _lock_entry(entry, mentor).delete()


@transaction.atomic
def time_entries_decide(
    *, entry_ids: list[int], actor: Any, approve: bool, reason: str = ""
) -> int:
    """Approve (or turn down, with a reason) time waiting in the queue. Entries decided by
    someone else meanwhile are left alone. Returns how many were decided."""
    if not entry_ids:
        raise ValidationError(_("Tick at least one time entry."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(
            {"reason": _("Say why the time is not approved: the mentor sees it.")}
        )
    if len(reason) > 2000:
        raise ValidationError({"reason": _("The reason is too long (at most 2000 characters).")})
    entries = list(
        TimeEntry.objects.select_for_update().filter(
            pk__in=entry_ids, status=TimeEntry.Status.SUBMITTED
        )
    )
    now = timezone.now()
    for entry in entries:
        entry.status = TimeEntry.Status.APPROVED if approve else TimeEntry.Status.REJECTED
        entry.decided_by = actor
        entry.decided_at = now
        entry.rejection_reason = "" if approve else reason
    TimeEntry.objects.bulk_update(
        entries, ["status", "decided_by", "decided_at", "rejection_reason", "updated_at"]
    )
    return len(entries)


# --- statements --------------------------------------------------------------------------------------


@dataclass
class PrepareResult:
    statements: list[MentorStatement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _month_entries(month: dt.date) -> Q:
    return Q(status=TimeEntry.Status.APPROVED, date__gte=month, date__lte=month_end(month))


@transaction.atomic
def statements_prepare(*, month: dt.date, actor: Any) -> PrepareResult:
    """Prepare (or bring up to date) each mentor's draft statement of `month` with their
    approved time not on an issued statement, at their current hourly rate."""
    if month.day != 1:
        raise ValidationError(_("Choose a month."))
    if month > timezone.localdate().replace(day=1):
        raise ValidationError(_("That month has not started yet."))
    result = PrepareResult()
    pending = (
        TimeEntry.objects.filter(_month_entries(month))
        .filter(Q(statement__isnull=True) | Q(statement__status=MentorStatement.Status.DRAFT))
        .values_list("mentor", flat=True)
        .distinct()
    )
    mentor_ids = sorted(set(pending))
    profiles = {
        p.user_id: p
        for p in MentorProfile.objects.filter(user_id__in=mentor_ids).select_related("user")
    }
    for mentor_id in mentor_ids:
        profile = profiles.get(mentor_id)
        if profile is None:
            name = User.objects.filter(pk=mentor_id).values_list("full_name", flat=True).first()
            result.problems.append(
                _(
                    "%(name)s has no mentor profile with an hourly rate: add one, then prepare again."
                )
                % {"name": name or mentor_id}
            )
            continue
        statement = (
            MentorStatement.objects.select_for_update()
            .filter(mentor_id=mentor_id, month=month, status=MentorStatement.Status.DRAFT)
            .first()
        )
        if statement is None:
            statement = MentorStatement(
                mentor_id=mentor_id,
                month=month,
                hourly_rate=profile.hourly_rate,
                amount=Decimal("0.00"),
                prepared_by=actor,
            )
            statement.save()
        TimeEntry.objects.filter(
            _month_entries(month), mentor_id=mentor_id, statement__isnull=True
        ).update(statement=statement)
        statement.hourly_rate = profile.hourly_rate
        statement.prepared_by = actor
        _statement_totals(statement)
        statement.save()
        result.statements.append(statement)
    return result


def _statement_totals(statement: MentorStatement) -> None:
    minutes = statement.entries.aggregate(total=Sum("minutes"))["total"] or 0
    statement.minutes = minutes
    statement.amount = amount_for(minutes, statement.hourly_rate)


@transaction.atomic
def statement_issue(
    *, statement: MentorStatement, source: FundingSource, actor: Any
) -> MentorStatement:
    """Issue a draft statement and charge it to `source`. Refused, with nothing written, when
    the source's remaining balance is smaller than the amount or its period misses the month."""
    # Lock the source first: two statements issued at once against one grant cannot both pass
    # the balance check.
    source = FundingSource.objects.select_for_update().get(pk=source.pk)
    statement = MentorStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != MentorStatement.Status.DRAFT:
        raise ValidationError(_("This statement is already issued."))
    if not statement.entries.exists():
        raise ValidationError(_("This statement has no approved time: there is nothing to issue."))
    _statement_totals(statement)
    last_day = month_end(statement.month)
    if not ranges_overlap(statement.month, last_day, source.start_date, source.end_date):
        raise ValidationError(
            {
                "source": _("%(source)s does not cover %(month)s: choose another funding source.")
                % {
                    "source": source.name,
                    "month": date_format(statement.month, "YEAR_MONTH_FORMAT"),
                }
            }
        )
    balance = funding_source_balance(source=source)
    if statement.amount > balance:
        raise ValidationError(
            {
                "source": _(
                    "%(source)s has %(balance)s left, less than this statement's %(amount)s: "
                    "choose another funding source or add funds."
                )
                % {
                    "source": source.name,
                    "balance": _money(balance),
                    "amount": _money(statement.amount),
                }
            }
        )
    now = timezone.now()
    FundingCharge.objects.create(
        source=source,
        statement=statement,
        amount=statement.amount,
        charged_at=now,
        charged_by=actor,
    )
    statement.status = MentorStatement.Status.ISSUED
    statement.issued_at = now
    statement.issued_by = actor
    statement.save()
    return statement


# --- funding sources -------------------------------------------------------------------------------


def _clean_source(
    *, name: str, kind: str, amount: Any, start_date: dt.date, end_date: dt.date | None
) -> Decimal:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the funding source a name.")
    if kind not in FundingSource.Kind.values:
        errors["kind"] = _("Choose grant or donation.")
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        value = Decimal("-1")
    if not (Decimal("0") < value <= MAX_FUNDING_AMOUNT):
        errors["amount"] = _("Give an amount greater than zero.")
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    if errors:
        raise ValidationError(errors)
    return value


@transaction.atomic
def funding_source_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    amount: Any,
    start_date: dt.date,
    end_date: dt.date | None = None,
    notes: str = "",
) -> FundingSource:
    value = _clean_source(
        name=name, kind=kind, amount=amount, start_date=start_date, end_date=end_date
    )
    return FundingSource.objects.create(
        name=name.strip(),
        kind=kind,
        amount=value,
        start_date=start_date,
        end_date=end_date,
        notes=notes.strip(),
    )


@transaction.atomic
def funding_source_update(
    *,
    source: FundingSource,
    actor: Any,
    name: str,
    kind: str,
    amount: Any,
    start_date: dt.date,
    end_date: dt.date | None = None,
    notes: str = "",
) -> FundingSource:
    source = FundingSource.objects.select_for_update().get(pk=source.pk)
    value = _clean_source(
        name=name, kind=kind, amount=amount, start_date=start_date, end_date=end_date
    )
    charged = source.amount - funding_source_balance(source=source)
    if value < charged:
        raise ValidationError(
            {
                "amount": _(
                    "%(charged)s is already charged to this source: the amount cannot be less."
                )
                % {"charged": _money(charged)}
            }
        )
    source.name = name.strip()
    source.kind = kind
    source.amount = value
    source.start_date = start_date
    source.end_date = end_date
    source.notes = notes.strip()
    source.save()
    return source
