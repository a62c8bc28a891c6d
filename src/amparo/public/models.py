"""What the public pages keep: newsletter subscribers, nonprofits' partner inquiries and the
support page's text. Visitors' contact details are personal data and are encrypted at rest."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedCharField, EncryptedTextField
from amparo.core.models import TimeStampedModel

SITE_LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
INQUIRY_NUMBER_MAX = 10_000


class NewsletterSubscriber(TimeStampedModel):
    """One e-mail address on the newsletter list, confirmed by double opt-in.

    The address is encrypted; `email_index` (a keyed hash of the normalised address, see
    amparo.core.crypto.blind_index) finds it again and makes a second sign-up of the same
    address a duplicate the database refuses. A subscriber is on the list once confirmed and
    until unsubscribed.
    """

    email = EncryptedCharField(_("e-mail"))
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=SITE_LANGUAGES, default="en")
    # Rotated each time a confirmation starts afresh and cleared once confirmed, so that a
    # confirmation link works once (and an old one never re-subscribes someone who left).
    confirmation_nonce = models.CharField(max_length=32, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        indexes = [
            models.Index(fields=["confirmed_at", "unsubscribed_at"], name="subscriber_active"),
        ]

    def __str__(self) -> str:
        # Never the address: __str__ ends up in logs and admin histories.
        return f"Subscriber #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class InquiryWants(models.TextChoices):
    CASES = "cases", _("Place cases with volunteer attorneys")
    MENTORSHIP = "mentorship", _("Mentors for cases we place")
    BOTH = "both", _("Both")


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    PARTNER_CREATED = "partner_created", _("Partner created")
    DECLINED = "declined", _("Declined")


class PartnerInquiry(TimeStampedModel):
    """A nonprofit asks to place cases, or mentorship requests, in bulk; staff follow up."""

    Wants = InquiryWants
    Status = InquiryStatus

    organization_name = models.CharField(_("organization"), max_length=200)
    contact_name = EncryptedCharField(_("contact name"))
    email = EncryptedCharField(_("e-mail"))
    phone = EncryptedCharField(_("phone"), blank=True)
    wants = models.CharField(_("what they want"), max_length=16, choices=Wants.choices)
    approximate_number = models.PositiveIntegerField(
        _("approximate number of cases"),
        validators=[MinValueValidator(1), MaxValueValidator(INQUIRY_NUMBER_MAX)],
    )
    message = EncryptedTextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=SITE_LANGUAGES, default="en")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    staff_note = EncryptedTextField(_("staff note"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("partner inquiry")
        verbose_name_plural = _("partner inquiries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approximate_number__gte=1)
                & Q(approximate_number__lte=INQUIRY_NUMBER_MAX),
                name="inquiry_number_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InquiryStatus.values),
                name="inquiry_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.get_status_display()})"


class SupportPage(models.Model):
    """The text of the support and donation page, edited in the admin. One row is used (the
    first); without one, the page shows a default text."""

    text_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    text_es = models.TextField(
        _("text (Spanish)"),
        blank=True,
        help_text=_("Plain text; an empty line starts a new paragraph. Empty: the English text."),
    )
    donation_url = models.URLField(
        _("donation link"),
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text=_("The program's donation page (https://...). Empty: no donate button."),
    )
    contact_name = models.CharField(
        _("contact for urgent cases"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the urgent-needs page, e.g. the pro bono coordinator's name."),
    )
    contact_email = models.EmailField(
        _("contact e-mail for urgent cases"),
        blank=True,
        help_text=_("Shown on the urgent-needs and support pages."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("support page")
        verbose_name_plural = _("support page")

    def __str__(self) -> str:
        return str(_("Support page"))

    def text_for(self, language: str) -> str:
        return self.text_es if language == "es" and self.text_es.strip() else self.text_en
