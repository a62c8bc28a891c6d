"""The board digest: a daily or weekly e-mail to each subscribed, verified attorney listing the
cases published on the board since their last digest that fit their languages, interests and
courts, in their language.

The e-mail carries only what the board card shows (DEADLINE-RULES.md section 7: before placement
an attorney sees the anonymized card, never the client's name, A-number, birth date, address or
phone): the cases come from `board_case_list`, which never loads the client's identity, and are
turned into plain `DigestCard`s before the template sees them. Each case listed is recorded on
its timeline as SENT to the attorney, so a coordinator sees who heard about it.

A run costs a fixed number of queries per subscriber (cases, perhaps their count, the claim and
the timeline insert), whatever the number of cases on the board.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
import smtplib
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from amparo.cases.board import BoardFilters, board_case_list
from amparo.cases.models import Case, CaseEvent, CaseType
from amparo.people.models import AttorneyProfile, Interest
from amparo.people.selectors import attorney_list_digest_subscribers

logger = logging.getLogger(__name__)

DAILY: str = AttorneyProfile.BoardDigest.DAILY
WEEKLY: str = AttorneyProfile.BoardDigest.WEEKLY

# At most this many cases in one e-mail; the rest are counted ("and 4 more") and left to the
# board, which ranks them the same way.
DIGEST_LIMIT = 20
# What a first digest looks back over.
DIGEST_PERIOD: dict[str, dt.timedelta] = {DAILY: dt.timedelta(days=1), WEEKLY: dt.timedelta(days=7)}
# How long after the last digest the next one may go: a little less than the period, so a job
# that starts a few minutes early or late still sends, and a second run the same day does not.
DIGEST_MIN_GAP: dict[str, dt.timedelta] = {
    DAILY: dt.timedelta(hours=20),
    WEEKLY: dt.timedelta(days=6, hours=12),
}
# An attorney back after a long pause (or whose matches dried up for weeks) is not sent a
# backlog: the digest never looks further back than this.
DIGEST_MAX_LOOKBACK = dt.timedelta(days=14)

# Which board cases each interest asks for; an attorney with no interest gets every kind.
INTEREST_CASES: dict[str, Q] = {
    Interest.ASYLUM: Q(case_type__in=[CaseType.DEFENSIVE_ASYLUM, CaseType.AFFIRMATIVE_ASYLUM]),
    Interest.U_VISA: Q(case_type=CaseType.U_VISA),
    Interest.DETAINED: Q(detained=True),
    Interest.CHILDREN: Q(has_children=True) | Q(is_unaccompanied_child=True),
}


@dataclass(frozen=True)
class DigestCases:
    """The cases of one digest (at most DIGEST_LIMIT, most urgent first) and how many fit."""

    cases: list[Case]
    total: int
    since: dt.datetime

    @property
    def more(self) -> int:
        return self.total - len(self.cases)


@dataclass(frozen=True)
class DigestCard:
    """What the e-mail shows of a case: the board card's facts, nothing about the client's
    identity. Labels are resolved in the language active when the card is made."""

    code: str
    case_type: str
    court: str
    detained: bool
    languages: list[str]
    age_band: str
    next_hearing_on: dt.date | None
    summary: str
    urgency: int
    url: str


def _absolute(path: str) -> str:
    return settings.AMPARO_SITE_URL.rstrip("/") + path


def digest_since(*, profile: AttorneyProfile, now: dt.datetime) -> dt.datetime:
    """Cases published after this moment are new for the attorney: their last digest, or one
    period back for a first digest; never more than DIGEST_MAX_LOOKBACK."""
    period = DIGEST_PERIOD.get(profile.board_digest, DIGEST_PERIOD[WEEKLY])
    since = profile.board_digest_sent_at or now - period
    return max(since, now - DIGEST_MAX_LOOKBACK)


def digest_case_filter(*, profile: AttorneyProfile) -> Q:
    """Board cases that fit the attorney: a shared language (when the case lists languages),
    one of their interests (when they chose any), one of their courts (when they chose any;
    a case without a court, such as an affirmative filing with USCIS, fits every attorney)."""
    languages = Q(board_languages="")
    for code in profile.languages:
        languages |= Q(board_languages__contains=f",{code},")
    wanted = [INTEREST_CASES[code] for code in profile.interests if code in INTEREST_CASES]
    interests = reduce(operator.or_, wanted) if wanted else Q()
    court_ids = [court.pk for court in profile.courts.all()]  # prefetched by the send loop
    courts = Q(court__isnull=True) | Q(court_id__in=court_ids) if court_ids else Q()
    return languages & interests & courts


def digest_cases_for_attorney(
    *,
    profile: AttorneyProfile,
    since: dt.datetime | None,
    now: dt.datetime | None = None,
    limit: int = DIGEST_LIMIT,
) -> DigestCases:
    """Board cases published after `since` (None: see `digest_since`) and up to `now` that fit
    the attorney, most urgent first, at most `limit` of them; one query, two when capped."""
    now = now or timezone.now()
    if since is None:
        since = digest_since(profile=profile, now=now)
    matching = board_case_list(filters=BoardFilters()).filter(
        digest_case_filter(profile=profile), published_at__gt=since, published_at__lte=now
    )
    cases = list(matching[:limit])
    total = len(cases) if len(cases) < limit else matching.count()
    return DigestCases(cases=cases, total=total, since=since)


def digest_card(case: Case, *, language: str) -> DigestCard:
    """The card in `language`'s words (the same summary rule as the board page)."""
    return DigestCard(
        code=case.code,
        case_type=case.get_case_type_display(),
        court=case.court.name if case.court else "",
        detained=case.detained,
        languages=[code for code in case.board_languages.split(",") if code],
        age_band=case.client_age_band,
        next_hearing_on=case.next_hearing_on,
        summary=case.summary_es if language == "es" and case.summary_es else case.summary_en,
        urgency=case.urgency,
        url=_absolute(reverse("board:card", args=[case.code])),
    )


def _digest_email(
    *, profile: AttorneyProfile, digest: DigestCases, frequency: str
) -> tuple[str, str]:
    """Subject and plain-text body, in the attorney's language."""
    user = profile.user
    with translation.override(user.language):
        language = translation.get_language() or "en"
        subject = ngettext(
            "%(count)s new case on the board fits your practice",
            "%(count)s new cases on the board fit your practice",
            digest.total,
        ) % {"count": digest.total}
        body = render_to_string(
            "cases/email/digest.txt",
            {
                "user": user,
                "frequency": frequency,
                "since": digest.since,
                "cards": [digest_card(case, language=language) for case in digest.cases],
                "total": digest.total,
                "more": digest.more,
                "board_url": _absolute(reverse("board:board")),
                "profile_url": _absolute(reverse("people:my_profile")),
            },
        )
    return subject, body


def _digest_claim(*, profile: AttorneyProfile, now: dt.datetime) -> bool:
    """Mark the digest as sent unless another run did since the profile was read, so two runs
    at once (the periodic job and one started by hand) never both send."""
    claimed = AttorneyProfile.objects.filter(
        pk=profile.pk, board_digest_sent_at=profile.board_digest_sent_at
    ).update(board_digest_sent_at=now)
    return claimed == 1


def _digest_unclaim(*, profile: AttorneyProfile, now: dt.datetime) -> None:
    AttorneyProfile.objects.filter(pk=profile.pk, board_digest_sent_at=now).update(
        board_digest_sent_at=profile.board_digest_sent_at
    )


def _digest_record_sent(*, profile: AttorneyProfile, cases: list[Case]) -> None:
    """One SENT event per case listed, on each case's timeline (the rows `case_event_record`
    writes, in one insert: no actor, since the program sent them)."""
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=CaseEvent.Kind.SENT,
            actor=None,
            data={"attorney_id": profile.user_id, "how": "digest"},
        )
        for case in cases
    )


def board_digest_send(*, frequency: str, now: dt.datetime | None = None) -> int:
    """E-mail each subscriber of this frequency ('daily' or 'weekly') whose last digest is old
    enough the new board cases that fit them, if any; record what was sent. Returns how many
    e-mails went out. An attorney with nothing new gets no e-mail, and their next digest still
    covers everything since their last one."""
    if frequency not in DIGEST_MIN_GAP:
        raise ValueError(f"Unknown board digest frequency: {frequency!r}")
    now = now or timezone.now()
    due = Q(board_digest_sent_at__isnull=True) | Q(
        board_digest_sent_at__lte=now - DIGEST_MIN_GAP[frequency]
    )
    profiles = attorney_list_digest_subscribers(frequency=frequency).filter(due)
    connection: Any = None
    sent = 0
    for profile in profiles.prefetch_related("courts"):
        digest = digest_cases_for_attorney(profile=profile, since=None, now=now)
        if not digest.cases:
            continue
        subject, body = _digest_email(profile=profile, digest=digest, frequency=frequency)
        if not _digest_claim(profile=profile, now=now):
            continue
        connection = connection or get_connection()
        try:
            send_mail(subject, body, None, [profile.user.email], connection=connection)
        except (smtplib.SMTPException, OSError):
            # One refused address must not stop everyone else's digest; this one is retried on
            # the next run.
            logger.exception("Board digest to attorney profile %s failed", profile.pk)
            _digest_unclaim(profile=profile, now=now)
            continue
        _digest_record_sent(profile=profile, cases=digest.cases)
        sent += 1
    return sent
