"""Session bookkeeping on Django's own sign-in signal (every sign-in path sends it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from amparo.accounts.session_limits import session_start


def session_clocks_start(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """The idle and absolute limits count from the sign-in (accounts/middleware.py)."""
    if request is not None and hasattr(request, "session"):
        session_start(request.session, now=timezone.now().timestamp())
