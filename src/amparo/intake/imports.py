"""Bulk import of cases from a CSV or XLSX file.

PRODUCT.md: "a CSV import reports row and column and changes nothing until it is clean". So the
file is read and every row validated first (`case_import_validate`, no writes, a fixed number of
queries whatever the row count); only a file without a single problem is saved, all rows in one
transaction (`case_import_save`), which validates again because the database may have changed
between the preview and the confirmation.

Rows are numbered as a spreadsheet shows them: the column names are row 1, the first case row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.cases.bulk import (
    case_codes_reserve,
    cases_insert,
    records_insert,
    records_insert_with_ids,
)
from amparo.cases.models import Case, CaseEvent, CaseType, Hearing, Stage
from amparo.conflicts.tasks import conflict_check_cases
from amparo.core.crypto import blind_index, format_a_number, normalize_a_number
from amparo.core.models import AuditEvent
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.services import (
    hearing_check_after_arrival,
    new_cases_deadlines_compute,
    new_cases_deadlines_insert,
)
from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening
from amparo.intake.services import adverse_party_build, client_build, family_member_build
from amparo.library.filetypes import FileRefused, Refusal, ZipLimits, check_zip
from amparo.people.models import Language, Organization

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# Rows saved together (a few bulk inserts per group) and between two progress reports.
PROGRESS_EVERY = 500
# An XLSX file is a zip: 5 MB of it can unpack to gigabytes. The shared zip check refuses it from
# the archive's directory (declared sizes, which Python's zipfile never reads past, compression
# ratio, member count) before openpyxl unpacks anything. A workbook holds no archive inside.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
XLSX_ZIP_LIMITS = ZipLimits(
    max_members=500, max_unpacked_bytes=MAX_XLSX_UNPACKED_BYTES, max_ratio=200, max_depth=0
)
FILE_FORMATS = ("csv", "xlsx")
MAX_NAME_LENGTH = 200
MAX_PHONE_LENGTH = 40
# How much of a user's value an error message repeats (a whole pasted paragraph helps no one).
_ECHO_LENGTH = 40
# Several A-numbers per query, below SQLite's historical limit of 999 parameters.
_A_NUMBER_BATCH = 900

# ISO 3166-1 alpha-2: the 249 officially assigned codes (the same set as tzdata's iso3166.tab).
ISO_COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
    """.split()  # noqa: SIM905 (249 codes read and check better as one block)
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")
_CHILD = re.compile(r"^(?P<names>.+?)\s+(?P<born>\S+)$")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
_EARLIEST = dt.date(1900, 1, 1)
_LATEST = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class ImportColumn:
    name: str
    required: bool
    explanation: Promise | str
    example: str
    values: tuple[str, ...] = ()  # the accepted values, where there is a fixed list


def _example_hearing_at() -> str:
    # About two months ahead on a weekday at 9:00, so the template's example always validates.
    day = timezone.localdate() + dt.timedelta(days=60)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return f"{day.isoformat()} 09:00"


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(
        "client_given_names", True, gettext_lazy("The client's given names."), "Rosa Amelia"
    ),
    ImportColumn(
        "client_family_names",
        True,
        gettext_lazy("The client's family names (both surnames if the client uses two)."),
        "Ejemplo Ficticio",
    ),
    ImportColumn(
        "a_number",
        False,
        gettext_lazy("The A-number: 8 or 9 digits, written in any form such as A-123-456-789."),
        "A-012-345-678",
    ),
    ImportColumn(
        "date_of_birth", False, gettext_lazy("Date of birth as YYYY-MM-DD."), "1990-05-17"
    ),
    ImportColumn(
        "country_of_nationality",
        True,
        gettext_lazy("Country of nationality as a two-letter ISO code, for example SV, GT or HN."),
        "GT",
    ),
    ImportColumn(
        "languages",
        False,
        gettext_lazy("Languages the client speaks, as codes separated by semicolons."),
        "es;quc",
        tuple(Language.values),
    ),
    ImportColumn("phone", False, gettext_lazy("The client's phone number."), "(510) 555-0199"),
    ImportColumn(
        "case_type",
        True,
        gettext_lazy("The kind of case."),
        "defensive_asylum",
        tuple(CaseType.values),
    ),
    ImportColumn(
        "court_code",
        False,
        gettext_lazy(
            "The Immigration Court's EOIR code, for example SFR for San Francisco. Required for "
            "defensive asylum and when a hearing is given."
        ),
        "SFR",
    ),
    ImportColumn(
        "detained", False, gettext_lazy("Whether the client is detained."), "no", ("yes", "no")
    ),
    ImportColumn(
        "last_arrival",
        False,
        gettext_lazy("Date of the last arrival in the United States as YYYY-MM-DD."),
        "2024-03-10",
    ),
    ImportColumn(
        "is_unaccompanied_child",
        False,
        gettext_lazy("Whether the client was designated an unaccompanied child."),
        "no",
        ("yes", "no"),
    ),
    ImportColumn(
        "next_hearing_kind",
        False,
        gettext_lazy("The kind of the next hearing."),
        "master",
        tuple(Hearing.Kind.values),
    ),
    ImportColumn(
        "next_hearing_at",
        False,
        gettext_lazy("Date and time of the next hearing as YYYY-MM-DD HH:MM, in the court's time."),
        "",  # computed: see _example_row
    ),
    ImportColumn(
        "supplement_b_signed",
        False,
        gettext_lazy("U visa only: the date the Supplement B certification was signed."),
        "",
    ),
    ImportColumn(
        "adverse_party_name",
        False,
        gettext_lazy(
            "For a U visa, the perpetrator; for asylum, a persecutor (a person or group)."
        ),
        "",
    ),
    ImportColumn(
        "children",
        False,
        gettext_lazy(
            "The client's children as given names, family names and date of birth, separated by "
            "semicolons. When given or family names have several words, put a slash between "
            "them: María José / Pérez López 2015-02-03."
        ),
        "Mateo Ejemplo 2015-02-03; Lucía Ejemplo 2018-07-01",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = frozenset(column.name for column in COLUMNS if column.required)


@dataclass(frozen=True)
class ImportProblem:
    """One problem in the file: `row` as a spreadsheet numbers it (None: the whole file)."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class ImportedChild:
    given_names: str
    family_names: str
    date_of_birth: dt.date


@dataclass
class CaseImportRow:
    """One valid row, ready to save."""

    row: int
    given_names: str
    family_names: str
    a_number: str  # normalised 9 digits, or ""
    date_of_birth: dt.date | None
    country_of_nationality: str
    languages: list[str]
    phone: str
    case_type: str
    court: ImmigrationCourt | None
    detained: bool
    last_arrival: dt.date | None
    is_unaccompanied_child: bool
    hearing_kind: str
    hearing_at: dt.datetime | None  # aware, in the court's time zone
    supplement_b_signed: dt.date | None
    adverse_party_name: str
    children: list[ImportedChild]

    @property
    def case_type_label(self) -> str:
        return str(CaseType(self.case_type).label)

    @property
    def hearing_display(self) -> str:
        """The hearing as the court's calendar shows it (the datetime carries the court's zone)."""
        return self.hearing_at.strftime("%Y-%m-%d %H:%M") if self.hearing_at else ""


@dataclass
class CaseImportResult:
    rows: list[CaseImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and not self.problems


class CaseImportInvalid(Exception):
    """The file has problems; nothing was saved."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the import file")
        self.problems = problems


class _FileProblem(Exception):
    def __init__(self, message: str, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.problem = ImportProblem(row=row, column=column, message=message)


# --- Reading the file -------------------------------------------------------------------------


def case_import_file_format(*, filename: str) -> str | None:
    """'csv' or 'xlsx' from the file's name; the content is checked when it is read."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension if extension in FILE_FORMATS else None


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode_text(content: bytes) -> str:
    if content.startswith(_UTF16_BOMS):
        # Excel's "Unicode text" and some exports write UTF-16 with a byte-order mark.
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise _FileProblem(
                _("The file's characters could not be read. Save it as CSV (UTF-8) and try again.")
            ) from None
        if "\x00" not in text:
            return text
    if b"\x00" in content:
        # NUL never occurs in a text CSV: this is a binary file (PDF, old .xls, zip, UTF-16...).
        raise _FileProblem(
            _("This file is not a CSV file. Save the spreadsheet as CSV (UTF-8) or XLSX.")
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV" on Windows writes Windows-1252.
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise _FileProblem(
            _("The file's characters could not be read. Save it as CSV (UTF-8) and try again.")
        ) from None


def _csv_lines(text: str, delimiter: str) -> Iterator[str]:
    # tablib's CSV reader drops empty lines, which would shift every later row number away from
    # the row a spreadsheet shows. A lone delimiter keeps the row; empty rows are skipped later.
    for line in io.StringIO(text, newline=""):
        yield line if line.strip("\r\n") else delimiter + line


def _load_csv(content: bytes) -> tablib.Dataset:
    text = _decode_text(content)
    if not text.strip():
        raise _FileProblem(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Spanish (and other) regional settings save CSV with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    dataset = tablib.Dataset()
    try:
        dataset.load(_csv_lines(text, delimiter), format="csv", delimiter=delimiter)
    except tablib.InvalidDimensions:
        raise _too_many_values(dataset) from None
    except csv.Error:
        # In practice a quotation mark that is never closed, which swallows the rows after it.
        raise _FileProblem(
            _("This row could not be read as CSV: check its quotation marks."),
            row=dataset.height + 2,
        ) from None
    return dataset


def _load_xlsx(content: bytes) -> tablib.Dataset:
    not_xlsx = _("This file is not an XLSX file. Save the spreadsheet as XLSX or CSV.")
    if not content.startswith(b"PK\x03\x04"):
        raise _FileProblem(not_xlsx)
    try:
        check_zip(io.BytesIO(content), limits=XLSX_ZIP_LIMITS)
    except FileRefused as refused:
        if refused.reason == Refusal.ARCHIVE_TOO_LARGE:
            raise _FileProblem(
                _("This XLSX file is too large once unpacked. Split it into smaller files.")
            ) from None
        raise _FileProblem(not_xlsx) from None
    dataset = tablib.Dataset()
    try:
        dataset.load(io.BytesIO(content), format="xlsx")
    except tablib.InvalidDimensions:
        raise _too_many_values(dataset) from None
    except Exception:
        # openpyxl raises many kinds of errors on a zip that is not a workbook; all mean the same.
        raise _FileProblem(not_xlsx) from None
    if dataset.height == 0 and not any(_cell_text(h, "") for h in dataset.headers or []):
        raise _FileProblem(_("The file is empty."))
    return dataset


def _too_many_values(partial: tablib.Dataset) -> _FileProblem:
    # tablib stops at the first row wider than the column names; the rows before it are loaded.
    return _FileProblem(
        _("This row has more values than there are column names in row 1."),
        row=partial.height + 2,
    )


def _cell_text(value: Any, column: str) -> str:
    """Every cell as text, so that CSV and XLSX values are checked by the same rules."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        if column == "next_hearing_at" or value.time() != dt.time(0, 0):
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# --- Checking the rows ------------------------------------------------------------------------


def _echo(value: str) -> str:
    return value if len(value) <= _ECHO_LENGTH else value[: _ECHO_LENGTH - 1] + "…"


class _RowChecker:
    """Checks one row at a time against reference data loaded once (courts)."""

    def __init__(self, *, today: dt.date) -> None:
        self.today = today
        self.courts = {
            court.code.upper(): court
            for court in ImmigrationCourt.objects.filter(active=True).exclude(code="")
        }
        self.problems: list[ImportProblem] = []
        # (row, normalised A-number) of every row with a well-formed one, valid row or not, so
        # that duplicates are reported in the same pass as the other problems.
        self.a_numbers: list[tuple[int, str]] = []

    def _problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(row=row, column=column, message=message))

    def _required(self, row: int, cells: dict[str, str], column: str) -> str:
        value = cells.get(column, "")
        if not value:
            self._problem(row, column, _("This value is required."))
        return value

    def _text(self, row: int, cells: dict[str, str], column: str, limit: int) -> str:
        value = " ".join(cells.get(column, "").split())
        if len(value) > limit:
            self._problem(
                row,
                column,
                _("Use at most %(limit)d characters (this has %(length)d).")
                % {"limit": limit, "length": len(value)},
            )
        return value

    def _date(self, row: int, column: str, value: str) -> dt.date | None:
        if not value:
            return None
        if not _DATE.match(value):
            self._problem(
                row,
                column,
                _("Write the date as YYYY-MM-DD, for example 2015-02-03 (not %(value)s).")
                % {"value": _echo(value)},
            )
            return None
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            self._problem(
                row, column, _("%(value)s is not a date in the calendar.") % {"value": value}
            )
            return None
        if not _EARLIEST <= date <= _LATEST:
            self._problem(row, column, _("Enter a date between 1900 and 2100."))
            return None
        return date

    def _not_future(
        self, row: int, column: str, date: dt.date | None, message: str
    ) -> dt.date | None:
        """The date, or None (reported) when it is after today: later comparisons with it would
        only repeat the same mistake."""
        if date is not None and date > self.today:
            self._problem(row, column, message)
            return None
        return date

    def _yes_no(self, row: int, cells: dict[str, str], column: str) -> bool:
        value = cells.get(column, "").lower()
        if value in _YES:
            return True
        if value not in _NO:
            self._problem(row, column, _('Write "yes" or "no".'))
        return False

    def check(self, row: int, cells: dict[str, str]) -> CaseImportRow | None:
        before = len(self.problems)
        for column, value in cells.items():
            if "\n" in value or "\r" in value:
                # A quotation mark left open in a CSV swallows the lines after it into one value.
                self._problem(
                    row,
                    column,
                    _("This value runs over several lines: check the quotation marks around it."),
                )

        given = self._text(row, cells, "client_given_names", MAX_NAME_LENGTH)
        if not given:
            self._problem(row, "client_given_names", _("This value is required."))
        family = self._text(row, cells, "client_family_names", MAX_NAME_LENGTH)
        if not family:
            self._problem(row, "client_family_names", _("This value is required."))

        a_number = ""
        if raw_a_number := cells.get("a_number", ""):
            try:
                a_number = normalize_a_number(raw_a_number)
                self.a_numbers.append((row, a_number))
            except ValueError:
                self._problem(
                    row,
                    "a_number",
                    _("An A-number has 8 or 9 digits, for example A-123-456-789."),
                )

        born = self._not_future(
            row,
            "date_of_birth",
            self._date(row, "date_of_birth", cells.get("date_of_birth", "")),
            _("A birth date cannot be in the future."),
        )

        country = self._required(row, cells, "country_of_nationality").upper()
        if country and country not in ISO_COUNTRY_CODES:
            self._problem(
                row,
                "country_of_nationality",
                _("%(value)s is not a two-letter ISO country code (for example SV, GT or HN).")
                % {"value": _echo(country)},
            )

        languages: list[str] = []
        for code in (part.strip().lower() for part in cells.get("languages", "").split(";")):
            if not code:
                continue
            if code not in Language.values:
                self._problem(
                    row,
                    "languages",
                    _("Unknown language code %(value)s. Use: %(codes)s.")
                    % {"value": _echo(code), "codes": ", ".join(Language.values)},
                )
            elif code not in languages:
                languages.append(code)

        phone = self._text(row, cells, "phone", MAX_PHONE_LENGTH)

        case_type = self._required(row, cells, "case_type").lower()
        if case_type and case_type not in CaseType.values:
            self._problem(
                row,
                "case_type",
                _("Unknown case type %(value)s. Use: %(types)s.")
                % {"value": _echo(case_type), "types": ", ".join(CaseType.values)},
            )

        court = None
        if court_code := cells.get("court_code", "").upper():
            court = self.courts.get(court_code)
            if court is None:
                self._problem(
                    row,
                    "court_code",
                    _("No Immigration Court has the code %(value)s.")
                    % {"value": _echo(court_code)},
                )
        elif case_type == CaseType.DEFENSIVE_ASYLUM:
            self._problem(row, "court_code", _("A defensive asylum case needs a court code."))

        detained = self._yes_no(row, cells, "detained")
        arrival = self._not_future(
            row,
            "last_arrival",
            self._date(row, "last_arrival", cells.get("last_arrival", "")),
            _("The last arrival cannot be in the future."),
        )
        if arrival and born and arrival < born:
            self._problem(
                row, "last_arrival", _("The last arrival cannot be before the date of birth.")
            )
        unaccompanied = self._yes_no(row, cells, "is_unaccompanied_child")

        hearing_kind, hearing_at = self._hearing(row, cells, case_type, court, arrival, born)

        signed = self._date(row, "supplement_b_signed", cells.get("supplement_b_signed", ""))
        self._not_future(
            row,
            "supplement_b_signed",
            signed,
            _("The Supplement B cannot be signed in the future."),
        )
        if signed and case_type and case_type != CaseType.U_VISA:
            self._problem(row, "supplement_b_signed", _("Only a U visa case has a Supplement B."))

        adverse = self._text(row, cells, "adverse_party_name", MAX_NAME_LENGTH)
        children = self._children(row, cells.get("children", ""), born)

        if len(self.problems) > before:
            return None
        return CaseImportRow(
            row=row,
            given_names=given,
            family_names=family,
            a_number=a_number,
            date_of_birth=born,
            country_of_nationality=country,
            languages=languages,
            phone=phone,
            case_type=case_type,
            court=court,
            detained=detained,
            last_arrival=arrival,
            is_unaccompanied_child=unaccompanied,
            hearing_kind=hearing_kind,
            hearing_at=hearing_at,
            supplement_b_signed=signed,
            adverse_party_name=adverse,
            children=children,
        )

    def _hearing(
        self,
        row: int,
        cells: dict[str, str],
        case_type: str,
        court: ImmigrationCourt | None,
        arrival: dt.date | None,
        born: dt.date | None,
    ) -> tuple[str, dt.datetime | None]:
        kind = cells.get("next_hearing_kind", "").lower()
        value = cells.get("next_hearing_at", "")
        if kind and kind not in Hearing.Kind.values:
            self._problem(row, "next_hearing_kind", _("Write master or individual."))
        if not kind and not value:
            return "", None
        if not value:
            self._problem(row, "next_hearing_at", _("Give the date and time of the hearing."))
            return kind, None
        if not kind:
            self._problem(
                row, "next_hearing_kind", _("Give the kind of hearing: master or individual.")
            )
        if not _DATE_TIME.match(value):
            self._problem(
                row,
                "next_hearing_at",
                _(
                    "Write the date and time as YYYY-MM-DD HH:MM, for example 2026-03-16 09:00 "
                    "(not %(value)s)."
                )
                % {"value": _echo(value)},
            )
            return kind, None
        try:
            naive = dt.datetime.strptime(value.replace("T", " "), "%Y-%m-%d %H:%M")
        except ValueError:
            self._problem(
                row,
                "next_hearing_at",
                _("%(value)s is not a date in the calendar.") % {"value": value},
            )
            return kind, None
        if not _EARLIEST <= naive.date() <= _LATEST:
            self._problem(row, "next_hearing_at", _("Enter a date between 1900 and 2100."))
            return kind, None
        if court is None:
            if cells.get("court_code", "") or case_type == CaseType.DEFENSIVE_ASYLUM:
                return kind, None  # the court's problem is already reported
            self._problem(
                row, "court_code", _("A hearing needs the court's code (for its time zone).")
            )
            return kind, None
        starts_at = naive.replace(tzinfo=ZoneInfo(court.time_zone))
        # hearing_add compares in the server's time zone, the court in its own: check both, so
        # that a row that passes here is never refused while saving.
        days = {starts_at.date(), timezone.localtime(starts_at).date()}
        if arrival and min(days) < arrival:
            self._problem(
                row, "next_hearing_at", _("The hearing cannot be before the last arrival.")
            )
        elif born and min(days) < born:
            self._problem(
                row, "next_hearing_at", _("The hearing cannot be before the date of birth.")
            )
        return kind, starts_at

    def _children(self, row: int, value: str, parent_born: dt.date | None) -> list[ImportedChild]:
        children = []
        for item in (part.strip() for part in value.split(";")):
            if not item:
                continue
            match = _CHILD.match(item)
            names = match["names"] if match else ""
            if "/" in names:
                given, _slash, family = (part.strip() for part in names.partition("/"))
            else:
                given, _space, family = names.partition(" ")
                family = family.strip()
            if not (match and given and family):
                self._problem(
                    row,
                    "children",
                    _(
                        'Write each child as "Given names Family names YYYY-MM-DD", separated by '
                        "semicolons (not %(value)s)."
                    )
                    % {"value": _echo(item)},
                )
                continue
            assert match is not None  # for the type checker: checked just above
            born = self._date(row, "children", match["born"])
            if born is None:
                continue
            if born > self.today:
                self._problem(row, "children", _("A birth date cannot be in the future."))
            elif parent_born and born <= parent_born:
                self._problem(row, "children", _("A child cannot be born before the client."))
            elif len(given) > MAX_NAME_LENGTH or len(family) > MAX_NAME_LENGTH:
                self._problem(row, "children", _("A child's name is too long."))
            else:
                children.append(
                    ImportedChild(" ".join(given.split()), " ".join(family.split()), born)
                )
        return children


def _a_number_problems(a_numbers: list[tuple[int, str]]) -> list[ImportProblem]:
    """Duplicates within the file, and A-numbers already in the system: a few queries for the
    whole file through the blind index. The existing client is never named, only the row."""
    problems = []
    first_row: dict[str, int] = {}
    for row, number in a_numbers:
        if number in first_row:
            problems.append(
                ImportProblem(
                    row=row,
                    column="a_number",
                    message=_("Row %(row)d has the same A-number.") % {"row": first_row[number]},
                )
            )
        else:
            first_row[number] = row
    index_to_row = {blind_index(number, purpose="a_number"): r for number, r in first_row.items()}
    indexes = list(index_to_row)
    known: set[str] = set()
    for start in range(0, len(indexes), _A_NUMBER_BATCH):
        known.update(
            Client.objects.filter(
                a_number_index__in=indexes[start : start + _A_NUMBER_BATCH]
            ).values_list("a_number_index", flat=True)
        )
    for index in known:
        problems.append(
            ImportProblem(
                row=index_to_row[index],
                column="a_number",
                message=_("A client with this A-number is already in the system."),
            )
        )
    return problems


def _header(dataset: tablib.Dataset) -> tuple[dict[int, str], list[ImportProblem]]:
    """Map column positions to known column names; report unknown, repeated and missing ones."""
    problems = []
    positions: dict[int, str] = {}
    seen: set[str] = set()
    for index, raw in enumerate(dataset.headers or []):
        name = _cell_text(raw, "")
        if not name:
            if any(_cell_text(values[index], "") for values in dataset):
                problems.append(
                    ImportProblem(
                        1, _column_letter(index), _("This column has values but no name in row 1.")
                    )
                )
            continue
        if name not in COLUMN_NAMES:
            problems.append(
                ImportProblem(
                    1,
                    _echo(name),
                    _("Unknown column. The column names are listed on the import page."),
                )
            )
        elif name in seen:
            problems.append(ImportProblem(1, name, _("This column appears more than once.")))
        else:
            seen.add(name)
            positions[index] = name
    if not seen:
        return positions, [
            ImportProblem(
                1,
                "",
                _(
                    "Row 1 must hold the column names, as in the template. None of its values is "
                    "a column name."
                ),
            )
        ]
    for name in COLUMN_NAMES:
        if name in REQUIRED_COLUMNS and name not in seen:
            problems.append(ImportProblem(1, name, _("This required column is missing.")))
    return positions, problems


def _problem_order(problem: ImportProblem) -> tuple[int, int]:
    column = COLUMN_NAMES.index(problem.column) if problem.column in COLUMN_NAMES else -1
    return problem.row or 0, column


def case_import_validate(
    *, content: bytes, filename: str, today: dt.date | None = None
) -> CaseImportResult:
    """Read the file and check every row; nothing is written. Problems come in row order."""
    result = CaseImportResult()
    if not content:
        result.problems.append(ImportProblem(None, "", _("The file is empty.")))
        return result
    if len(content) > MAX_FILE_BYTES:
        result.problems.append(
            ImportProblem(
                None,
                "",
                _("The file is larger than %(size)d MB. Split it into smaller files.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            )
        )
        return result
    file_format = case_import_file_format(filename=filename)
    if file_format is None:
        result.problems.append(
            ImportProblem(
                None, "", _("Upload a CSV or XLSX file (its name ends in .csv or .xlsx).")
            )
        )
        return result
    try:
        dataset = _load_xlsx(content) if file_format == "xlsx" else _load_csv(content)
    except _FileProblem as problem:
        result.problems.append(problem.problem)
        return result

    positions, header_problems = _header(dataset)
    if header_problems:
        result.problems.extend(header_problems)
        return result

    numbered = []
    for offset, values in enumerate(dataset):
        cells = {name: _cell_text(values[index], name) for index, name in positions.items()}
        if any(cells.values()):
            numbered.append((offset + 2, cells))
    if not numbered:
        result.problems.append(
            ImportProblem(None, "", _("The file has no cases below the column names in row 1."))
        )
        return result
    if len(numbered) > MAX_ROWS:
        result.problems.append(
            ImportProblem(
                None,
                "",
                _(
                    "The file has %(count)d cases; one file can hold at most %(limit)d. Split it "
                    "into smaller files."
                )
                % {"count": len(numbered), "limit": MAX_ROWS},
            )
        )
        return result

    checker = _RowChecker(today=today or timezone.localdate())
    for row_number, cells in numbered:
        if (row := checker.check(row_number, cells)) is not None:
            result.rows.append(row)
    result.problems.extend(checker.problems)
    result.problems.extend(_a_number_problems(checker.a_numbers))
    result.problems.sort(key=_problem_order)
    if result.problems:
        result.rows = []
    return result


# --- Saving -----------------------------------------------------------------------------------


def case_import_placing_organization(*, uploader: Any) -> Organization | None:
    """The imported cases' placing organization: the uploader's; a coordinator without one
    places for the operating organization."""
    if uploader.organization_id:
        organization: Organization = uploader.organization
        return organization
    return Organization.objects.filter(kind=Organization.Kind.OPERATOR).first()


def case_import_save(
    *,
    actor: Any,
    organization: Organization,
    content: bytes,
    filename: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[Case]:
    """Validate again and save every row in one transaction, or nothing (CaseImportInvalid).

    The rows are saved PROGRESS_EVERY at a time, each kind of record in bulk, with the outcome
    of saving each row through the intake services (client_create, case_create, hearing_add or
    case_deadlines_recompute, ...; tests/intake/test_import_outcome.py holds the two together).
    `progress(saved, total)` is called after each group (it must not write to the database: the
    transaction is still open)."""
    import_id = uuid.uuid4().hex
    # Validation runs inside the transaction: on SQLite (IMMEDIATE) it holds the write lock, so
    # an A-number another import saves meanwhile cannot slip in between the check and the save.
    with _collector_paused(), transaction.atomic():
        result = case_import_validate(content=content, filename=filename)
        if not result.is_clean:
            raise CaseImportInvalid(result.problems)
        total = len(result.rows)
        today = timezone.localdate()
        codes = case_codes_reserve(year=today.year, count=total)
        cases: list[Case] = []
        for start in range(0, total, PROGRESS_EVERY):
            group = []
            for row, code in zip(
                result.rows[start : start + PROGRESS_EVERY],
                codes[start : start + PROGRESS_EVERY],
                strict=True,
            ):
                try:
                    group.append(_row_build(row, actor=actor, organization=organization, code=code))
                except ValidationError as error:
                    # Defence in depth: a service refused what validation let through. Roll back.
                    raise CaseImportInvalid(
                        [ImportProblem(row.row, "", message) for message in error.messages]
                    ) from error
            cases += _rows_save(group, actor=actor, import_id=import_id, today=today)
            if progress is not None:
                progress(len(cases), total)
        # Every imported person is checked for conflicts, like a case entered by hand; in the
        # background, once the rows are committed (publishing a case re-runs its check too).
        case_ids = [case.pk for case in cases]
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        transaction.on_commit(lambda: conflict_check_cases(case_ids, actor_id))
    return cases


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during the save: the rows' records and the
    cases returned (10,000 for a full file) stay alive until the end, and every collection of
    the oldest generation would walk them all again (about a tenth of the save's time) to find
    nothing to free. Reference counting still frees everything; the collector is back on
    (if it was) when the save ends, however it ends."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass
class _RowRecords:
    """One row's records, built but not yet saved."""

    row: CaseImportRow
    client: Client
    children: list[FamilyMember]
    adverse_parties: list[AdverseParty]
    case: Case
    hearing: Hearing | None


def _row_build(
    row: CaseImportRow, *, actor: Any, organization: Organization, code: str
) -> _RowRecords:
    """What client_create, family_member_add, adverse_party_add, case_create and hearing_add
    would save for the row, with their checks (ValidationError)."""
    client = client_build(
        actor=actor,
        given_names=row.given_names,
        family_names=row.family_names,
        country_of_nationality=row.country_of_nationality,
        a_number=format_a_number(row.a_number) if row.a_number else "",
        date_of_birth=row.date_of_birth,
        languages=row.languages,
        phone=row.phone,
    )
    children = [
        family_member_build(
            client=client,
            relationship=FamilyMember.Relationship.CHILD,
            given_names=child.given_names,
            family_names=child.family_names,
            date_of_birth=child.date_of_birth,
        )
        for child in row.children
    ]
    adverse_parties = []
    if row.adverse_party_name:
        kind = (
            AdverseParty.Kind.PERPETRATOR
            if row.case_type == CaseType.U_VISA
            else AdverseParty.Kind.PERSECUTOR
        )
        adverse_parties.append(
            adverse_party_build(client=client, kind=kind, name=row.adverse_party_name)
        )
    # As case_create builds it.
    case = Case(
        code=code,
        client=client,
        case_type=row.case_type,
        placing_organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        stage=Stage.INTAKE,
        court=row.court,
        detained=row.detained,
        is_unaccompanied_child=row.is_unaccompanied_child,
        last_arrival=row.last_arrival,
        supplement_b_signed=row.supplement_b_signed,
        languages=row.languages,
    )
    hearing = None
    if row.hearing_at is not None:
        hearing_check_after_arrival(case, row.hearing_at)
        hearing = Hearing(case=case, kind=row.hearing_kind, starts_at=row.hearing_at)
    return _RowRecords(row, client, children, adverse_parties, case, hearing)


def _prefetched(instance: Any, related_name: str, objects: list[Any]) -> None:
    """Make `instance.<related_name>.all()` give `objects`, the records just written (the only
    ones: the instance was created just now), as prefetch_related would, so the deadline
    engine's readers and the board card read none back (a new case's hearings are passed to
    them: a case not inserted yet has no related managers). A plain list: anything but .all()
    fails loudly. Dropped again by _prefetched_drop once the group is saved."""
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[related_name] = objects


def _prefetched_drop(instance: Any) -> None:
    instance.__dict__.pop("_prefetched_objects_cache", None)


def _rows_save(
    group: list[_RowRecords], *, actor: Any, import_id: str, today: dt.date
) -> list[Case]:
    """Save a group of rows, each kind of record in one bulk insert, in the order saving the
    rows one by one writes them (so ids, timelines and the audit log read the same)."""
    records_insert_with_ids(Client, [records.client for records in group])
    # The clients have ids now: the people and cases pointing at them take them.
    for records in group:
        for member in records.children:
            member.client = records.client
        for party in records.adverse_parties:
            party.client = records.client
        _prefetched(records.client, "family_members", records.children)
    records_insert_with_ids(FamilyMember, [r for g in group for r in g.children])
    records_insert(AdverseParty, [r for g in group for r in g.adverse_parties])
    cases = []
    for records in group:
        records.case.client = records.client
        cases.append(records.case)
    # The engine reads no ids: the deadlines and the board card are computed before the cases
    # are inserted, so their INSERT carries the card (no UPDATE per case afterwards).
    case_hearings = [[records.hearing] if records.hearing else [] for records in group]
    results = new_cases_deadlines_compute(cases=cases, hearings=case_hearings, today=today)
    cases_insert(cases)
    hearings = []
    for records in group:
        if records.hearing is not None:
            records.hearing.case = records.case
            hearings.append(records.hearing)
    records_insert_with_ids(Hearing, hearings)
    records_insert(Screening, [Screening(case=case) for case in cases])
    new_cases_deadlines_insert(cases=cases, hearings=case_hearings, results=results)

    user = actor if getattr(actor, "is_authenticated", False) else None
    events = []
    audit = []
    for records in group:
        case = records.case
        audit.append(_audit_entry(user, AuditEvent.Action.CLIENT_CREATED, records.client))
        audit.append(
            _audit_entry(user, AuditEvent.Action.CASE_CREATED, case, {"case_code": case.code})
        )
        events.append(CaseEvent(case=case, kind=CaseEvent.Kind.CREATED, actor=user, data={}))
        if records.hearing is not None:
            audit.append(
                _audit_entry(
                    user,
                    AuditEvent.Action.CASE_UPDATED,
                    case,
                    {"hearing_added": records.hearing.pk},
                )
            )
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.IMPORTED,
                actor=user,
                data={"row": records.row.row, "import_id": import_id},
            )
        )
    records_insert(CaseEvent, events)
    records_insert(AuditEvent, audit)
    for records in group:
        # The callers get plain saved cases (and the garbage collector has less to walk).
        _prefetched_drop(records.client)
    return cases


def _audit_entry(
    user: Any, action: str, target: Client | Case, data: dict[str, Any] | None = None
) -> AuditEvent:
    # As audit_record writes it for a service called without a request.
    return AuditEvent(
        actor=user,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        ip_address=None,
        user_agent="",
        data=data or {},
    )


# --- The template file ------------------------------------------------------------------------


def _example_row() -> list[str]:
    return [
        _example_hearing_at() if column.name == "next_hearing_at" else column.example
        for column in COLUMNS
    ]


def case_import_template(*, file_format: str) -> bytes:
    """The column names and one example row of fictional data."""
    dataset = tablib.Dataset(_example_row(), headers=list(COLUMN_NAMES))
    if file_format == "xlsx":
        return bytes(dataset.export("xlsx"))
    # With a byte-order mark Excel opens the file as UTF-8 (accents intact); the import accepts it.
    return str(dataset.export("csv")).encode("utf-8-sig")
