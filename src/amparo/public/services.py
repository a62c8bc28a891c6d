"""Writes of the public pages: the newsletter's double opt-in, unsubscribing, the subscribers'
export, and partner inquiries.

Every write validates first and raises ValidationError with messages in the current language,
so a form, the API and a command report the same errors. Visitors' contact details are personal
data: encrypted at rest, found through a keyed hash, and exported only with an audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from amparo.accounts.models import STAFF_ROLES, User
from amparo.core.audit import audit_record
from amparo.core.crypto import blind_index
from amparo.core.csvfiles import csv_cell
from amparo.core.models import AuditEvent
from amparo.public.models import INQUIRY_NUMBER_MAX, NewsletterSubscriber, PartnerInquiry
from amparo.public.selectors import subscriber_list_active

SITE_LANGUAGES = ("en", "es")
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 200
PHONE_MAX_LENGTH = 40
MESSAGE_MAX_LENGTH = 5000
# A confirmation link works for a week (then the visitor subscribes again for a new one).
CONFIRMATION_MAX_AGE = dt.timedelta(days=7)
# A pending address is sent a new confirmation at most this often, however many times someone
# types it into the form: the form must not become a way to flood someone's mailbox.
CONFIRMATION_RESEND_AFTER = dt.timedelta(minutes=15)
_CONFIRM_SALT = "amparo.public.newsletter.confirm"
_UNSUBSCRIBE_SALT = "amparo.public.newsletter.unsubscribe"
_INDEX_PURPOSE = "newsletter_email"


# --- newsletter ------------------------------------------------------------------------------


class SubscribeOutcome(enum.Enum):
    CONFIRMATION_SENT = "confirmation_sent"
    CONFIRMATION_RECENTLY_SENT = "confirmation_recently_sent"
    ALREADY_SUBSCRIBED = "already_subscribed"


class NewsletterLinkError(Exception):
    """A confirmation or unsubscribe link that cannot be used; `kind` says why."""

    EXPIRED = "expired"
    INVALID = "invalid"
    USED = "used"

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def email_normalize(value: str) -> str:
    return value.strip().lower()


def subscriber_email_index(email: str) -> str:
    return blind_index(email_normalize(email), purpose=_INDEX_PURPOSE)


def _absolute(path: str) -> str:
    return settings.AMPARO_SITE_URL.rstrip("/") + path


def _validated_email(email: str) -> str:
    email = email_normalize(email)
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": [_("Enter a valid e-mail address, for example name@example.org.")]}
        ) from None
    return email


def _language(language: str) -> str:
    return language if language in SITE_LANGUAGES else "en"


@transaction.atomic
def subscriber_subscribe(*, email: str, language: str) -> SubscribeOutcome:
    """Start (or restart) the double opt-in of an address: nothing is on the list until the
    address's owner follows the link e-mailed to it. The same address twice is one subscriber
    (found by its blind index); someone already on the list is left as they are."""
    email = _validated_email(email)
    index = subscriber_email_index(email)
    now = timezone.now()
    subscriber = NewsletterSubscriber.objects.select_for_update().filter(email_index=index).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = NewsletterSubscriber.objects.create(
                    email=email, email_index=index, language=_language(language)
                )
        except IntegrityError:  # the same address, submitted at the same moment: one e-mail
            return SubscribeOutcome.CONFIRMATION_RECENTLY_SENT
    if subscriber.is_active:
        return SubscribeOutcome.ALREADY_SUBSCRIBED
    pending = (
        subscriber.confirmed_at is None
        and subscriber.unsubscribed_at is None
        and subscriber.confirmation_nonce
    )
    if (
        pending
        and subscriber.confirmation_sent_at is not None
        and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
    ):
        return SubscribeOutcome.CONFIRMATION_RECENTLY_SENT
    if not pending:
        # New, or back after unsubscribing: a fresh nonce, so older links stay dead.
        subscriber.confirmation_nonce = secrets.token_hex(16)
        subscriber.confirmed_at = None
        subscriber.unsubscribed_at = None
    subscriber.language = _language(language)
    subscriber.confirmation_sent_at = now
    subscriber.save()
    subscriber_id = subscriber.pk
    transaction.on_commit(
        lambda: _email_subscriber_confirmation(subscriber_id=subscriber_id), robust=True
    )
    return SubscribeOutcome.CONFIRMATION_SENT


def subscriber_confirmation_token(subscriber: NewsletterSubscriber) -> str:
    """Signed (with a timestamp, checked against CONFIRMATION_MAX_AGE) and bound to the nonce."""
    return signing.dumps(
        {"s": subscriber.pk, "n": subscriber.confirmation_nonce}, salt=_CONFIRM_SALT
    )


def subscriber_unsubscribe_token(subscriber: NewsletterSubscriber) -> str:
    """Signed without an expiry: an unsubscribe link must keep working in every old e-mail."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object(
        {"s": subscriber.pk, "e": subscriber.email_index[:16]}
    )


def subscriber_unsubscribe_url(subscriber: NewsletterSubscriber) -> str:
    return _absolute(
        reverse("public:newsletter_unsubscribe", args=[subscriber_unsubscribe_token(subscriber)])
    )


def _confirmation_payload(token: str) -> tuple[int, str]:
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise NewsletterLinkError(NewsletterLinkError.EXPIRED) from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise NewsletterLinkError(NewsletterLinkError.INVALID) from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("s"), int)
        and isinstance(payload.get("n"), str)
    ):
        raise NewsletterLinkError(NewsletterLinkError.INVALID)
    return payload["s"], payload["n"]


def _subscriber_for_confirmation(token: str, *, lock: bool) -> NewsletterSubscriber:
    pk, nonce = _confirmation_payload(token)
    subscribers = NewsletterSubscriber.objects.filter(pk=pk)
    subscriber = (subscribers.select_for_update() if lock else subscribers).first()
    if subscriber is None:
        raise NewsletterLinkError(NewsletterLinkError.INVALID)
    if not subscriber.confirmation_nonce or not constant_time_compare(
        subscriber.confirmation_nonce, nonce
    ):
        raise NewsletterLinkError(NewsletterLinkError.USED)
    return subscriber


def subscriber_get_for_confirmation(*, token: str) -> NewsletterSubscriber:
    """The subscriber a confirmation link is for, or NewsletterLinkError (nothing changes)."""
    return _subscriber_for_confirmation(token, lock=False)


@transaction.atomic
def subscriber_confirm(*, token: str) -> NewsletterSubscriber:
    """Put the address on the list. The link works once: confirming clears its nonce."""
    subscriber = _subscriber_for_confirmation(token, lock=True)
    subscriber.confirmed_at = timezone.now()
    subscriber.confirmation_nonce = ""
    subscriber.save(update_fields=["confirmed_at", "confirmation_nonce", "updated_at"])
    return subscriber


def _subscriber_for_unsubscribe(token: str, *, lock: bool) -> NewsletterSubscriber:
    try:
        payload = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise NewsletterLinkError(NewsletterLinkError.INVALID) from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("s"), int)
        and isinstance(payload.get("e"), str)
    ):
        raise NewsletterLinkError(NewsletterLinkError.INVALID)
    subscribers = NewsletterSubscriber.objects.filter(pk=payload["s"])
    subscriber = (subscribers.select_for_update() if lock else subscribers).first()
    if subscriber is None or not constant_time_compare(subscriber.email_index[:16], payload["e"]):
        raise NewsletterLinkError(NewsletterLinkError.INVALID)
    return subscriber


def subscriber_get_for_unsubscribe(*, token: str) -> NewsletterSubscriber:
    return _subscriber_for_unsubscribe(token, lock=False)


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> NewsletterSubscriber:
    """Take the address off the list (again is harmless); a pending confirmation dies too."""
    subscriber = _subscriber_for_unsubscribe(token, lock=True)
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
    subscriber.confirmation_nonce = ""
    subscriber.save(update_fields=["unsubscribed_at", "confirmation_nonce", "updated_at"])
    return subscriber


def _email_subscriber_confirmation(*, subscriber_id: int) -> None:
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.confirmation_nonce:
        return
    confirm_path = reverse(
        "public:newsletter_confirm", args=[subscriber_confirmation_token(subscriber)]
    )
    context = {
        "program_name": settings.AMPARO_PROGRAM_NAME,
        "confirm_url": _absolute(confirm_path),
        "valid_days": CONFIRMATION_MAX_AGE.days,
        "unsubscribe_url": subscriber_unsubscribe_url(subscriber),
    }
    with translation.override(subscriber.language):
        subject = _("Confirm your subscription to the %(program)s newsletter") % {
            "program": settings.AMPARO_PROGRAM_NAME
        }
        body = render_to_string("public/email/newsletter_confirm.txt", context)
    send_mail(subject, body, None, [subscriber.email])


@transaction.atomic
def subscriber_export_csv(*, actor: Any, request: HttpRequest | None = None) -> str:
    """The confirmed subscribers (e-mail, language, confirmed, unsubscribe link) as CSV, for the
    program's mailing tool. The export is personal data: it is written to the audit log."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("E-mail"), _("Language"), _("Confirmed"), _("Unsubscribe link")])
    rows = 0
    for subscriber in subscriber_list_active():
        confirmed = timezone.localtime(subscriber.confirmed_at) if subscriber.confirmed_at else None
        writer.writerow(
            [
                csv_cell(subscriber.email),
                subscriber.language,
                confirmed.isoformat(timespec="seconds") if confirmed else "",
                subscriber_unsubscribe_url(subscriber),
            ]
        )
        rows += 1
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        request=request,
        data={"export": "newsletter_subscribers", "rows": rows},
    )
    return buffer.getvalue()


# --- partner inquiries ---------------------------------------------------------------------


def partner_inquiry_create(
    *,
    organization_name: str,
    contact_name: str,
    email: str,
    phone: str,
    wants: str,
    approximate_number: int | None,
    message: str,
    language: str,
) -> PartnerInquiry:
    """Record a nonprofit's request to place cases or mentorship requests in bulk; program staff
    are e-mailed once it is saved."""
    errors: dict[str, list[str]] = {}
    organization_name = " ".join(organization_name.split())
    contact_name = " ".join(contact_name.split())
    phone, message = phone.strip(), message.strip()
    if not organization_name:
        errors["organization_name"] = [_("Enter your organization's name.")]
    if not contact_name:
        errors["contact_name"] = [_("Enter the name of the person we should contact.")]
    for field, value, limit in (
        ("organization_name", organization_name, NAME_MAX_LENGTH),
        ("contact_name", contact_name, NAME_MAX_LENGTH),
        ("phone", phone, PHONE_MAX_LENGTH),
        ("message", message, MESSAGE_MAX_LENGTH),
    ):
        if len(value) > limit:
            errors[field] = [_("Use at most %(limit)s characters.") % {"limit": limit}]
    try:
        email = _validated_email(email)
    except ValidationError as error:
        errors.update(error.message_dict)
    if wants not in PartnerInquiry.Wants.values:
        errors["wants"] = [_("Choose what your organization would like from the list.")]
    if approximate_number is None or not 1 <= approximate_number <= INQUIRY_NUMBER_MAX:
        errors["approximate_number"] = [
            _("Enter a number between 1 and %(max)s.") % {"max": INQUIRY_NUMBER_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    assert approximate_number is not None  # checked above, for the type checker
    with transaction.atomic():
        inquiry = PartnerInquiry.objects.create(
            organization_name=organization_name,
            contact_name=contact_name,
            email=email,
            phone=phone,
            wants=wants,
            approximate_number=approximate_number,
            message=message,
            language=_language(language),
        )
        inquiry_id = inquiry.pk
        transaction.on_commit(lambda: _email_staff_new_inquiry(inquiry_id=inquiry_id), robust=True)
    return inquiry


@transaction.atomic
def partner_inquiry_update(
    *, inquiry: PartnerInquiry, actor: Any, status: str, note: str
) -> PartnerInquiry:
    """Staff record how the follow-up went: the status (who changed it, when) and a note."""
    if status not in PartnerInquiry.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    inquiry = PartnerInquiry.objects.select_for_update().get(pk=inquiry.pk)
    if status != inquiry.status:
        inquiry.status = status
        inquiry.status_changed_at = timezone.now()
        inquiry.status_changed_by = actor
    inquiry.staff_note = note.strip()
    inquiry.save()
    return inquiry


def _email_staff_new_inquiry(*, inquiry_id: int) -> None:
    """Each coordinator and program admin, in their language: which organization asks for what.
    The contact's details stay behind the sign-in (the link)."""
    inquiry = PartnerInquiry.objects.get(pk=inquiry_id)
    context = {
        "inquiry": inquiry,
        "detail_url": _absolute(reverse("public:inquiry_detail", args=[inquiry.pk])),
        "list_url": _absolute(reverse("public:inquiry_list")),
    }
    connection = get_connection()
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("pk")
    for member in staff:
        with translation.override(member.language):
            subject = _("New partner inquiry: %(organization)s") % {
                "organization": inquiry.organization_name
            }
            body = render_to_string("public/email/staff_new_inquiry.txt", {**context, "to": member})
        send_mail(subject, body, None, [member.email], connection=connection)
