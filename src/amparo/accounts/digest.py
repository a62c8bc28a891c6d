"""The daily digest e-mail: what needs each person's attention, in their language.

Subjects and bodies name cases by code only, never the client or the relief sought
(DEADLINE-RULES.md section 7, rule 6).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import Role, User
from amparo.cases.models import Hearing, Stage
from amparo.people.models import AttorneyProfile

DIGEST_HORIZON_DAYS = 7


@dataclass
class Digest:
    user: Any
    hearings: list[Hearing] = field(default_factory=list)
    unplaced_urgent: int = 0
    pending_verifications: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.hearings or self.unplaced_urgent or self.pending_verifications)


def digest_build(*, user: Any, now: datetime.datetime) -> Digest:
    horizon = now + datetime.timedelta(days=DIGEST_HORIZON_DAYS)
    digest = Digest(user=user)
    hearings = Hearing.objects.select_related("case", "case__court").filter(
        starts_at__gte=now, starts_at__lte=horizon, status=Hearing.Status.SCHEDULED
    )
    if user.role == Role.ATTORNEY:
        digest.hearings = list(hearings.filter(case__attorney_of_record=user))
    elif user.role == Role.MENTOR:
        digest.hearings = list(hearings.filter(case__mentor=user))
    elif user.role == Role.PARTNER:
        digest.hearings = list(hearings.filter(case__placing_organization_id=user.organization_id))
    elif user.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        digest.unplaced_urgent = (
            hearings.filter(case__stage__in=[Stage.SCREENING, Stage.READY])
            .values("case")
            .distinct()
            .count()
        )
        if user.role == Role.COORDINATOR:
            digest.pending_verifications = AttorneyProfile.objects.filter(
                verification_status=AttorneyProfile.Verification.PENDING
            ).count()
    return digest


def digest_send_daily(*, now: datetime.datetime | None = None) -> int:
    """Send each active user their digest; return how many e-mails went out."""
    now = now or timezone.now()
    sent = 0
    for user in User.objects.filter(is_active=True).exclude(role=""):
        digest = digest_build(user=user, now=now)
        if digest.is_empty:
            continue
        with translation.override(user.language):
            subject = _("Your Amparo digest for %(date)s") % {"date": now.date().isoformat()}
            body = render_to_string(
                "accounts/email/daily_digest.txt",
                {"digest": digest, "site_url": settings.AMPARO_SITE_URL},
            )
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
