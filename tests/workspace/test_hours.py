"""Pro bono hours: the attorney logs them by activity; totals per attorney and per firm for any
period, and CSV exports without client data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from amparo.cases.models import Stage
from amparo.core.models import AuditEvent
from amparo.workspace.models import HoursEntry
from tests.factories import (
    AttorneyProfileFactory,
    CaseFactory,
    HoursEntryFactory,
    OrganizationFactory,
)


def _hours_data(**overrides):
    data = {
        "hours-worked_on": "2026-01-02",
        "hours-activity": "drafting",
        "hours-hours": "2.5",
        "hours-description": "Declaration, second draft",
    }
    data.update(overrides)
    return data


@pytest.fixture
def firms(personas, case):
    """Two firms: the attorney (Firm A) on the shared case, and a second attorney at Firm B with
    a case of their own, each with hours in December 2025 and January 2026."""
    firm_a = OrganizationFactory(name="Alder & Pine LLP", kind="law_firm")
    firm_b = OrganizationFactory(name="=Birch Partners", kind="law_firm")  # a formula-like name
    profile = personas.attorney.attorney_profile
    profile.firm = firm_a
    profile.save()
    other = AttorneyProfileFactory(firm=firm_b, user__full_name="Olivia Brooks").user
    other_case = CaseFactory(stage=Stage.PLACED, attorney_of_record=other)
    for day, hours in ((dt.date(2025, 12, 10), "3"), (dt.date(2026, 1, 2), "1.5")):
        HoursEntryFactory(case=case, worked_on=day, hours=Decimal(hours), firm=firm_a)
        HoursEntryFactory(case=other_case, worked_on=day, hours=Decimal("2"), firm=firm_b)
    return firm_a, firm_b, other, other_case


def test_attorney_logs_hours_with_their_firm(client, personas, case):
    firm = OrganizationFactory(kind="law_firm")
    profile = personas.attorney.attorney_profile
    profile.firm = firm
    profile.save()
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:hours_add", args=[case.code]), _hours_data(), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    entry = HoursEntry.objects.get()
    assert entry.attorney == personas.attorney
    assert entry.firm == firm
    assert entry.hours == Decimal("2.5")
    assert entry.activity == "drafting"
    html = response.content.decode()
    assert "Total on this case: 2.50 hours" in html
    assert AuditEvent.objects.filter(data__hours_logged=entry.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hours-hours": "0"}, "Ensure this value is greater than or equal to 0.1."),
        ({"hours-hours": "25"}, "Ensure this value is less than or equal to 24."),
        ({"hours-hours": "-1"}, "Ensure this value is greater than or equal to 0.1."),
        ({"hours-hours": "two"}, "Enter a number."),
        ({"hours-hours": "1.234"}, "Ensure that there are no more than 2 decimal places."),
        ({"hours-worked_on": "2026-01-06"}, "Hours cannot be logged for a day still to come."),
        ({"hours-worked_on": "1989-12-31"}, "Enter a date between 1990 and 2100."),
        ({"hours-activity": "golf"}, "Select a valid choice."),
    ],
)
def test_hours_bad_input_is_explained_and_saves_nothing(client, personas, case, overrides, message):
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:hours_add", args=[case.code]),
        _hours_data(**overrides),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_a_day_has_24_hours(client, personas, case):
    HoursEntryFactory(case=case, worked_on=dt.date(2026, 1, 2), hours=Decimal("20"))
    client.force_login(personas.attorney)
    response = client.post(
        reverse("workspace:hours_add", args=[case.code]), _hours_data(**{"hours-hours": "5"})
    )
    assert response.status_code == 422
    assert "You already logged 20.00 hours on that day" in response.content.decode()
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize("persona", ["coordinator", "mentor", "partner", "other_attorney"])
def test_only_the_attorney_of_record_logs_hours(client, personas, case, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(reverse("workspace:hours_add", args=[case.code]), _hours_data())
    assert response.status_code == 404
    assert not HoursEntry.objects.exists()


def test_attorney_deletes_own_entry(client, personas, case):
    entry = HoursEntryFactory(case=case)
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:hours_delete", args=[case.code, entry.pk]))
    assert response.status_code == 302
    assert not HoursEntry.objects.exists()


def test_former_attorneys_entries_cannot_be_deleted_by_the_next_one(client, personas, case):
    entry = HoursEntryFactory(case=case, attorney=personas.other_attorney)
    client.force_login(personas.attorney)
    response = client.post(reverse("workspace:hours_delete", args=[case.code, entry.pk]))
    assert response.status_code == 404
    assert HoursEntry.objects.filter(pk=entry.pk).exists()


# --- totals ----------------------------------------------------------------------------------


def test_totals_per_attorney_and_per_firm_for_a_period(client, personas, firms):
    _firm_a, _firm_b, _other, _other_case = firms
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("workspace:hours_totals"), {"start": "2025-12-01", "end": "2025-12-31"}
    )
    assert response.status_code == 200
    context = response.context
    assert context["total"] == Decimal("5")
    by_firm = {row["firm"]: row["hours"] for row in context["by_firm"]}
    assert by_firm == {"Alder & Pine LLP": Decimal("3"), "=Birch Partners": Decimal("2")}
    by_attorney = {row["attorney"]: row["hours"] for row in context["by_attorney"]}
    assert by_attorney == {personas.attorney.full_name: Decimal("3"), "Olivia Brooks": Decimal("2")}
    # The whole of both months:
    response = client.get(
        reverse("workspace:hours_totals"), {"start": "2025-12-01", "end": "2026-01-31"}
    )
    assert response.context["total"] == Decimal("8.5")


def test_totals_default_to_this_year(client, personas, firms):
    client.force_login(personas.coordinator)
    response = client.get(reverse("workspace:hours_totals"))
    assert response.context["total"] == Decimal("3.5")  # January 2026 only


def test_totals_htmx_returns_the_results(client, personas, firms):
    client.force_login(personas.program_admin)
    response = client.get(
        reverse("workspace:hours_totals"), {"start": "2025-12-01"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="hours-results">')
    assert "Alder &amp; Pine LLP" in html


def test_totals_bad_period_is_explained(client, personas, firms):
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("workspace:hours_totals"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 422
    assert "The start of the period is after its end." in response.content.decode()
    response = client.get(reverse("workspace:hours_totals"), {"start": "yesterday"})
    assert response.status_code == 422
    assert "Enter a valid date." in response.content.decode()


def test_attorney_sees_only_their_own_totals(client, personas, case, firms):
    _firm_a, _firm_b, _other, other_case = firms
    client.force_login(personas.attorney)
    response = client.get(reverse("workspace:hours_totals"), {"start": "2025-12-01"})
    assert response.status_code == 200
    assert response.context["total"] == Decimal("4.5")
    html = response.content.decode()
    assert case.code in html
    assert other_case.code not in html and "Olivia Brooks" not in html


@pytest.mark.parametrize("persona", ["mentor", "partner"])
def test_totals_refused_to_mentors_and_partners(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("workspace:hours_totals")).status_code == 404
    assert client.get(reverse("workspace:hours_export")).status_code == 404


def test_totals_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("workspace:hours_totals"))
    assert response.status_code == 302


def test_totals_queries_do_not_grow_with_rows(
    client, personas, firms, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    url = reverse("workspace:hours_totals")
    client.get(url, {"start": "2025-01-01"})
    with django_assert_max_num_queries(12) as few:
        client.get(url, {"start": "2025-01-01"})
    for _ in range(5):
        profile = AttorneyProfileFactory(firm=OrganizationFactory(kind="law_firm"))
        extra_case = CaseFactory(stage=Stage.PLACED, attorney_of_record=profile.user)
        HoursEntryFactory(case=extra_case, firm=profile.firm)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"start": "2025-01-01"})


# --- CSV -------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_per_firm(client, personas, firms):
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("workspace:hours_export"),
        {"start": "2025-12-01", "end": "2026-01-31", "group": "firm"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Law firm", "Attorneys", "Cases", "Hours"]
    assert ["Alder & Pine LLP", "1", "1", "4.50"] in rows
    # A cell that a spreadsheet would run as a formula is defused.
    assert ["'=Birch Partners", "1", "1", "4.00"] in rows


def test_csv_entries_name_cases_by_code_never_the_client(client, personas, case, firms):
    client.force_login(personas.coordinator)
    response = client.get(reverse("workspace:hours_export"), {"start": "", "group": "entries"})
    text = response.content.decode("utf-8-sig")
    assert case.code in text
    assert case.client.family_names not in text
    assert "Declaration" not in text  # descriptions are never exported
    # Attorneys' names are personal data: the export is audited, once, with codes only.
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.ip_address) == (personas.coordinator, "127.0.0.1")
    assert event.data == {
        "export": "pro_bono_hours",
        "group": "entries",
        "scope": "everyone",
        "start": "",
        "end": "",
    }


def test_csv_for_an_attorney_holds_only_their_hours(client, personas, firms):
    client.force_login(personas.attorney)
    response = client.get(reverse("workspace:hours_export"), {"start": "", "group": "entries"})
    text = response.content.decode("utf-8-sig")
    assert "Olivia Brooks" not in text
    assert personas.attorney.full_name in text
    # Firm totals are for staff.
    response = client.get(reverse("workspace:hours_export"), {"group": "firm"})
    assert response.status_code == 422


def test_csv_bad_request_is_explained(client, personas, firms):
    client.force_login(personas.coordinator)
    response = client.get(reverse("workspace:hours_export"), {"group": "everything"})
    assert response.status_code == 422
    assert "Choose a valid period and what to export." in response.content.decode()
    response = client.get(reverse("workspace:hours_export"), {"start": "31/12/2025"})
    assert response.status_code == 422
