from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from amparo.accounts.mfa import two_factor_satisfied

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
