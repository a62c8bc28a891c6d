"""Stored deadlines, flags, milestone plans and calendar feeds. The dates come from the pure
engine in deadlines/domain (see docs/deadline-rules.md); this module only keeps them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedCharField
from amparo.core.models import TimeStampedModel
from amparo.deadlines.labels import rule_label


class ExtraClosure(models.Model):
    """A day the courts or USCIS were closed beyond the federal holidays (an executive order, a
    court closure, an ECAS outage). Never moves an official date; it raises POSSIBLE_CLOSURE."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("extra closure")
        verbose_name_plural = _("extra closures")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class DeadlineSource(models.TextChoices):
    RULE = "rule", _("Computed by rule")
    IJ_ORDER = "ij_order", _("Set by the judge")
    CUSTOM = "custom", _("Added by the team")


class CaseDeadline(TimeStampedModel):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="deadlines"
    )
    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    source = models.CharField(_("source"), max_length=12, choices=DeadlineSource.choices)
    applies_to = models.CharField(_("applies to"), max_length=40, blank=True)
    hearing = models.ForeignKey(
        "cases.Hearing",
        verbose_name=_("hearing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadlines",
    )
    date = models.DateField(_("date"), db_index=True)
    safe_target = models.DateField(_("safe internal target"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    explanation_es = models.TextField(_("explanation (Spanish)"), blank=True)
    # Custom deadlines only: what is due, and who marked it done.
    title = models.CharField(_("what is due"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["date", "rule"]
        indexes = [models.Index(fields=["case", "date"], name="deadline_case_date")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="custom") | ~Q(title=""), name="custom_deadline_has_title"
            ),
            models.CheckConstraint(
                condition=Q(safe_target__isnull=True) | Q(safe_target__lte=models.F("date")),
                name="safe_target_not_after_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.date}"

    @property
    def explanation(self) -> str:
        return self.explanation_es if get_language() == "es" else self.explanation_en

    @property
    def label(self) -> str:
        return self.title or rule_label(self.rule)

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()


class CaseFlag(models.Model):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(_("code"), max_length=40, db_index=True)
    applies_to = models.CharField(_("applies to"), max_length=40, blank=True)
    message_en = models.TextField(_("message (English)"))
    message_es = models.TextField(_("message (Spanish)"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("flag for attorney review")
        verbose_name_plural = _("flags for attorney review")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def message(self) -> str:
        return self.message_es if get_language() == "es" else self.message_en


class Anchor(models.TextChoices):
    """What a milestone's due date counts from (offset days are added; negative = before)."""

    PLACEMENT = "placement", _("Placement")
    NEXT_MASTER_HEARING = "next_master_hearing", _("Next master calendar hearing")
    NEXT_INDIVIDUAL_HEARING = "next_individual_hearing", _("Next individual hearing")
    PREHEARING_FILING_SAFE_TARGET = (
        "prehearing_filing_safe_target",
        _("Pre-hearing filing deadline (safe target), individual hearing"),
    )
    ONE_YEAR_DEADLINE = "one_year_deadline", _("Asylum one-year filing deadline")
    EAD_EARLIEST_FILING = "ead_earliest_filing", _("Earliest work-permit application")
    SUPPLEMENT_B_SIGNED = "supplement_b_signed", _("Supplement B signed")
    SUPPLEMENT_B_LAST_SAFE_RECEIPT = (
        "supplement_b_last_safe_receipt",
        _("Last safe USCIS receipt date for the Supplement B"),
    )
    USCIS_RESPONSE_DUE = "uscis_response_due", _("USCIS response due")


# Anchors that are legal deadlines: a milestone on them that is not done within 7 days of the
# date escalates to the coordinator.
LEGAL_DEADLINE_ANCHORS = frozenset(
    {
        Anchor.PREHEARING_FILING_SAFE_TARGET,
        Anchor.ONE_YEAR_DEADLINE,
        Anchor.SUPPLEMENT_B_LAST_SAFE_RECEIPT,
        Anchor.USCIS_RESPONSE_DUE,
    }
)


class OwnerRole(models.TextChoices):
    ATTORNEY = "attorney", _("Attorney")
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinator")


class MilestoneTemplate(models.Model):
    case_type = models.CharField(_("case type"), max_length=24, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")

    def __str__(self) -> str:
        return self.name_en


class MilestoneTemplateItem(models.Model):
    template = models.ForeignKey(
        MilestoneTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    anchor = models.CharField(_("counts from"), max_length=40, choices=Anchor.choices, blank=True)
    offset_days = models.IntegerField(_("days after (negative: before)"), default=0)
    owner_role = models.CharField(
        _("owner"), max_length=16, choices=OwnerRole.choices, default=OwnerRole.ATTORNEY
    )
    note_en = models.TextField(_("note (English)"), blank=True)
    note_es = models.TextField(_("note (Spanish)"), blank=True)

    class Meta:
        verbose_name = _("milestone template item")
        verbose_name_plural = _("milestone template items")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="template_item_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title_en}"


class Milestone(TimeStampedModel):
    class Status(models.TextChoices):
        TO_DO = "to_do", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="milestones"
    )
    template_item = models.ForeignKey(
        MilestoneTemplateItem,
        verbose_name=_("template item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    anchor = models.CharField(_("counts from"), max_length=40, choices=Anchor.choices, blank=True)
    offset_days = models.IntegerField(_("days after (negative: before)"), default=0)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    due_date_set_by_hand = models.BooleanField(_("due date set by hand"), default=False)
    owner_role = models.CharField(
        _("owner"), max_length=16, choices=OwnerRole.choices, default=OwnerRole.ATTORNEY
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TO_DO
    )
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["case", "order"]

    def __str__(self) -> str:
        return f"Milestone #{self.pk} ({self.title_en})"

    @property
    def title(self) -> str:
        return self.title_es if get_language() == "es" else self.title_en

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.TO_DO, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())


class CalendarFeed(TimeStampedModel):
    """A user's private iCal address. The token is a long random secret: stored encrypted (to
    show the address again) and as a keyed hash (to find the feed without decrypting)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = EncryptedCharField(_("token"))
    token_index = models.CharField(max_length=64, unique=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last read by a calendar"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed of user #{self.user_id}"
