"""Ten people save the same case's facts at once, all from the form they opened at the same
version: exactly one edit is saved, the other nine are refused with "changed by someone else"
and leave nothing behind (PostgreSQL only; the sequential case runs on both databases in
tests/intake/test_case_edit.py)."""

from __future__ import annotations

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from amparo.cases.models import CaseEvent
from amparo.core.models import AuditEvent
from amparo.courts.models import ImmigrationCourt
from tests.concurrency.racing import race

EDITORS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_edits_from_the_same_version_exactly_one_is_saved(personas):
    court, _created = ImmigrationCourt.objects.get_or_create(
        name="Race Immigration Court",
        defaults={"code": "RACE", "city": "San Francisco", "state": "CA", "time_zone": "UTC"},
    )
    case = personas.intake_case
    case.court = court
    case.save()
    version = case.version
    client = case.client
    form = {
        "given_names": client.given_names,
        "family_names": client.family_names,
        "a_number": "",
        "date_of_birth": client.date_of_birth.isoformat(),
        "country_of_nationality": client.country_of_nationality,
        "languages": client.languages,
        "phone": client.phone,
        "address": "",
        "court": str(court.pk),
        "last_arrival": "",
        "supplement_b_signed": "",
        "version": str(version),
        "family-TOTAL_FORMS": "0",
        "family-INITIAL_FORMS": "0",
        "adverse-TOTAL_FORMS": "0",
        "adverse-INITIAL_FORMS": "0",
    }
    browsers = []
    for n in range(EDITORS):
        browser = BrowserClient()
        browser.force_login(personas.coordinator)
        browsers.append((n, browser))
    url = reverse("cases:edit", args=[case.code])

    def save(editor):
        n, browser = editor
        response = browser.post(url, {**form, "phone": f"(415) 555-01{n:02d}"})
        return f"{response.status_code}:{n}"

    outcomes = race(save, browsers)

    saved = [o for o in outcomes if o.startswith("302:")]
    refused = [o for o in outcomes if o.startswith("409:")]
    assert len(saved) == 1 and len(refused) == EDITORS - 1, outcomes
    winner = int(saved[0].split(":")[1])
    case.refresh_from_db()
    client.refresh_from_db()
    assert case.version == version + 1
    assert client.phone == f"(415) 555-01{winner:02d}"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.EDITED).count() == 1
    updates = AuditEvent.objects.filter(
        action=AuditEvent.Action.CASE_UPDATED, object_id=str(case.pk)
    )
    assert updates.count() == 1
