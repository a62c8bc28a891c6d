"""Reads for the library, the notifications and the strategy notes.

The document list reads a fixed number of queries per page whatever the number of rows: the
latest version's number and date are subqueries on the same row, tags are prefetched, and
every filter on a tag is an EXISTS (no join that would repeat a document).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import get_language

from amparo.cases.models import Case, CaseType
from amparo.core.policy import can, get_for_user_or_404
from amparo.deadlines.models import MilestoneTemplateItem
from amparo.library.models import (
    Document,
    DocumentCaseType,
    DocumentKind,
    DocumentVersion,
    Notification,
    StrategyNote,
    StrategyNoteRevision,
    Topic,
    search_normalize,
)
from amparo.people.models import Language

# Longer queries are cut: a search box is not a place for a pasted brief.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    case_type: str = ""
    topic: str = ""
    country: str = ""
    language: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> LibraryFilters:
        """Values that are not one of the choices are ignored (a stale link still works)."""

        def choice(name: str, allowed: set[str] | list[str]) -> str:
            value = str(query.get(name, "")).strip()
            return value if value in allowed else ""

        country = str(query.get("country", "")).strip().upper()
        topic = str(query.get("topic", "")).strip()
        return cls(
            q=" ".join(str(query.get("q", "")).split())[:MAX_QUERY_LENGTH],
            case_type=choice("case_type", CaseType.values),
            topic=topic[:60] if topic.replace("-", "").replace("_", "").isalnum() else "",
            country=country if len(country) == 2 and country.isalpha() else "",
            language=choice("language", Language.values),
            kind=choice("kind", DocumentKind.values),
        )

    @property
    def is_empty(self) -> bool:
        return not any((self.q, self.case_type, self.topic, self.country, self.language, self.kind))


def _case_types_matching(word: str) -> list[str]:
    """Case types whose name, in English or Spanish, contains the (normalized) word."""
    codes = []
    for code, label in CaseType.choices:
        names = []
        for language in ("en", "es"):
            with translation.override(language):
                names.append(search_normalize(str(label)))
        if any(word in name for name in names):
            codes.append(code)
    return codes


def _word_filter(word: str) -> Q:
    topic_links = Document.topics.through.objects.filter(document_id=OuterRef("pk")).filter(
        Q(topic__name_en__icontains=word)
        | Q(topic__name_es__icontains=word)
        | Q(topic__code__icontains=word)
    )
    normalized = search_normalize(word)
    condition = Q(search_text__contains=normalized) | Q(Exists(topic_links))
    case_types = _case_types_matching(normalized)
    if case_types:
        condition |= Q(
            Exists(
                DocumentCaseType.objects.filter(
                    document_id=OuterRef("pk"), case_type__in=case_types
                )
            )
        )
    return condition


def document_list(*, filters: LibraryFilters) -> QuerySet[Document]:
    """Documents matching the search and filters, most recently updated first.

    The search is portable: each word must appear in the titles or descriptions (both
    languages, compared without case or accents through `Document.search_text`) or in a tag's
    name (a topic or a case type). SQLite and PostgreSQL answer alike; PostgreSQL full-text
    search could replace it if the library grows to many thousands of documents."""
    latest = DocumentVersion.objects.filter(document_id=OuterRef("pk")).order_by("-number")
    documents = Document.objects.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        updated_on=Subquery(latest.values("published_at")[:1]),
        latest_version_id=Subquery(latest.values("pk")[:1]),
    ).filter(latest_number__isnull=False)
    for word in filters.q.split()[:MAX_QUERY_WORDS]:
        documents = documents.filter(_word_filter(word))
    if filters.case_type:
        documents = documents.filter(
            Exists(
                DocumentCaseType.objects.filter(
                    document_id=OuterRef("pk"), case_type=filters.case_type
                )
            )
        )
    if filters.topic:
        documents = documents.filter(
            Exists(
                Document.topics.through.objects.filter(
                    document_id=OuterRef("pk"), topic__code=filters.topic
                )
            )
        )
    if filters.country:
        documents = documents.filter(country=filters.country)
    if filters.language:
        documents = documents.filter(language=filters.language)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    return documents.prefetch_related("case_types", "topics").order_by("-updated_on", "-pk")


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.order_by("name_en")


def document_country_list() -> list[str]:
    """The countries documents are tagged with, for the filter."""
    return list(
        Document.objects.exclude(country="")
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )


def document_get_for_user(*, viewer: Any, pk: int, permission: str) -> Document:
    queryset = Document.objects.prefetch_related("case_types", "topics")
    return get_for_user_or_404(queryset, user=viewer, permission=permission, pk=pk)


def document_version_list(*, document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


def version_get_for_download(*, viewer: Any, pk: int) -> DocumentVersion:
    queryset = DocumentVersion.objects.select_related("document")
    return get_for_user_or_404(queryset, user=viewer, permission="library.download_document", pk=pk)


def document_versions_downloaded_by(*, document: Document, user: Any) -> set[int]:
    """The version numbers of this document the user has downloaded."""
    return set(
        DocumentVersion.objects.filter(document=document, downloads__user=user).values_list(
            "number", flat=True
        )
    )


# --- notifications -------------------------------------------------------------------------
def notification_list_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- strategy notes ------------------------------------------------------------------------
# General notes (no milestone) first, then in plan order, on SQLite and PostgreSQL alike.
_GENERAL_FIRST = F("milestone_item__order").asc(nulls_first=True)


def _item_title(item: MilestoneTemplateItem | None) -> str:
    if item is None:
        return ""
    if get_language() == "es":
        return item.title_es or item.title_en
    return item.title_en or item.title_es


@dataclass
class StrategyNoteGroup:
    case_type: str
    label: str
    notes: list[StrategyNote] = field(default_factory=list)


def strategy_note_groups() -> list[StrategyNoteGroup]:
    """Every note, by case type (in the order of CaseType), general notes first, then the
    milestone notes in plan order."""
    groups = {code: StrategyNoteGroup(code, str(label)) for code, label in CaseType.choices}
    notes = StrategyNote.objects.select_related("milestone_item", "updated_by").order_by(
        "case_type", _GENERAL_FIRST, "order", "id"
    )
    for note in notes:
        note.milestone_title = _item_title(note.milestone_item)  # type: ignore[attr-defined]
        groups[note.case_type].notes.append(note)
    return list(groups.values())


def strategy_note_get_for_user(*, viewer: Any, pk: int, permission: str) -> StrategyNote:
    queryset = StrategyNote.objects.select_related("milestone_item")
    return get_for_user_or_404(queryset, user=viewer, permission=permission, pk=pk)


def strategy_note_revision_list(*, note: StrategyNote) -> list[StrategyNoteRevision]:
    return list(note.revisions.select_related("edited_by", "milestone_item").order_by("-number"))


def milestone_item_choices(*, case_type: str | None = None) -> QuerySet[MilestoneTemplateItem]:
    """The milestones of the case types' plans a note can explain."""
    items = MilestoneTemplateItem.objects.select_related("template").order_by(
        "template__case_type", "order"
    )
    if case_type:
        items = items.filter(template__case_type=case_type)
    return items


@dataclass(frozen=True)
class MilestoneNote:
    milestone_title: str
    note: StrategyNote


@dataclass(frozen=True)
class CaseStrategyNotes:
    general: list[StrategyNote]
    by_milestone: list[MilestoneNote]

    def __bool__(self) -> bool:
        return bool(self.general or self.by_milestone)


def strategy_notes_for_case(*, case: Case, viewer: Any) -> CaseStrategyNotes:
    """The strategy notes for the case's type: general ones, and those written for a milestone
    of this case's plan (matched through the template item the milestone was created from).
    Empty for whoever may not read the notes (partners, unverified attorneys). One query."""
    if not can(viewer, "library.view_strategy_notes"):
        return CaseStrategyNotes(general=[], by_milestone=[])
    plan_items = case.milestones.filter(template_item__isnull=False).values("template_item_id")
    notes = (
        StrategyNote.objects.filter(case_type=case.case_type)
        .filter(Q(milestone_item__isnull=True) | Q(milestone_item_id__in=Subquery(plan_items)))
        .select_related("milestone_item")
        .order_by(_GENERAL_FIRST, "order", "id")
    )
    general: list[StrategyNote] = []
    by_milestone: list[MilestoneNote] = []
    for note in notes:
        if note.milestone_item is None:
            general.append(note)
        else:
            by_milestone.append(MilestoneNote(_item_title(note.milestone_item), note))
    return CaseStrategyNotes(general=general, by_milestone=by_milestone)
