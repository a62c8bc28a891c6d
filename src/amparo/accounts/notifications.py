"""Security e-mails to a person about their own account, in their language. Called after the
transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.devices import device_describe
from amparo.core.models import AuditEvent

_NEW_SIGN_IN_SUBJECT = gettext_lazy("New sign-in to your %(program)s account")


def device_label(user_agent: str) -> str:
    """ "Firefox on Windows", in the active language."""
    browser, system = device_describe(user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("an unrecognised browser")


def sign_in_notice_send(*, event_id: int) -> None:
    """Tell the person their account was signed in to from a browser new to it: when, from
    what, from which address, and what to do if it was not them."""
    event = AuditEvent.objects.select_related("actor").get(pk=event_id)
    user = event.actor
    if user is None or not user.email:
        return
    with translation.override(user.language), timezone.override(settings.TIME_ZONE):
        context = {
            "user": user,
            "program": settings.AMPARO_PROGRAM_NAME,
            "when": timezone.localtime(event.created_at),
            "time_zone": settings.TIME_ZONE,
            "device": device_label(event.user_agent),
            "ip_address": event.ip_address or _("unknown"),
            "security_url": settings.AMPARO_SITE_URL + reverse("account_security"),
            "password_url": settings.AMPARO_SITE_URL + reverse("account_change_password"),
        }
        body = render_to_string("accounts/email/new_sign_in.txt", context)
        subject = str(_NEW_SIGN_IN_SUBJECT) % {"program": settings.AMPARO_PROGRAM_NAME}
    send_mail(subject, body, None, [user.email])
