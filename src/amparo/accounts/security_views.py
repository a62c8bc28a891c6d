"""A person's own account security: second factor, password, sessions, sign out everywhere.

Listing sessions and signing out the others is allauth's usersessions app (/accounts/sessions/);
these pages gather it with the rest and add signing out of every session, this one included.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.selectors import account_security_for_user
from amparo.accounts.services import user_sign_out_everywhere
from amparo.core.http import AuthenticatedRequest

# RFC 9116 asks for an expiry under a year ahead; the file is generated, so it never goes stale.
SECURITY_TXT_LIFETIME = dt.timedelta(days=180)


@login_required
def account_security(request: AuthenticatedRequest) -> HttpResponse:
    security = account_security_for_user(user=request.user)
    return render(
        request,
        "accounts/security.html",
        {"security": security, "session_count": len(security.sessions)},
    )


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user_sign_out_everywhere(request=request)
    messages.success(request, _("You are signed out of every session, on every device."))
    return redirect("account_login")


def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): where to report a vulnerability in this deployment."""
    contact = settings.AMPARO_SECURITY_CONTACT
    if "://" not in contact and not contact.startswith("mailto:"):
        contact = f"mailto:{contact}"
    expires = (timezone.now() + SECURITY_TXT_LIFETIME).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en, es",
        f"Canonical: {settings.AMPARO_SITE_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
