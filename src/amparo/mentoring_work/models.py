"""The ongoing mentorship: the mentoring plan and its milestones, drafts for review, messages
with the mentee's response clock, mentors' paid time, monthly statements charged to funding
sources, and the feedback given at closing (PRODUCT.md section 6; issue 6, points 6-9).

Everything hangs on `mentoring.Mentorship` (case, mentor, mentee, status); this app only reads
that model and, when a mentorship closes, sets its status and closing time.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import CaseType
from amparo.core.fields import EncryptedCharField, EncryptedTextField
from amparo.core.models import TimeStampedModel
from amparo.deadlines.models import Anchor

#: The longest single time entry (a full day of hearing preparation).
MAX_ENTRY_MINUTES = 720


def _in_language(english: str, spanish: str) -> str:
    if get_language() == "es":
        return spanish or english
    return english or spanish


# --- the plan -------------------------------------------------------------------------------


class MentoringAnchor(models.TextChoices):
    """What a mentoring milestone's due date counts from: the first meeting, or any anchor of
    the case plan (deadlines.Anchor), computed the way the case plan computes it."""

    FIRST_MEETING = "first_meeting", _("First mentoring meeting")
    PLACEMENT = Anchor.PLACEMENT.value, Anchor.PLACEMENT.label
    NEXT_MASTER_HEARING = Anchor.NEXT_MASTER_HEARING.value, Anchor.NEXT_MASTER_HEARING.label
    NEXT_INDIVIDUAL_HEARING = (
        Anchor.NEXT_INDIVIDUAL_HEARING.value,
        Anchor.NEXT_INDIVIDUAL_HEARING.label,
    )
    PREHEARING_FILING_SAFE_TARGET = (
        Anchor.PREHEARING_FILING_SAFE_TARGET.value,
        Anchor.PREHEARING_FILING_SAFE_TARGET.label,
    )
    ONE_YEAR_DEADLINE = Anchor.ONE_YEAR_DEADLINE.value, Anchor.ONE_YEAR_DEADLINE.label
    EAD_EARLIEST_FILING = Anchor.EAD_EARLIEST_FILING.value, Anchor.EAD_EARLIEST_FILING.label
    SUPPLEMENT_B_SIGNED = Anchor.SUPPLEMENT_B_SIGNED.value, Anchor.SUPPLEMENT_B_SIGNED.label
    SUPPLEMENT_B_LAST_SAFE_RECEIPT = (
        Anchor.SUPPLEMENT_B_LAST_SAFE_RECEIPT.value,
        Anchor.SUPPLEMENT_B_LAST_SAFE_RECEIPT.label,
    )
    USCIS_RESPONSE_DUE = Anchor.USCIS_RESPONSE_DUE.value, Anchor.USCIS_RESPONSE_DUE.label


class MilestoneKind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    BRIEF = "brief", _("Brief")
    EVIDENCE = "evidence", _("Evidence")
    FILING = "filing", _("Filing")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class MilestoneOwner(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")
    BOTH = "both", _("Mentor and mentee")


class MentoringPlanTemplate(models.Model):
    """The starting plan for one case type; program admins edit it in the admin."""

    case_type = models.CharField(
        _("case type"), max_length=24, choices=CaseType.choices, unique=True
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)

    class Meta:
        verbose_name = _("mentoring plan template")
        verbose_name_plural = _("mentoring plan templates")
        ordering = ["case_type"]

    def __str__(self) -> str:
        return self.name_en


class MentoringPlanTemplateStep(models.Model):
    template = models.ForeignKey(
        MentoringPlanTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    owner = models.CharField(
        _("owner"), max_length=8, choices=MilestoneOwner.choices, default=MilestoneOwner.MENTEE
    )
    anchor = models.CharField(
        _("counts from"), max_length=40, choices=MentoringAnchor.choices, blank=True
    )
    offset_days = models.IntegerField(_("days after (negative: before)"), default=0)

    class Meta:
        verbose_name = _("mentoring plan template step")
        verbose_name_plural = _("mentoring plan template steps")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "order"], name="mentoring_template_step_order_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title_en}"


class MentoringPlan(TimeStampedModel):
    """Written at the first meeting, which is logged with it (in person or by video)."""

    class MeetingMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")

    mentorship = models.OneToOneField(
        "mentoring.Mentorship",
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="plan",
    )
    template = models.ForeignKey(
        MentoringPlanTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_meeting_at = models.DateTimeField(_("first meeting"))
    first_meeting_mode = models.CharField(
        _("how you met"), max_length=12, choices=MeetingMode.choices
    )
    # May mention the client's claim: encrypted like the rest of the file.
    first_meeting_notes = EncryptedTextField(_("notes of the first meeting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mentoring plan")
        verbose_name_plural = _("mentoring plans")

    def __str__(self) -> str:
        return f"Mentoring plan of mentorship #{self.mentorship_id}"


class PlanMilestone(TimeStampedModel):
    class Status(models.TextChoices):
        TO_DO = "to_do", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    OPEN_STATUSES = (Status.TO_DO, Status.IN_PROGRESS)

    mentorship = models.ForeignKey(
        "mentoring.Mentorship",
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="plan_milestones",
    )
    template_step = models.ForeignKey(
        MentoringPlanTemplateStep,
        verbose_name=_("template step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )
    owner = models.CharField(
        _("owner"), max_length=8, choices=MilestoneOwner.choices, default=MilestoneOwner.MENTEE
    )
    anchor = models.CharField(
        _("counts from"), max_length=40, choices=MentoringAnchor.choices, blank=True
    )
    offset_days = models.IntegerField(_("days after (negative: before)"), default=0)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    due_date_set_by_hand = models.BooleanField(_("due date set by hand"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TO_DO
    )
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # When the daily job told the mentor, the mentee and the program admins it is overdue
    # (once per due date: moving the due date clears it).
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring milestone")
        verbose_name_plural = _("mentoring milestones")
        ordering = ["mentorship", "order", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="mentoring_milestone_open_due"),
        ]

    def __str__(self) -> str:
        return f"Mentoring milestone #{self.pk} ({self.title_en})"

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_es)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())


def draft_upload_to(instance: Draft, filename: str) -> str:
    """A name nobody chooses: the uploader's file name is kept in `original_name` only."""
    return (
        f"mentoring/{instance.milestone.mentorship_id}/{instance.milestone_id}/"
        f"v{instance.number}-{uuid.uuid4().hex}.{instance.file_type}"
    )


class Draft(models.Model):
    """One version of a draft uploaded against a milestone. Versions are numbered per milestone
    and never replaced: a new upload is a new version."""

    milestone = models.ForeignKey(
        PlanMilestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="drafts"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=draft_upload_to, max_length=300)
    # Uploaders name files after the client ("declaration-Maria-Lopez.pdf"), and the note may
    # tell the client's story: both encrypted. display_filename caps the name at 255 characters.
    original_name = EncryptedCharField(
        _("original file name"), max_length=255, validators=[MaxLengthValidator(255)]
    )
    file_type = models.CharField(_("file type"), max_length=8)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = EncryptedTextField(_("note for the reviewer"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["milestone", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "number"], name="mentoring_draft_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="mentoring_draft_number_min"),
        ]

    def __str__(self) -> str:
        return f"Draft #{self.pk} v{self.number}"

    @property
    def mentorship(self) -> Any:
        return self.milestone.mentorship


class DraftComment(models.Model):
    draft = models.ForeignKey(
        Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = EncryptedTextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("draft comment")
        verbose_name_plural = _("draft comments")
        ordering = ["draft", "created_at", "id"]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on draft #{self.draft_id}"


# --- messages and the response clock ---------------------------------------------------------


class Message(models.Model):
    """A message between mentor and mentee on the case. A mentor's message starts the mentee's
    response clock (domain/response_clock.py); the mentee's next message answers it."""

    mentorship = models.ForeignKey(
        "mentoring.Mentorship",
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="work_messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = EncryptedTextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    # Mentor's messages only: the clock.
    response_due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "self",
        verbose_name=_("answered by message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers_to",
    )
    response_seconds = models.PositiveIntegerField(_("response time (seconds)"), null=True)
    answered_on_time = models.BooleanField(_("answered within the clock"), null=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring message")
        verbose_name_plural = _("mentoring messages")
        ordering = ["mentorship", "sent_at", "id"]
        indexes = [
            models.Index(fields=["answered_at", "response_due_at"], name="mentoring_message_clock"),
        ]

    def __str__(self) -> str:
        return f"Message #{self.pk}"

    @property
    def starts_clock(self) -> bool:
        return self.response_due_at is not None

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.response_due_at is not None
            and self.answered_at is None
            and timezone.now() >= self.response_due_at
        )


# --- mentor time and pay ----------------------------------------------------------------------


class TimeActivity(models.TextChoices):
    MEETING = "meeting", _("Meeting with the mentee")
    DRAFT_REVIEW = "draft_review", _("Reviewing drafts")
    MESSAGES = "messages", _("Messages and calls")
    HEARING_PREPARATION = "hearing_preparation", _("Hearing preparation")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other")


class TimeEntry(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    mentorship = models.ForeignKey(
        "mentoring.Mentorship",
        verbose_name=_("mentorship"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentoring_time_entries",
    )
    date = models.DateField(_("date"), db_index=True)
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ENTRY_MINUTES)]
    )
    activity = models.CharField(_("activity"), max_length=24, choices=TimeActivity.choices)
    # May describe the client's matter: encrypted, and never exported.
    description = EncryptedTextField(_("what you did"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
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
    rejection_reason = models.TextField(_("why it was not approved"), blank=True)
    statement = models.ForeignKey(
        "MentorStatement",
        verbose_name=_("statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )

    class Meta:
        verbose_name = _("mentor time entry")
        verbose_name_plural = _("mentor time entries")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["mentor", "status", "date"], name="mentoring_time_mentor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=MAX_ENTRY_MINUTES),
                name="mentoring_time_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(statement__isnull=True) | Q(status="approved"),
                name="mentoring_time_statement_only_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.minutes} min ({self.mentor_id})"


class FundingSource(TimeStampedModel):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        DONATION = "donation", _("Donation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount (USD)"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="funding_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MentorStatement(TimeStampedModel):
    """A mentor's approved time in one calendar month, at their rate. A draft is prepared (and
    prepared again when more time is approved); issuing it charges it to a funding source and
    freezes it. Time approved after an issued statement goes on a new statement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentoring_statements",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    hourly_rate = models.DecimalField(_("hourly rate (USD)"), max_digits=7, decimal_places=2)
    amount = models.DecimalField(_("amount (USD)"), max_digits=12, decimal_places=2)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mentor statement")
        verbose_name_plural = _("mentor statements")
        ordering = ["-month", "mentor__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "month"],
                condition=Q(status="draft"),
                name="one_draft_statement_per_mentor_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="statement_month_first_day"),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="statement_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Statement #{self.pk} {self.month:%Y-%m}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class FundingCharge(models.Model):
    """An issued statement charged to a funding source (remaining = amount - charges)."""

    source = models.ForeignKey(
        FundingSource,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        related_name="charges",
    )
    statement = models.OneToOneField(
        MentorStatement,
        verbose_name=_("statement"),
        on_delete=models.PROTECT,
        related_name="charge",
    )
    amount = models.DecimalField(_("amount (USD)"), max_digits=12, decimal_places=2)
    charged_at = models.DateTimeField(_("charged at"), default=timezone.now)
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("charged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("funding charge")
        verbose_name_plural = _("funding charges")
        ordering = ["-charged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_charge_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to {self.source_id}"


# --- closing ----------------------------------------------------------------------------------


class MentorshipFeedback(models.Model):
    """What each side thought of the mentoring, asked for when it closes."""

    class Side(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    mentorship = models.ForeignKey(
        "mentoring.Mentorship",
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = EncryptedTextField(_("comments"), blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("mentoring feedback")
        verbose_name_plural = _("mentoring feedback")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "side"], name="one_feedback_per_side_per_mentorship"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback #{self.pk} ({self.side}, {self.rating}/5)"
