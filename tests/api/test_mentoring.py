"""Mentorship requests through the API: asked by those the mentoring policy allows, validated
by the mentoring form and service; read back with the requirements and the program's steps."""

from __future__ import annotations

import pytest

from amparo.core.models import AuditEvent
from amparo.mentoring.models import MentoringRequest
from tests.factories import CaseFactory
from tests.mentoring.conftest import individual_hearing, open_request, program  # noqa: F401

REQUESTS = "/api/v1/mentorship-requests"


@pytest.mark.parametrize("persona", ["attorney", "partner", "program_admin", "coordinator"])
def test_request_a_mentor(api_as, personas, program, persona):  # noqa: F811
    user = getattr(personas, persona)
    individual_hearing(program.case, 60)
    body = {"case": program.case.code, "help_wanted": "Review my brief", "languages": ["es"]}
    response = api_as(user).post(REQUESTS, body)
    assert response.status_code == 201, response.content
    out = response.json()
    request = MentoringRequest.objects.get(case=program.case)
    assert out["id"] == request.pk and out["case"] == program.case.code
    assert out["status"] == "pending" and out["source"] == "api"
    assert request.attorney == personas.attorney and request.requested_by == user
    assert request.help_wanted == "Review my brief" and request.languages == ["es"]
    assert out["eligibility_ok"] is True
    assert {item["met"] for item in out["eligibility"]} == {True}
    assert [step["number"] for step in out["steps"]] == [1, 2, 3, 4, 5, 6]
    assert out["steps"][0]["state"] == "done"
    assert AuditEvent.objects.filter(action="mentoring_request.created", actor=user).exists()


@pytest.mark.parametrize(
    "persona", ["other_attorney", "other_partner", "mentor", "unverified_attorney"]
)
def test_request_for_someone_elses_case_is_404(api_as, personas, program, persona):  # noqa: F811
    body = {"case": program.case.code, "help_wanted": "Strategy"}
    response = api_as(getattr(personas, persona)).post(REQUESTS, body)
    assert response.status_code == 404
    missing = api_as(getattr(personas, persona)).post(REQUESTS, {**body, "case": "AMP-99-9999"})
    assert response.json() == missing.json()
    assert not MentoringRequest.objects.exists()


def test_a_second_open_request_is_409(api_as, personas, open_request):  # noqa: F811
    body = {"case": open_request.case.code, "help_wanted": "Again"}
    response = api_as(personas.attorney).post(REQUESTS, body)
    assert response.status_code == 409
    assert response.json()["code"] == "taken"
    assert "already has an open mentor request" in response.json()["reasons"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"help_wanted": ""}, "help_wanted"),
        ({"help_wanted": "x" * 2001}, "help_wanted"),
        ({"help_wanted": "ok", "languages": ["xx"]}, "languages"),
        ({"help_wanted": "ok", "languages": "es"}, "languages"),
        ({"help_wanted": "ok", "extra": 1}, "extra"),
        ({"help_wanted": "ok", "case": "AMP 26"}, "case"),
        ({}, "help_wanted"),
    ],
)
def test_request_bad_input_is_422(api_as, personas, program, body, field):  # noqa: F811
    response = api_as(personas.attorney).post(REQUESTS, {"case": program.case.code, **body})
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not MentoringRequest.objects.exists()


def test_request_for_a_case_without_attorney_is_422_with_the_reason(api_as, personas):
    case = CaseFactory(stage="screening", placing_organization=personas.partner.organization)
    response = api_as(personas.partner).post(REQUESTS, {"case": case.code, "help_wanted": "x"})
    assert response.status_code == 422
    assert "no attorney of record" in response.json()["reasons"][0]


@pytest.mark.parametrize("persona", ["attorney", "partner", "program_admin"])
def test_follow_a_request(api_as, personas, open_request, persona):  # noqa: F811
    individual_hearing(open_request.case, 5)  # too close: one requirement is not met
    response = api_as(getattr(personas, persona)).get(f"{REQUESTS}/{open_request.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == open_request.pk and body["status"] == "pending"
    assert body["mentor"] is None and len(body["steps"]) == 6
    unmet = [item for item in body["eligibility"] if not item["met"]]
    assert unmet and all(item["how_to_fix"] for item in unmet)
    assert open_request.case.client.family_names not in response.content.decode()


@pytest.mark.parametrize("persona", ["other_attorney", "other_partner", "mentor", "other_mentor"])
def test_someone_elses_request_is_404_like_a_missing_one(api_as, personas, open_request, persona):  # noqa: F811
    api = api_as(getattr(personas, persona))
    forbidden = api.get(f"{REQUESTS}/{open_request.pk}")
    missing = api.get(f"{REQUESTS}/{open_request.pk + 1000}")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


@pytest.mark.parametrize("request_id", ["0", "99999999999999999999999", "abc"])
def test_malformed_request_ids_are_a_clean_4xx(api_as, personas, request_id):
    response = api_as(personas.attorney).get(f"{REQUESTS}/{request_id}")
    assert response.status_code in (404, 422)


def test_a_withdrawn_request_keeps_its_status_without_steps(api_as, personas, open_request):  # noqa: F811
    from amparo.mentoring.services import mentoring_request_withdraw

    mentoring_request_withdraw(request=open_request, actor=personas.attorney)
    body = api_as(personas.attorney).get(f"{REQUESTS}/{open_request.pk}").json()
    assert body["status"] == "withdrawn" and body["steps"] == [] and body["eligibility"] == []
