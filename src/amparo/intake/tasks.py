from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def run_case_import(job_id: int) -> None:
    from amparo.intake.import_jobs import case_import_job_run

    case_import_job_run(job_id=job_id)
