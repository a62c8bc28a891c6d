"""A partner organization's CSV of mentor requests: one row per case it placed.

Like the case import (amparo.intake.imports), the file is read and every row checked first, with
problems reported by row (as a spreadsheet numbers them: the column names are row 1) and column;
only a file without a single problem is saved, all requests in one transaction. The checks run a
fixed number of queries whatever the number of rows.

Columns: case_code (required), help_wanted, languages (codes separated by semicolons).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.cases.models import Case
from amparo.mentoring.models import MentoringRequest
from amparo.mentoring.services import (
    MAX_HELP_WANTED,
    RequestData,
    mentoring_requests_create,
    request_data_problems,
)
from amparo.people.models import Language

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 1000
COLUMNS = (
    ("case_code", True, gettext_lazy("The case's code, as Amparo shows it (e.g. AMP-26-0042).")),
    (
        "help_wanted",
        False,
        gettext_lazy("What help the attorney wants from a mentor. Do not write the client's name."),
    ),
    (
        "languages",
        False,
        gettext_lazy(
            "Languages the mentor must speak besides English, as codes separated by "
            "semicolons (es;quc)."
        ),
    ),
)
COLUMN_NAMES = tuple(name for name, _required, _explanation in COLUMNS)


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str
    message: str


@dataclass
class RequestImportResult:
    items: list[RequestData] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class RequestImportInvalid(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def _decode(content: bytes) -> str:
    if b"\x00" in content:
        raise RequestImportInvalid(
            [RowProblem(None, "", _("This file is not a CSV file. Save it as CSV (UTF-8)."))]
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RequestImportInvalid(  # pragma: no cover (cp1252 decodes almost anything)
        [RowProblem(None, "", _("The file's characters could not be read."))]
    )


def _load(content: bytes) -> tablib.Dataset:
    text = _decode(content)
    if not text.strip():
        raise RequestImportInvalid([RowProblem(None, "", _("The file is empty."))])
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Spanish regional settings save CSV with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    dataset = tablib.Dataset()
    # tablib drops empty lines; a lone delimiter keeps the row numbers a spreadsheet shows.
    lines = [
        line if line.strip("\r\n") else delimiter + line for line in io.StringIO(text, newline="")
    ]
    try:
        dataset.load(lines, format="csv", delimiter=delimiter)
    except tablib.InvalidDimensions:
        raise RequestImportInvalid(
            [
                RowProblem(
                    dataset.height + 2,
                    "",
                    _("This row has more values than there are column names in row 1."),
                )
            ]
        ) from None
    except csv.Error:
        raise RequestImportInvalid(
            [RowProblem(dataset.height + 2, "", _("This row could not be read: check its quotes."))]
        ) from None
    return dataset


def request_import_check(*, content: bytes, actor: Any) -> RequestImportResult:
    """Read and check the file; no writes."""
    dataset = _load(content)
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    problems: list[RowProblem] = []
    unknown = [h for h in headers if h and h not in COLUMN_NAMES]
    for name in unknown:
        problems.append(
            RowProblem(
                1,
                name,
                _("Unknown column. Use: %(columns)s.") % {"columns": ", ".join(COLUMN_NAMES)},
            )
        )
    if "case_code" not in headers:
        problems.append(RowProblem(1, "case_code", _("The column case_code is missing.")))
    if problems:
        return RequestImportResult(problems=problems)
    rows = []
    for index, values in enumerate(dataset, start=2):
        cells = {
            headers[i]: str(value or "").strip() for i, value in enumerate(values) if headers[i]
        }
        if any(cells.values()):
            rows.append((index, cells))
    if not rows:
        return RequestImportResult(problems=[RowProblem(None, "", _("The file has no rows."))])
    if len(rows) > MAX_ROWS:
        return RequestImportResult(
            problems=[
                RowProblem(
                    None, "", _("Send at most %(limit)d rows per file.") % {"limit": MAX_ROWS}
                )
            ]
        )
    codes = {cells.get("case_code", "").upper() for _row, cells in rows}
    cases = {
        case.code.upper(): case
        for case in Case.objects.filter(
            code__in=[c for c in codes if c], placing_organization_id=actor.organization_id
        )
    }
    open_case_ids = set(
        MentoringRequest.objects.filter(
            case__in=list(cases.values()), status__in=MentoringRequest.OPEN_STATUSES
        ).values_list("case_id", flat=True)
    )
    seen: dict[str, int] = {}
    items: list[RequestData] = []
    for row, cells in rows:
        code = cells.get("case_code", "").upper()
        if not code:
            problems.append(RowProblem(row, "case_code", _("This value is required.")))
            continue
        case = cases.get(code)
        if case is None:
            # Never say whether another organization's case exists.
            problems.append(
                RowProblem(
                    row,
                    "case_code",
                    _("No case with this code among the cases your organization placed."),
                )
            )
            continue
        if code in seen:
            problems.append(
                RowProblem(
                    row,
                    "case_code",
                    _("This case is already in row %(row)d.") % {"row": seen[code]},
                )
            )
            continue
        seen[code] = row
        languages = [
            part.strip().lower() for part in cells.get("languages", "").split(";") if part.strip()
        ]
        unknown_languages = [code for code in languages if code not in Language.values]
        if unknown_languages:
            problems.append(
                RowProblem(
                    row,
                    "languages",
                    _("Unknown language codes: %(codes)s. Use: %(known)s.")
                    % {"codes": ", ".join(unknown_languages), "known": ", ".join(Language.values)},
                )
            )
        help_wanted = cells.get("help_wanted", "")
        if len(help_wanted) > MAX_HELP_WANTED:
            problems.append(
                RowProblem(
                    row,
                    "help_wanted",
                    _("Use at most %(limit)d characters.") % {"limit": MAX_HELP_WANTED},
                )
            )
        data = RequestData(case=case, help_wanted=help_wanted, languages=languages)
        for message in request_data_problems(
            data=RequestData(case=case, help_wanted="", languages=[]), actor=actor
        ):
            problems.append(RowProblem(row, "case_code", message))
        if case.pk in open_case_ids:
            problems.append(
                RowProblem(row, "case_code", _("This case already has an open mentor request."))
            )
        items.append(data)
    return RequestImportResult(items=items, problems=problems)


def request_import_save(*, content: bytes, actor: Any) -> list[MentoringRequest]:
    """Check the file again and create every request, or raise RequestImportInvalid."""
    result = request_import_check(content=content, actor=actor)
    if result.problems:
        raise RequestImportInvalid(result.problems)
    return mentoring_requests_create(
        items=result.items, actor=actor, source=MentoringRequest.Source.CSV
    )
