"""Outcome and closing: the result and its date; a denial offers the appeal deadline (the
deadline engine's BIA_APPEAL_30); closing closes the mentoring and archives the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from amparo.cases.models import CaseType, Outcome, Stage
from amparo.core.models import AuditEvent
from amparo.deadlines.models import CaseDeadline
from amparo.mentoring.models import Mentorship
from amparo.workspace.models import WithdrawalRequest
from amparo.workspace.services import case_close, case_outcome_record, outcome_choices_for
from tests.factories import MentoringRequestFactory, MentorshipFactory
from tests.workspace.conftest import workspace_url


def _outcome_url(case):
    return reverse("workspace:outcome", args=[case.code])


def _outcome_data(**overrides):
    data = {
        "result-outcome": "denied",
        "result-decision_date": "2026-01-02",
        "result-decision_kind": "oral",
        "result-memo_mailed": "",
    }
    data.update(overrides)
    return data


def test_a_denial_offers_the_appeal_deadline(client, personas, case):
    client.force_login(personas.attorney)
    response = client.post(_outcome_url(case), _outcome_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.outcome == Outcome.DENIED
    assert case.outcome_date == dt.date(2026, 1, 2)
    assert case.decision_date == dt.date(2026, 1, 2) and case.decision_kind == "oral"
    appeal = CaseDeadline.objects.get(case=case, rule="BIA_APPEAL_30")
    # 30 days after an oral decision of Friday 2 January 2026: Sunday 1 February -> Monday 2.
    assert appeal.date == dt.date(2026, 2, 2)
    html = response.content.decode()
    assert "Appeal to the Board of Immigration Appeals (EOIR-26)" in html
    assert "Feb. 2, 2026" in html
    assert "8 CFR 1003.38" in html
    assert AuditEvent.objects.filter(data__outcome="denied").exists()


def test_a_written_decision_counts_from_its_mailing(personas, case):
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.DENIED,
        decision_date=dt.date(2025, 12, 19),
        decision_kind="written",
        memo_mailed=dt.date(2025, 12, 22),
    )
    assert CaseDeadline.objects.get(case=case, rule="BIA_APPEAL_30").date == dt.date(2026, 1, 21)


def test_appeal_waived_gives_no_appeal_deadline(personas, case):
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.DENIED,
        decision_date=dt.date(2026, 1, 2),
        decision_kind="oral",
        appeal_waived=True,
    )
    assert not CaseDeadline.objects.filter(case=case, rule="BIA_APPEAL_30").exists()


def test_withholding_granted_still_offers_the_appeal_of_the_asylum_denial(personas, case):
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.WITHHOLDING,
        decision_date=dt.date(2026, 1, 2),
        decision_kind="oral",
    )
    assert CaseDeadline.objects.filter(case=case, rule="BIA_APPEAL_30").exists()


def test_a_grant_has_no_appeal_deadline_and_correcting_a_denial_removes_it(personas, case):
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.DENIED,
        decision_date=dt.date(2026, 1, 2),
        decision_kind="oral",
    )
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.GRANTED,
        decision_date=dt.date(2026, 1, 2),
    )
    case.refresh_from_db()
    assert case.outcome == Outcome.GRANTED
    assert case.decision_date is None
    assert not CaseDeadline.objects.filter(case=case, rule="BIA_APPEAL_30").exists()


def test_a_u_visa_offers_its_own_results(personas, case):
    case.case_type = CaseType.U_VISA
    values = [value for value, _label in outcome_choices_for(case)]
    assert "u_approved" in values and "u_waiting_list" in values
    assert "withholding" not in values


def test_a_uscis_denial_is_not_appealed_to_the_bia(personas, case):
    case.case_type = CaseType.U_VISA
    case.court = None
    case.save()
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.DENIED,
        decision_date=dt.date(2026, 1, 2),
    )
    assert not CaseDeadline.objects.filter(case=case, rule="BIA_APPEAL_30").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"result-decision_date": ""}, "Give the date of the decision."),
        ({"result-decision_date": "2026-02-01"}, "The decision date cannot be in the future."),
        ({"result-decision_date": "2025-01-01"}, "cannot be before the client"),
        ({"result-decision_kind": ""}, "Say whether the judge decided orally or in writing"),
        (
            {"result-decision_kind": "written", "result-memo_mailed": "2025-12-30"},
            "The written decision cannot be mailed before the decision date.",
        ),
        ({"result-outcome": "u_approved"}, "Select a valid choice."),
        ({"result-decision_date": "2026-13-01"}, "Enter a valid date."),
    ],
)
def test_outcome_bad_input_is_explained_and_saves_nothing(
    client, personas, case, overrides, message
):
    client.force_login(personas.attorney)
    response = client.post(_outcome_url(case), _outcome_data(**overrides), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == "" and case.decision_date is None
    assert not CaseDeadline.objects.filter(case=case, rule="BIA_APPEAL_30").exists()


@pytest.mark.parametrize("persona", ["mentor", "partner", "program_admin", "other_attorney"])
def test_outcome_refused_to_readers_and_strangers(client, personas, case, persona):
    client.force_login(getattr(personas, persona))
    assert client.post(_outcome_url(case), _outcome_data()).status_code == 404
    case.refresh_from_db()
    assert case.outcome == ""


# --- closing -------------------------------------------------------------------------------


def _mentorship(case, personas) -> Mentorship:
    request = MentoringRequestFactory(case=case, attorney=personas.attorney, status="matched")
    return MentorshipFactory(request=request, mentor=personas.mentor)


def test_closing_archives_the_case_and_closes_its_mentoring(client, personas, case):
    mentorship = _mentorship(case, personas)
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.GRANTED,
        decision_date=dt.date(2026, 1, 2),
    )
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:close", args=[case.code]),
        {"close-confirm": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    assert case.closed_at is not None
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.CLOSED
    # Archived: read-only, off the dashboard, still readable.
    page = client.get(workspace_url(case)).content.decode()
    assert "This case was closed on" in page
    assert reverse("workspace:contact_add", args=[case.code]) not in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert workspace_url(case) not in dashboard


def test_closing_needs_an_outcome(client, personas, case):
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:close", args=[case.code]), {"close-confirm": "on"})
    assert response.status_code == 422
    assert "Record the outcome of the case before closing it." in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.PLACED


def test_closing_needs_the_confirmation(client, personas, case):
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.GRANTED,
        decision_date=dt.date(2026, 1, 2),
    )
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:close", args=[case.code]), {})
    assert response.status_code == 422
    assert "Tick the box to confirm that the case is over." in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.PLACED


def test_closing_waits_for_a_pending_withdrawal(personas, case):
    from django.core.exceptions import ValidationError

    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.GRANTED,
        decision_date=dt.date(2026, 1, 2),
    )
    WithdrawalRequest.objects.create(case=case, attorney=personas.attorney, reason="Moving away")
    with pytest.raises(ValidationError):
        case_close(case=case, actor=personas.coordinator)


@pytest.mark.parametrize("persona", ["mentor", "partner", "other_attorney"])
def test_closing_refused_to_others(client, personas, case, persona):
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.GRANTED,
        decision_date=dt.date(2026, 1, 2),
    )
    client.force_login(getattr(personas, persona))
    response = client.post(reverse("workspace:close", args=[case.code]), {"close-confirm": "on"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.stage == Stage.PLACED


def test_outcome_in_spanish(client, personas, case):
    personas.attorney.language = "es"
    personas.attorney.save()
    case_outcome_record(
        case=case,
        actor=personas.attorney,
        outcome=Outcome.DENIED,
        decision_date=dt.date(2026, 1, 2),
        decision_kind="oral",
    )
    client.force_login(personas.attorney)
    html = client.get(workspace_url(case)).content.decode()
    assert "Denegado" in html
    assert "2 de febrero de 2026" in html
