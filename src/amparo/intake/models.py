"""Clients and the people around them. Personal data is encrypted at rest (core/fields.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from amparo.core.models import TimeStampedModel


class Client(TimeStampedModel):
    given_names = EncryptedCharField(_("given names"))
    family_names = EncryptedCharField(_("family names"))
    a_number = EncryptedCharField(_("A-number"), blank=True)
    # Keyed hash of the normalised A-number: lets staff find a client by A-number without the
    # number ever being stored in the clear.
    a_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedCharField(_("phone"), blank=True)
    email = EncryptedCharField(_("e-mail"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    country_of_nationality = models.CharField(_("country of nationality"), max_length=2)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=True)
    # PRODUCT/DEADLINE-RULES section 7: these override every outbound communication.
    safe_mailing_address = EncryptedTextField(_("safe mailing address"), blank=True)
    do_not_contact_at_home = models.BooleanField(_("do not contact at home"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs, admin histories and error pages.
        return f"Client #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()


class FamilyMember(TimeStampedModel):
    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="family_members"
    )
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    given_names = EncryptedCharField(_("given names"))
    family_names = EncryptedCharField(_("family names"))
    a_number = EncryptedCharField(_("A-number"), blank=True)
    a_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedCharField(_("phone"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    married = models.BooleanField(_("married"), default=False)
    in_united_states = models.BooleanField(_("in the United States"), default=True)
    is_derivative = models.BooleanField(_("derivative or co-respondent"), default=False)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"Family member #{self.pk} ({self.relationship})"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()


class AdverseParty(TimeStampedModel):
    class Kind(models.TextChoices):
        PERPETRATOR = "perpetrator", _("Perpetrator")
        PERSECUTOR = "persecutor", _("Persecutor")
        ABUSER = "abuser", _("Abuser")
        OTHER = "other", _("Other")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="adverse_parties"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = EncryptedCharField(_("name"))
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedCharField(_("phone"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    is_organization = models.BooleanField(_("is an organization"), default=False)

    class Meta:
        verbose_name = _("adverse party")
        verbose_name_plural = _("adverse parties")

    def __str__(self) -> str:
        return f"Adverse party #{self.pk} ({self.kind})"


class Screening(TimeStampedModel):
    """The screening checklist of one case and its decision (merits notes stay confidential)."""

    class Decision(models.TextChoices):
        PENDING = "", _("Not decided")
        READY = "ready", _("Ready for placement")
        REFER_OUT = "refer_out", _("Refer out")
        DECLINE = "decline", _("Decline")

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="screening"
    )
    # {item key: {"answer": "yes"|"no"|"unknown", "note": str}}; items are defined per case type
    # in intake/screening.py. Notes may hold merits facts: the column is encrypted.
    answers = EncryptedTextField(_("checklist answers"), blank=True)
    merits_notes = EncryptedTextField(_("merits notes (confidential)"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, blank=True, default=""
    )
    # Why the case is referred out or declined: it tells the client's situation, encrypted.
    reason = EncryptedTextField(_("reason"), blank=True)
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
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"Screening #{self.pk}"


class CaseImportJob(TimeStampedModel):
    """A confirmed import, saved in the background so a 10,000-row file does not hold the
    request: the person watches its progress and learns the result on the job's page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Saving")
        DONE = "done", _("Saved")
        FAILED = "failed", _("Not saved")

    # The page's address: unguessable, and only its creator may open it (intake/policy.py).
    token = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    file_format = models.CharField(max_length=8)
    # The file (compressed, encrypted); emptied as soon as the job finishes.
    content = EncryptedTextField(blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    case_count = models.PositiveIntegerField(default=0)
    # The problems that stopped the save (they may quote the file's cells): encrypted JSON.
    problems = EncryptedTextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case import")
        verbose_name_plural = _("case imports")

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
