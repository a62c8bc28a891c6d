"""The client's address behind a reverse proxy.

gunicorn sets REMOTE_ADDR to whoever opened the connection: behind nginx or Caddy that is the
proxy, for every request. The audit log, the sign-in lock-out (django-axes), allauth's sessions
and the new-browser e-mail all read REMOTE_ADDR, so with AMPARO_TRUSTED_PROXY_COUNT proxies in
front, REMOTE_ADDR is replaced first thing by the address those proxies saw: the N-th
X-Forwarded-For entry from the right. Entries further left were written by the client and are
ignored (anyone can send a forged X-Forwarded-For).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def forwarded_client_address(forwarded_for: str, *, proxy_count: int) -> str | None:
    """The address the outermost of `proxy_count` trusted proxies saw, or None."""
    entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
    if proxy_count < 1 or len(entries) < proxy_count:
        return None
    candidate = entries[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = settings.AMPARO_TRUSTED_PROXY_COUNT
        if count:
            address = forwarded_client_address(
                request.META.get("HTTP_X_FORWARDED_FOR", ""), proxy_count=count
            )
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
