"""How long a signed-in session lives: an idle limit and an absolute one.

Two timestamps (seconds since the epoch) kept in the session itself, so the rule works the same
with the database and the cache session engines. Activity is written at most once a minute:
renewing the session on every request (SESSION_SAVE_EVERY_REQUEST) would cost a write per page.
Pure Python: the session is any mapping.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Literal

SIGNED_IN_AT = "amparo_signed_in_at"
SEEN_AT = "amparo_seen_at"
# Activity is recorded again once this many seconds have passed since it last was.
ACTIVITY_RESOLUTION_SECONDS = 60

SessionEnd = Literal["", "idle", "expired"]


def session_start(session: MutableMapping[str, Any], *, now: float) -> None:
    """Start both clocks (at sign-in)."""
    session[SIGNED_IN_AT] = int(now)
    session[SEEN_AT] = int(now)


def session_check(
    session: MutableMapping[str, Any], *, now: float, idle_seconds: int, max_seconds: float
) -> SessionEnd:
    """Whether the session must end ("idle" or "expired"), or "" after recording the activity.

    A session without the timestamps (signed in before this rule existed) starts its clocks now.
    A clock that went backwards counts as no time passed.
    """
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        session_start(session, now=now)
        return ""
    if now - seen_at > idle_seconds:
        return "idle"
    if now - signed_in_at > max_seconds:
        return "expired"
    if now - seen_at >= min(ACTIVITY_RESOLUTION_SECONDS, idle_seconds / 2):
        # Writing the session also renews its expiry in the store (SESSION_COOKIE_AGE).
        session[SEEN_AT] = int(now)
    return ""
