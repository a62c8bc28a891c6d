"""Writes for the library: documents and their versions, downloads, notifications and the
strategy notes with their revision history. The views ask the policy before calling them.

Publishing a version tells, in the same transaction, everyone who downloaded an earlier version
of the document (an in-app notification; the daily digest e-mails what is still unread).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import CaseType
from amparo.core.storage import display_filename
from amparo.deadlines.models import MilestoneTemplateItem
from amparo.intake.imports import ISO_COUNTRY_CODES
from amparo.library.models import (
    Document,
    DocumentCaseType,
    DocumentDownload,
    DocumentKind,
    DocumentVersion,
    Notification,
    StrategyNote,
    StrategyNoteRevision,
    Topic,
)
from amparo.library.policy import is_library_reader
from amparo.library.uploads import upload_check
from amparo.people.models import Language


def _sha256(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _clean_document_fields(
    *, kind: str, title_en: str, title_es: str, language: str, country: str
) -> None:
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose a kind of document.")
    if not (title_en.strip() or title_es.strip()):
        errors["title_en"] = _("Give the document a title in English or in Spanish.")
    if language not in Language.values:
        errors["language"] = _("Choose the language the document is written in.")
    if country and country not in ISO_COUNTRY_CODES:
        errors["country"] = _("Use the two-letter country code, for example GT or HN.")
    if errors:
        raise ValidationError(errors)


def _set_tags(*, document: Document, case_types: Iterable[str], topics: Iterable[Topic]) -> None:
    wanted = sorted(set(case_types))
    DocumentCaseType.objects.filter(document=document).exclude(case_type__in=wanted).delete()
    existing = set(
        DocumentCaseType.objects.filter(document=document).values_list("case_type", flat=True)
    )
    DocumentCaseType.objects.bulk_create(
        DocumentCaseType(document=document, case_type=case_type)
        for case_type in wanted
        if case_type not in existing
    )
    document.topics.set(list(topics))


def document_create(
    *,
    actor: Any,
    kind: str,
    title_en: str,
    title_es: str,
    description_en: str = "",
    description_es: str = "",
    language: str,
    country: str = "",
    case_types: Iterable[str] = (),
    topics: Iterable[Topic] = (),
    file: Any,
    notes: str = "",
) -> Document:
    """A new library document with its first version. Nothing is written if the file is
    refused or a field is wrong."""
    country = country.strip().upper()
    _clean_document_fields(
        kind=kind, title_en=title_en, title_es=title_es, language=language, country=country
    )
    upload_check(file)
    stored: list[str] = []
    try:
        with transaction.atomic():
            document = Document(
                kind=kind,
                title_en=title_en.strip(),
                title_es=title_es.strip(),
                description_en=description_en.strip(),
                description_es=description_es.strip(),
                language=language,
                country=country,
                created_by=actor,
            )
            document.search_text = document.searchable_text()
            document.save()
            _set_tags(document=document, case_types=case_types, topics=topics)
            _version_create(
                document=document, actor=actor, file=file, notes=notes, number=1, stored=stored
            )
    except Exception:
        _remove_stored(stored)
        raise
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    actor: Any,
    kind: str,
    title_en: str,
    title_es: str,
    description_en: str,
    description_es: str,
    language: str,
    country: str,
    case_types: Iterable[str],
    topics: Iterable[Topic],
) -> Document:
    """Change a document's description and tags (its files change by publishing a version)."""
    country = country.strip().upper()
    _clean_document_fields(
        kind=kind, title_en=title_en, title_es=title_es, language=language, country=country
    )
    document.kind = kind
    document.title_en = title_en.strip()
    document.title_es = title_es.strip()
    document.description_en = description_en.strip()
    document.description_es = description_es.strip()
    document.language = language
    document.country = country
    document.search_text = document.searchable_text()
    document.save()
    _set_tags(document=document, case_types=case_types, topics=topics)
    return document


def _version_create(
    *, document: Document, actor: Any, file: Any, notes: str, number: int, stored: list[str]
) -> DocumentVersion:
    checked = upload_check(file)
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=display_filename(getattr(file, "name", ""), fallback=f"v{number}"),
        file_type=checked.file_type.value,
        size=checked.size,
        sha256=_sha256(file),
        notes=notes.strip(),
        uploaded_by=actor,
        published_at=timezone.now(),
    )
    # version_upload_to names the stored file itself: the sender's name never reaches the disk.
    version.file.save(f"v{number}.{checked.file_type.value}", file, save=False)
    stored.append(version.file.name or "")
    version.save()
    return version


def _remove_stored(names: list[str]) -> None:
    """Files written to the storage by a write that then failed: nothing of it stays on disk."""
    storage = DocumentVersion._meta.get_field("file").storage
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)


def document_version_publish(
    *, document: Document, actor: Any, file: Any, notes: str
) -> DocumentVersion:
    """Publish the next version of a document and tell everyone who downloaded an earlier one.

    The document row is locked so that two staff members publishing at once get versions N and
    N+1, never two versions N."""
    if not notes.strip():
        raise ValidationError({"notes": _("Say what changed in this version.")})
    upload_check(file)
    stored: list[str] = []
    try:
        with transaction.atomic():
            Document.objects.select_for_update().filter(pk=document.pk).first()
            latest = document.versions.aggregate(latest=Max("number"))["latest"] or 0
            version = _version_create(
                document=document,
                actor=actor,
                file=file,
                notes=notes,
                number=latest + 1,
                stored=stored,
            )
            document.save(update_fields=["updated_at"])
            notifications_create_for_new_version(version=version, actor=actor)
    except Exception:
        _remove_stored(stored)
        raise
    return version


def notifications_create_for_new_version(*, version: DocumentVersion, actor: Any) -> int:
    """One notification per person who downloaded an earlier version of the document and may
    still read the library (not the person who published it). Returns how many were created."""
    document = version.document
    user_ids = set(
        DocumentDownload.objects.filter(
            version__document=document, version__number__lt=version.number
        ).values_list("user_id", flat=True)
    )
    user_ids.discard(getattr(actor, "pk", None))
    if not user_ids:
        return 0
    readers = [
        user
        for user in User.objects.filter(pk__in=user_ids, is_active=True).select_related(
            "attorney_profile"
        )
        if is_library_reader.test(user)
    ]
    link = reverse("library:document_detail", args=[document.pk])
    params = {"title_en": document.title_en, "title_es": document.title_es}
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=Notification.Kind.NEW_VERSION,
                params={**params, "number": version.number},
                link=link,
                version=version,
            )
            for user in readers
        ],
        ignore_conflicts=True,
    )
    return len(created)


def document_download_record(*, version: DocumentVersion, user: Any) -> DocumentDownload:
    return DocumentDownload.objects.create(version=version, user=user)


def notifications_mark_read(*, user: Any, document: Document | None = None) -> int:
    """Mark the user's unread notifications as read (those about one document, or all)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if document is not None:
        unread = unread.filter(version__document=document)
    return unread.update(read_at=timezone.now())


# --- strategy notes ------------------------------------------------------------------------
def _clean_note(
    *, case_type: str, milestone_item: MilestoneTemplateItem | None, fields: dict[str, str]
) -> None:
    errors: dict[str, str] = {}
    if case_type not in CaseType.values:
        errors["case_type"] = _("Choose a case type.")
    elif milestone_item is not None and milestone_item.template.case_type != case_type:
        errors["milestone_item"] = _("Choose a milestone of this case type's plan.")
    if not (fields["title_en"] or fields["title_es"]):
        errors["title_en"] = _("Give the note a title in English or in Spanish.")
    if not (fields["body_en"] or fields["body_es"]):
        errors["body_en"] = _("Write the note in English or in Spanish.")
    if errors:
        raise ValidationError(errors)


def _revision_add(*, note: StrategyNote, actor: Any) -> StrategyNoteRevision:
    latest = note.revisions.aggregate(latest=Max("number"))["latest"] or 0
    return StrategyNoteRevision.objects.create(
        note=note,
        number=latest + 1,
        case_type=note.case_type,
        milestone_item=note.milestone_item,
        title_en=note.title_en,
        title_es=note.title_es,
        body_en=note.body_en,
        body_es=note.body_es,
        edited_by=actor,
        edited_at=note.updated_at,
    )


@transaction.atomic
def strategy_note_create(
    *,
    actor: Any,
    case_type: str,
    milestone_item: MilestoneTemplateItem | None = None,
    order: int = 0,
    title_en: str = "",
    title_es: str = "",
    body_en: str = "",
    body_es: str = "",
) -> StrategyNote:
    fields = {
        "title_en": title_en.strip(),
        "title_es": title_es.strip(),
        "body_en": body_en.strip(),
        "body_es": body_es.strip(),
    }
    _clean_note(case_type=case_type, milestone_item=milestone_item, fields=fields)
    now = timezone.now()
    note = StrategyNote.objects.create(
        case_type=case_type,
        milestone_item=milestone_item,
        order=order,
        updated_by=actor,
        updated_at=now,
        created_at=now,
        **fields,
    )
    _revision_add(note=note, actor=actor)
    return note


@transaction.atomic
def strategy_note_update(
    *,
    note: StrategyNote,
    actor: Any,
    milestone_item: MilestoneTemplateItem | None,
    order: int,
    title_en: str,
    title_es: str,
    body_en: str,
    body_es: str,
) -> StrategyNote:
    """Save the note's new text and keep the previous ones (a revision per save that changes
    something; saving the same text again adds nothing)."""
    fields = {
        "title_en": title_en.strip(),
        "title_es": title_es.strip(),
        "body_en": body_en.strip(),
        "body_es": body_es.strip(),
    }
    _clean_note(case_type=note.case_type, milestone_item=milestone_item, fields=fields)
    note = StrategyNote.objects.select_for_update().get(pk=note.pk)
    unchanged = (
        all(getattr(note, name) == value for name, value in fields.items())
        and note.milestone_item_id == (milestone_item.pk if milestone_item else None)
        and note.order == order
    )
    if unchanged:
        return note
    for name, value in fields.items():
        setattr(note, name, value)
    note.milestone_item = milestone_item
    note.order = order
    note.updated_by = actor
    note.updated_at = timezone.now()
    note.save()
    _revision_add(note=note, actor=actor)
    return note
