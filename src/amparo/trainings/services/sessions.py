"""Live sessions: scheduling in a time zone, registration with a waiting list (the session row is
locked so two people never take the last seat), cancellation with promotion, and attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.trainings import notifications
from amparo.trainings.domain.times import TimeNotInZone, localize, zone_exists
from amparo.trainings.models import Course, CourseCompletion, LiveSession, Registration

# Audit actions (codes only).
SESSION_SCHEDULED = AuditEvent.Action.TRAINING_SESSION_SCHEDULED
ATTENDANCE_MARKED = AuditEvent.Action.TRAINING_ATTENDANCE_MARKED


@transaction.atomic
def session_schedule(
    *,
    actor: Any,
    course: Course,
    starts: dt.datetime,
    ends: dt.datetime,
    time_zone: str,
    location: str,
    video_url: str,
    capacity: int,
    details: str = "",
    request: HttpRequest | None = None,
) -> LiveSession:
    """Schedule a session; `starts` and `ends` are wall-clock times in `time_zone`."""
    errors: dict[str, list[str]] = {}
    if not course.has_sessions or not course.active:
        errors["course"] = [_("Choose an active live training or program training.")]
    if not zone_exists(time_zone):
        errors["time_zone"] = [_("Choose a time zone from the list.")]
    location, video_url = location.strip(), video_url.strip()
    if not location and not video_url:
        errors["location"] = [_("Give the place, the video link, or both.")]
    if capacity < 1:
        errors["capacity"] = [_("A session has at least one seat.")]
    starts_at = ends_at = None
    if "time_zone" not in errors:
        for name, naive in (("starts", starts), ("ends", ends)):
            try:
                aware = localize(naive.replace(tzinfo=None), time_zone)
            except TimeNotInZone:
                errors[name] = [
                    _("This time does not exist in that time zone (the clocks skip it).")
                ]
                continue
            if name == "starts":
                starts_at = aware
            else:
                ends_at = aware
    if starts_at is not None and starts_at <= timezone.now():
        errors["starts"] = [_("The session must start in the future.")]
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        errors["ends"] = [_("The session must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None
    session = LiveSession.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        location=location,
        video_url=video_url,
        capacity=capacity,
        details=details.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=SESSION_SCHEDULED,
        target=session,
        request=request,
        data={"course_id": course.pk},
    )
    return session


def _session_lock(session: LiveSession) -> LiveSession:
    """The session row, locked until the transaction ends, so two people cannot both take the
    last seat (on SQLite the IMMEDIATE transaction already holds the write lock)."""
    return LiveSession.objects.select_for_update().select_related("course").get(pk=session.pk)


@transaction.atomic
def session_register(*, session: LiveSession, user: Any) -> Registration:
    """A seat if one is free, otherwise a place at the end of the waiting list."""
    session = _session_lock(session)
    if not session.course.active:
        raise ValidationError(_("This course is no longer offered."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started."))
    if (
        Registration.objects.filter(session=session, user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("You are already registered for this session."))
    taken = Registration.objects.filter(
        session=session, status=Registration.Status.REGISTERED
    ).count()
    status = (
        Registration.Status.REGISTERED
        if taken < session.capacity
        else Registration.Status.WAITLISTED
    )
    registration = Registration.objects.create(session=session, user=user, status=status)
    registration_id = registration.pk
    if status == Registration.Status.REGISTERED:
        transaction.on_commit(
            lambda: notifications.email_session_invitation(registration_id=registration_id),
            robust=True,
        )
    else:
        transaction.on_commit(
            lambda: notifications.email_session_waitlisted(registration_id=registration_id),
            robust=True,
        )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: Any) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first person on the waiting list, who is
    told by e-mail with the invitation. Returns the promoted registration, if any."""
    session = _session_lock(registration.session)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started."))
    had_seat = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    registration_id = registration.pk
    transaction.on_commit(
        lambda: notifications.email_registration_cancelled(registration_id=registration_id),
        robust=True,
    )
    if not had_seat:
        return None
    return _waitlist_promote(session=session)


def _waitlist_promote(*, session: LiveSession) -> Registration | None:
    taken = Registration.objects.filter(
        session=session, status=Registration.Status.REGISTERED
    ).count()
    if taken >= session.capacity:
        return None
    first = (
        Registration.objects.select_for_update()
        .filter(session=session, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = Registration.Status.REGISTERED
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "promoted_at", "updated_at"])
    promoted_id = first.pk
    transaction.on_commit(
        lambda: notifications.email_session_invitation(registration_id=promoted_id, promoted=True),
        robust=True,
    )
    return first


@transaction.atomic
def session_attendance_mark(
    *,
    session: LiveSession,
    actor: Any,
    attended_ids: Iterable[int],
    request: HttpRequest | None = None,
) -> list[Registration]:
    """Record who came among the registered people. Attending completes the course on the
    session's date; unmarking someone removes the completion that attendance recorded."""
    session = _session_lock(session)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be marked once the session has started."))
    registered = list(
        # Lock only the registrations: PostgreSQL cannot lock the outer-joined completion.
        Registration.objects.select_for_update(of=("self",))
        .filter(session=session, status=Registration.Status.REGISTERED)
        .select_related("completion")
    )
    attended = set(attended_ids)
    unknown = attended - {r.pk for r in registered}
    if unknown:
        raise ValidationError(_("Mark attendance only for people registered for this session."))
    now = timezone.now()
    completed_on = session.local_end.date()
    for registration in registered:
        came = registration.pk in attended
        if came and registration.completion is None:
            registration.completion = CourseCompletion.objects.create(
                user_id=registration.user_id,
                course=session.course,
                completed_on=completed_on,
                source=CourseCompletion.Source.ATTENDANCE,
                recorded_by=actor,
            )
        elif not came and registration.completion is not None:
            # A mistaken mark, corrected: the completion it recorded goes with it (audited).
            mistaken = registration.completion
            registration.completion = None
            registration.save(update_fields=["completion"])
            mistaken.delete()
        registration.attended = came
        registration.attendance_marked_by = actor
        registration.attendance_marked_at = now
        registration.save(
            update_fields=[
                "attended",
                "attendance_marked_by",
                "attendance_marked_at",
                "completion",
                "updated_at",
            ]
        )
    audit_record(
        actor=actor,
        action=ATTENDANCE_MARKED,
        target=session,
        request=request,
        data={"attended": sorted(attended), "registered": [r.pk for r in registered]},
    )
    return registered
