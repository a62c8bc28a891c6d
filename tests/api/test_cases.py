"""Cases through the API: submit (intake's checks, 201 or 422 by field), read the status (the
policy decides; not found and forbidden look alike; identity only when asked, allowed and
audited), reveal the parties and take a case from the board."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from amparo.cases.models import Case, PlacementRequest, Stage
from amparo.cases.placement import case_parties_reveal, case_publish
from amparo.core.models import AuditEvent
from amparo.courts.models import ImmigrationCourt
from amparo.intake.models import AdverseParty, FamilyMember, Screening
from tests.deadlines.factories import CaseDeadlineFactory
from tests.factories import CaseFactory, HearingFactory, MentorshipFactory

CASES = "/api/v1/cases"

SUBMISSION = {
    "client": {
        "given_names": "Rosa Amelia",
        "family_names": "Quintanilla Ayala",
        "a_number": "A-212-345-678",
        "date_of_birth": "1991-07-04",
        "country_of_nationality": "sv",
        "languages": ["es"],
        "phone": "(510) 555-0142",
    },
    "case_type": "defensive_asylum",
    "court": "SFR",
    "last_arrival": "2025-06-01",
    "hearings": [
        {"kind": "master", "starts_at": "2027-02-03T09:00:00-08:00"},
        {"kind": "individual", "starts_at": "2027-09-14T08:30:00-07:00"},
    ],
    "family": [
        {
            "relationship": "child",
            "given_names": "Mateo",
            "family_names": "Quintanilla",
            "date_of_birth": "2016-01-02",
        }
    ],
    "adverse_parties": [{"kind": "persecutor", "name": "Ernesto Malvado"}],
}


def submission(**changes):
    body = copy.deepcopy(SUBMISSION)
    for path, value in changes.items():
        target = body
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return body


# --- POST /cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["partner", "coordinator"])
def test_submit_records_the_case_like_the_intake(api_as, personas, persona):
    user = getattr(personas, persona)
    response = api_as(user).post(CASES, SUBMISSION)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(code=body["id"])
    assert body == {"id": case.code, "stage": "intake"}
    assert case.client.full_name == "Rosa Amelia Quintanilla Ayala"
    assert case.client.a_number == "A-212-345-678"
    assert case.client.country_of_nationality == "SV"
    assert case.court.code == "SFR" and case.last_arrival == dt.date(2025, 6, 1)
    assert sorted(case.hearings.values_list("kind", flat=True)) == ["individual", "master"]
    assert FamilyMember.objects.get(client=case.client).given_names == "Mateo"
    assert AdverseParty.objects.get(client=case.client).name == "Ernesto Malvado"
    assert Screening.objects.filter(case=case).exists()
    assert case.events.filter(kind="conflict_checked").exists()
    assert case.deadlines.filter(rule="ASYLUM_ONE_YEAR").exists()
    assert case.deadlines.filter(hearing__kind="individual").exists()
    assert case.created_by == user
    if persona == "partner":
        assert case.placing_organization == personas.partner.organization


def test_submit_the_least_a_case_needs(api_as, personas):
    body = {
        "client": {
            "given_names": "Ana",
            "family_names": "López",
            "country_of_nationality": "GT",
            "languages": ["quc"],
        },
        "case_type": "u_visa",
    }
    response = api_as(personas.partner).post(CASES, body)
    assert response.status_code == 201
    assert not Case.objects.get(code=response.json()["id"]).hearings.exists()


@pytest.mark.parametrize("persona", ["attorney", "unverified_attorney", "mentor", "program_admin"])
def test_submit_is_404_for_roles_that_cannot_add_cases(api_as, personas, persona):
    before = Case.objects.count()
    response = api_as(getattr(personas, persona)).post(CASES, SUBMISSION)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"hearings__0__starts_at": "2025-01-03T09:00:00-08:00"},
            "hearings[0].starts_at",
            "The hearing is before the client's last arrival.",
        ),
        (
            {"hearings__1__starts_at": "2025-01-03T09:00:00-08:00"},
            "hearings[1].starts_at",
            "The hearing is before the client's last arrival.",
        ),
        ({"court": "XYZ"}, "court", "No immigration court has this EOIR code."),
        ({"court": None}, "court", "A defensive asylum case is before a court: choose it."),
        (
            {"client__country_of_nationality": "Guatemala"},
            "client.country_of_nationality",
            "Use the two-letter country code, for example GT or HN.",
        ),
        (
            {"client__a_number": "12"},
            "client.a_number",
            "An A-number has 8 or 9 digits, for example A-123-456-789.",
        ),
        (
            {"client__date_of_birth": "2090-01-01"},
            "client.date_of_birth",
            "The birth date is in the future.",
        ),
        (
            {"family__0__date_of_birth": None},
            "family[0].date_of_birth",
            "A child's birth date decides age-out deadlines: enter it.",
        ),
        ({"detained": True}, "detention_facility", "A detained case needs its detention facility."),
        (
            {"detention_facility": "Nowhere"},
            "detention_facility",
            "No detention facility has this name.",
        ),
        ({"client__languages": ["xx"]}, "client.languages", None),
        ({"client__given_names": ""}, "client.given_names", "This field is required."),
        ({"client__given_names": ...}, "client.given_names", "This field is required."),
        ({"client__given_names": 42}, "client.given_names", "Enter text."),
        ({"client__given_names": "Ro\x00sa"}, "client.given_names", None),
        ({"client__given_names": "Ro\ud800sa"}, "client.given_names", None),
        ({"case_type": "tps"}, "case_type", None),
        ({"hearings__0__kind": "status"}, "hearings[0].kind", None),
        ({"hearings__0__starts_at": "soon"}, "hearings[0].starts_at", None),
        ({"hearings__0__starts_at": "0001-01-01T00:00:00+14:00"}, "hearings[0].starts_at", None),
        ({"supplement_b_signed": "9999-12-31"}, "supplement_b_signed", None),
        ({"nickname": "Rosi"}, "nickname", "Unknown field."),
        ({"hearings": [SUBMISSION["hearings"][0]] * 11}, "hearings", None),
        ({"adverse_parties__0__name": "x" * 201}, "adverse_parties[0].name", None),
    ],
)
def test_submit_bad_input_is_422_by_field_and_saves_nothing(
    api_as, personas, changes, field, message
):
    before = Case.objects.count()
    response = api_as(personas.partner).post(CASES, submission(**changes))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert field in body["fields"], body
    assert all(isinstance(m, str) and m for m in body["fields"][field])
    if message:
        assert message in body["fields"][field]
    assert Case.objects.count() == before


def test_submit_reports_every_problem_at_once(api_as, personas):
    body = submission(court="XYZ", client__a_number="12", family__0__date_of_birth=None)
    fields = api_as(personas.partner).post(CASES, body).json()["fields"]
    assert {"court", "client.a_number", "family[0].date_of_birth"} <= set(fields)


@pytest.mark.parametrize("body", ["{", "[]", "null", ""])
def test_submit_unreadable_body(client, api_as, personas, body):
    api = api_as(personas.partner)
    response = client.post(CASES, body, content_type="application/json", headers=api.headers)
    assert response.status_code in (400, 422)
    assert response.json()["code"] in ("bad_request", "invalid")


# --- GET /cases/{id} ---------------------------------------------------------------------------


@pytest.fixture
def followed_case(personas):
    """The attorney's placed case, mentored by the mentor persona, with a hearing, a deadline
    and a mentorship."""
    case = personas.placed_case
    HearingFactory(case=case, kind="individual", starts_at=timezone.now() + dt.timedelta(days=40))
    HearingFactory(case=case, starts_at=timezone.now() - dt.timedelta(days=40))
    CaseDeadlineFactory(case=case)
    MentorshipFactory(
        request__case=case,
        request__attorney=personas.attorney,
        request__requested_by=personas.attorney,
        mentor=personas.mentor,
    )
    return case


@pytest.mark.parametrize(
    "persona", ["coordinator", "program_admin", "attorney", "partner", "mentor"]
)
def test_status_for_those_who_work_on_the_case(api_as, personas, followed_case, persona):
    response = api_as(getattr(personas, persona)).get(f"{CASES}/{followed_case.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == followed_case.code and body["stage"] == "placed"
    assert body["attorney_of_record"] == personas.attorney.full_name
    assert body["next_hearing"]["kind"] == "individual"
    assert [d["rule"] for d in body["deadlines"]] == ["ICPM_PREHEARING"]
    assert body["mentoring"]["mentorship_status"] == "active"
    assert body["mentoring"]["mentor"] == personas.mentor.full_name
    assert body["client"] is None
    assert followed_case.client.family_names not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["other_attorney", "unverified_attorney", "other_mentor", "other_partner"]
)
def test_status_of_someone_elses_case_is_404_like_a_missing_one(
    api_as, personas, followed_case, persona
):
    api = api_as(getattr(personas, persona))
    forbidden = api.get(f"{CASES}/{followed_case.code}")
    missing = api.get(f"{CASES}/AMP-99-9999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"code": "not_found", "message": "Not found."}


def test_status_of_a_board_case_for_a_verified_attorney_is_the_card_only(api_as, personas):
    case = case_publish(case=personas.ready_case, actor=None)
    body = api_as(personas.attorney).get(f"{CASES}/{case.code}").json()
    assert body["stage"] == "ready"
    assert body["deadlines"] is None and body["mentoring"] is None
    assert body["attorney_of_record"] is None and body["client"] is None
    assert body["next_hearing"] is None
    body = api_as(personas.attorney).get(f"{CASES}/{case.code}", {"include": "client"}).json()
    assert body["client"] is None
    assert not AuditEvent.objects.filter(action="client_file.viewed").exists()


@pytest.mark.parametrize("persona", ["partner", "coordinator", "attorney"])
def test_status_with_the_client_is_audited(api_as, personas, followed_case, persona):
    user = getattr(personas, persona)
    response = api_as(user).get(f"{CASES}/{followed_case.code}", {"include": "client"})
    client = response.json()["client"]
    assert client["full_name"] == followed_case.client.full_name
    assert client["date_of_birth"] == "1990-05-17" and client["country_of_nationality"] == "SV"
    event = AuditEvent.objects.get(action="client_file.viewed")
    assert event.actor == user and event.object_id == str(followed_case.pk)


def test_the_mentor_without_file_access_never_gets_the_client(api_as, personas, followed_case):
    Case.objects.filter(pk=followed_case.pk).update(mentor_file_access=False)
    response = api_as(personas.mentor).get(f"{CASES}/{followed_case.code}", {"include": "client"})
    assert response.status_code == 200
    assert response.json()["client"] is None
    assert response.json()["deadlines"] is not None
    assert not AuditEvent.objects.filter(action="client_file.viewed").exists()


@pytest.mark.parametrize("code", ["AMP 26", "x" * 21, "AMP-26-0001%00"])
def test_status_malformed_code_is_a_clean_4xx(api_as, personas, code):
    response = api_as(personas.coordinator).get(f"{CASES}/{code}")
    assert response.status_code in (404, 422)


# --- reveal and take -----------------------------------------------------------------------------


@pytest.fixture
def board_case(personas):
    case = CaseFactory(court=ImmigrationCourt.objects.get(code="SFR"), languages=["es"])
    from tests.factories import AdversePartyFactory

    AdversePartyFactory(client=case.client, name="Ernesto Malvado")
    return case_publish(case=case, actor=None)


def test_take_a_case_in_two_steps(api_as, personas, board_case, django_capture_on_commit_callbacks):
    api = api_as(personas.attorney)
    reveal = api.post(f"{CASES}/{board_case.code}/parties")
    assert reveal.status_code == 200
    body = reveal.json()
    assert body["names"] == [board_case.client.full_name, "Ernesto Malvado"]
    assert body["attest_within_hours"] == 12
    assert AuditEvent.objects.filter(
        action="case.parties_revealed", actor=personas.attorney, object_id=str(board_case.pk)
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        taken = api.post(f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True})
    assert taken.status_code == 200
    assert taken.json()["status"] == "placed"
    board_case.refresh_from_db()
    assert board_case.stage == Stage.PLACED
    assert board_case.attorney_of_record == personas.attorney
    assert board_case.milestones.exists()
    assert any(personas.coordinator.email in m.to for m in mail.outbox)
    # Taking it again (a retry) is answered as done.
    again = api.post(f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True})
    assert again.status_code == 200 and again.json()["status"] == "placed"


def test_take_without_the_reveal_is_403_with_the_reason(api_as, personas, board_case):
    response = api_as(personas.attorney).post(
        f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True}
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_eligible"
    assert body["reasons"] == ["Review the names of the people in the case first."]
    board_case.refresh_from_db()
    assert board_case.stage == Stage.READY


@pytest.mark.parametrize(
    "body", [{"no_conflict_attested": False}, {}, {"no_conflict_attested": "yes"}]
)
def test_take_without_attesting_is_422(api_as, personas, board_case, body):
    api = api_as(personas.attorney)
    api.post(f"{CASES}/{board_case.code}/parties")
    response = api.post(f"{CASES}/{board_case.code}/take", body)
    assert response.status_code == 422
    assert "no_conflict_attested" in response.json()["fields"]
    board_case.refresh_from_db()
    assert board_case.stage == Stage.READY


def test_take_when_another_attorney_has_it_is_409(api_as, personas, board_case):
    first, second = api_as(personas.attorney), api_as(personas.other_attorney)
    first.post(f"{CASES}/{board_case.code}/parties")
    second.post(f"{CASES}/{board_case.code}/parties")
    assert (
        first.post(f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True}).status_code
        == 200
    )
    response = second.post(f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True})
    assert response.status_code == 409
    assert response.json()["code"] == "taken"
    # And its names are no longer shown.
    assert second.post(f"{CASES}/{board_case.code}/parties").status_code == 404


def test_take_of_a_case_never_seen_on_the_board_is_404(api_as, personas):
    api = api_as(personas.other_attorney)
    for case in (personas.placed_case, personas.intake_case):
        response = api.post(f"{CASES}/{case.code}/take", {"no_conflict_attested": True})
        assert response.status_code == 404
        assert api.post(f"{CASES}/{case.code}/parties").status_code == 404


def test_take_at_capacity_is_403_with_the_unmet_requirement(api_as, personas, board_case):
    profile = personas.attorney.attorney_profile
    profile.capacity = 1
    profile.save()  # the attorney already has personas.placed_case
    response = api_as(personas.attorney).post(f"{CASES}/{board_case.code}/parties")
    assert response.status_code == 403
    assert "capacity of 1 active cases" in " ".join(response.json()["reasons"])


def test_take_in_spanish(api_as, personas, board_case):
    personas.attorney.attorney_profile.capacity = 1
    personas.attorney.attorney_profile.save()
    personas.attorney.language = "es"
    personas.attorney.save()
    response = api_as(personas.attorney).post(f"{CASES}/{board_case.code}/parties")
    assert response.status_code == 403
    assert response["Content-Language"] == "es"


@pytest.mark.parametrize("persona", ["unverified_attorney", "partner", "mentor", "coordinator"])
def test_reveal_and_take_are_404_for_those_who_cannot_take_cases(
    api_as, personas, board_case, persona
):
    api = api_as(getattr(personas, persona))
    assert api.post(f"{CASES}/{board_case.code}/parties").status_code == 404
    response = api.post(f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="case.parties_revealed").exists()


def test_take_when_the_program_approves_placements_is_202(api_as, personas, board_case, settings):
    settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL = True
    api = api_as(personas.attorney)
    api.post(f"{CASES}/{board_case.code}/parties")
    response = api.post(f"{CASES}/{board_case.code}/take", {"no_conflict_attested": True})
    assert response.status_code == 202
    assert response.json()["status"] == "requested"
    assert PlacementRequest.objects.filter(case=board_case, attorney=personas.attorney).exists()
    board_case.refresh_from_db()
    assert board_case.stage == Stage.READY


def test_reveal_service_and_api_agree(personas, board_case):
    names = case_parties_reveal(case=board_case, attorney=personas.attorney)
    assert "Ernesto Malvado" in names
