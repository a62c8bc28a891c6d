"""Hearings from the workspace: adding one, rescheduling it (the history stays, what moved is
listed and told to the attorney and the mentor) and recording what happened at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.cases.models import Case, Hearing
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.deadlines import services as deadline_services
from amparo.deadlines.labels import rule_label
from amparo.deadlines.models import DeadlineSource
from amparo.deadlines.reminders import MILESTONE, deadline_neutral_label
from amparo.deadlines.selectors import hearing_local_date
from amparo.workspace import notifications
from amparo.workspace.models import HearingOutcome, HearingResult


@dataclass(frozen=True)
class MovedDate:
    """A deadline or milestone whose date changed when a hearing moved (None: none any more,
    or none before)."""

    rule: str  # the deadline's rule id; "" for a milestone
    source: str
    title_en: str  # milestones only
    title_es: str
    old: dt.date | None
    new: dt.date | None

    @property
    def is_milestone(self) -> bool:
        return not self.rule

    @property
    def label(self) -> str:
        """What the workspace calls it (the rule's name or the milestone's title)."""
        if self.is_milestone:
            return self.title_es if get_language() == "es" and self.title_es else self.title_en
        return rule_label(self.rule)

    @property
    def neutral_label(self) -> Promise:
        """What an e-mail may call it: never a word that tells the relief sought
        (DEADLINE-RULES.md section 7, rule 6; deadlines/reminders.py)."""
        if self.is_milestone:
            return MILESTONE
        return deadline_neutral_label(rule=self.rule, source=self.source)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "source": self.source,
            "title_en": self.title_en,
            "title_es": self.title_es,
            "old": self.old.isoformat() if self.old else None,
            "new": self.new.isoformat() if self.new else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MovedDate:
        return cls(
            rule=data["rule"],
            source=data["source"],
            title_en=data["title_en"],
            title_es=data["title_es"],
            old=dt.date.fromisoformat(data["old"]) if data["old"] else None,
            new=dt.date.fromisoformat(data["new"]) if data["new"] else None,
        )


_Key = tuple[str, ...]


def _dates_snapshot(
    case: Case, *, same_hearing: dict[int, int] | None = None
) -> dict[_Key, tuple[dict[str, Any], dt.date | None]]:
    """The case's computed deadlines and milestone due dates, keyed so that a deadline of a
    rescheduled hearing matches the same deadline of its new date (`same_hearing`: new -> old)."""
    same_hearing = same_hearing or {}
    dates: dict[_Key, tuple[dict[str, Any], dt.date | None]] = {}
    deadlines = case.deadlines.exclude(source=DeadlineSource.CUSTOM).values(
        "rule", "source", "applies_to", "hearing_id", "date"
    )
    for row in deadlines:
        hearing_id = row["hearing_id"]
        where = f"hearing:{same_hearing.get(hearing_id, hearing_id)}" if hearing_id else ""
        key = ("deadline", row["rule"], where or row["applies_to"])
        info = {"rule": row["rule"], "source": row["source"], "title_en": "", "title_es": ""}
        dates[key] = (info, row["date"])
    for milestone in case.milestones.values("pk", "title_en", "title_es", "due_date"):
        info = {
            "rule": "",
            "source": "",
            "title_en": milestone["title_en"],
            "title_es": milestone["title_es"],
        }
        dates[("milestone", str(milestone["pk"]))] = (info, milestone["due_date"])
    return dates


def _what_moved(
    before: dict[_Key, tuple[dict[str, Any], dt.date | None]],
    after: dict[_Key, tuple[dict[str, Any], dt.date | None]],
) -> list[MovedDate]:
    moved = []
    for key in before.keys() | after.keys():
        info, old = before.get(key, (None, None))
        info_after, new = after.get(key, (None, None))
        if old == new:
            continue
        moved.append(MovedDate(**(info_after or info or {}), old=old, new=new))
    far = dt.date.max
    moved.sort(key=lambda m: (m.new or m.old or far, m.old or far, m.rule, m.title_en))
    return moved


def _check_hearing_datetime(starts_at: dt.datetime) -> None:
    if not 1990 <= starts_at.year <= 2100:
        raise ValidationError({"date": _("Enter a date between 1990 and 2100.")})


@transaction.atomic
def hearing_schedule(
    *, case: Case, actor: Any, kind: str, starts_at: dt.datetime, ruling_requested: bool = False
) -> Hearing:
    """Add a master or individual hearing; the deadlines that count from it appear."""
    if kind not in Hearing.Kind.values:
        raise ValidationError({"kind": _("Choose a master calendar or an individual hearing.")})
    _check_hearing_datetime(starts_at)
    try:
        return deadline_services.hearing_add(
            case=case,
            actor=actor,
            kind=kind,
            starts_at=starts_at,
            ruling_requested=ruling_requested,
        )
    except ValidationError as error:
        raise _starts_at_is_date(error) from error


def _starts_at_is_date(error: ValidationError) -> ValidationError:
    """The deadlines services name the field `starts_at`; the workspace forms call it `date`."""
    if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
        return ValidationError({"date": error.error_dict["starts_at"]})
    return error


@dataclass(frozen=True)
class Rescheduled:
    hearing: Hearing
    moved: list[MovedDate]


@transaction.atomic
def hearing_reschedule_and_notify(
    *, hearing: Hearing, actor: Any, starts_at: dt.datetime, now: dt.datetime | None = None
) -> Rescheduled:
    """Move a hearing to a new date, keeping the old one (status rescheduled) as history.

    Every deadline and milestone that counts from it is recomputed; the attorney of record and
    the mentor are e-mailed the list of what moved (old -> new), in their language, naming the
    case by its code only."""
    now = now or timezone.now()
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled hearing can be rescheduled."))
    _check_hearing_datetime(starts_at)
    if starts_at == hearing.starts_at:
        raise ValidationError({"date": _("The new date and time are the same as before.")})
    if starts_at < now:
        raise ValidationError({"date": _("The new date cannot be in the past.")})
    case = hearing.case
    before = _dates_snapshot(case)
    try:
        new = deadline_services.hearing_reschedule(
            hearing=hearing, actor=actor, starts_at=starts_at
        )
    except ValidationError as error:
        raise _starts_at_is_date(error) from error
    moved = _what_moved(before, _dates_snapshot(case, same_hearing={new.pk: hearing.pk}))
    payload = [m.as_dict() for m in moved]
    transaction.on_commit(
        lambda: notifications.hearing_rescheduled_notify(
            case_id=case.pk, old_hearing_id=hearing.pk, new_hearing_id=new.pk, moved=payload
        )
    )
    return Rescheduled(hearing=new, moved=moved)


@transaction.atomic
def hearing_outcome_record(
    *, hearing: Hearing, actor: Any, result: str, note: str = "", today: dt.date | None = None
) -> HearingOutcome:
    """What happened at a hearing: held (with or without a decision, the client present or
    not) or cancelled. The hearing leaves the scheduled ones, so the deadlines are recomputed."""
    today = today or timezone.localdate()
    if result not in HearingResult.values:
        raise ValidationError({"result": _("Choose what happened at the hearing.")})
    if hearing.status == Hearing.Status.RESCHEDULED:
        raise ValidationError(
            _("This hearing was rescheduled: record the outcome on its new date.")
        )
    case = hearing.case
    hearing_day = hearing_local_date(hearing, case.court.time_zone if case.court else None)
    if result != HearingResult.CANCELLED and hearing_day > today:
        raise ValidationError(
            {"result": _("A hearing cannot have been held before its date; it is still ahead.")}
        )
    hearing.status = (
        Hearing.Status.CANCELLED if result == HearingResult.CANCELLED else Hearing.Status.HELD
    )
    hearing.save(update_fields=["status", "updated_at"])
    outcome, _created = HearingOutcome.objects.update_or_create(
        hearing=hearing,
        defaults={"result": result, "note": note.strip(), "recorded_by": actor},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=case,
        data={"hearing_outcome": hearing.pk, "result": result},
    )
    deadline_services.case_deadlines_recompute(case=case)
    return outcome
