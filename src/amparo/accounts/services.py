from __future__ import annotations

from typing import Any

from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from allauth.usersessions.models import UserSession
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest

from amparo.accounts.models import User
from amparo.accounts.notifications import sign_in_notice_send
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent

# AuditEvent.user_agent keeps this many characters: compare sign-ins on the same cut.
AUDIT_USER_AGENT_LENGTH = 300


def user_set_language(*, user: Any, language: str) -> None:
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def user_signed_in(*, user: Any, request: HttpRequest) -> AuditEvent:
    """Record a completed sign-in. When it comes from a browser (user agent and address) never
    seen signing in to this account, e-mail the person after the commit.

    The very first recorded sign-in sends nothing: there is nothing to compare it with (and a
    new deployment does not e-mail everyone at once).
    """
    address = request.META.get("REMOTE_ADDR") or None
    agent = str(request.META.get("HTTP_USER_AGENT", ""))[:AUDIT_USER_AGENT_LENGTH]
    with transaction.atomic():
        earlier = AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.SIGNED_IN)
        known_browser = earlier.filter(ip_address=address, user_agent=agent).exists()
        notify = not known_browser and earlier.exists()
        event = audit_record(
            actor=user,
            action=AuditEvent.Action.SIGNED_IN,
            target=user,
            request=request,
            data={"new_browser": not known_browser},
        )
    if notify:
        event_id = event.pk
        transaction.on_commit(lambda: sign_in_notice_send(event_id=event_id), robust=True)
    return event


def user_sessions_end(*, user: Any, sessions: list[UserSession], request: HttpRequest) -> int:
    """End these sessions of the user's (allauth's usersessions) and audit it."""
    with transaction.atomic():
        includes_current = any(session.is_current() for session in sessions)
        DefaultUserSessionsAdapter().end_sessions(sessions)
        audit_record(
            actor=user,
            action=AuditEvent.Action.SIGNED_OUT_EVERYWHERE,
            target=user,
            request=request,
            data={"sessions_ended": len(sessions), "this_session_too": includes_current},
        )
    return len(sessions)


def user_sign_out_everywhere(*, request: HttpRequest) -> int:
    """Sign the requesting user out of every session, this one included; how many ended."""
    user = request.user
    ended = user_sessions_end(
        user=user, sessions=list(UserSession.objects.filter(user_id=user.pk)), request=request
    )
    # This session too, even if allauth never recorded it (signed in before usersessions).
    logout(request)
    return ended
