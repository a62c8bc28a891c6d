"""Background case imports: the confirmed file becomes a job, a worker saves it (all rows or
none, like the in-request save did), and the person follows the progress on the job's page."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import zlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.intake.imports import CaseImportInvalid, ImportProblem, case_import_save
from amparo.intake.models import CaseImportJob
from amparo.people.models import Organization

logger = logging.getLogger(__name__)
PROGRESS_TIMEOUT = 24 * 60 * 60


def _progress_key(job_id: int) -> str:
    return f"intake.case_import_job:{job_id}"


def case_import_job_start(
    *, actor: Any, organization: Organization, content: bytes, file_format: str, rows: int
) -> CaseImportJob:
    """Record the job and hand it to the background worker once the record is committed."""
    packed = base64.b64encode(zlib.compress(content)).decode("ascii")
    job = CaseImportJob.objects.create(
        token=secrets.token_urlsafe(16)[:32],
        created_by=actor,
        organization=organization,
        file_format=file_format,
        content=packed,
        total_rows=rows,
    )
    from amparo.intake.tasks import run_case_import

    transaction.on_commit(lambda: run_case_import(job.pk))
    return job


def case_import_job_run(*, job_id: int) -> CaseImportJob | None:
    """Save the job's file. Runs once: a job that is not waiting is left alone."""
    claimed = CaseImportJob.objects.filter(pk=job_id, status=CaseImportJob.Status.QUEUED).update(
        status=CaseImportJob.Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return None
    job = CaseImportJob.objects.select_related("created_by", "organization").get(pk=job_id)
    progress = caches["progress"]

    def report(saved: int, total: int) -> None:
        progress.set(_progress_key(job_id), saved, PROGRESS_TIMEOUT)

    problems: list[ImportProblem] = []
    cases = []
    try:
        content = zlib.decompress(base64.b64decode(job.content))
        cases = case_import_save(
            actor=job.created_by,
            organization=job.organization,
            content=content,
            filename=f"upload.{job.file_format}",
            progress=report,
        )
    except CaseImportInvalid as invalid:
        problems = invalid.problems
    except Exception:
        # Never the file's content in the log: the job id says where to look.
        logger.exception("Case import job %s failed", job_id)
        problems = [ImportProblem(None, "", _("The import stopped on an unexpected error."))]
    job.status = CaseImportJob.Status.FAILED if problems else CaseImportJob.Status.DONE
    job.case_count = len(cases)
    job.problems = json.dumps([[p.row, p.column, str(p.message)] for p in problems])
    job.content = ""
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "case_count", "problems", "content", "finished_at", "updated_at"]
    )
    progress.delete(_progress_key(job_id))
    return job


@dataclass(frozen=True)
class ImportProgress:
    saved: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.saved / self.total) if self.total else 0


def case_import_job_progress(*, job: CaseImportJob) -> ImportProgress:
    if job.status == CaseImportJob.Status.DONE:
        return ImportProgress(job.total_rows, job.total_rows)
    saved = caches["progress"].get(_progress_key(job.pk), 0) if not job.is_finished else 0
    return ImportProgress(min(int(saved), job.total_rows), job.total_rows)


def case_import_job_problems(*, job: CaseImportJob) -> list[ImportProblem]:
    if not job.problems:
        return []
    return [
        ImportProblem(row, column, message) for row, column, message in json.loads(job.problems)
    ]
