"""Pages of the sample-materials library, the notifications and the strategy notes.

Every view asks the policy first (library/policy.py); files leave only through
`version_download`, which checks the permission, records the download and sends the file as an
attachment (uploads live in private storage and have no public URL)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from amparo.cases.models import CaseType
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can
from amparo.library import selectors, services
from amparo.library.filetypes import CONTENT_TYPES, FileType
from amparo.library.forms import (
    REDACTION_REMINDER,
    DocumentCreateForm,
    DocumentForm,
    StrategyNoteForm,
    VersionForm,
)
from amparo.library.models import Document, DocumentKind
from amparo.people.models import Language

DOCUMENTS_PER_PAGE = 20
NOTIFICATIONS_PER_PAGE = 30


def _without_page(query: QueryDict) -> str:
    copy = query.copy()
    copy.pop("page", None)
    return copy.urlencode()


def _apply_service_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- documents -----------------------------------------------------------------------------
@login_required
@require_safe
def document_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "library.view_library")
    filters = selectors.LibraryFilters.from_query(request.GET)
    page = Paginator(selectors.document_list(filters=filters), DOCUMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "case_types": CaseType.choices,
        "topics": list(selectors.topic_list()),
        "countries": selectors.document_country_list(),
        "languages": Language.choices,
        "kinds": DocumentKind.choices,
        "page_query": _without_page(request.GET),
        "can_add": can(request.user, "library.add_document"),
    }
    template = "library/document_list.html"
    if request.htmx:
        template += "#document-results"
    return render(request, template, context)


@login_required
@require_safe
def document_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(
        viewer=request.user, pk=pk, permission="library.view_library"
    )
    # Opening the document is reading its notifications.
    services.notifications_mark_read(user=request.user, document=document)
    versions = selectors.document_version_list(document=document)
    downloaded = selectors.document_versions_downloaded_by(document=document, user=request.user)
    can_change = can(request.user, "library.change_document", document)
    context = {
        "document": document,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "downloaded": downloaded,
        "has_newer_than_downloaded": bool(
            downloaded and versions and max(downloaded) < versions[0].number
        ),
        "can_change": can_change,
    }
    return render(request, "library/document_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "library.add_document")
    form = DocumentCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                actor=request.user,
                kind=data["kind"],
                title_en=data["title_en"],
                title_es=data["title_es"],
                description_en=data["description_en"],
                description_es=data["description_es"],
                language=data["language"],
                country=data["country"],
                case_types=data["case_types"],
                topics=data["topics"],
                file=data["file"],
                notes=data["notes"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is in the library."))
            return redirect("library:document_detail", pk=document.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "library/document_form.html",
        {"form": form, "document": None, "reminder": REDACTION_REMINDER},
        status=status,
    )


def _document_initial(document: Document) -> dict[str, Any]:
    return {
        "kind": document.kind,
        "title_en": document.title_en,
        "title_es": document.title_es,
        "description_en": document.description_en,
        "description_es": document.description_es,
        "language": document.language,
        "country": document.country,
        "case_types": [tag.case_type for tag in document.case_types.all()],
        "topics": list(document.topics.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(
        viewer=request.user, pk=pk, permission="library.change_document"
    )
    if request.method == "POST":
        form = DocumentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.document_update(
                    document=document,
                    actor=request.user,
                    kind=data["kind"],
                    title_en=data["title_en"],
                    title_es=data["title_es"],
                    description_en=data["description_en"],
                    description_es=data["description_es"],
                    language=data["language"],
                    country=data["country"],
                    case_types=data["case_types"],
                    topics=data["topics"],
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("library:document_detail", pk=document.pk)
        status = 422
    else:
        form = DocumentForm(initial=_document_initial(document))
        status = 200
    return render(
        request,
        "library/document_form.html",
        {"form": form, "document": document, "reminder": REDACTION_REMINDER},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(
        viewer=request.user, pk=pk, permission="library.change_document"
    )
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_version_publish(
                document=document,
                actor=request.user,
                file=form.cleaned_data["file"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s is published. Those who downloaded an earlier version are told."
                )
                % {"number": version.number},
            )
            return redirect("library:document_detail", pk=document.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "library/version_form.html",
        {"form": form, "document": document, "reminder": REDACTION_REMINDER},
        status=status,
    )


@login_required
@require_GET  # not HEAD: each download is recorded
def version_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    version = selectors.version_get_for_download(viewer=request.user, pk=pk)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    services.document_download_record(version=version, user=request.user)
    file_type = FileType(version.file_type)
    extension = file_type.value
    stem = slugify(version.document.title_en or version.document.title_es) or "document"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem[:80]}-v{version.number}.{extension}",
        content_type=CONTENT_TYPES[file_type],
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- notifications -------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "library.view_library")
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("library:notifications")
    page = Paginator(
        selectors.notification_list_for_user(user=request.user), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "library/notification_list.html", {"page": page})


# --- strategy notes ------------------------------------------------------------------------
@login_required
@require_safe
def strategy_note_list(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "library.view_strategy_notes")
    context = {
        "groups": selectors.strategy_note_groups(),
        "can_change": can(request.user, "library.change_strategy_note"),
    }
    return render(request, "library/strategy_note_list.html", context)


def _note_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "milestone_item": data.get("milestone_item"),
        "order": data.get("order") or 0,
        "title_en": data["title_en"],
        "title_es": data["title_es"],
        "body_en": data["body_en"],
        "body_es": data["body_es"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def strategy_note_create(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "library.change_strategy_note")
    initial = {"case_type": request.GET.get("case_type", "")}
    form = StrategyNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_note_create(
                actor=request.user,
                case_type=form.cleaned_data["case_type"],
                **_note_fields(form.cleaned_data),
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("library:strategy_notes")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "library/strategy_note_form.html", {"form": form, "note": None}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategy_note_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = selectors.strategy_note_get_for_user(
        viewer=request.user, pk=pk, permission="library.change_strategy_note"
    )
    if request.method == "POST":
        form = StrategyNoteForm(request.POST, fixed_case_type=note.case_type)
        if form.is_valid():
            try:
                services.strategy_note_update(
                    note=note, actor=request.user, **_note_fields(form.cleaned_data)
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, _("The note is saved; the previous text is kept."))
                return redirect("library:strategy_notes")
        status = 422
    else:
        form = StrategyNoteForm(
            fixed_case_type=note.case_type,
            initial={
                "milestone_item": note.milestone_item_id,
                "order": note.order,
                "title_en": note.title_en,
                "title_es": note.title_es,
                "body_en": note.body_en,
                "body_es": note.body_es,
            },
        )
        status = 200
    return render(
        request, "library/strategy_note_form.html", {"form": form, "note": note}, status=status
    )


@login_required
@require_safe
def strategy_note_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = selectors.strategy_note_get_for_user(
        viewer=request.user, pk=pk, permission="library.view_strategy_notes"
    )
    revisions = selectors.strategy_note_revision_list(note=note)
    return render(
        request, "library/strategy_note_history.html", {"note": note, "revisions": revisions}
    )
