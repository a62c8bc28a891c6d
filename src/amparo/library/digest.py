"""The daily library e-mail: each person's unread, not yet e-mailed library notifications in one
message, in their language. A notification read in the app first is not e-mailed.

Each person's notifications are claimed (marked e-mailed) before the message goes out, so two
runs at once never send the same notice twice; if sending fails they are released for the next
run. The run reads a fixed number of queries plus two writes per person e-mailed.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from amparo.library.models import Notification

logger = logging.getLogger(__name__)


def _pending() -> dict[Any, list[Notification]]:
    pending = (
        Notification.objects.filter(
            read_at__isnull=True, emailed_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id", "created_at", "id")
    )
    by_user: dict[Any, list[Notification]] = defaultdict(list)
    users: dict[int, Any] = {}
    for notification in pending:
        user = users.setdefault(notification.user_id, notification.user)
        by_user[user].append(notification)
    return by_user


def library_digest_send(*, now: dt.datetime | None = None) -> int:
    """Send the digest to everyone with something new; returns how many e-mails went out."""
    now = now or timezone.now()
    connection = get_connection()
    sent = 0
    for user, notifications in _pending().items():
        ids = [n.pk for n in notifications]
        claimed = Notification.objects.filter(
            pk__in=ids, read_at__isnull=True, emailed_at__isnull=True
        ).update(emailed_at=now)
        if claimed != len(ids):
            # Another run took some (or the user read them meanwhile): release and move on;
            # whatever is still pending goes out in the next digest.
            Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
            continue
        with translation.override(user.language):
            subject = ngettext(
                "A library document you downloaded has a new version",
                "%(count)s library documents you downloaded have new versions",
                len(notifications),
            ) % {"count": len(notifications)}
            body = render_to_string(
                "library/email/digest.txt",
                {
                    "user": user,
                    "notifications": notifications,
                    "site_url": settings.AMPARO_SITE_URL,
                    "notifications_url": settings.AMPARO_SITE_URL
                    + reverse("library:notifications"),
                },
            )
        try:
            send_mail(subject, body, None, [user.email], connection=connection)
        except (smtplib.SMTPException, OSError):
            logger.exception("Library digest to user %s failed", user.pk)
            Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
            continue
        sent += 1
    return sent
