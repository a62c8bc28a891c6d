from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedCharField, EncryptedTextField
from amparo.core.models import TimeStampedModel


class CaseType(models.TextChoices):
    DEFENSIVE_ASYLUM = "defensive_asylum", _("Defensive asylum")
    AFFIRMATIVE_ASYLUM = "affirmative_asylum", _("Affirmative asylum")
    U_VISA = "u_visa", _("U visa")


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    SCREENING = "screening", _("Screening")
    READY = "ready", _("Ready for placement")
    PLACED = "placed", _("Placed")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    PENDING = "", _("Pending")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
    WITHHOLDING = "withholding", _("Withholding of removal granted")
    CAT = "cat", _("Protection under the Convention Against Torture granted")
    ADMIN_CLOSED = "administratively_closed", _("Administratively closed")
    DISMISSED = "dismissed", _("Proceedings dismissed")
    U_APPROVED = "u_approved", _("U visa approved")
    U_WAITING_LIST = "u_waiting_list", _("U visa waiting list")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    REFERRED_OUT = "referred_out", _("Referred out")
    DECLINED = "declined", _("Declined at screening")


class Case(TimeStampedModel):
    """One client's matter before the court or USCIS, from intake to closing."""

    code = models.CharField(
        _("case code"),
        max_length=20,
        unique=True,
        help_text=_("Used in e-mails and calendars instead of the client's name."),
    )
    case_type = models.CharField(_("case type"), max_length=24, choices=CaseType.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.INTAKE)
    client = models.ForeignKey(
        "intake.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="cases"
    )
    court = models.ForeignKey(
        "courts.ImmigrationCourt",
        verbose_name=_("immigration court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    detained = models.BooleanField(_("detained"), default=False)
    detention_facility = models.ForeignKey(
        "courts.DetentionFacility",
        verbose_name=_("detention facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    is_unaccompanied_child = models.BooleanField(
        _("unaccompanied child (designated)"), default=False
    )
    arrived_with_parent = models.BooleanField(_("arrived with a parent"), default=False)
    sij_considered = models.BooleanField(
        _("Special Immigrant Juvenile Status being considered"), default=False
    )
    last_arrival = models.DateField(_("last arrival in the United States"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_kind = models.CharField(
        _("decision given"),
        max_length=8,
        choices=[("oral", _("Orally")), ("written", _("In writing"))],
        blank=True,
    )
    decision_memo_mailed = models.DateField(
        _("written decision mailed or served"), null=True, blank=True
    )
    appeal_waived = models.BooleanField(_("appeal waived"), default=False)
    final_order_date = models.DateField(_("final order date"), null=True, blank=True)
    supplement_b_signed = models.DateField(_("Supplement B signed"), null=True, blank=True)
    i589_received = models.DateField(_("I-589 received"), null=True, blank=True)
    asylum_clock_delay_days = models.PositiveIntegerField(
        _("applicant-caused delay days (asylum work-permit clock)"), default=0
    )
    i918_filed = models.DateField(_("I-918 filed"), null=True, blank=True)
    i918_planned = models.DateField(_("I-918 planned filing date"), null=True, blank=True)
    i360_filed = models.DateField(_("I-360 filed"), null=True, blank=True)
    uscis_response_due = models.DateField(
        _("USCIS response due (e.g. a request for evidence)"), null=True, blank=True
    )
    uscis_response_method = models.CharField(
        _("USCIS response filed"),
        max_length=8,
        choices=[("paper", _("On paper")), ("online", _("Online"))],
        blank=True,
    )
    languages = models.JSONField(_("languages the client speaks"), default=list, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency score"), default=0, db_index=True)
    # Why the score is what it is: [{"factor", "points", "en", "es"}], shown on the board card.
    urgency_factors = models.JSONField(_("urgency explained"), default=list, blank=True)
    # The anonymized board card's facts, fixed when the case is published (never a name, an
    # A-number, an exact birth date, an address or a phone).
    client_age_band = models.CharField(_("age band"), max_length=12, blank=True)
    has_children = models.BooleanField(_("children involved"), default=False)
    board_languages = models.CharField(
        _("languages (board filter)"), max_length=120, blank=True, db_index=True
    )
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published on the board"), null=True, blank=True)
    on_public_urgent_page = models.BooleanField(
        _("shown on the public urgent-needs page"), default=False
    )
    summary_en = models.TextField(_("anonymized summary (English)"), blank=True)
    summary_es = models.TextField(_("anonymized summary (Spanish)"), blank=True)
    placing_organization = models.ForeignKey(
        "people.Organization",
        verbose_name=_("placing organization"),
        on_delete=models.PROTECT,
        related_name="placed_cases",
    )
    attorney_of_record = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_of_record",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentored_cases",
    )
    # DEADLINE-RULES section 7: a mentor sees the client file only when the attorney shares it.
    mentor_file_access = models.BooleanField(_("client file shared with the mentor"), default=False)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready for placement since"), null=True, blank=True)
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Retention: a closed case is archived (off every working list), then, after the program's
    # retention period, purged of personal data; the row stays so figures and the audit hold.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)
    # Optimistic versioning: every edit of the case's facts bumps it; an edit made from an older
    # version is refused with "changed by someone else" instead of silently overwriting.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-urgency", "code"]
        indexes = [
            models.Index(fields=["stage", "-urgency"], name="case_stage_urgency"),
            models.Index(fields=["placing_organization", "stage"], name="case_org_stage"),
            # The board: its cases in the board's order, so a page reads 20 index entries and
            # its count reads only the board's entries (an index-only scan), not the table.
            models.Index(
                fields=["-urgency", "next_hearing_on", "id"],
                condition=Q(stage="ready", attorney_of_record__isnull=True),
                name="case_board_rank",
            ),
            # The board's court filter (courts with a case on the board: one probe per court).
            models.Index(fields=["court", "stage"], name="case_court_stage"),
            # The coordinator's attention list: unplaced cases with a hearing soon.
            models.Index(fields=["stage", "next_hearing_on"], name="case_stage_next_hearing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="placed") | Q(attorney_of_record__isnull=False),
                name="placed_case_has_attorney",
            ),
            models.CheckConstraint(
                condition=Q(detained=True) | Q(detention_facility__isnull=True),
                name="facility_only_when_detained",
            ),
            models.CheckConstraint(
                condition=Q(mentor__isnull=False) | Q(mentor_file_access=False),
                name="file_access_needs_a_mentor",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Hearing(TimeStampedModel):
    class Kind(models.TextChoices):
        MASTER = "master", _("Master calendar hearing")
        INDIVIDUAL = "individual", _("Individual hearing")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="hearings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default="scheduled"
    )
    ruling_requested = models.BooleanField(
        _("a ruling is requested at this hearing"),
        default=False,
        help_text=_(
            "Master calendar filings are due 15 days before only when a ruling is requested."
        ),
    )
    ij_filing_deadline = models.DateField(
        _("filing deadline set by the judge"), null=True, blank=True
    )
    rescheduled_from = models.ForeignKey(
        "self",
        verbose_name=_("rescheduled from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What happened or is expected at the hearing: the client's story, encrypted.
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="hearing_case_start"),
            # The next scheduled hearings across cases, soonest first (the urgent unplaced list).
            models.Index(
                fields=["starts_at"],
                condition=Q(status="scheduled"),
                name="hearing_scheduled_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Hearing #{self.pk} ({self.kind}, {self.starts_at:%Y-%m-%d})"


class CaseCodeCounter(models.Model):
    """The last case number given out each year; incremented under a row lock so that two
    cases saved at once never get the same code."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case code counter")
        verbose_name_plural = _("case code counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class OpposingFiling(TimeStampedModel):
    """A filing by the other party (usually DHS) as received by the court: it starts the
    10-day response period (ICPM ch. 3.1(b))."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="opposing_filings"
    )
    received_on = models.DateField(_("received by the court"))
    # Often names the client or what the other party argues: encrypted. The column is text; the
    # validator keeps the 200-character limit on the clear value (full_clean, model forms).
    description = EncryptedCharField(
        _("description"), max_length=200, blank=True, validators=[MaxLengthValidator(200)]
    )

    class Meta:
        verbose_name = _("filing by the other party")
        verbose_name_plural = _("filings by the other party")
        ordering = ["received_on"]

    def __str__(self) -> str:
        return f"Filing #{self.pk} ({self.received_on})"


class CaseEvent(models.Model):
    """The case's history at a glance: who did or saw what, when. Ids and codes only, never
    personal data, in `data`."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case recorded")
        IMPORTED = "imported", _("Imported from a file")
        EDITED = "edited", _("Edited")
        CONFLICT_CHECKED = "conflict_checked", _("Conflict check run")
        CONFLICT_RESOLVED = "conflict_resolved", _("Conflict hit resolved")
        SCREENED = "screened", _("Screening decided")
        PUBLISHED = "published", _("Published on the board")
        CARD_VIEWED = "card_viewed", _("Board card viewed")
        SENT = "sent", _("Sent to an attorney")
        PARTIES_REVEALED = "parties_revealed", _("Party names shown for a conflict attestation")
        REQUESTED = "requested", _("Attorney asked to take the case")
        PLACED = "placed", _("Placed")
        WITHDRAWN = "withdrawn", _("Attorney withdrew")
        ARCHIVED = "archived", _("Archived: off the working lists")
        UNARCHIVED = "unarchived", _("Back on the working lists")
        PURGED = "purged", _("Personal data purged under the retention policy")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_case_time")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class PlacementRequest(TimeStampedModel):
    """An attorney's request to take a case when the program approves placements itself."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the coordinator")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="placement_requests"
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.CASCADE,
        related_name="placement_requests",
    )
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

    class Meta:
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "attorney"],
                condition=Q(status="pending"),
                name="one_pending_request_per_attorney_and_case",
            )
        ]

    def __str__(self) -> str:
        return f"Placement request #{self.pk}"


class ConflictAttestation(models.Model):
    """An attorney saw the parties' names and attested to no conflict (the reveal is audited)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attestations"
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.CASCADE,
        related_name="conflict_attestations",
    )
    names_shown_at = models.DateTimeField(_("names shown at"), auto_now_add=True)
    attested_at = models.DateTimeField(_("no conflict attested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conflict attestation")
        verbose_name_plural = _("conflict attestations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "attorney"], name="one_attestation_per_attorney"
            )
        ]

    def __str__(self) -> str:
        return f"Attestation #{self.pk}"


class Placement(models.Model):
    """One attorney's time as attorney of record: placements and withdrawals keep the history."""

    class How(models.TextChoices):
        BOARD = "board", _("Taken from the board")
        REQUEST = "request", _("Request approved by a coordinator")
        COORDINATOR = "coordinator", _("Placed by a coordinator")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="placements"
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    how = models.CharField(_("how"), max_length=16, choices=How.choices)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    ended_at = models.DateTimeField(_("withdrawal recorded at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # May mention the client's situation: encrypted like the rest of the file.
    end_reason = EncryptedTextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="one_current_placement"
            )
        ]

    def __str__(self) -> str:
        return f"Placement #{self.pk}"
