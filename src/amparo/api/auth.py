"""Bearer-token authentication and the per-token rate limit.

A token stands for its user: request.user becomes that user, answers are in the user's language,
and every endpoint asks the same policy as the web pages. Staff, partner staff and mentors must
use two-factor authentication on the web; an API token is created for an integration by program
staff (in the admin, itself behind two-factor sign-in, or with `manage.py create_api_token` on
the server), so the token is that second factor: requests made with it satisfy the policy's
two-factor check. Revoke a token the moment it may have leaked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from amparo.api.models import ApiToken
from amparo.api.selectors import api_token_get_active
from amparo.api.services import api_token_mark_used

DEFAULT_RATE = "120/min"


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_get_active(secret=token.strip())
        if api_token is None:
            return None
        api_token_mark_used(token=api_token)
        user: Any = api_token.user
        # See the module docstring: the token, issued by staff, is the second factor. The
        # policy's two_factor_ok predicate reads this per-request cache (accounts/mfa.py).
        user._amparo_has_totp = True
        request.user = user
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        return api_token


class TokenRateThrottle(SimpleRateThrottle):
    """So many requests per token (setting AMPARO_API_RATE, e.g. "120/min"); read at each
    request so that it can change without a restart of the API object."""

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(rate=DEFAULT_RATE)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = str(getattr(settings, "AMPARO_API_RATE", DEFAULT_RATE))
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
