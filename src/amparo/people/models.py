from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimeStampedModel


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    FRENCH = "fr", _("French")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    KICHE = "quc", _("K'iche'")
    MAM = "mam", _("Mam")
    QANJOBAL = "kjb", _("Q'anjob'al")
    ARABIC = "ar", _("Arabic")
    RUSSIAN = "ru", _("Russian")
    MANDARIN = "zh", _("Mandarin")
    PUNJABI = "pa", _("Punjabi")


class Interest(models.TextChoices):
    ASYLUM = "asylum", _("Asylum")
    CHILDREN = "children", _("Children")
    DETAINED = "detained", _("Detained clients")
    U_VISA = "u_visa", _("U visa")


class Jurisdiction(models.TextChoices):
    """Where a lawyer can be admitted to the bar: the states, D.C. and the territories."""

    AL = "AL", _("Alabama")
    AK = "AK", _("Alaska")
    AZ = "AZ", _("Arizona")
    AR = "AR", _("Arkansas")
    CA = "CA", _("California")
    CO = "CO", _("Colorado")
    CT = "CT", _("Connecticut")
    DE = "DE", _("Delaware")
    DC = "DC", _("District of Columbia")
    FL = "FL", _("Florida")
    GA = "GA", _("Georgia")
    HI = "HI", _("Hawaii")
    ID = "ID", _("Idaho")
    IL = "IL", _("Illinois")
    IN = "IN", _("Indiana")
    IA = "IA", _("Iowa")
    KS = "KS", _("Kansas")
    KY = "KY", _("Kentucky")
    LA = "LA", _("Louisiana")
    ME = "ME", _("Maine")
    MD = "MD", _("Maryland")
    MA = "MA", _("Massachusetts")
    MI = "MI", _("Michigan")
    MN = "MN", _("Minnesota")
    MS = "MS", _("Mississippi")
    MO = "MO", _("Missouri")
    MT = "MT", _("Montana")
    NE = "NE", _("Nebraska")
    NV = "NV", _("Nevada")
    NH = "NH", _("New Hampshire")
    NJ = "NJ", _("New Jersey")
    NM = "NM", _("New Mexico")
    NY = "NY", _("New York")
    NC = "NC", _("North Carolina")
    ND = "ND", _("North Dakota")
    OH = "OH", _("Ohio")
    OK = "OK", _("Oklahoma")
    OR = "OR", _("Oregon")
    PA = "PA", _("Pennsylvania")
    RI = "RI", _("Rhode Island")
    SC = "SC", _("South Carolina")
    SD = "SD", _("South Dakota")
    TN = "TN", _("Tennessee")
    TX = "TX", _("Texas")
    UT = "UT", _("Utah")
    VT = "VT", _("Vermont")
    VA = "VA", _("Virginia")
    WA = "WA", _("Washington")
    WV = "WV", _("West Virginia")
    WI = "WI", _("Wisconsin")
    WY = "WY", _("Wyoming")
    AS = "AS", _("American Samoa")
    GU = "GU", _("Guam")
    MP = "MP", _("Northern Mariana Islands")
    PR = "PR", _("Puerto Rico")
    VI = "VI", _("U.S. Virgin Islands")


class VerificationMethod(models.TextChoices):
    """How a coordinator checked bar standing (stored in AttorneyProfile.verification_method)."""

    STATE_BAR_LOOKUP = "state_bar_lookup", _("State bar online lookup")
    CERTIFICATE = "certificate", _("Certificate of good standing")
    PHONE_CALL = "phone_call", _("Phone call to the state bar")
    OTHER = "other", _("Other")


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        OPERATOR = "operator", _("Operating organization")
        PARTNER = "partner", _("Partner nonprofit")
        LAW_FIRM = "law_firm", _("Law firm")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=80, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            # One installation serves one operating organization.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="operator"), name="one_operator_organization"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AttorneyProfile(TimeStampedModel):
    class Verification(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")

    class Experience(models.TextChoices):
        NONE = "none", _("No immigration experience")
        SOME = "some", _("One to three immigration cases")
        EXPERIENCED = "experienced", _("More than three immigration cases")

    class BoardDigest(models.TextChoices):
        NONE = "none", _("No e-mail")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="attorney_profile",
    )
    firm = models.ForeignKey(
        Organization,
        verbose_name=_("law firm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attorneys",
        limit_choices_to={"kind": Organization.Kind.LAW_FIRM},
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    experience = models.CharField(
        _("immigration experience"), max_length=16, choices=Experience.choices, default="none"
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (active cases at once)"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(25)],
    )
    malpractice_coverage = models.BooleanField(
        _("malpractice coverage for immigration work"), default=False
    )
    verification_status = models.CharField(
        _("verification"), max_length=16, choices=Verification.choices, default="pending"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_method = models.CharField(
        _("how bar standing was verified"), max_length=200, blank=True
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    # Names of third parties (the attorney's firm's clients, people they cannot act against):
    # encrypted; the conflict check searches them through blind-index hashes (conflicts app).
    declared_conflicts = EncryptedTextField(
        _("declared conflicts"),
        blank=True,
        help_text=_("Names of people or organizations the attorney cannot act against."),
    )
    # Why the program declined or suspended the attorney (sent to them; who and when are in the
    # audit log).
    status_reason = models.TextField(_("reason for declining or suspending"), blank=True)
    # When the volunteer agreed to the sign-up form's terms (checking bar standing, storing data).
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    board_digest = models.CharField(
        _("e-mail of new board cases"),
        max_length=8,
        choices=BoardDigest.choices,
        default=BoardDigest.NONE,
    )
    # The board digest lists only cases in these courts (and cases with no court, such as
    # affirmative filings with USCIS); none chosen means any court.
    courts = models.ManyToManyField(
        "courts.ImmigrationCourt",
        verbose_name=_("courts where I can appear"),
        blank=True,
        related_name="attorneys",
    )
    # When the last board digest went out: the next one lists cases published after it.
    board_digest_sent_at = models.DateTimeField(
        _("last board digest sent at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("attorney profile")
        verbose_name_plural = _("attorney profiles")
        indexes = [
            # The verification queue and its count on the coordinator's dashboard.
            models.Index(
                fields=["verification_status", "created_at"], name="attorney_status_created"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(verification_status="verified")
                | (Q(verified_by__isnull=False) & Q(verified_at__isnull=False)),
                name="verified_attorney_records_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    def verification_method_label(self) -> str:
        labels = dict(VerificationMethod.choices)
        method = self.verification_method
        return str(labels.get(method, method))

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    def interest_labels(self) -> list[str]:
        labels = dict(Interest.choices)
        return [str(labels.get(code, code)) for code in self.interests]


class BarAdmission(models.Model):
    attorney = models.ForeignKey(
        AttorneyProfile,
        verbose_name=_("attorney"),
        on_delete=models.CASCADE,
        related_name="bar_admissions",
    )
    state = models.CharField(_("state"), max_length=2)
    bar_number = models.CharField(_("bar number"), max_length=40)
    year_admitted = models.PositiveSmallIntegerField(
        _("year admitted"), validators=[MinValueValidator(1940), MaxValueValidator(2100)]
    )
    in_good_standing = models.BooleanField(_("in good standing"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bar admission")
        verbose_name_plural = _("bar admissions")
        ordering = ["state"]
        constraints = [
            # A bar number belongs to one attorney.
            models.UniqueConstraint(
                fields=["state", "bar_number"], name="bar_number_unique_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} #{self.bar_number} ({self.year_admitted})"


class MentorProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mentor_profile",
    )
    expertise = models.JSONField(_("expertise (case types)"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    courts = models.ManyToManyField(
        "courts.ImmigrationCourt", verbose_name=_("courts"), blank=True, related_name="mentors"
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity (mentees at once)"), default=3, validators=[MaxValueValidator(50)]
    )
    hourly_rate = models.DecimalField(_("hourly rate (USD)"), max_digits=7, decimal_places=2)
    active = models.BooleanField(_("active"), default=True)
    bio = models.TextField(_("biography"), blank=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="mentor_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)
