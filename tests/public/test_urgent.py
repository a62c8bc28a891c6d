"""The public urgent-needs page: only cases a coordinator opted in, anonymized as on the board."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amparo.cases.models import Case, Stage
from amparo.cases.placement import case_publish
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.public.models import SupportPage
from tests.factories import CaseFactory

URGENT = reverse("public:urgent")


def publish(case, *, public=True, **facts):
    for key, value in facts.items():
        setattr(case, key, value)
    case.on_public_urgent_page = public
    case.save()
    return case_publish(case=case, actor=None)


@pytest.fixture
def urgent_cases(personas):
    shown = publish(
        CaseFactory(detained=True, summary_en="Detained father", summary_es="Padre detenido")
    )
    not_opted_in = publish(CaseFactory(summary_en="Board only"), public=False)
    placed = CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=personas.attorney,
        on_public_urgent_page=True,
        summary_en="Summary of a placed case",
    )
    in_intake = CaseFactory(stage=Stage.INTAKE, on_public_urgent_page=True)
    return {"shown": shown, "hidden": [not_opted_in, placed, in_intake]}


@pytest.mark.parametrize("language", ["en", "es"])
def test_urgent_page_in_each_language_signed_out(client, urgent_cases, language):
    response = client.get(URGENT, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert gettext("Cases in urgent need of an attorney") in unescape(html)
    summary = "Padre detenido" if language == "es" else "Detained father"
    assert summary in html


def test_only_opted_in_ready_unplaced_cases_are_shown(client, urgent_cases):
    html = client.get(URGENT).content.decode()
    assert urgent_cases["shown"].code in html
    for case in urgent_cases["hidden"]:
        assert case.code not in html
    assert "Board only" not in html
    assert "Summary of a placed case" not in html


def test_a_case_leaves_the_page_once_placed_or_opted_out(client, urgent_cases, personas):
    assert urgent_cases["shown"].code in client.get(URGENT).content.decode()
    case = urgent_cases["shown"]
    Case.objects.filter(pk=case.pk).update(on_public_urgent_page=False)
    assert case.code not in client.get(URGENT).content.decode()
    Case.objects.filter(pk=case.pk).update(
        on_public_urgent_page=True, stage=Stage.PLACED, attorney_of_record=personas.attorney
    )
    assert case.code not in client.get(URGENT).content.decode()


def test_urgent_page_calls_to_join_and_to_contact_the_coordinator(client, urgent_cases):
    html = client.get(URGENT).content.decode()
    assert reverse("people:join") in html
    assert reverse("account_login") in html
    assert "mailto:" not in html  # no contact configured yet
    SupportPage.objects.create(contact_name="Valeria Cook", contact_email="probono@example.org")
    html = client.get(URGENT).content.decode()
    assert "Valeria Cook" in html
    assert 'href="mailto:probono@example.org"' in html


def test_urgent_page_without_cases_says_so(client, db):
    response = client.get(URGENT)
    assert response.status_code == 200
    assert "No case is listed here right now" in response.content.decode()


def test_urgent_page_query_count_does_not_grow_with_cases(
    client, db, django_assert_max_num_queries
):
    def queries() -> int:
        with django_assert_max_num_queries(6) as captured:
            assert client.get(URGENT).status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        publish(CaseFactory())
    few = queries()
    for _ in range(30):
        publish(CaseFactory(detained=True))
    many = queries()
    assert many == few


def test_urgent_page_is_paginated(client, db):
    for _ in range(23):
        publish(CaseFactory())
    first = client.get(URGENT).content.decode()
    second = client.get(URGENT + "?page=2").content.decode()
    assert len(re.findall(r'<article class="card', first)) == 20
    assert len(re.findall(r'<article class="card', second)) == 3
    assert client.get(URGENT + "?page=abc").status_code == 200


@pytest.fixture
def demo_urgent(db, settings):
    settings.DEBUG = True
    call_command("demo_data", verbosity=0)
    # The demo does not opt cases in to the public page: opt every ready case in.
    ready = Case.objects.filter(stage=Stage.READY, attorney_of_record__isnull=True)
    assert ready.exists()
    ready.update(on_public_urgent_page=True)
    return list(ready.values_list("code", flat=True))


def _secrets_of(person) -> list[str]:
    secrets = [person.full_name, person.given_names, person.family_names]
    if person.a_number:
        secrets += [person.a_number, re.sub(r"\D", "", person.a_number)]
    if person.date_of_birth:
        born = person.date_of_birth
        secrets += [
            born.isoformat(),
            born.strftime("%b. %-d, %Y"),
            born.strftime("%B %-d, %Y"),
            born.strftime("%m/%d/%Y"),
            born.strftime("%d/%m/%Y"),
        ]
    if person.phone:
        secrets += [person.phone, re.sub(r"\D", "", person.phone)]
    return [secret for secret in secrets if secret]


def test_urgent_page_never_shows_identifying_data(client, demo_urgent):
    pages = []
    for language in ("en", "es"):
        page = 1
        while True:
            response = client.get(f"{URGENT}?page={page}", HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
            pages.append(unescape(response.content.decode()))
            if not response.context["page"].has_next():
                break
            page += 1
    html = "\n".join(pages)
    for code in demo_urgent:
        assert code in html  # the check looks at the cards that are really there
    secrets: list[str] = []
    for person in list(Client.objects.all()) + list(FamilyMember.objects.all()):
        secrets += _secrets_of(person)
    for party in AdverseParty.objects.all():
        secrets.append(party.name)
        if party.phone:
            secrets.append(party.phone)
    assert secrets
    for secret in secrets:
        assert secret not in html, secret
