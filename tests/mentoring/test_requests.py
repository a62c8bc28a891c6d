"""Requests for a mentor: by the attorney of record for their case, by partner staff for one or
many cases their organization placed (form or CSV); bad input saves nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.core.models import AuditEvent
from amparo.mentoring.imports import request_import_check
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring.services import (
    MentoringError,
    mentoring_request_create,
    mentoring_request_withdraw,
)
from tests.factories import CaseFactory, MentorshipFactory


def csv_upload(text: str, name: str = "requests.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_request_by_attorney_of_record_records_case_attorney_help_and_languages(
    client, personas, program, django_capture_on_commit_callbacks
):
    client.force_login(personas.attorney)
    url = reverse("mentoring:request_create", args=[program.case.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"help_wanted": "Review my brief", "languages": ["es"]})
    assert response.status_code == 302
    request = MentoringRequest.objects.get(case=program.case)
    assert request.attorney == personas.attorney
    assert request.requested_by == personas.attorney
    assert request.help_wanted == "Review my brief"
    assert request.languages == ["es"]
    assert request.source == "attorney"
    assert request.status == "pending"
    assert request.eligibility_ok is True  # every requirement of the fixture is met
    assert AuditEvent.objects.filter(action="mentoring_request.created").count() == 1
    # The program admins hear of it; the attorney asked themself, so no e-mail to them.
    assert [m.to for m in mail.outbox] == [[personas.program_admin.email]]
    assert program.case.code in mail.outbox[0].subject
    assert "Quintanilla" not in mail.outbox[0].body  # cases by code only


def test_request_page_shows_the_form_and_the_requirements_before_asking(client, personas, program):
    client.force_login(personas.attorney)
    response = client.get(reverse("mentoring:case", args=[program.case.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What help do you want from a mentor?" in html
    assert "Bar standing verified by the program" in html
    assert 'aria-current="step"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"help_wanted": "", "languages": []}, "Say what help you want from a mentor."),
        ({"help_wanted": "x" * 2001, "languages": []}, "at most 2000 characters"),
        ({"help_wanted": "Help", "languages": ["xx"]}, "Select a valid choice"),
    ],
)
def test_request_bad_input_is_explained_and_saves_nothing(client, personas, program, data, message):
    client.force_login(personas.attorney)
    response = client.post(reverse("mentoring:request_create", args=[program.case.code]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MentoringRequest.objects.exists()


def test_request_twice_for_one_case_is_refused(client, personas, program, open_request):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("mentoring:request_create", args=[program.case.code]), {"help_wanted": "Again"}
    )
    # The form is gone (a request is open); a stale page posting again gets the reason.
    assert response.status_code == 422
    assert "already has an open mentor request" in response.content.decode()
    assert MentoringRequest.objects.count() == 1


def test_request_for_someone_elses_case_is_not_found(client, personas, program):
    client.force_login(personas.other_attorney)
    url = reverse("mentoring:request_create", args=[program.case.code])
    assert client.post(url, {"help_wanted": "Help"}).status_code == 404
    assert client.get(reverse("mentoring:case", args=[program.case.code])).status_code == 404
    assert not MentoringRequest.objects.exists()


def test_request_service_refuses_a_case_without_attorney_of_record(personas, program):
    case = CaseFactory(stage="ready", placing_organization=personas.partner.organization)
    with pytest.raises(MentoringError) as error:
        mentoring_request_create(case=case, actor=personas.partner, help_wanted="Help")
    assert "no attorney of record" in error.value.reasons[0]
    assert not MentoringRequest.objects.exists()


def test_request_service_refuses_other_organizations_and_closed_cases(personas, program):
    with pytest.raises(MentoringError, match="did not place this case"):
        mentoring_request_create(case=program.case, actor=personas.other_partner, help_wanted="x")
    program.case.stage = "closed"
    program.case.save()
    with pytest.raises(MentoringError, match="closed"):
        mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="x")
    assert not MentoringRequest.objects.exists()


def _partner_cases(personas, n):
    return [
        CaseFactory(
            stage="placed",
            attorney_of_record=personas.other_attorney,
            placing_organization=personas.partner.organization,
        )
        for _ in range(n)
    ]


def test_partner_asks_for_many_cases_at_once(
    client, personas, program, django_capture_on_commit_callbacks
):
    cases = _partner_cases(personas, 3)
    client.force_login(personas.partner)
    page = client.get(reverse("mentoring:request_bulk"))
    assert page.status_code == 200
    for case in cases:
        assert case.code in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:request_bulk"),
            {"cases": [c.pk for c in cases], "help_wanted": "Strategy", "languages": ["es"]},
        )
    assert response.status_code == 302
    requests = MentoringRequest.objects.filter(case__in=cases)
    assert requests.count() == 3
    assert {r.source for r in requests} == {"partner"}
    assert {r.attorney for r in requests} == {personas.other_attorney}
    assert {r.requested_by for r in requests} == {personas.partner}
    recipients = sorted(m.to[0] for m in mail.outbox)
    # One e-mail to the program admin for the batch; one per request to the mentee.
    assert recipients.count(personas.program_admin.email) == 1
    assert recipients.count(personas.other_attorney.email) == 3


def test_partner_cannot_choose_another_organizations_case(client, personas, program):
    foreign = CaseFactory(
        stage="placed",
        attorney_of_record=personas.other_attorney,
        placing_organization=personas.other_partner.organization,
    )
    client.force_login(personas.partner)
    response = client.post(
        reverse("mentoring:request_bulk"), {"cases": [foreign.pk], "help_wanted": "Help"}
    )
    assert response.status_code == 422
    assert "Choose cases from the list." in response.content.decode()
    assert not MentoringRequest.objects.exists()


def test_partner_csv_upload_creates_every_request(client, personas, program):
    cases = _partner_cases(personas, 2)
    client.force_login(personas.partner)
    text = (
        "case_code,help_wanted,languages\n"
        f"{cases[0].code},Review the declaration,es\n"
        f"{cases[1].code.lower()},,es;quc\n"
    )
    response = client.post(reverse("mentoring:request_upload"), {"file": csv_upload(text)})
    assert response.status_code == 302
    rows = {r.case_id: r for r in MentoringRequest.objects.all()}
    assert rows[cases[0].pk].help_wanted == "Review the declaration"
    assert rows[cases[1].pk].languages == ["es", "quc"]
    assert {r.source for r in rows.values()} == {"csv"}


def test_partner_csv_with_semicolons_as_a_spanish_spreadsheet_saves_it(personas, program):
    cases = _partner_cases(personas, 1)
    text = f"case_code;help_wanted;languages\n{cases[0].code};Ayuda con el escrito;es\n"
    result = request_import_check(content=text.encode("cp1252"), actor=personas.partner)
    assert not result.problems
    assert result.items[0].help_wanted == "Ayuda con el escrito"


def test_partner_csv_problems_are_listed_by_row_and_column_and_nothing_is_saved(
    client, personas, program
):
    cases = _partner_cases(personas, 2)
    foreign = CaseFactory(
        stage="placed",
        attorney_of_record=personas.other_attorney,
        placing_organization=personas.other_partner.organization,
    )
    unplaced = CaseFactory(stage="ready", placing_organization=personas.partner.organization)
    text = (
        "case_code,help_wanted,languages\n"
        f"{cases[0].code},Fine,es\n"  # row 2: fine
        f"{foreign.code},Not ours,\n"  # row 3
        f"{cases[0].code},Twice,\n"  # row 4
        f"{cases[1].code},Bad language,xx\n"  # row 5
        f"{unplaced.code},No attorney,\n"  # row 6
        ",,\n"  # row 7: empty, skipped
        "AMP-00-0000,Unknown,\n"  # row 8
    )
    client.force_login(personas.partner)
    response = client.post(reverse("mentoring:request_upload"), {"file": csv_upload(text)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "nothing was saved" in html
    result = request_import_check(content=text.encode(), actor=personas.partner)
    problems = {(p.row, p.column) for p in result.problems}
    assert problems == {
        (3, "case_code"),
        (4, "case_code"),
        (5, "languages"),
        (6, "case_code"),
        (8, "case_code"),
    }
    # Another organization's case is "not among yours", never "exists elsewhere".
    foreign_problem = next(p for p in result.problems if p.row == 3)
    assert "your organization placed" in foreign_problem.message
    assert not MentoringRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("requests.pdf", b"%PDF-1.4", "Upload a CSV file"),
        ("requests.csv", b"", "The submitted file is empty."),
        ("requests.csv", b"\x00\x01binary", "This file is not a CSV file."),
        ("requests.csv", b"code,help\nAMP,x\n", "Unknown column"),
    ],
)
def test_partner_csv_unreadable_files_are_explained(
    client, personas, program, name, content, message
):
    client.force_login(personas.partner)
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    response = client.post(reverse("mentoring:request_upload"), {"file": upload})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MentoringRequest.objects.exists()


def test_mentee_withdraws_a_request_and_the_waiting_invitation_is_cancelled(
    client, personas, program, open_request
):
    Mentorship.objects.create(
        request=open_request,
        case=open_request.case,
        mentor=personas.mentor,
        mentee=personas.attorney,
        status="invited",
    )
    open_request.status = "proposed"
    open_request.save()
    client.force_login(personas.attorney)
    response = client.post(reverse("mentoring:request_withdraw", args=[open_request.pk]))
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.status == "withdrawn"
    assert Mentorship.objects.get(request=open_request).status == "closed"
    # A new request can be made afterwards.
    mentoring_request_create(case=program.case, actor=personas.attorney, help_wanted="Again")


def test_a_matched_request_cannot_be_withdrawn(personas, program):
    mentorship = MentorshipFactory(request__case=program.case, request__attorney=personas.attorney)
    with pytest.raises(MentoringError):
        mentoring_request_withdraw(request=mentorship.request, actor=personas.attorney)


def test_partner_list_shows_only_their_organizations_requests_in_fixed_queries(
    client, personas, program, django_assert_max_num_queries
):
    ours = _partner_cases(personas, 6)
    for case in ours:
        MentorshipFactory(request__case=case, request__attorney=personas.other_attorney)
    foreign = CaseFactory(
        stage="placed",
        attorney_of_record=personas.other_attorney,
        placing_organization=personas.other_partner.organization,
    )
    mentoring_request_create(case=foreign, actor=personas.other_partner, help_wanted="Theirs")
    client.force_login(personas.partner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("mentoring:home"))
    html = response.content.decode()
    assert all(case.code in html for case in ours)
    assert foreign.code not in html


def test_attorney_home_lists_their_cases_in_fixed_queries(
    client, personas, program, django_assert_max_num_queries
):
    for _ in range(5):
        CaseFactory(stage="placed", attorney_of_record=personas.attorney)
    client.force_login(personas.attorney)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("mentoring:home"))
    assert response.status_code == 200
    assert program.case.code in response.content.decode()
