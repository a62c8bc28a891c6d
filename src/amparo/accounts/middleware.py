from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.mfa import two_factor_satisfied
from amparo.accounts.session_limits import session_check

# Paths a user who still has to enrol two-factor authentication may open.
_ENROLMENT_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/favicon")


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's, once no cookie says otherwise.

    LocaleMiddleware already follows the language cookie, then Accept-Language (the first visit).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        has_cookie = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        if user is not None and user.is_authenticated and not has_cookie:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff and mentors enrol TOTP before any page that can show client data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ENROLMENT_ALLOWED_PREFIXES)
            and request.path != "/"
            and not two_factor_satisfied(user)
        ):
            return redirect(reverse("two_factor_required"))
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Sign out a session idle for AMPARO_SESSION_IDLE_MINUTES, or older than
    AMPARO_SESSION_MAX_HOURS since sign-in (a laptop left open, a stolen session cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = session_check(
                request.session,
                now=timezone.now().timestamp(),
                idle_seconds=settings.AMPARO_SESSION_IDLE_MINUTES * 60,
                max_seconds=settings.AMPARO_SESSION_MAX_HOURS * 3600,
            )
            if ended:
                logout(request)
                if ended == "idle":
                    message = _("You were signed out after %(minutes)d minutes without activity.")
                    messages.info(
                        request, message % {"minutes": settings.AMPARO_SESSION_IDLE_MINUTES}
                    )
                else:
                    messages.info(request, _("Your session ended. Please sign in again."))
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request")
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            # A session that ended under an htmx request: htmx would swap the sign-in page into
            # a fragment. Reload the whole page instead, which then asks to sign in again.
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return response
