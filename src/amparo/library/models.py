"""The sample-materials library, its notifications and the strategy notes.

Library documents are the program's sample materials (briefs, templates, declarations,
country-conditions packets, checklists), never client files: they hold no personal data, so
they are not encrypted; they are still served only through a permission-checked view.

Titles and descriptions have an English and a Spanish field; at least one title is required and
each page shows the user's language, falling back to the other one. `language` is the language
the document itself is written in, which is what attorneys filter on.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from amparo.cases.models import CaseType
from amparo.core.models import TimeStampedModel
from amparo.library.filetypes import LIBRARY_TYPES, FileType
from amparo.people.models import Language


def search_normalize(text: str) -> str:
    """Lower case, accents and marks removed, spaces collapsed: "Índice  País" -> "indice pais"."""
    return " ".join(unidecode(text).casefold().split())


def _in_language(english: str, spanish: str) -> str:
    """The text in the active language, or the other one when that one is empty."""
    if get_language() == "es":
        return spanish or english
    return english or spanish


class DocumentKind(models.TextChoices):
    BRIEF = "brief", _("Brief")
    TEMPLATE = "template", _("Template")
    DECLARATION = "declaration", _("Declaration")
    COUNTRY_CONDITIONS = "country_conditions", _("Country-conditions packet")
    CHECKLIST = "checklist", _("Checklist")


class Topic(models.Model):
    """A legal topic documents are tagged with (particular social group, one-year bar...).

    The list starts with the topics a migration loads; staff add more in the admin."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_es)


class Document(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    language = models.CharField(
        _("language of the document"), max_length=8, choices=Language.choices
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Two-letter code (for example GT), for country-specific materials."),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="documents"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Titles and descriptions in both languages, normalized (search_normalize) so that "indice"
    # finds "Índice" on SQLite as on PostgreSQL. Written by the services with the text.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="") | ~Q(title_es=""), name="library_document_has_title"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in DocumentKind]),
                name="library_document_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_es

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_es)

    @property
    def description(self) -> str:
        return _in_language(self.description_en, self.description_es)

    def searchable_text(self) -> str:
        return search_normalize(
            " ".join((self.title_en, self.title_es, self.description_en, self.description_es))
        )


class DocumentCaseType(models.Model):
    """A case type a document is meant for (a document may serve several)."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="case_types"
    )
    case_type = models.CharField(_("case type"), max_length=24, choices=CaseType.choices)

    class Meta:
        verbose_name = _("document case type")
        verbose_name_plural = _("document case types")
        ordering = ["case_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "case_type"], name="library_document_case_type_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.case_type}"


def version_upload_to(instance: DocumentVersion, filename: str) -> str:
    """A name the uploader does not choose: the original name is kept in `original_name`."""
    return (
        f"library/{instance.document_id}/v{instance.number}-{uuid.uuid4().hex}.{instance.file_type}"
    )


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_upload_to, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    file_type = models.CharField(
        _("file type"),
        max_length=8,
        choices=[(t.value, t.name) for t in FileType if t in LIBRARY_TYPES],
    )
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    notes = models.TextField(_("what changed"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="library_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="library_version_number_min"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentDownload(models.Model):
    """Who downloaded which version, when: whom to tell when a newer version is published."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="library_downloads",
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    downloaded_at = models.DateTimeField(_("downloaded"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("document download")
        verbose_name_plural = _("document downloads")
        ordering = ["-downloaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.version} {self.downloaded_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """Something in the library a user should know about, shown in the app and e-mailed in the
    daily digest unless read first. The message is rendered in the reader's language from
    `kind` and `params` (titles in both languages, the version number), not stored as text."""

    class Kind(models.TextChoices):
        NEW_VERSION = "library.new_version", _("New version of a library document")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="library_notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300)
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One notice per person per published version, however often it is re-published.
            models.UniqueConstraint(
                fields=["user", "version"], name="library_notification_once_per_version"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="library_notif_unread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d}"

    @property
    def message(self) -> str:
        """The sentence in the active language (translation.override it for e-mails)."""
        params: dict[str, Any] = self.params or {}
        if self.kind == self.Kind.NEW_VERSION:
            title = _in_language(params.get("title_en", ""), params.get("title_es", ""))
            return gettext(
                "Version %(number)s of “%(title)s” is published; you downloaded an earlier version."
            ) % {"number": params.get("number", "?"), "title": title}
        return str(self.get_kind_display())

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class StrategyNote(models.Model):
    """The program's "how we do it" for one case type, optionally for one milestone of its plan.

    A note tied to a milestone template item is shown beside the case-plan milestones created
    from that item; a note without one is general guidance for the case type."""

    case_type = models.CharField(_("case type"), max_length=24, choices=CaseType.choices)
    milestone_item = models.ForeignKey(
        "deadlines.MilestoneTemplateItem",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("strategy note")
        verbose_name_plural = _("strategy notes")
        ordering = ["case_type", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="") | ~Q(title_es=""), name="strategy_note_has_title"
            ),
            models.CheckConstraint(
                condition=~Q(body_en="") | ~Q(body_es=""), name="strategy_note_has_text"
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_es

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_es)

    @property
    def body(self) -> str:
        return _in_language(self.body_en, self.body_es)


class StrategyNoteRevision(models.Model):
    """Each saved state of a note, kept for good: who changed what, when."""

    note = models.ForeignKey(
        StrategyNote, verbose_name=_("note"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    case_type = models.CharField(_("case type"), max_length=24, choices=CaseType.choices)
    milestone_item = models.ForeignKey(
        "deadlines.MilestoneTemplateItem",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)

    class Meta:
        verbose_name = _("strategy note revision")
        verbose_name_plural = _("strategy note revisions")
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="strategy_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.note_id} r{self.number}"

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_es)

    @property
    def body(self) -> str:
        return _in_language(self.body_en, self.body_es)
