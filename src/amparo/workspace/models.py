"""The attorney's case workspace (PRODUCT.md section 7): the client communication log, pro bono
hours, hearing outcomes, withdrawal requests with their hand-off packet, and coordinators'
status-update requests. Deadlines, the plan and hearings themselves live in `deadlines` and
`cases`; this app only adds what the attorney records while working the case.

Anything that may describe the client or their situation is encrypted (core/fields.py).
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedCharField, EncryptedTextField
from amparo.core.models import TimeStampedModel
from amparo.people.models import Language

#: The most hours one entry may hold (one long day in court and travelling).
MAX_HOURS_PER_ENTRY = Decimal("24")


class ContactChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    IN_PERSON = "in_person", _("In person")
    DETENTION_VISIT = "detention_visit", _("Detention visit")
    LETTER = "letter", _("Letter")


#: Channels that count as meeting the client in person before the individual hearing.
IN_PERSON_CHANNELS = frozenset({ContactChannel.IN_PERSON, ContactChannel.DETENTION_VISIT})


class ContactDirection(models.TextChoices):
    TO_CLIENT = "to_client", _("We contacted the client")
    FROM_CLIENT = "from_client", _("The client contacted us")


class ClientContact(TimeStampedModel):
    """One contact with the client, as the attorney logs it."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="client_contacts",
    )
    contacted_on = models.DateField(_("date"), db_index=True)
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    direction = models.CharField(_("direction"), max_length=12, choices=ContactDirection.choices)
    with_interpreter = models.BooleanField(_("with an interpreter"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    # What was said is the client's story: encrypted, and shown only to those who see the file.
    note = EncryptedTextField(_("note"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["case", "contacted_on"], name="contact_case_date")]

    def __str__(self) -> str:
        return f"Contact #{self.pk} ({self.channel}, {self.contacted_on})"

    @property
    def is_in_person(self) -> bool:
        return self.channel in IN_PERSON_CHANNELS


class HoursActivity(models.TextChoices):
    CLIENT_MEETING = "client_meeting", _("Meeting or call with the client")
    RESEARCH = "research", _("Legal research")
    DRAFTING = "drafting", _("Drafting (declaration, brief, forms)")
    EVIDENCE = "evidence", _("Gathering evidence")
    HEARING_PREPARATION = "hearing_preparation", _("Hearing preparation")
    HEARING = "hearing", _("Hearing or interview")
    MENTORING = "mentoring", _("Meeting with the mentor")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class HoursEntry(TimeStampedModel):
    """Pro bono hours an attorney worked on a case. The firm is kept as it was when the hours
    were logged: a firm reports the hours its lawyers gave while they were with it."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="hours"
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.PROTECT,
        related_name="pro_bono_hours",
    )
    firm = models.ForeignKey(
        "people.Organization",
        verbose_name=_("law firm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pro_bono_hours",
    )
    worked_on = models.DateField(_("date"), db_index=True)
    activity = models.CharField(_("activity"), max_length=24, choices=HoursActivity.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(MAX_HOURS_PER_ENTRY)],
    )
    # May describe the client's matter: encrypted, and never exported.
    description = EncryptedTextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("pro bono hours")
        verbose_name_plural = _("pro bono hours")
        ordering = ["-worked_on", "-id"]
        indexes = [
            models.Index(fields=["attorney", "worked_on"], name="hours_attorney_date"),
            models.Index(fields=["firm", "worked_on"], name="hours_firm_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_ENTRY),
                name="hours_entry_between_0_and_24",
            )
        ]

    def __str__(self) -> str:
        return f"Hours #{self.pk} ({self.hours} h, {self.worked_on})"


class HearingResult(models.TextChoices):
    HELD = "held", _("Held")
    DECIDED = "decided", _("Held; the judge decided the case")
    CLIENT_ABSENT = "client_absent", _("Held; the client did not appear")
    CANCELLED = "cancelled", _("Cancelled or taken off calendar")


class HearingOutcome(TimeStampedModel):
    """What happened at a hearing. Rescheduling is not an outcome: it is recorded as a new
    hearing whose `rescheduled_from` points to the old one."""

    hearing = models.OneToOneField(
        "cases.Hearing",
        verbose_name=_("hearing"),
        on_delete=models.CASCADE,
        related_name="outcome",
    )
    result = models.CharField(_("result"), max_length=16, choices=HearingResult.choices)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hearing outcome")
        verbose_name_plural = _("hearing outcomes")

    def __str__(self) -> str:
        return f"Outcome of hearing #{self.hearing_id}: {self.result}"


class WithdrawalRequest(TimeStampedModel):
    """The attorney of record asks to withdraw; a coordinator approves (the case goes back to
    the board with a hand-off packet) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the coordinator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="withdrawal_requests",
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.PROTECT,
        related_name="withdrawal_requests",
    )
    reason = EncryptedTextField(_("reason for the withdrawal"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("coordinator's note"), blank=True)

    class Meta:
        verbose_name = _("withdrawal request")
        verbose_name_plural = _("withdrawal requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_withdrawal_request_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Withdrawal request #{self.pk} ({self.status})"


class HandoffPacket(models.Model):
    """What the next attorney needs, fixed when a withdrawal is approved: the facts, hearings,
    deadlines, plan, documents list and communication log (encrypted JSON, see handoff.py)."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="handoff_packets",
    )
    withdrawal_request = models.OneToOneField(
        WithdrawalRequest,
        verbose_name=_("withdrawal request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handoff_packet",
    )
    former_attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("former attorney"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = EncryptedTextField(_("content"))

    class Meta:
        verbose_name = _("hand-off packet")
        verbose_name_plural = _("hand-off packets")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Hand-off packet #{self.pk}"

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.content or "{}")
        return loaded


class StatusRequest(TimeStampedModel):
    """A coordinator asks one or many attorneys for a status update on their cases."""

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Goes out by e-mail: the form tells coordinators to name cases by code only.
    message = models.TextField(_("message"))
    answer_by = models.DateField(_("answer by"), null=True, blank=True)

    class Meta:
        verbose_name = _("status-update request")
        verbose_name_plural = _("status-update requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Status request #{self.pk}"


class StatusRequestRecipient(TimeStampedModel):
    """One attorney asked, and their answer (who has not answered is tracked here)."""

    status_request = models.ForeignKey(
        StatusRequest,
        verbose_name=_("status-update request"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.CASCADE,
        related_name="status_requests_received",
    )
    # Attorneys write about their clients' situation here: encrypted.
    answer = EncryptedTextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status-update recipient")
        verbose_name_plural = _("status-update recipients")
        ordering = ["status_request", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_request", "attorney"], name="one_recipient_row_per_attorney"
            )
        ]

    def __str__(self) -> str:
        return f"Status request #{self.status_request_id} to user #{self.attorney_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


# --- documents (issue 7, point 3) -------------------------------------------------------------


class DocumentKind(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL_FILING = "final_filing", _("Final filing")
    EVIDENCE = "evidence", _("Evidence")
    OTHER = "other", _("Other")


class CaseDocument(TimeStampedModel):
    """A document of the case (a declaration, a brief, evidence), kept in versions. The title
    may name the client, so it is encrypted like the rest of the file."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="workspace_documents",
    )
    milestone = models.ForeignKey(
        "deadlines.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = EncryptedCharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Case document #{self.pk} ({self.kind})"


def case_document_upload_to(instance: CaseDocumentVersion, filename: str) -> str:
    """A random name: neither the uploader's file name nor the case code reaches the disk."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    return f"case-documents/{uuid.uuid4().hex}.{extension}"


class CaseDocumentVersion(models.Model):
    document = models.ForeignKey(
        CaseDocument, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=case_document_upload_to, max_length=300)
    original_filename = EncryptedCharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case document version")
        verbose_name_plural = _("case document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="case_document_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="case_document_version_number_min"
            ),
        ]

    def __str__(self) -> str:
        return f"Case document #{self.document_id} v{self.number}"


class DocumentComment(models.Model):
    """A comment on one version (the mentor's review, the attorney's answer)."""

    version = models.ForeignKey(
        CaseDocumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = EncryptedTextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document comment")
        verbose_name_plural = _("document comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on version #{self.version_id}"
