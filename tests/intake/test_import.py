"""Bulk import of cases from CSV and XLSX: problems by row and column, nothing saved until the
file is clean, then every row in one transaction."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone, translation

from amparo.cases.models import Case, CaseEvent, Hearing, Stage
from amparo.deadlines.models import CaseDeadline
from amparo.intake.imports import (
    COLUMN_NAMES,
    ISO_COUNTRY_CODES,
    MAX_ROWS,
    CaseImportInvalid,
    case_import_placing_organization,
    case_import_save,
    case_import_template,
    case_import_validate,
)
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.intake.services import client_create

IMPORT_URL = "/cases/import/"
TODAY = timezone.localdate()
HEARING_DAY = TODAY + dt.timedelta(days=90)
ARRIVAL = TODAY - dt.timedelta(days=100)
NEXT_MONTH = (TODAY + dt.timedelta(days=30)).isoformat()


def case_row(**overrides: str) -> dict[str, str]:
    row = {
        "client_given_names": "Rosa Amelia",
        "client_family_names": "Quintanilla Ayala",
        "a_number": "A-212-345-678",
        "date_of_birth": "1991-07-04",
        "country_of_nationality": "SV",
        "languages": "es;quc",
        "phone": "(510) 555-0142",
        "case_type": "defensive_asylum",
        "court_code": "SFR",
        "detained": "no",
        "last_arrival": ARRIVAL.isoformat(),
        "is_unaccompanied_child": "no",
        "next_hearing_kind": "individual",
        "next_hearing_at": f"{HEARING_DAY.isoformat()} 09:00",
        "supplement_b_signed": "",
        "adverse_party_name": "",
        "children": "Mateo Quintanilla 2016-01-02; María José / Pérez López 2018-07-01",
    }
    row.update(overrides)
    return row


def u_visa_row(**overrides: str) -> dict[str, str]:
    return case_row(
        **{
            "client_given_names": "Lucía",
            "client_family_names": "Ejemplo Ficticio",
            "a_number": "98765432",
            "case_type": "u_visa",
            "court_code": "",
            "next_hearing_kind": "",
            "next_hearing_at": "",
            "supplement_b_signed": (TODAY - dt.timedelta(days=20)).isoformat(),
            "adverse_party_name": "Ernesto Malvado",
            "children": "",
            **overrides,
        }
    )


def csv_bytes(rows: list[dict[str, str]], headers: list[str] | None = None) -> bytes:
    headers = headers or list(rows[0])
    dataset = tablib.Dataset(*[[r.get(h, "") for h in headers] for r in rows], headers=headers)
    return dataset.export("csv").encode("utf-8")


def validate(content: bytes, name: str = "cases.csv"):
    return case_import_validate(content=content, filename=name)


def problems_of(content: bytes, name: str = "cases.csv") -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in validate(content, name).problems]


def upload(client, content: bytes, name: str = "cases.csv"):
    return client.post(IMPORT_URL, {"action": "upload", "file": SimpleUploadedFile(name, content)})


def confirm(client, response):
    """Confirm the previewed upload; the background job it starts runs at the commit (the
    test settings run background jobs immediately)."""
    from django.test import TestCase

    upload_id = response.context["confirm_form"].initial["upload_id"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(IMPORT_URL, {"action": "confirm", "upload_id": upload_id})


def counts() -> tuple[int, int, int]:
    return Client.objects.count(), Case.objects.count(), Hearing.objects.count()


# --- Clean files ----------------------------------------------------------------------------


def test_case_import_url_is_not_taken_by_the_case_detail_page():
    # config/urls.py must include the intake URLs before cases/<code>/, or "import" is a code.
    assert resolve(IMPORT_URL).view_name == "intake:case_import"


def test_case_import_csv_saves_every_row_after_the_preview(client, personas):
    client.force_login(personas.partner)
    before = counts()
    preview = upload(client, csv_bytes([case_row(), u_visa_row()]))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "San Francisco" in html and f"{HEARING_DAY.isoformat()} 09:00" in html
    assert counts() == before  # the preview saves nothing

    response = confirm(client, preview)

    assert response.status_code == 302
    assert response["Location"].startswith("/cases/import/jobs/")
    job_page = client.get(response["Location"]).content.decode()
    assert "2 cases imported." in job_page
    cases = list(Case.objects.order_by("-id")[:2])[::-1]
    asylum, u_visa = cases
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 1)
    for case in cases:
        assert case.placing_organization == personas.partner.organization
        assert case.stage == Stage.INTAKE and case.created_by == personas.partner
    assert asylum.court.code == "SFR" and asylum.last_arrival == ARRIVAL
    assert asylum.client.full_name == "Rosa Amelia Quintanilla Ayala"
    assert asylum.client.a_number == "A-212-345-678"
    assert asylum.client.languages == ["es", "quc"] and asylum.languages == ["es", "quc"]
    hearing = asylum.hearings.get()
    assert hearing.kind == Hearing.Kind.INDIVIDUAL
    assert hearing.starts_at == dt.datetime.combine(
        HEARING_DAY, dt.time(9, 0), tzinfo=ZoneInfo("America/Los_Angeles")
    )
    # hearing_add recomputed the deadlines: the pre-hearing filing deadline hangs on the hearing.
    assert CaseDeadline.objects.filter(case=asylum, hearing=hearing).exists()
    children = FamilyMember.objects.filter(client=asylum.client).order_by("id")
    assert [(c.given_names, c.family_names, c.date_of_birth) for c in children] == [
        ("Mateo", "Quintanilla", dt.date(2016, 1, 2)),
        ("María José", "Pérez López", dt.date(2018, 7, 1)),
    ]
    assert u_visa.court is None and u_visa.supplement_b_signed is not None
    assert u_visa.client.a_number == "A-098-765-432"
    perpetrator = AdverseParty.objects.get(client=u_visa.client)
    assert perpetrator.kind == AdverseParty.Kind.PERPETRATOR
    assert perpetrator.name == "Ernesto Malvado"
    assert CaseDeadline.objects.filter(case=u_visa).exists()  # recomputed without a hearing
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.IMPORTED, case__in=cases)
    assert sorted(e.data["row"] for e in events) == [2, 3]
    assert {e.actor for e in events} == {personas.partner}
    assert len({e.data["import_id"] for e in events}) == 1


def test_case_import_names_are_encrypted_at_rest(personas):
    case_import_save(
        actor=personas.coordinator,
        organization=personas.coordinator.organization,
        content=csv_bytes([case_row()]),
        filename="cases.csv",
    )
    imported = Client.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_names, a_number FROM intake_client WHERE id = %s",
            [imported.pk],
        )
        raw = " ".join(cursor.fetchone())
    assert "Rosa" not in raw and "Quintanilla" not in raw and "212" not in raw
    assert imported.given_names == "Rosa Amelia"


def test_case_import_xlsx_with_typed_cells_saves_every_row(client, personas):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    headers = list(COLUMN_NAMES)
    sheet.append(headers)
    # What a spreadsheet program stores: real dates, a number for the A-number, a boolean.
    typed = {
        **case_row(children=""),
        "a_number": 87654321,
        "date_of_birth": dt.datetime(1991, 7, 4),
        "last_arrival": dt.datetime.combine(ARRIVAL, dt.time()),
        "next_hearing_at": dt.datetime.combine(HEARING_DAY, dt.time(13, 30)),
        "detained": True,
    }
    sheet.append([typed.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(personas.coordinator)

    preview = upload(client, buffer.getvalue(), "cases.xlsx")
    assert preview.status_code == 200, preview.content.decode()
    response = confirm(client, preview)

    assert response.status_code == 302
    case = Case.objects.order_by("-id").first()
    assert case.detained is True
    assert case.client.a_number == "A-087-654-321"
    assert case.client.date_of_birth == dt.date(1991, 7, 4)
    assert timezone.localtime(case.hearings.get().starts_at).time() == dt.time(13, 30)
    assert case.placing_organization == personas.coordinator.organization
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.IMPORTED).exists()


@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["UTF-8", "UTF-8 with BOM"])
def test_case_import_reads_utf8_with_or_without_bom(db, bom):
    text = csv_bytes([case_row(client_given_names="Begoña")]).decode()
    result = validate((bom + text).encode("utf-8"))
    assert result.is_clean, result.problems
    assert result.rows[0].given_names == "Begoña"


def test_case_import_reads_windows_1252(db):
    text = csv_bytes([case_row(client_given_names="Begoña José")]).decode()
    result = validate(text.encode("cp1252"))
    assert result.is_clean, result.problems
    assert result.rows[0].given_names == "Begoña José"


def test_case_import_reads_semicolon_separated_csv(db):
    row = case_row()
    text = ";".join(row) + "\r\n" + ";".join(f'"{v}"' for v in row.values()) + "\r\n"
    result = validate(text.encode())
    assert result.is_clean, result.problems
    assert result.rows[0].languages == ["es", "quc"]


def test_case_import_skips_empty_rows_but_keeps_spreadsheet_row_numbers(db):
    text = csv_bytes([case_row(), case_row(a_number="", country_of_nationality="ZZ")]).decode()
    header, first, second = text.strip("\r\n").split("\r\n")
    # Row 2 is a case, row 3 and 4 are empty, row 5 has the problem.
    content = "\r\n".join([header, first, "", ",,,", second]).encode()
    assert problems_of(content) == [(5, "country_of_nationality")]


def test_case_import_columns_in_any_order_and_optional_ones_left_out(db):
    row = case_row(
        case_type="affirmative_asylum", court_code="", next_hearing_kind="", next_hearing_at=""
    )
    keep = ["case_type", "country_of_nationality", "client_family_names", "client_given_names"]
    result = validate(csv_bytes([row], headers=keep))
    assert result.is_clean, result.problems
    assert result.rows[0].court is None and result.rows[0].a_number == ""


# --- Problems by row and column -------------------------------------------------------------

# (what is wrong, the row's changes, the column reported, a word of the English message)
ROW_PROBLEMS = [
    ("given names missing", {"client_given_names": ""}, "client_given_names", "required"),
    ("family names missing", {"client_family_names": "  "}, "client_family_names", "required"),
    ("country missing", {"country_of_nationality": ""}, "country_of_nationality", "required"),
    ("case type missing", {"case_type": ""}, "case_type", "required"),
    ("malformed birth date", {"date_of_birth": "04/07/1991"}, "date_of_birth", "YYYY-MM-DD"),
    ("birth date not in calendar", {"date_of_birth": "1991-02-30"}, "date_of_birth", "calendar"),
    ("birth date in the future", {"date_of_birth": NEXT_MONTH}, "date_of_birth", "future"),
    ("arrival before birth", {"last_arrival": "1990-01-01"}, "last_arrival", "before"),
    ("arrival in the future", {"last_arrival": NEXT_MONTH}, "last_arrival", "future"),
    (
        "hearing before arrival",
        {"next_hearing_at": f"{(ARRIVAL - dt.timedelta(days=3)).isoformat()} 09:00"},
        "next_hearing_at",
        "arrival",
    ),
    ("hearing malformed", {"next_hearing_at": "2026-03-16"}, "next_hearing_at", "HH:MM"),
    ("hearing without its kind", {"next_hearing_kind": ""}, "next_hearing_kind", "kind"),
    ("hearing kind unknown", {"next_hearing_kind": "bond"}, "next_hearing_kind", "master"),
    ("hearing kind without date", {"next_hearing_at": ""}, "next_hearing_at", "date"),
    ("A-number too short", {"a_number": "A-123-456"}, "a_number", "8 or 9 digits"),
    ("A-number too long", {"a_number": "1234567890"}, "a_number", "8 or 9 digits"),
    ("A-number with letters", {"a_number": "A-12B-456-789"}, "a_number", "8 or 9 digits"),
    ("unknown court", {"court_code": "XYZ"}, "court_code", "XYZ"),
    ("defensive asylum without court", {"court_code": ""}, "court_code", "court code"),
    ("unknown case type", {"case_type": "tps"}, "case_type", "tps"),
    ("unknown language", {"languages": "es;klingon"}, "languages", "klingon"),
    ("unknown country", {"country_of_nationality": "XX"}, "country_of_nationality", "XX"),
    (
        "country written out",
        {"country_of_nationality": "El Salvador"},
        "country_of_nationality",
        "ISO",
    ),
    ("detained not yes/no", {"detained": "maybe"}, "detained", "yes"),
    ("unaccompanied not yes/no", {"is_unaccompanied_child": "x"}, "is_unaccompanied_child", "yes"),
    (
        "Supplement B on asylum",
        {"supplement_b_signed": "2025-01-02"},
        "supplement_b_signed",
        "U visa",
    ),
    ("child without a date", {"children": "Mateo Quintanilla"}, "children", "Given names"),
    (
        "child date malformed",
        {"children": "Mateo Quintanilla 02/01/2016"},
        "children",
        "YYYY-MM-DD",
    ),
    (
        "child born in the future",
        {"children": f"Mateo Quintanilla {NEXT_MONTH}"},
        "children",
        "future",
    ),
    (
        "child born before parent",
        {"children": "Mateo Quintanilla 1980-01-01"},
        "children",
        "before",
    ),
    ("date after 2100", {"last_arrival": "2999-01-01"}, "last_arrival", "2100"),
    ("name too long", {"client_given_names": "A" * 201}, "client_given_names", "200"),
]


@pytest.mark.parametrize(
    ("changes", "column", "word"),
    [pytest.param(changes, column, word, id=what) for what, changes, column, word in ROW_PROBLEMS],
)
def test_case_import_reports_row_problem_with_row_and_column(db, changes, column, word):
    # The bad row is the second case: row 3 of the spreadsheet.
    result = validate(csv_bytes([u_visa_row(), case_row(**changes)]))
    assert [(p.row, p.column) for p in result.problems] == [(3, column)]
    assert word in result.problems[0].message
    assert result.rows == []


def test_case_import_reports_duplicate_a_number_within_the_file(db):
    rows = [case_row(), u_visa_row(), case_row(a_number="212345678")]
    result = validate(csv_bytes(rows))
    assert [(p.row, p.column) for p in result.problems] == [(4, "a_number")]
    assert "Row 2" in result.problems[0].message


def test_case_import_reports_a_number_already_in_the_system_without_the_name(db):
    client_create(
        actor=None,
        given_names="Existente",
        family_names="Secreto",
        country_of_nationality="SV",
        a_number="A-212-345-678",
    )
    result = validate(csv_bytes([u_visa_row(), case_row(a_number="212-345-678")]))
    assert [(p.row, p.column) for p in result.problems] == [(3, "a_number")]
    assert "already" in result.problems[0].message
    assert "Existente" not in result.problems[0].message
    assert "Secreto" not in result.problems[0].message


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([*COLUMN_NAMES, "favourite_colour"], [(1, "favourite_colour")]),
        ([c for c in COLUMN_NAMES if c != "case_type"], [(1, "case_type")]),
        ([*COLUMN_NAMES, "phone"], [(1, "phone")]),
        (["Nombre", "Apellido"], [(1, "")]),
    ],
    ids=["unknown column", "required column missing", "column twice", "no column names"],
)
def test_case_import_reports_header_problems_in_row_1(db, headers, expected):
    content = csv_bytes([case_row()], headers=headers)
    assert problems_of(content) == expected


def test_case_import_reports_row_wider_than_the_column_names(db):
    text = csv_bytes([case_row(), case_row(a_number="")]).decode()
    content = (text + ",".join(["x"] * (len(COLUMN_NAMES) + 2)) + "\r\n").encode()
    assert problems_of(content) == [(4, "")]


def test_case_import_reports_an_unclosed_quotation_mark(db):
    text = csv_bytes([case_row(), case_row(a_number="")]).decode()
    header, first, second = text.strip("\r\n").split("\r\n")
    content = "\r\n".join([header, first.replace("Rosa Amelia", '"Rosa Amelia'), second]).encode()
    assert (2, "client_given_names") in problems_of(content)


def test_case_import_reports_a_value_too_large_for_csv(db):
    content = ",".join(COLUMN_NAMES) + '\r\n"' + "x" * 200_000 + '"\r\n'
    assert problems_of(content.encode()) == [(2, "")]


FILE_PROBLEMS = [
    ("empty file", b"", "cases.csv", "empty"),
    ("only blank lines", b"\r\n\r\n", "cases.csv", "empty"),
    ("header only", ",".join(COLUMN_NAMES).encode(), "cases.csv", "no cases"),
    ("PDF named .csv", b"%PDF-1.7\n\x00\x01binary", "cases.csv", "not a CSV"),
    ("zip named .csv", b"PK\x03\x04\x00\x00rest", "cases.csv", "not a CSV"),
    ("text named .xlsx", b"client_given_names\nRosa", "cases.xlsx", "not an XLSX"),
    ("wrong extension", b"client_given_names\nRosa", "cases.txt", ".csv or .xlsx"),
    ("not UTF-8 nor Windows-1252", b"client_given_names\n\x81\x8d\x8f", "cases.csv", "characters"),
    ("over 5 MB", b"a" * (5 * 1024 * 1024 + 1), "cases.csv", "5 MB"),
]


@pytest.mark.parametrize(
    ("content", "name", "word"),
    [pytest.param(c, n, w, id=what) for what, c, n, w in FILE_PROBLEMS],
)
def test_case_import_reports_file_problems(db, content, name, word):
    result = validate(content, name)
    assert len(result.problems) == 1 and result.problems[0].row is None
    assert word in result.problems[0].message


def test_case_import_refuses_a_zip_that_is_not_a_workbook(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "not an XLSX" in validate(buffer.getvalue(), "cases.xlsx").problems[0].message


def test_case_import_refuses_more_than_10000_rows(client, personas):
    rows = [case_row(a_number="", children="") for _ in range(MAX_ROWS + 1)]
    client.force_login(personas.partner)
    before = counts()
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 422
    assert "10001" in response.content.decode().replace(",", "")
    assert counts() == before


def test_case_import_refuses_non_csv_content_named_csv(client, personas):
    client.force_login(personas.partner)
    before = counts()
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cases.csv")
    assert response.status_code == 422
    assert "not a CSV file" in response.content.decode()
    assert counts() == before


BAD_FILES = [
    pytest.param(
        lambda: csv_bytes([case_row(), case_row(a_number="", court_code="NOPE")]), id="row"
    ),
    pytest.param(lambda: csv_bytes([case_row()], headers=[*COLUMN_NAMES, "x"]), id="header"),
    pytest.param(lambda: b"", id="empty"),
    pytest.param(lambda: csv_bytes([case_row(), case_row()]), id="duplicate A-number"),
]


@pytest.mark.parametrize("make_content", BAD_FILES)
def test_case_import_with_any_problem_writes_nothing(client, personas, make_content):
    client.force_login(personas.partner)
    before = counts(), FamilyMember.objects.count(), CaseEvent.objects.count()
    response = upload(client, make_content())
    assert response.status_code == 422
    assert (counts(), FamilyMember.objects.count(), CaseEvent.objects.count()) == before


def test_case_import_error_table_shows_row_column_and_message(client, personas):
    client.force_login(personas.partner)
    response = upload(client, csv_bytes([case_row(), case_row(a_number="", court_code="NOPE")]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "<td>3</td>" in html and "<code>court_code</code>" in html
    assert "No Immigration Court has the code NOPE." in html


def test_case_import_messages_in_spanish(db):
    content = csv_bytes([case_row(client_given_names="", court_code="NOPE")])
    with translation.override("es"):
        messages = [p.message for p in validate(content).problems]
    assert messages == [
        "Este valor es obligatorio.",
        "Ningún tribunal de inmigración tiene el código NOPE.",
    ]


def test_case_import_page_in_spanish_for_a_spanish_speaking_user(client, personas):
    personas.partner.language = "es"
    personas.partner.save(update_fields=["language"])
    client.force_login(personas.partner)
    response = upload(client, csv_bytes([case_row(date_of_birth=NEXT_MONTH)]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "La fecha de nacimiento no puede estar en el futuro." in html
    assert "No se guardó nada." in html


def test_case_import_by_a_coordinator_without_organization_places_for_the_operator(personas):
    operator = personas.coordinator.organization
    personas.coordinator.organization = None
    personas.coordinator.save(update_fields=["organization"])
    assert case_import_placing_organization(uploader=personas.coordinator) == operator


# --- Confirmation ---------------------------------------------------------------------------


def test_case_import_confirm_validates_again(client, personas):
    client.force_login(personas.partner)
    preview = upload(client, csv_bytes([case_row()]))
    assert preview.status_code == 200
    # Meanwhile someone records a client with the same A-number.
    client_create(
        actor=None,
        given_names="Otra",
        family_names="Persona",
        country_of_nationality="GT",
        a_number="212345678",
    )
    before = counts()
    response = confirm(client, preview)
    # The background save validates again, finds the A-number taken and saves nothing.
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert "already in the system" in job_page and "Nothing was saved" in job_page
    assert counts() == before


def test_case_import_confirm_twice_saves_once(client, personas):
    client.force_login(personas.partner)
    preview = upload(client, csv_bytes([case_row()]))
    before = counts()
    assert confirm(client, preview).status_code == 302
    again = confirm(client, preview)
    assert again.status_code == 422
    assert counts()[1] == before[1] + 1


def test_case_import_confirm_without_an_upload_is_refused(client, personas):
    client.force_login(personas.partner)
    response = client.post(IMPORT_URL, {"action": "confirm", "upload_id": "made-up"})
    assert response.status_code == 422
    assert "upload the file again" in response.content.decode()


def test_case_import_stored_upload_is_encrypted_in_the_session(client, personas):
    client.force_login(personas.partner)
    preview = upload(client, csv_bytes([case_row(client_family_names="Zarzamora Única")]))
    assert preview.status_code == 200
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        session = Session.objects.get(session_key=client.session.session_key)
        assert "Zarzamora" not in session.session_data
    decoded = str(client.session.load())  # the session as its store (database or Redis) keeps it
    assert "intake.case_import" in decoded
    assert "Zarzamora" not in decoded and "212-345-678" not in decoded


def test_case_import_cancel_forgets_the_upload(client, personas):
    client.force_login(personas.partner)
    preview = upload(client, csv_bytes([case_row()]))
    assert client.post(IMPORT_URL, {"action": "cancel"}).status_code == 302
    assert "intake.case_import" not in client.session
    assert confirm(client, preview).status_code == 422


# --- Template -------------------------------------------------------------------------------


def test_case_import_csv_template_parses_back_and_validates_clean(client, personas):
    client.force_login(personas.partner)
    response = client.get(reverse("intake:case_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    dataset = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    assert list(dataset.headers) == list(COLUMN_NAMES) and dataset.height == 1
    result = validate(response.content)
    assert result.is_clean, result.problems


def test_case_import_xlsx_template_validates_clean(client, personas):
    client.force_login(personas.coordinator)
    response = client.get(reverse("intake:case_import_template_xlsx"))
    assert response.status_code == 200
    result = validate(response.content, "template.xlsx")
    assert result.is_clean, result.problems
    assert case_import_template(file_format="xlsx")[:2] == b"PK"


def test_case_import_page_explains_every_column(client, personas):
    client.force_login(personas.partner)
    html = client.get(IMPORT_URL).content.decode()
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in html
    assert 'enctype="multipart/form-data"' in html and "<script>" not in html


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner", 200), ("coordinator", 200), ("attorney", 404), ("mentor", 404)],
)
def test_case_import_access_by_role(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(IMPORT_URL).status_code == status
    assert client.get(reverse("intake:case_import_template")).status_code == status


def test_case_import_attorney_cannot_post_a_file(client, personas):
    client.force_login(personas.attorney)
    before = counts()
    assert upload(client, csv_bytes([case_row()])).status_code == 404
    assert counts() == before


def test_case_import_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Scale ----------------------------------------------------------------------------------


def test_case_import_validation_queries_do_not_grow_with_rows(db):
    def queries_for(count: int) -> int:
        rows = [
            case_row(a_number=f"{100000000 + i}", client_given_names=f"Persona {i}")
            for i in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            result = validate(csv_bytes(rows))
        assert result.is_clean, result.problems[:3]
        return len(captured.captured_queries)

    few = queries_for(3)
    assert few <= 2  # the courts, and the A-numbers in one query
    assert queries_for(300) == few


def test_iso_country_codes_are_the_249_assigned_codes():
    assert len(ISO_COUNTRY_CODES) == 249
    assert {"SV", "GT", "HN", "MX", "HT", "VE", "AF", "CN", "IN", "UA"} <= ISO_COUNTRY_CODES


def test_imported_cases_get_a_screening_and_a_conflict_check(
    personas, django_capture_on_commit_callbacks
):
    from amparo.conflicts.models import ConflictHit
    from amparo.intake.models import Screening

    # Row 2's adverse party is row 1's client: the check must find it although both arrive in
    # the same file.
    rows = [
        case_row(children=""),
        u_visa_row(adverse_party_name="Rosa Amelia Quintanilla Ayala", children=""),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        cases = case_import_save(
            actor=personas.partner,
            organization=personas.partner.organization,
            content=csv_bytes(rows),
            filename="cases.csv",
        )
    assert len(cases) == 2
    assert Screening.objects.filter(case__in=cases).count() == 2
    for case in cases:
        assert CaseEvent.objects.filter(case=case, kind="conflict_checked").exists()
    assert ConflictHit.objects.filter(case__in=cases, status="open").exists()


# --- Background save and its progress -----------------------------------------------------


def test_case_import_job_page_shows_progress_then_result_only_to_its_creator(
    client, personas, monkeypatch
):
    from django.core.cache import caches

    from amparo.intake.import_jobs import (
        _progress_key,
        case_import_job_progress,
        case_import_job_run,
        case_import_job_start,
    )
    from amparo.intake.models import CaseImportJob

    content = csv_bytes([case_row(), u_visa_row()])
    job = case_import_job_start(
        actor=personas.partner,
        organization=personas.partner.organization,
        content=content,
        file_format="csv",
        rows=2,
    )  # not committed in this test: the job waits
    url = reverse("intake:case_import_job", args=[job.token])
    client.force_login(personas.partner)
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert "The import is waiting to start." in waiting.content.decode()
    assert 'hx-trigger="every 2s"' in waiting.content.decode()  # the page polls while it runs

    # While it runs, the progress comes from the progress cache (outside the transaction).
    CaseImportJob.objects.filter(pk=job.pk).update(status="running")
    caches["progress"].set(_progress_key(job.pk), 1)
    job.refresh_from_db()
    assert case_import_job_progress(job=job).saved == 1
    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Saving: 1 of 2 cases." in running and "<progress" in running
    CaseImportJob.objects.filter(pk=job.pk).update(status="queued")

    # Watch the progress the job reports while it saves (the real save runs underneath).
    from amparo.intake import import_jobs

    seen: list[tuple[int, int]] = []
    real_save = import_jobs.case_import_save

    def save_and_watch(*, progress, **kwargs):
        def watch(saved, total):
            seen.append((saved, total))
            progress(saved, total)

        return real_save(progress=watch, **kwargs)

    monkeypatch.setattr(import_jobs, "case_import_save", save_and_watch)
    finished = case_import_job_run(job_id=job.pk)
    assert seen == [(2, 2)]  # the last row always reports
    assert finished is not None and finished.status == "done" and finished.case_count == 2
    assert finished.content == ""  # the file is not kept once saved
    assert case_import_job_run(job_id=job.pk) is None  # a finished job never runs twice
    done = client.get(url).content.decode()
    assert "2 cases imported." in done and "every 2s" not in done

    # Nobody else may open it: not another partner, not a coordinator.
    for other in (personas.other_partner, personas.coordinator):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_case_import_save_pauses_the_garbage_collector_and_always_turns_it_back_on(personas):
    import gc

    collector_during_save = []
    assert gc.isenabled()
    case_import_save(
        actor=personas.partner,
        organization=personas.partner.organization,
        content=csv_bytes([case_row()]),
        filename="cases.csv",
        progress=lambda saved, total: collector_during_save.append(gc.isenabled()),
    )
    assert collector_during_save == [False]
    assert gc.isenabled()
    with pytest.raises(CaseImportInvalid):
        case_import_save(
            actor=personas.partner,
            organization=personas.partner.organization,
            content=csv_bytes([case_row(date_of_birth="not a date")]),
            filename="cases.csv",
        )
    assert gc.isenabled()
