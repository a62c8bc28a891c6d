from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.http import HttpRequest

from amparo.accounts.services import user_sessions_end, user_signed_in


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by the program (coordinators, the volunteer form), never open sign-up.
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        return "/dashboard/"

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.AMPARO_PROGRAM_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth's e-mails greet "from" the site: the program's name, not the request's host
        # (no django.contrib.sites here).
        site = SimpleNamespace(
            name=settings.AMPARO_PROGRAM_NAME, domain=urlsplit(settings.AMPARO_SITE_URL).netloc
        )
        super().send_mail(template_prefix, email, {"current_site": site, **context})

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """Every completed sign-in (after the second factor, when there is one) is recorded, and
        a browser new for this person gets an e-mail."""
        response = super().post_login(request, user, **kwargs)
        user_signed_in(user=user, request=request)
        return response


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: Iterable[Any]) -> None:
        """allauth's "sign out other sessions" (and ours, "everywhere") end here: audited."""
        request = context.request
        user_sessions_end(user=request.user, sessions=list(sessions), request=request)
