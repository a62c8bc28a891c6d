"""Correcting a case's facts: validated like intake, recorded on the timeline (which fields, never
their values), deadlines recomputed, the conflict check re-run when names change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.cases.models import CaseEvent
from amparo.core.models import AuditEvent
from amparo.courts.models import ImmigrationCourt
from amparo.intake.models import AdverseParty


@pytest.fixture(autouse=True)
def court_of_the_intake_case(personas):
    personas.intake_case.court = ImmigrationCourt.objects.get(code="SFR")
    personas.intake_case.save()


def edit_data(case, **overrides):
    client = case.client
    data = {
        "given_names": client.given_names,
        "family_names": client.family_names,
        "a_number": client.a_number,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
        "country_of_nationality": client.country_of_nationality,
        "languages": client.languages or ["es"],
        "phone": client.phone,
        "address": client.address,
        "court": str(case.court_id or ImmigrationCourt.objects.get(code="SFR").pk),
        "last_arrival": case.last_arrival.isoformat() if case.last_arrival else "",
        "supplement_b_signed": "",
        "family-TOTAL_FORMS": "0",
        "family-INITIAL_FORMS": "0",
        "adverse-TOTAL_FORMS": "0",
        "adverse-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def url(case):
    return reverse("cases:edit", args=[case.code])


def test_coordinator_corrects_the_arrival_date_and_deadlines_follow(client, personas):
    case = personas.intake_case
    client.force_login(personas.coordinator)
    assert client.get(url(case)).status_code == 200
    response = client.post(url(case), edit_data(case, last_arrival="2026-03-02"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert str(case.last_arrival) == "2026-03-02"
    one_year = case.deadlines.get(rule="ASYLUM_ONE_YEAR")
    assert str(one_year.date) == "2027-03-02"
    event = CaseEvent.objects.get(case=case, kind="edited")
    assert event.data == {"fields": ["last_arrival"]}
    audit = AuditEvent.objects.get(action="case.updated", object_id=str(case.pk))
    assert "2026" not in str(audit.data)  # which fields, never the values


def test_renaming_the_client_reruns_the_conflict_check(client, personas):
    case = personas.intake_case
    client.force_login(personas.coordinator)
    before = CaseEvent.objects.filter(case=case, kind="conflict_checked").count()
    response = client.post(
        url(case),
        edit_data(
            case,
            family_names="Quintanilla Ayala",
            **{
                "adverse-TOTAL_FORMS": "1",
                "adverse-0-kind": "persecutor",
                "adverse-0-name": "Ernesto Malvado",
            },
        ),
    )
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind="conflict_checked").count() == before + 1
    # Names are encrypted at rest: compare in Python.
    assert "Ernesto Malvado" in [p.name for p in AdverseParty.objects.filter(client=case.client)]
    fields = CaseEvent.objects.get(case=case, kind="edited").data["fields"]
    assert "family_names" in fields and "adverse_parties" in fields


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": "2099-01-01"}, "date_of_birth"),
        ({"a_number": "12"}, "a_number"),
        ({"detained": "on"}, "detention_facility"),
        ({"country_of_nationality": "Guatemala"}, "country_of_nationality"),
    ],
)
def test_bad_corrections_are_explained_and_change_nothing(client, personas, overrides, field):
    case = personas.intake_case
    before = (case.client.date_of_birth, case.client.a_number, case.detained)
    client.force_login(personas.coordinator)
    response = client.post(url(case), edit_data(case, **overrides))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode() or (
        f'id="id_{field}-error"' in response.content.decode()
    )
    case.refresh_from_db()
    case.client.refresh_from_db()
    assert (case.client.date_of_birth, case.client.a_number, case.detained) == before
    assert not CaseEvent.objects.filter(case=case, kind="edited").exists()


def test_saving_without_changes_records_nothing(client, personas):
    case = personas.intake_case
    client.force_login(personas.coordinator)
    assert client.post(url(case), edit_data(case)).status_code == 302
    assert not CaseEvent.objects.filter(case=case, kind="edited").exists()


@pytest.mark.parametrize(
    ("persona", "case_name", "allowed"),
    [
        ("coordinator", "placed_case", True),
        ("attorney", "placed_case", True),
        ("other_attorney", "placed_case", False),
        ("mentor", "placed_case", False),
        ("partner", "intake_case", True),
        ("partner", "placed_case", False),
        ("other_partner", "intake_case", False),
        ("program_admin", "intake_case", False),
    ],
)
def test_who_may_correct_a_case(client, personas, persona, case_name, allowed):
    case = getattr(personas, case_name)
    client.force_login(getattr(personas, persona))
    assert client.get(url(case)).status_code == (200 if allowed else 404)


def test_opening_the_form_is_an_audited_read_of_the_file(client, personas):
    client.force_login(personas.coordinator)
    client.get(url(personas.intake_case))
    assert AuditEvent.objects.filter(
        action="client_file.viewed", object_id=str(personas.intake_case.pk)
    ).exists()
