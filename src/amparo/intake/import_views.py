"""Bulk import of cases: upload, preview (or the problems by row and column), save all.

The validated upload waits in the user's session (server-side: database or Redis) between the
preview and the confirmation, encrypted like every other piece of client data, and is removed
as soon as the confirmation arrives. The confirmation validates the file again.
"""

from __future__ import annotations

import base64
import secrets
import zlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.crypto import DecryptionError, decrypt_text, encrypt_text
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, get_for_user_or_404
from amparo.intake.import_forms import CaseImportConfirmForm, CaseImportUploadForm
from amparo.intake.import_jobs import (
    case_import_job_problems,
    case_import_job_progress,
    case_import_job_start,
)
from amparo.intake.imports import (
    COLUMNS,
    MAX_ROWS,
    CaseImportResult,
    ImportProblem,
    case_import_file_format,
    case_import_placing_organization,
    case_import_template,
    case_import_validate,
)
from amparo.intake.models import CaseImportJob

UPLOAD_TEMPLATE = "intake/import_upload.html"
PREVIEW_TEMPLATE = "intake/import_preview.html"
JOB_TEMPLATE = "intake/import_job.html"
SESSION_KEY = "intake.case_import"
# A page of 10,000 rows helps no one: the first rows and problems are shown, with the totals.
PREVIEW_ROWS = 200
SHOWN_PROBLEMS = 500
# Long enough for the largest import to save; a double click meanwhile does not save twice.
SAVE_LOCK_SECONDS = 15 * 60

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _stash_put(session: SessionBase, *, content: bytes, file_format: str, rows: int) -> str:
    upload_id = secrets.token_urlsafe(16)
    packed = base64.b64encode(zlib.compress(content)).decode("ascii")
    session[SESSION_KEY] = {
        "upload_id": upload_id,
        "format": file_format,
        "rows": rows,
        "data": encrypt_text(packed),
    }
    return upload_id


def _stash_take(session: SessionBase, *, upload_id: str) -> tuple[bytes, str, int] | None:
    """The stashed upload if it is the one confirmed; the stash is removed either way."""
    stash = session.pop(SESSION_KEY, None)
    if not isinstance(stash, dict) or not secrets.compare_digest(
        str(stash.get("upload_id", "")), upload_id
    ):
        return None
    try:
        content = zlib.decompress(base64.b64decode(decrypt_text(stash["data"])))
    except (DecryptionError, KeyError, ValueError, zlib.error):
        return None
    return content, str(stash["format"]), int(stash.get("rows") or 0)


def _upload_page(
    request: AuthenticatedRequest,
    *,
    form: CaseImportUploadForm | None = None,
    problems: list[ImportProblem] | None = None,
    status: int = 200,
) -> HttpResponse:
    problems = problems or []
    context: dict[str, Any] = {
        "form": form or CaseImportUploadForm(),
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "problems_cut": len(problems) > SHOWN_PROBLEMS,
        "shown_problems": SHOWN_PROBLEMS,
    }
    return render(request, UPLOAD_TEMPLATE, context, status=status)


def _no_organization() -> list[ImportProblem]:
    return [
        ImportProblem(
            None,
            "",
            _("Your account is not linked to an organization, which the imported cases need."),
        )
    ]


@login_required
@require_http_methods(["GET", "POST"])
def case_import(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "cases.add_case")
    if request.method == "GET":
        return _upload_page(request)
    action = request.POST.get("action", "upload")
    if action == "confirm":
        return _confirm(request)
    if action == "cancel":
        request.session.pop(SESSION_KEY, None)
        return redirect("intake:case_import")
    return _upload(request)


def _upload(request: AuthenticatedRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    form = CaseImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form=form, status=422)
    if case_import_placing_organization(uploader=request.user) is None:
        return _upload_page(request, form=form, problems=_no_organization(), status=422)
    upload = form.cleaned_data["file"]
    content = upload.read()
    filename = upload.name or ""
    result: CaseImportResult = case_import_validate(content=content, filename=filename)
    if not result.is_clean:
        return _upload_page(request, form=form, problems=result.problems, status=422)
    file_format = case_import_file_format(filename=filename) or "csv"
    upload_id = _stash_put(
        request.session, content=content, file_format=file_format, rows=len(result.rows)
    )
    return render(
        request,
        PREVIEW_TEMPLATE,
        {
            "rows": result.rows[:PREVIEW_ROWS],
            "row_count": len(result.rows),
            "rows_cut": len(result.rows) > PREVIEW_ROWS,
            "preview_rows": PREVIEW_ROWS,
            "confirm_form": CaseImportConfirmForm(initial={"upload_id": upload_id}),
        },
    )


def _confirm(request: AuthenticatedRequest) -> HttpResponse:
    form = CaseImportConfirmForm(request.POST)
    stash = _stash_take(request.session, upload_id=form.data.get("upload_id", ""))
    # Persist the removal now: a second click on "Save" finds nothing to save.
    request.session.save()
    if not form.is_valid() or stash is None:
        expired = [
            ImportProblem(None, "", _("Nothing is waiting to be saved: upload the file again."))
        ]
        return _upload_page(request, problems=expired, status=422)
    content, file_format, rows = stash
    organization = case_import_placing_organization(uploader=request.user)
    if organization is None:
        return _upload_page(request, problems=_no_organization(), status=422)
    lock = f"intake.case_import.saving:{form.cleaned_data['upload_id']}"
    if not cache.add(lock, 1, SAVE_LOCK_SECONDS):
        already = [ImportProblem(None, "", _("This file is already being saved."))]
        return _upload_page(request, problems=already, status=422)
    # Saved in the background (a 10,000-row file takes over a minute): the job's page shows
    # the progress and then the result.
    try:
        job = case_import_job_start(
            actor=request.user,
            organization=organization,
            content=content,
            file_format=file_format,
            rows=rows,
        )
    finally:
        cache.delete(lock)
    return redirect("intake:case_import_job", token=job.token)


@login_required
@require_GET
def case_import_job(request: AuthenticatedRequest, token: str) -> HttpResponse:
    job = get_for_user_or_404(
        CaseImportJob.objects.all(),
        user=request.user,
        permission="intake.view_import_job",
        token=token,
    )
    problems = case_import_job_problems(job=job)
    context = {
        "job": job,
        "progress": case_import_job_progress(job=job),
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "problems_cut": len(problems) > SHOWN_PROBLEMS,
        "shown_problems": SHOWN_PROBLEMS,
    }
    template = JOB_TEMPLATE + ("#job-status" if request.htmx else "")
    return render(request, template, context)


@login_required
@require_GET
def case_import_template_download(request: AuthenticatedRequest, file_format: str) -> HttpResponse:
    authorize(request.user, "cases.add_case")
    response = HttpResponse(
        case_import_template(file_format=file_format), content_type=_CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="amparo-case-import.{file_format}"'
    return response
