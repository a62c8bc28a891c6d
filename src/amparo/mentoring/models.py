"""Mentoring: an attorney of record's request for an expert mentor on a case, and the
mentorship that follows (invited -> active -> closed; a declined invitation keeps its row).

The program's own steps (seeds/001): the request; the mentee's requirements checked
(EligibilityRequirement, overridable by staff with a note); the match (a Mentorship invited, then
accepted by the mentor); the mentoring agreement signed (MentoringAgreement, AgreementSignature)
and the intro video watched; the first meeting (MentoringMeeting); the mentoring through the case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimeStampedModel


class MentoringRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a match")
        PROPOSED = "proposed", _("Mentor proposed")
        MATCHED = "matched", _("Mentor assigned")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        ATTORNEY = "attorney", _("Asked by the attorney of record")
        PARTNER = "partner", _("Asked by the placing organization")
        CSV = "csv", _("Uploaded in a file by the placing organization")
        STAFF = "staff", _("Recorded by program staff")
        API = "api", _("Sent through the API")

    OPEN_STATUSES = (Status.PENDING, Status.PROPOSED, Status.MATCHED)

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="mentoring_requests",
    )
    # The mentee: the case's attorney of record when the request was made.
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney"),
        on_delete=models.PROTECT,
        related_name="mentoring_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # May describe the client's claim: encrypted like the rest of the file.
    help_wanted = EncryptedTextField(_("help wanted"), blank=True)
    languages = models.JSONField(_("languages the mentor must speak"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(
        _("how it was made"), max_length=12, choices=Source.choices, default=Source.ATTORNEY
    )
    # The last evaluation of the program's requirements (with overrides), kept for the queue;
    # pages that explain the items evaluate them again.
    eligibility_ok = models.BooleanField(_("meets the requirements"), null=True, blank=True)
    eligibility_checked_at = models.DateTimeField(
        _("requirements checked at"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("withdrawn or closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentoring request")
        verbose_name_plural = _("mentoring requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["pending", "proposed", "matched"]),
                name="one_open_mentoring_request_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Mentoring request #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def language_labels(self) -> list[str]:
        from amparo.people.models import Language

        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages or []]


class Mentorship(TimeStampedModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        DECLINED = "declined", _("Declined by the mentor")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    request = models.ForeignKey(
        MentoringRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentor",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentee",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.INVITED
    )
    score = models.FloatField(_("match score"), default=0)
    reasons = models.JSONField(_("why this mentor"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("mentor answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["invited", "active"]),
                name="one_current_mentorship_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Mentorship #{self.pk}"

    # A mentor's load: the mentorships that take a place of their capacity.
    LOAD_STATUSES = (Status.INVITED, Status.ACTIVE)


def _in_language(english: str, spanish: str) -> str:
    language = (get_language() or "en")[:2]
    return spanish if language == "es" and spanish else english


class EligibilityRequirement(TimeStampedModel):
    """One of the program's mentee requirements, kept in the admin (seeds/001: "VECINA
    double-checks that you meet our mentee requirements")."""

    class Kind(models.TextChoices):
        BAR_VERIFIED = "bar_verified", _("Bar standing verified")
        TRAINING_COMPLETED = "training_completed", _("Training completed")
        ATTORNEY_OF_RECORD = "attorney_of_record", _("Attorney of record on the case")
        CASE_TYPE_IN_SCOPE = "case_type_in_scope", _("Case type in scope")
        HEARING_AT_LEAST_DAYS = "hearing_at_least_days", _("Individual hearing far enough away")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    course = models.ForeignKey(
        "trainings.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "For a training requirement: the course the mentee must have completed. Empty: every "
            "course of the trainings gate “Be matched with a mentor”."
        ),
    )
    case_types = models.JSONField(
        _("case types in scope"),
        default=list,
        blank=True,
        help_text=_('For a case-type requirement, e.g. ["defensive_asylum"].'),
    )
    min_days = models.PositiveSmallIntegerField(
        _("minimum days before the individual hearing"),
        null=True,
        blank=True,
        help_text=_("For a hearing requirement: the individual hearing is at least this far away."),
    )
    label_en = models.CharField(
        _("name shown (English)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: a name is written from the kind."),
    )
    label_es = models.CharField(_("name shown (Spanish)"), max_length=200, blank=True)
    how_to_fix_en = models.TextField(
        _("how to meet it (English)"),
        blank=True,
        help_text=_("Shown to the mentee when the item is not met. Empty: a standard sentence."),
    )
    how_to_fix_es = models.TextField(_("how to meet it (Spanish)"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mentee requirement")
        verbose_name_plural = _("mentee requirements")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="hearing_at_least_days") | Q(min_days__isnull=False),
                name="hearing_requirement_has_days",
            ),
        ]

    def __str__(self) -> str:
        return self.label_en or str(self.get_kind_display())

    def clean(self) -> None:
        from amparo.cases.models import CaseType

        if self.kind == self.Kind.HEARING_AT_LEAST_DAYS and self.min_days is None:
            raise ValidationError({"min_days": _("Give the number of days.")})
        if self.kind == self.Kind.CASE_TYPE_IN_SCOPE:
            if not isinstance(self.case_types, list) or not self.case_types:
                raise ValidationError({"case_types": _("List at least one case type.")})
            unknown = [t for t in self.case_types if t not in CaseType.values]
            if unknown:
                raise ValidationError(
                    {
                        "case_types": _("Unknown case types: %(types)s. Use: %(known)s.")
                        % {
                            "types": ", ".join(map(str, unknown)),
                            "known": ", ".join(CaseType.values),
                        }
                    }
                )
        if self.course_id and self.kind != self.Kind.TRAINING_COMPLETED:
            raise ValidationError({"course": _("Only a training requirement names a course.")})

    @property
    def custom_label(self) -> str:
        return _in_language(self.label_en, self.label_es)

    @property
    def custom_how_to_fix(self) -> str:
        return _in_language(self.how_to_fix_en, self.how_to_fix_es)


class EligibilityOverride(models.Model):
    """Program staff accept a request although one requirement is not met, and say why."""

    request = models.ForeignKey(
        MentoringRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    requirement = models.ForeignKey(
        EligibilityRequirement,
        verbose_name=_("requirement"),
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("why"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("requirement override")
        verbose_name_plural = _("requirement overrides")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "requirement"], name="one_override_per_request_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"Override #{self.pk}"


class MentoringAgreementQuerySet(models.QuerySet["MentoringAgreement"]):
    def published(self) -> MentoringAgreementQuerySet:
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def current(self) -> MentoringAgreement | None:
        """The latest published version: the one a mentee signs today."""
        return self.published().order_by("-published_at", "-version").first()


class MentoringAgreement(TimeStampedModel):
    """A version of the mentoring agreement, in English and Spanish. Once someone has signed it
    its text is frozen (the admin shows it read-only): changes are a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_en = models.TextField(_("text (English)"))
    text_es = models.TextField(_("text (Spanish)"))
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Empty: a draft. The latest published version is the one mentees sign."),
    )

    objects = MentoringAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring agreement")
        verbose_name_plural = _("mentoring agreements")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Mentoring agreement v{self.version}"

    def text_in(self, language: str) -> str:
        return self.text_es if language == "es" else self.text_en


class AgreementSignature(models.Model):
    """A mentee's e-signature of one version of the agreement: the typed name, when, from where,
    and the SHA-256 of the exact text they were shown (in the language they signed)."""

    agreement = models.ForeignKey(
        MentoringAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.PROTECT,
        related_name="mentoring_agreement_signatures",
    )
    # The mentorship (or the request, before a mentor is matched) it was signed for.
    mentorship = models.ForeignKey(
        Mentorship,
        verbose_name=_("mentorship"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatures",
    )
    request = models.ForeignKey(
        MentoringRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatures",
    )
    typed_name = models.CharField(_("name typed"), max_length=200)
    language = models.CharField(
        _("language signed"), max_length=8, choices=[("en", _("English")), ("es", _("Spanish"))]
    )
    sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "mentee"], name="one_signature_per_mentee_and_version"
            )
        ]

    def __str__(self) -> str:
        return f"Signature #{self.pk} (v{self.agreement_id})"


class MentoringMeeting(TimeStampedModel):
    """A meeting of mentor and mentee, in person or by video (seeds/001 step 5)."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")

    mentorship = models.ForeignKey(
        Mentorship,
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"))
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video call link"), max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_first = models.BooleanField(_("first meeting"), default=False)
    held_logged_at = models.DateTimeField(_("logged as held at"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What was discussed may be about the client's claim: encrypted like the file.
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("mentoring meeting")
        verbose_name_plural = _("mentoring meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="in_person") | ~Q(place=""), name="in_person_meeting_has_place"
            ),
            models.CheckConstraint(
                condition=~Q(mode="video") | ~Q(video_link=""), name="video_meeting_has_link"
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting #{self.pk} ({self.starts_at:%Y-%m-%d})"

    @property
    def held(self) -> bool:
        return self.held_logged_at is not None
