"""E-mails of the trainings app, each in its recipient's language, and the calendar invitation
(iCalendar, RFC 5545) attached to a live session's e-mails.

The invitation names the course, the place or video link and the program: never a client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.trainings.models import Certificate, LiveSession, Registration
from amparo.trainings.selectors import waitlist_position

ICS_FILENAME = "training.ics"


def _absolute(path: str) -> str:
    return settings.AMPARO_SITE_URL.rstrip("/") + path


def session_uid(session: LiveSession) -> str:
    host = urlsplit(settings.AMPARO_SITE_URL).hostname or "amparo.localhost"
    return f"training-session-{session.pk}@{host}"


def session_ics(*, session: LiveSession, cancelled: bool = False) -> bytes:
    """The session as a calendar event in its own time zone (DTSTART;TZID=...), with the zone's
    rules included, so calendars show the right local time wherever the reader is. Call it with
    the recipient's language active: the title and description are in that language."""
    zone_start, zone_end = session.local_start, session.local_end
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("sequence", 1 if cancelled else 0)
    event.add("summary", f"{settings.AMPARO_PROGRAM_NAME}: {session.course.title}")
    event.add("dtstart", zone_start)
    event.add("dtend", zone_end)
    where = [part for part in (session.location, session.video_url) if part]
    if where:
        event.add("location", " · ".join(where))
    description = [session.course.description, session.details]
    description.append(_absolute(reverse("trainings:course", args=[session.course_id])))
    event.add("description", "\n\n".join(part for part in description if part))
    if session.video_url:
        event.add("url", session.video_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Amparo//Live trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=zone_start.date() - dt.timedelta(days=366),
        last_date=zone_end.date() + dt.timedelta(days=366),
    )
    return calendar.to_ical()


def _send(
    *, to: Any, subject: str, body: str, ics: bytes | None = None, cancel: bool = False
) -> None:
    message = EmailMessage(subject, body, None, [to.email])
    if ics is not None:
        method = "CANCEL" if cancel else "PUBLISH"
        message.attach(ICS_FILENAME, ics, f"text/calendar; method={method}; charset=utf-8")
    message.send()


def _registration(registration_id: int) -> Registration:
    return Registration.objects.select_related("session__course", "user").get(pk=registration_id)


def _session_context(session: LiveSession) -> dict[str, Any]:
    return {
        "session": session,
        "course": session.course,
        "course_url": _absolute(reverse("trainings:course", args=[session.course_id])),
        "program_name": settings.AMPARO_PROGRAM_NAME,
    }


def email_session_invitation(*, registration_id: int, promoted: bool = False) -> None:
    """The seat is theirs: the invitation, with the calendar file attached."""
    registration = _registration(registration_id)
    if registration.status != Registration.Status.REGISTERED:
        return
    session, user = registration.session, registration.user
    with translation.override(user.language):
        if promoted:
            subject = _("A seat opened for you: %(course)s") % {"course": session.course.title}
        else:
            subject = _("You are registered: %(course)s") % {"course": session.course.title}
        body = render_to_string(
            "trainings/email/session_invitation.txt",
            {**_session_context(session), "user": user, "promoted": promoted},
        )
        ics = session_ics(session=session)
    _send(to=user, subject=subject, body=body, ics=ics)


def email_session_waitlisted(*, registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration.status != Registration.Status.WAITLISTED:
        return
    session, user = registration.session, registration.user
    with translation.override(user.language):
        subject = _("You are on the waiting list: %(course)s") % {"course": session.course.title}
        body = render_to_string(
            "trainings/email/session_waitlisted.txt",
            {
                **_session_context(session),
                "user": user,
                "position": waitlist_position(registration=registration),
            },
        )
    _send(to=user, subject=subject, body=body)


def email_registration_cancelled(*, registration_id: int) -> None:
    """Confirms the cancellation; the attached CANCEL removes the event from their calendar."""
    registration = _registration(registration_id)
    session, user = registration.session, registration.user
    with translation.override(user.language):
        subject = _("Registration cancelled: %(course)s") % {"course": session.course.title}
        body = render_to_string(
            "trainings/email/registration_cancelled.txt",
            {**_session_context(session), "user": user},
        )
        ics = session_ics(session=session, cancelled=True)
    _send(to=user, subject=subject, body=body, ics=ics, cancel=True)


def email_certificate_decision(*, certificate_id: int) -> None:
    """The person hears whether their certificate was accepted, and if not, why."""
    certificate = Certificate.objects.select_related("user", "course").get(pk=certificate_id)
    user = certificate.user
    verified = certificate.status == Certificate.Status.VERIFIED
    with translation.override(user.language):
        if verified:
            subject = _("Your certificate was accepted: %(course)s")
        else:
            subject = _("Your certificate was not accepted: %(course)s")
        subject %= {"course": certificate.course.title}
        body = render_to_string(
            "trainings/email/certificate_decision.txt",
            {
                "user": user,
                "certificate": certificate,
                "course": certificate.course,
                "verified": verified,
                "course_url": _absolute(reverse("trainings:course", args=[certificate.course_id])),
                "program_name": settings.AMPARO_PROGRAM_NAME,
            },
        )
    _send(to=user, subject=subject, body=body)
