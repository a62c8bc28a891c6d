"""The blind index of party names and the conflict hits a coordinator resolves.

No name is ever stored here in the clear: the index holds keyed hashes (HMAC) of normalised name
parts, and a hit says *which* records met and why, in words that never quote a name. The note a
coordinator writes may name people, so it is encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField


class PartyType(models.TextChoices):
    CLIENT = "client", _("Client")
    FAMILY_MEMBER = "family_member", _("Family member")
    ADVERSE_PARTY = "adverse_party", _("Adverse party")
    DECLARED_CONFLICT = "declared_conflict", _("Attorney's declared conflict")


class PartyNameToken(models.Model):
    """The keyed hash of one name part's blocking token (the sound-alike key of the normalised
    part, or its consonant outline: conflicts/domain/names.py) for one party, or the pair hash of
    two of them (services/indexing.py: a check looks up pairs, so that very common parts alone
    never bring in tens of thousands of rows).

    `party_id` is the Client, FamilyMember or AdverseParty id, or the AttorneyProfile id for a
    declared conflict, whose line is `entry`. `client_id` (no foreign key, so bulk loads and
    deletions stay cheap) is the client the party belongs to, so a check skips the case's own
    people. `part_count` is how many parts the whole name has (one-word names are only compared
    with one-word names) and `initials` how many of them are initials, which are not indexed.
    """

    party_type = models.CharField(_("party type"), max_length=20, choices=PartyType.choices)
    party_id = models.PositiveBigIntegerField(_("party id"))
    entry = models.PositiveSmallIntegerField(_("line of the declared conflicts"), default=0)
    client_id = models.PositiveBigIntegerField(_("client id"), null=True, blank=True)
    part_count = models.PositiveSmallIntegerField(_("number of name parts"), default=0)
    initials = models.PositiveSmallIntegerField(_("number of initials in the name"), default=0)
    token_hash = models.CharField(_("token hash"), max_length=64)

    class Meta:
        verbose_name = _("party name token")
        verbose_name_plural = _("party name tokens")
        indexes = [
            # The index on token_hash, covering every column a check reads: the check groups
            # the rows of its tokens by party inside the index, without reading the table
            # (2.4 times faster on 300,000 parties than a plain index on token_hash).
            models.Index(
                fields=[
                    "token_hash",
                    "client_id",
                    "party_type",
                    "party_id",
                    "entry",
                    "part_count",
                    "initials",
                ],
                name="party_token_lookup",
            ),
            # The rows of parties with initials in their names, which a check looks up by token
            # even when they share only one part with the person (search._shared_parts).
            models.Index(
                fields=[
                    "token_hash",
                    "client_id",
                    "party_type",
                    "party_id",
                    "entry",
                    "part_count",
                    "initials",
                ],
                condition=Q(initials__gt=0),
                name="party_token_with_initials",
            ),
            # Replacing one party's tokens.
            models.Index(fields=["party_type", "party_id"], name="party_token_party"),
        ]
        # No unique constraint: services write each party's tokens as a set, and on 300,000
        # parties its index would cost as much as the table.

    def __str__(self) -> str:
        return f"{self.party_type} #{self.party_id}: {self.token_hash[:8]}…"


class ConflictHit(models.Model):
    """A person of a case whose name likely matches a party already on record."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLEARED = "cleared", _("Cleared")
        CONFIRMED = "confirmed", _("Confirmed")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="conflict_hits",
    )
    subject_type = models.CharField(_("who was entered"), max_length=20, choices=PartyType.choices)
    subject_id = models.PositiveBigIntegerField(_("id of who was entered"))
    # A role, never a name: "Client", "Adverse party (perpetrator)".
    subject_label = models.CharField(_("role of who was entered"), max_length=80)
    matched_type = models.CharField(
        _("matched party type"), max_length=20, choices=PartyType.choices
    )
    matched_id = models.PositiveBigIntegerField(_("matched party id"))
    matched_entry = models.PositiveSmallIntegerField(_("line of the declared conflicts"), default=0)
    matched_label = models.CharField(_("role of the matched party"), max_length=80, blank=True)
    matched_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("matched case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matched_attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attorney who declared the conflict"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.FloatField(_("score"))
    why_en = models.TextField(_("why (English)"))
    why_es = models.TextField(_("why (Spanish)"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict hit")
        verbose_name_plural = _("conflict hits")
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["case", "status"], name="conflict_hit_case_status")]
        constraints = [
            # Re-running a check updates a hit instead of adding the same pair again.
            models.UniqueConstraint(
                fields=[
                    "case",
                    "subject_type",
                    "subject_id",
                    "matched_type",
                    "matched_id",
                    "matched_entry",
                ],
                name="conflict_hit_one_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(resolved_by__isnull=False) & Q(resolved_at__isnull=False)),
                name="resolved_conflict_hit_records_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="conflict_hit_score_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict hit #{self.pk} ({self.status}, {self.score:.0%})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)
