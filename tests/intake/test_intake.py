"""Recording a case (intake) and screening it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from amparo.cases.models import Case, CaseEvent, Stage
from amparo.courts.models import DetentionFacility, ImmigrationCourt
from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening
from tests.factories import CaseFactory


def intake_data(**overrides):
    sfr = ImmigrationCourt.objects.get(code="SFR")
    data = {
        "given_names": "Rosa Amelia",
        "family_names": "Quintanilla Ayala",
        "a_number": "A-212-345-678",
        "date_of_birth": "1991-07-04",
        "country_of_nationality": "sv",
        "languages": ["es"],
        "phone": "(510) 555-0142",
        "address": "",
        "case_type": "defensive_asylum",
        "court": str(sfr.pk),
        "last_arrival": "2025-06-01",
        "hearing_kind": "master",
        "hearing_at": "2027-02-03T09:00",
        "family-TOTAL_FORMS": "2",
        "family-INITIAL_FORMS": "0",
        "family-0-relationship": "child",
        "family-0-given_names": "Mateo",
        "family-0-family_names": "Quintanilla",
        "family-0-date_of_birth": "2016-01-02",
        "adverse-TOTAL_FORMS": "1",
        "adverse-INITIAL_FORMS": "0",
        "adverse-0-kind": "persecutor",
        "adverse-0-name": "Ernesto Malvado",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["coordinator", "partner"])
def test_intake_records_client_family_adverse_case_and_runs_conflict_check(
    client, personas, persona
):
    user = getattr(personas, persona)
    client.force_login(user)
    response = client.post(reverse("cases:new"), intake_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.order_by("-id").first()
    assert case.stage == Stage.INTAKE and case.hearings.count() == 1
    assert case.client.full_name == "Rosa Amelia Quintanilla Ayala"
    assert case.client.a_number == "A-212-345-678"
    assert FamilyMember.objects.filter(client=case.client).count() == 1
    assert AdverseParty.objects.get(client=case.client).name == "Ernesto Malvado"
    assert Screening.objects.filter(case=case).exists()
    assert CaseEvent.objects.filter(case=case, kind="conflict_checked").exists()
    if persona == "partner":
        assert case.placing_organization == personas.partner.organization
    assert case.deadlines.filter(rule="ASYLUM_ONE_YEAR").exists()


def test_intake_ignores_the_untouched_rows_a_browser_submits(client, personas):
    # A browser sends every select's selected option: the blank first choice of an extra row.
    client.force_login(personas.coordinator)
    data = intake_data(
        **{
            "family-1-relationship": "",
            "adverse-0-kind": "",
            "adverse-0-name": "",
        }
    )
    response = client.post(reverse("cases:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.order_by("-id").first()
    assert FamilyMember.objects.filter(client=case.client).count() == 1
    assert not AdverseParty.objects.filter(client=case.client).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"hearing_at": "2025-01-03T09:00"},
            "hearing_at",
            "The hearing is before the client's last arrival.",
        ),
        ({"date_of_birth": "2099-01-01"}, "date_of_birth", "The birth date is in the future."),
        ({"a_number": "A-12-345"}, "a_number", "An A-number has 8 or 9 digits"),
        ({"detained": "on"}, "detention_facility", "A detained case needs its detention facility."),
        ({"court": ""}, "court", "A defensive asylum case is before a court"),
        (
            {"last_arrival": "1980-01-01"},
            "last_arrival",
            "The arrival date is before the birth date.",
        ),
        (
            {"family-0-date_of_birth": ""},
            "family-0-date_of_birth",
            "A child's birth date decides age-out deadlines",
        ),
        (
            {"country_of_nationality": "Salvador"},
            "country_of_nationality",
            "two-letter country code",
        ),
        ({"given_names": ""}, "given_names", "This field is required."),
        ({"supplement_b_signed": "9999-12-31"}, "supplement_b_signed", "Check the year"),
        ({"hearing_at": "9999-12-31T23:00"}, "hearing_at", "Check the year"),
    ],
)
def test_intake_bad_input_is_explained_and_saves_nothing(
    client, personas, overrides, field, message
):
    client.force_login(personas.coordinator)
    before = (Client.objects.count(), Case.objects.count(), FamilyMember.objects.count())
    response = client.post(reverse("cases:new"), intake_data(**overrides))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in html
    assert (Client.objects.count(), Case.objects.count(), FamilyMember.objects.count()) == before


def test_intake_errors_in_spanish(client, personas):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    response = client.post(reverse("cases:new"), intake_data(date_of_birth="2099-01-01"))
    assert response.status_code == 422
    assert "La fecha de nacimiento es futura." in response.content.decode()


def test_intake_detained_with_facility_is_accepted(client, personas):
    facility = DetentionFacility.objects.create(name="Test Annex", city="X", state="CA")
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("cases:new"), intake_data(detained="on", detention_facility=str(facility.pk))
    )
    assert response.status_code == 302


@pytest.mark.parametrize("persona", ["attorney", "mentor", "program_admin"])
def test_intake_refused_for_other_roles(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("cases:new")).status_code == 404


# --- screening -------------------------------------------------------------------------


def screening_url(case):
    return reverse("cases:screening", args=[case.code])


@pytest.fixture
def screened_case(personas):
    case = CaseFactory(
        court=ImmigrationCourt.objects.get(code="SFR"),
        placing_organization=personas.partner.organization,
    )
    Screening.objects.create(case=case)
    return case


def answers(**extra):
    data = {
        "answer_protected_ground": "yes",
        "note_protected_ground": "Gang threats for refusing to join",
        "answer_one_year": "yes",
    }
    data.update(extra)
    return data


def test_screening_ready_publishes_to_the_board(client, personas, screened_case):
    client.force_login(personas.coordinator)
    response = client.post(
        screening_url(screened_case),
        answers(
            decision="ready",
            summary_en="Young man threatened by a gang.",
            summary_es="Joven amenazado por una pandilla.",
            merits_notes="Strong nexus.",
        ),
    )
    assert response.status_code == 302
    screened_case.refresh_from_db()
    assert screened_case.stage == Stage.READY and screened_case.published_at
    assert CaseEvent.objects.filter(case=screened_case, kind="published").exists()
    # Publishing re-runs the conflict check (parties may have been recorded since intake).
    assert CaseEvent.objects.filter(case=screened_case, kind="conflict_checked").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT merits_notes, answers FROM intake_screening WHERE case_id = %s",
            [screened_case.pk],
        )
        raw = " ".join(cursor.fetchone())
    assert "Strong nexus" not in raw and "Gang threats" not in raw


def test_screening_ready_needs_both_summaries(client, personas, screened_case):
    client.force_login(personas.coordinator)
    response = client.post(
        screening_url(screened_case), answers(decision="ready", summary_en="Only English")
    )
    assert response.status_code == 422
    screened_case.refresh_from_db()
    assert screened_case.stage != Stage.READY


def test_screening_summary_naming_the_client_is_flagged(client, personas, screened_case):
    family_name = screened_case.client.family_names.split()[0]
    client.force_login(personas.coordinator)
    data = answers(decision="ready", summary_en=f"Mr. {family_name} fled.", summary_es="Huyó.")
    response = client.post(screening_url(screened_case), data)
    assert response.status_code == 422
    assert "seems to contain a name" in response.content.decode()
    data["summary_reviewed"] = "on"
    assert client.post(screening_url(screened_case), data).status_code == 302


def test_screening_refer_out_needs_reason_and_closes(client, personas, screened_case):
    client.force_login(personas.coordinator)
    assert (
        client.post(screening_url(screened_case), answers(decision="refer_out")).status_code == 422
    )
    response = client.post(
        screening_url(screened_case),
        answers(decision="refer_out", reason="Needs a criminal-immigration specialist"),
    )
    assert response.status_code == 302
    screened_case.refresh_from_db()
    assert screened_case.stage == Stage.CLOSED and screened_case.outcome == "referred_out"


@pytest.mark.parametrize("persona", ["attorney", "partner", "mentor", "program_admin"])
def test_screening_only_for_coordinators(client, personas, screened_case, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(screening_url(screened_case)).status_code == 404


def test_screening_page_in_spanish(client, personas, screened_case):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    html = client.get(screening_url(screened_case)).content.decode()
    assert "Evaluación inicial del caso" in html or "Lista de verificación" in html


@pytest.mark.parametrize(
    ("persona", "status"), [("coordinator", 200), ("attorney", 404), ("partner", 404)]
)
def test_timeline_for_coordinators(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert (
        client.get(reverse("cases:timeline", args=[personas.placed_case.code])).status_code
        == status
    )
