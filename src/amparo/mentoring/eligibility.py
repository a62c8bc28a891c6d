"""The mentee's requirements, checked item by item and explained (issue 6, point 2).

Each active EligibilityRequirement gives one item: met or not, what was found, and — when it is
not met — how the mentee can fix it (with a link where there is a page for it). Program staff can
override an item that is not met, with a note; an overridden item counts as met.

Sentences are written in the active language (the viewer's). Training items ask the trainings
app's `gate_check` / course progress, the one place that decides whether a course is complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, CaseType, Hearing
from amparo.mentoring.models import EligibilityOverride, EligibilityRequirement, MentoringRequest
from amparo.people.models import AttorneyProfile

MENTOR_MATCH_GATE = "mentor_match"


@dataclass(frozen=True)
class EligibilityItem:
    requirement: EligibilityRequirement
    met: bool
    label: str
    found: str
    how_to_fix: str = ""
    fix_url: str = ""
    override: EligibilityOverride | None = None

    @property
    def ok(self) -> bool:
        return self.met or self.override is not None

    @property
    def overridden(self) -> bool:
        return not self.met and self.override is not None


@dataclass(frozen=True)
class EligibilityResult:
    items: list[EligibilityItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def missing(self) -> list[EligibilityItem]:
        return [item for item in self.items if not item.ok]

    def reasons(self) -> list[str]:
        return [f"{item.label}: {item.found}" for item in self.missing]


def _date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return formats.date_format(day, "DATE_FORMAT")


def requirement_list_active() -> list[EligibilityRequirement]:
    return list(
        EligibilityRequirement.objects.filter(active=True)
        .select_related("course")
        .order_by("position", "pk")
    )


def next_individual_hearing(*, case: Case) -> Hearing | None:
    return (
        Hearing.objects.filter(
            case=case,
            kind=Hearing.Kind.INDIVIDUAL,
            status=Hearing.Status.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )


class _Evaluator:
    """Evaluates the items for one case and mentee, loading each fact once."""

    def __init__(self, *, case: Case, attorney: Any, today: dt.date) -> None:
        self.case = case
        self.attorney = attorney
        self.today = today
        self._profile: AttorneyProfile | bool | None = False
        self._hearing: Hearing | bool | None = False

    @property
    def profile(self) -> AttorneyProfile | None:
        if self._profile is False:
            self._profile = AttorneyProfile.objects.filter(user=self.attorney).first()
        return self._profile  # type: ignore[return-value]

    @property
    def hearing(self) -> Hearing | None:
        if self._hearing is False:
            self._hearing = next_individual_hearing(case=self.case)
        return self._hearing  # type: ignore[return-value]

    def item(self, requirement: EligibilityRequirement) -> EligibilityItem:
        kind = requirement.kind
        Kind = EligibilityRequirement.Kind
        if kind == Kind.BAR_VERIFIED:
            return self._bar(requirement)
        if kind == Kind.TRAINING_COMPLETED:
            return self._training(requirement)
        if kind == Kind.ATTORNEY_OF_RECORD:
            return self._attorney_of_record(requirement)
        if kind == Kind.CASE_TYPE_IN_SCOPE:
            return self._case_type(requirement)
        return self._hearing_days(requirement)

    def _make(
        self,
        requirement: EligibilityRequirement,
        *,
        label: str,
        met: bool,
        found: str,
        how_to_fix: str = "",
        fix_url: str = "",
    ) -> EligibilityItem:
        return EligibilityItem(
            requirement=requirement,
            met=met,
            label=requirement.custom_label or label,
            found=found,
            how_to_fix="" if met else (requirement.custom_how_to_fix or how_to_fix),
            fix_url="" if met else fix_url,
        )

    def _bar(self, requirement: EligibilityRequirement) -> EligibilityItem:
        profile = self.profile
        label = _("Bar standing verified by the program")
        if profile is not None and profile.is_verified:
            return self._make(
                requirement,
                label=label,
                met=True,
                found=_("Verified on %(date)s.") % {"date": _date(profile.verified_at)},
            )
        status = profile.get_verification_status_display() if profile else _("no volunteer profile")
        return self._make(
            requirement,
            label=label,
            met=False,
            found=_("Not verified (%(status)s).") % {"status": status},
            how_to_fix=_(
                "A coordinator checks your bar admission with the state bar. Make sure your "
                "volunteer profile lists it; write to the program if it has been more than a week."
            ),
            fix_url=reverse("people:my_profile"),
        )

    def _training(self, requirement: EligibilityRequirement) -> EligibilityItem:
        from amparo.trainings.selectors import (
            course_progress_for_user,
            gate_check,
            progress_sentence,
        )

        course = requirement.course
        if course is not None:
            label = _("Training completed: %(course)s") % {"course": course.title}
            if not course.active:
                return self._make(
                    requirement,
                    label=label,
                    met=True,
                    found=_("This course is no longer offered, so it is not required."),
                )
            progress = course_progress_for_user(user=self.attorney, course=course, today=self.today)
            sentence = progress_sentence(progress)
            return self._make(
                requirement,
                label=label,
                met=progress.is_complete,
                found=sentence[:1].upper() + sentence[1:] + ".",
                how_to_fix=_("Complete “%(course)s” on its training page.")
                % {"course": course.title},
                fix_url=reverse("trainings:course", args=[course.pk]),
            )
        label = _("Trainings required to be matched with a mentor")
        gate = gate_check(user=self.attorney, action=MENTOR_MATCH_GATE, today=self.today)
        if not gate.items:
            return self._make(
                requirement, label=label, met=True, found=_("The program requires no training.")
            )
        found = "; ".join(
            f"{item.course.title}: {item.sentence}" for item in gate.items
        )  # each course with the person's progress
        first_missing = gate.missing[0].course if gate.missing else None
        return self._make(
            requirement,
            label=label,
            met=gate.ok,
            found=found + ".",
            how_to_fix=_("Complete: %(courses)s.")
            % {"courses": ", ".join(f"“{m.course.title}”" for m in gate.missing)},
            fix_url=reverse("trainings:course", args=[first_missing.pk]) if first_missing else "",
        )

    def _attorney_of_record(self, requirement: EligibilityRequirement) -> EligibilityItem:
        label = _("Attorney of record on the case")
        met = (
            self.case.attorney_of_record_id is not None
            and self.case.attorney_of_record_id == self.attorney.pk
        )
        if met:
            found = _("%(name)s is the attorney of record.") % {"name": self.attorney.full_name}
        elif self.case.attorney_of_record_id is None:
            found = _("The case has no attorney of record yet.")
        else:
            found = _("%(name)s is not the attorney of record on this case.") % {
                "name": self.attorney.full_name
            }
        return self._make(
            requirement,
            label=label,
            met=met,
            found=found,
            how_to_fix=_(
                "Mentoring is for the attorney who represents the client: the pro bono attorney, "
                "not the mentor, is the attorney of record. Ask the placing organization or the "
                "coordinator to record the placement first."
            ),
        )

    def _case_type(self, requirement: EligibilityRequirement) -> EligibilityItem:
        labels = dict(CaseType.choices)
        in_scope = [str(labels.get(t, t)) for t in requirement.case_types]
        label = _("Case type the program mentors")
        met = self.case.case_type in requirement.case_types
        return self._make(
            requirement,
            label=label,
            met=met,
            found=_("This is a %(type)s case; the program mentors: %(types)s.")
            % {"type": self.case.get_case_type_display(), "types": ", ".join(in_scope)},
            how_to_fix=_(
                "The program does not mentor this kind of case. Program staff can make an "
                "exception: write to them."
            ),
        )

    def _hearing_days(self, requirement: EligibilityRequirement) -> EligibilityItem:
        minimum = requirement.min_days or 0
        label = _("Individual hearing at least %(days)d days away") % {"days": minimum}
        hearing = self.hearing
        if hearing is None:
            return self._make(
                requirement,
                label=label,
                met=True,
                found=_("No individual hearing is scheduled yet."),
            )
        days = (timezone.localdate(hearing.starts_at) - self.today).days
        return self._make(
            requirement,
            label=label,
            met=days >= minimum,
            found=_("The individual hearing is on %(date)s, in %(days)d days.")
            % {"date": _date(hearing.starts_at), "days": days},
            how_to_fix=_(
                "The hearing is too close for a mentor to be matched and to help in time. "
                "Program staff can make an exception: write to them."
            ),
        )


def eligibility_evaluate_for(
    *,
    case: Case,
    attorney: Any,
    overrides: dict[int, EligibilityOverride] | None = None,
    requirements: list[EligibilityRequirement] | None = None,
    today: dt.date | None = None,
) -> EligibilityResult:
    """Every active requirement for this mentee on this case (before or after a request)."""
    requirements = requirement_list_active() if requirements is None else requirements
    evaluator = _Evaluator(case=case, attorney=attorney, today=today or timezone.localdate())
    overrides = overrides or {}
    items = []
    for requirement in requirements:
        item = evaluator.item(requirement)
        override = overrides.get(requirement.pk)
        if override is not None and not item.met:
            item = EligibilityItem(
                requirement=item.requirement,
                met=False,
                label=item.label,
                found=item.found,
                how_to_fix="",
                fix_url="",
                override=override,
            )
        items.append(item)
    return EligibilityResult(items=items)


def eligibility_evaluate(
    *, request: MentoringRequest, today: dt.date | None = None
) -> EligibilityResult:
    """The request's items, with the overrides program staff recorded on it."""
    overrides = {
        o.requirement_id: o
        for o in EligibilityOverride.objects.filter(request=request).select_related("by")
    }
    return eligibility_evaluate_for(
        case=request.case, attorney=request.attorney, overrides=overrides, today=today
    )
