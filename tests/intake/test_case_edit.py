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
        "version": str(case.version),
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


# Optimistic versioning: an edit made from a version someone else has since saved is refused.
CHANGED_BY_SOMEONE_ELSE = (
    "This case was changed by someone else while you were editing. Your changes were not saved: "
    "review the current facts below and make your changes again."
)


def test_the_form_carries_the_version_it_was_read_at(client, personas):
    case = personas.intake_case
    client.force_login(personas.coordinator)
    html = client.get(url(case)).content.decode()
    assert f'name="version" value="{case.version}"' in html


def test_each_saved_edit_bumps_the_version_and_nothing_changed_does_not(client, personas):
    case = personas.intake_case
    client.force_login(personas.coordinator)
    version = case.version
    assert client.post(url(case), edit_data(case)).status_code == 302
    case.refresh_from_db()
    assert case.version == version
    assert client.post(url(case), edit_data(case, phone="415 555 0101")).status_code == 302
    case.refresh_from_db()
    assert case.version == version + 1


def test_a_second_edit_from_the_same_old_version_is_refused_and_the_first_stands(client, personas):
    case = personas.intake_case
    read_by_both = edit_data(case)  # two people opened the form at the same version
    client.force_login(personas.coordinator)
    first = client.post(url(case), {**read_by_both, "last_arrival": "2026-03-02", "phone": "1"})
    assert first.status_code == 302
    second = client.post(
        url(case),
        {
            **read_by_both,
            "last_arrival": "2025-11-20",
            "address": "12 Calle Nueva",
            "family-TOTAL_FORMS": "1",
            "family-0-relationship": "child",
            "family-0-given_names": "Ana",
            "family-0-family_names": "Quintanilla",
            "family-0-date_of_birth": "2015-04-01",
        },
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert CHANGED_BY_SOMEONE_ELSE in html.replace("&#x27;", "'")
    # The form now holds what is saved, at the new version; what they typed is shown beside it.
    case.refresh_from_db()
    case.client.refresh_from_db()
    assert f'name="version" value="{case.version}"' in html
    assert 'value="2026-03-02"' in html
    assert "12 Calle Nueva" in html  # their unsaved address, kept visible
    assert 'name="family-0-given_names" value="Ana"' in html  # the person being added stays
    # The first edit's values stand; nothing of the second was written.
    assert str(case.last_arrival) == "2026-03-02"
    assert case.client.phone == "1"
    assert case.client.address != "12 Calle Nueva"
    assert not case.client.family_members.filter().exists()
    assert CaseEvent.objects.filter(case=case, kind="edited").count() == 1
    # Saving the refreshed form with the change made again goes through.
    again = client.post(url(case), edit_data(case, address="12 Calle Nueva"))
    assert again.status_code == 302
    case.client.refresh_from_db()
    assert case.client.address == "12 Calle Nueva"
    assert str(case.last_arrival) == "2026-03-02"


def test_a_form_without_its_version_is_refused_with_a_message(client, personas):
    case = personas.intake_case
    client.force_login(personas.coordinator)
    data = edit_data(case, phone="999")
    del data["version"]
    response = client.post(url(case), data)
    assert response.status_code == 422
    assert "This form is out of date" in response.content.decode()
    case.client.refresh_from_db()
    assert case.client.phone != "999"


def test_the_service_refuses_a_stale_version_and_writes_nothing(personas):
    from amparo.intake.services import CaseChangedError, intake_case_update

    case = personas.intake_case
    stale = case.version
    intake_case_update(
        case=case,
        actor=personas.coordinator,
        client_data={"phone": "111"},
        case_data={},
        family=[],
        adverse_parties=[],
        expected_version=stale,
    )
    assert case.version == stale + 1  # the caller's copy follows
    with pytest.raises(CaseChangedError):
        intake_case_update(
            case=case,
            actor=personas.coordinator,
            client_data={"phone": "222"},
            case_data={},
            family=[],
            adverse_parties=[],
            expected_version=stale,
        )
    case.client.refresh_from_db()
    assert case.client.phone == "111"
