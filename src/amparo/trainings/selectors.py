"""Reads of the trainings app: the catalogue, a person's progress, and the gates.

`gate_check` is the one place that decides whether a person has the courses an action needs;
every gate in the application (taking a case, mentoring) asks it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amparo.courts.models import ImmigrationCourt
from amparo.trainings.domain.progress import CourseFacts, CourseProgress, Path, State
from amparo.trainings.domain.progress import course_progress as progress_compute
from amparo.trainings.models import (
    Certificate,
    Course,
    CourseCompletion,
    Gate,
    LiveSession,
    Module,
    ModuleCompletion,
    Registration,
)

_PATHS = {
    Course.Kind.PROGRAM: Path.MODULES,
    Course.Kind.INTRO_VIDEO: Path.MODULES,
    Course.Kind.EXTERNAL: Path.CERTIFICATE,
    Course.Kind.LIVE: Path.ATTENDANCE,
}


def course_path(course: Course) -> Path:
    return _PATHS.get(course.kind, Path.MODULES)  # type: ignore[call-overload]


# --- the catalogue ---------------------------------------------------------------------------


def course_list_for_user(*, user: Any) -> QuerySet[Course]:
    """Active courses for learners; every course for program staff (inactive ones marked)."""
    courses = Course.objects.annotate(module_count=Count("modules"))
    if not getattr(user, "is_program_staff", False):
        courses = courses.filter(active=True)
    return courses.order_by("position", "title_en", "pk")


def course_modules(*, course: Course) -> list[Module]:
    return list(course.modules.annotate(question_count=Count("questions")).order_by("position"))


def module_with_quiz(*, module: Module) -> Module:
    """The module with its questions and their choices loaded (two queries)."""
    prefetch_related_objects([module], "questions__choices")
    return module


# --- progress --------------------------------------------------------------------------------


def _cycle_start(completions: list[CourseCompletion]) -> dt.datetime | None:
    """Modules completed after the latest recorded completion count toward the next one."""
    return max((c.created_at for c in completions), default=None)


def course_progress_map(
    *, user: Any, courses: Iterable[Course], today: dt.date | None = None
) -> dict[int, CourseProgress]:
    """Each course's progress for the person, in a fixed number of queries (at most five),
    whatever the number of courses."""
    courses = list(courses)
    if not courses:
        return {}
    today = today or timezone.localdate()
    now = timezone.now()
    ids = [c.pk for c in courses]
    module_ids: dict[int, set[int]] = defaultdict(set)
    if any(c.has_modules for c in courses):
        for module_id, course_id in Module.objects.filter(course_id__in=ids).values_list(
            "pk", "course_id"
        ):
            module_ids[course_id].add(module_id)
    completions: dict[int, list[CourseCompletion]] = defaultdict(list)
    for completion in CourseCompletion.objects.filter(user=user, course_id__in=ids).order_by(
        "-completed_on", "-created_at", "-pk"
    ):
        completions[completion.course_id].append(completion)
    module_done: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    if module_ids:
        for module_id, course_id, completed_at in ModuleCompletion.objects.filter(
            user=user, module__course_id__in=ids
        ).values_list("module_id", "module__course_id", "completed_at"):
            module_done[course_id].append((module_id, completed_at))
    certificates: dict[int, Certificate] = {}
    if any(c.takes_certificate for c in courses):
        for certificate in Certificate.objects.filter(user=user, course_id__in=ids).order_by(
            "created_at", "pk"
        ):
            certificates[certificate.course_id] = certificate  # the latest wins
    registrations: dict[int, Registration] = {}
    if any(c.has_sessions for c in courses):
        for registration in (
            Registration.objects.filter(
                user=user, session__course_id__in=ids, session__ends_at__gte=now
            )
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("session")
            .order_by("-session__starts_at")
        ):
            registrations[registration.session.course_id] = registration  # the soonest wins
    result = {}
    for course in courses:
        own = completions.get(course.pk, [])
        start = _cycle_start(own)
        done_modules = {
            module_id
            for module_id, completed_at in module_done.get(course.pk, [])
            if module_id in module_ids[course.pk] and (start is None or completed_at > start)
        }
        latest = certificates.get(course.pk)
        certificate_state = None
        if (
            latest is not None
            and (start is None or latest.created_at > start)
            and latest.status in (Certificate.Status.PENDING, Certificate.Status.REJECTED)
        ):
            certificate_state = str(latest.status)
        active = registrations.get(course.pk)
        facts = CourseFacts(
            path=course_path(course),
            module_count=len(module_ids[course.pk]),
            modules_done=len(done_modules),
            last_completed_on=own[0].completed_on if own else None,
            valid_for_months=course.valid_for_months,
            certificate=certificate_state,
            registration=str(active.status) if active else None,
            session_on=timezone.localdate(active.session.starts_at) if active else None,
        )
        result[course.pk] = progress_compute(facts, today=today)
    return result


def course_progress_for_user(
    *, user: Any, course: Course, today: dt.date | None = None
) -> CourseProgress:
    return course_progress_map(user=user, courses=[course], today=today)[course.pk]


def module_ids_done_in_cycle(*, user: Any, course: Course) -> set[int]:
    """The modules of the course the person completed since their latest course completion."""
    start = _cycle_start(list(CourseCompletion.objects.filter(user=user, course=course)))
    done = ModuleCompletion.objects.filter(user=user, module__course=course)
    if start is not None:
        done = done.filter(completed_at__gt=start)
    return set(done.values_list("module_id", flat=True))


def module_last_completed(*, user: Any, course: Course) -> dict[int, dt.datetime]:
    """When the person last completed each module of the course (any cycle)."""
    last: dict[int, dt.datetime] = {}
    for module_id, completed_at in ModuleCompletion.objects.filter(
        user=user, module__course=course
    ).values_list("module_id", "completed_at"):
        if module_id not in last or completed_at > last[module_id]:
            last[module_id] = completed_at
    return last


def course_completion_history(*, user: Any, course: Course) -> list[CourseCompletion]:
    return list(CourseCompletion.objects.filter(user=user, course=course))


def _date(day: dt.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def progress_sentence(progress: CourseProgress) -> str:
    """The person's state on a course in plain words, in the active language."""
    state = progress.state
    if state is State.COMPLETE:
        if progress.expires_on:
            return _("completed on %(done)s; valid until %(until)s") % {
                "done": _date(progress.completed_on),
                "until": _date(progress.expires_on - dt.timedelta(days=1)),
            }
        return _("completed on %(done)s") % {"done": _date(progress.completed_on)}
    if state is State.IN_PROGRESS:
        sentence = _("%(done)s of %(total)s modules done") % {
            "done": progress.modules_done,
            "total": progress.module_count,
        }
        if progress.expired_on:
            return _("expired on %(date)s: renewal under way, %(progress)s") % {
                "date": _date(progress.expired_on),
                "progress": sentence,
            }
        return sentence
    if state is State.CERTIFICATE_PENDING:
        return _("certificate waiting for verification")
    if state is State.CERTIFICATE_REJECTED:
        return _("certificate not accepted: upload a new one")
    if state is State.REGISTERED:
        return _("registered for the session on %(date)s") % {"date": _date(progress.session_on)}
    if state is State.WAITLISTED:
        return _("on the waiting list for the session on %(date)s") % {
            "date": _date(progress.session_on)
        }
    if state is State.EXPIRED:
        return _("expired on %(date)s: renew it") % {"date": _date(progress.expired_on)}
    if progress.path is Path.CERTIFICATE:
        return _("not started: upload your certificate once you complete the course")
    if progress.path is Path.ATTENDANCE:
        return _("not started: register for a live session")
    return _("not started")


# --- gates -----------------------------------------------------------------------------------


class MissingCourse(NamedTuple):
    course: Course
    why: str


@dataclass(frozen=True)
class GateItem:
    course: Course
    progress: CourseProgress
    sentence: str

    @property
    def done(self) -> bool:
        return self.progress.is_complete


@dataclass(frozen=True)
class GateResult:
    action: str
    ok: bool
    missing: list[MissingCourse] = field(default_factory=list)
    # Every required course with the person's progress (done ones too), for dashboards.
    items: list[GateItem] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(dict(Gate.Action.choices).get(self.action, self.action))

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)


def _required_courses_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "required_courses",
        queryset=Course.objects.filter(active=True).order_by("position", "title_en", "pk"),
    )


def _gate_results(
    *, user: Any, gates: list[Gate], language: str | None, today: dt.date | None
) -> list[GateResult]:
    courses = {c.pk: c for gate in gates for c in gate.required_courses.all()}
    progress = course_progress_map(user=user, courses=courses.values(), today=today)
    results = []
    with translation.override(language or getattr(user, "language", None) or "en"):
        for gate in gates:
            items = [
                GateItem(
                    course=c, progress=progress[c.pk], sentence=progress_sentence(progress[c.pk])
                )
                for c in gate.required_courses.all()
            ]
            missing = [
                MissingCourse(course=item.course, why=item.sentence)
                for item in items
                if not item.done
            ]
            results.append(
                GateResult(action=gate.action, ok=not missing, missing=missing, items=items)
            )
    return results


def gate_check(
    *, user: Any, action: str, language: str | None = None, today: dt.date | None = None
) -> GateResult:
    """Whether the person has every course the action needs, valid today; if not, which courses
    are missing and why, in plain words in the person's language (or `language`, when the reasons
    are shown to someone else, such as a coordinator placing a case).

    An action without a gate, or a gate without active courses, needs nothing."""
    if action not in Gate.Action.values:
        raise ValueError(f"Unknown gated action: {action!r}")
    gate = Gate.objects.filter(action=action).prefetch_related(_required_courses_prefetch()).first()
    if gate is None:
        return GateResult(action=action, ok=True)
    return _gate_results(user=user, gates=[gate], language=language, today=today)[0]


def gate_reasons(
    *, user: Any, action: str, language: str | None = None, third_person: bool = False
) -> list[str]:
    """The gate's missing courses as sentences ("Comprehensive training: 3 of 5 modules done"),
    to append to other eligibility reasons."""
    result = gate_check(user=user, action=action, language=language)
    if result.ok:
        return []
    with translation.override(language or getattr(user, "language", None) or "en"):
        if third_person:
            template = _("Required training “%(course)s” is not complete (%(why)s).")
        else:
            template = _("Complete the training “%(course)s” first (%(why)s).")
        return [template % {"course": course.title, "why": why} for course, why in result.missing]


def gate_progress_for_user(*, user: Any, today: dt.date | None = None) -> list[GateResult]:
    """The person's progress toward every gate that requires a course (for their dashboard)."""
    gates = list(Gate.objects.prefetch_related(_required_courses_prefetch()).order_by("action"))
    gates = [gate for gate in gates if gate.required_courses.all()]
    if not gates:
        return []
    return _gate_results(user=user, gates=gates, language=None, today=today)


# --- certificates and sessions ---------------------------------------------------------------


def certificate_queue() -> QuerySet[Certificate]:
    """Certificates waiting for review, oldest first."""
    return (
        Certificate.objects.filter(status=Certificate.Status.PENDING)
        .select_related("user", "course")
        .order_by("created_at", "pk")
    )


def certificate_list_for_user(*, user: Any, course: Course) -> list[Certificate]:
    return list(
        Certificate.objects.filter(user=user, course=course)
        .select_related("reviewed_by")
        .order_by("-created_at", "-pk")
    )


def session_list_upcoming_for_course(*, course: Course) -> list[LiveSession]:
    """Sessions that have not ended, with their seat counts."""
    return list(
        _with_counts(LiveSession.objects.filter(course=course, ends_at__gte=timezone.now()))
    )


def _with_counts(sessions: QuerySet[LiveSession]) -> QuerySet[LiveSession]:
    return sessions.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
    ).order_by("starts_at", "pk")


def session_list(*, upcoming: bool) -> QuerySet[LiveSession]:
    now = timezone.now()
    sessions = LiveSession.objects.select_related("course")
    if upcoming:
        return _with_counts(sessions.filter(ends_at__gte=now))
    return _with_counts(sessions.filter(ends_at__lt=now)).order_by("-starts_at", "-pk")


def session_registrations(*, session: LiveSession) -> list[Registration]:
    return list(
        session.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def registration_active_map(
    *, user: Any, sessions: Iterable[LiveSession]
) -> dict[int, Registration]:
    """The person's active registration on each of these sessions."""
    ids = [s.pk for s in sessions]
    return {
        r.session_id: r
        for r in Registration.objects.filter(user=user, session_id__in=ids).exclude(
            status=Registration.Status.CANCELLED
        )
    }


def waitlist_position(*, registration: Registration) -> int:
    """1 for the first person on the waiting list."""
    return (
        Registration.objects.filter(
            session_id=registration.session_id, status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def session_time_zone_choices() -> list[tuple[str, str]]:
    """The program's time zone first, then each court's zone, named by its courts."""
    by_zone: dict[str, list[str]] = defaultdict(list)
    for zone, name in ImmigrationCourt.objects.filter(active=True).values_list("time_zone", "name"):
        if zone:
            by_zone[zone].append(name)
    program = settings.TIME_ZONE
    choices = [(program, _("%(zone)s (the program's time zone)") % {"zone": program})]
    for zone in sorted(by_zone):
        if zone == program:
            continue
        names = sorted(by_zone[zone])
        shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        choices.append((zone, f"{zone} ({shown})"))
    return choices
