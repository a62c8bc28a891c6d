"""Strategy notes: kept by coordinators with every revision, read by attorneys, mentors and
staff, and shown beside the plan on the case's deadlines page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.cases.services import case_place
from amparo.deadlines.models import MilestoneTemplateItem
from amparo.library.models import StrategyNote, StrategyNoteRevision
from amparo.library.services import strategy_note_create, strategy_note_update

CREATE = reverse("library:strategy_note_create")


def item(case_type, order):
    return MilestoneTemplateItem.objects.get(template__case_type=case_type, order=order)


def note_data(**overrides):
    data = {
        "case_type": "defensive_asylum",
        "milestone_item": "",
        "order": "0",
        "title_en": "Owning the case",
        "title_es": "Hacerse cargo del caso",
        "body_en": "You are the attorney of record.\n\nAnswer e-mails within 2 business days.",
        "body_es": "Usted es el/la abogado/a de representación.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def note(personas):
    return strategy_note_create(
        actor=personas.coordinator,
        case_type="defensive_asylum",
        title_en="Owning the case",
        title_es="Hacerse cargo del caso",
        body_en="You are the attorney of record.",
        body_es="Usted es el/la abogado/a de representación.",
    )


def test_coordinator_creates_a_note_with_its_first_revision(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(CREATE, note_data())
    assert response.status_code == 302
    note = StrategyNote.objects.get()
    assert note.updated_by == personas.coordinator
    assert note.revisions.count() == 1


def test_coordinator_edits_and_the_history_keeps_every_revision(client, personas, note):
    client.force_login(personas.coordinator)
    url = reverse("library:strategy_note_edit", args=[note.pk])
    response = client.post(
        url,
        {
            "milestone_item": item("defensive_asylum", 8).pk,
            "order": "1",
            "title_en": "Owning the case",
            "title_es": "Hacerse cargo del caso",
            "body_en": "You, not your mentor, are the attorney of record.",
            "body_es": "Usted, no su mentor/a, es el/la abogado/a de representación.",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body_en.startswith("You, not your mentor")
    assert note.milestone_item == item("defensive_asylum", 8)
    assert list(note.revisions.values_list("number", flat=True)) == [2, 1]
    history = client.get(reverse("library:strategy_note_history", args=[note.pk]))
    html = history.content.decode()
    assert "You are the attorney of record." in html
    assert "You, not your mentor, are the attorney of record." in html


def test_saving_the_same_text_adds_no_revision(personas, note):
    strategy_note_update(
        note=note,
        actor=personas.coordinator,
        milestone_item=None,
        order=0,
        title_en=note.title_en,
        title_es=note.title_es,
        body_en=note.body_en,
        body_es=note.body_es,
    )
    assert note.revisions.count() == 1


@pytest.mark.parametrize(
    "persona", ["program_admin", "attorney", "mentor", "unverified_attorney", "partner"]
)
def test_only_coordinators_edit_notes(client, personas, note, persona):
    client.force_login(getattr(personas, persona))
    edit = reverse("library:strategy_note_edit", args=[note.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, note_data(body_en="Changed")).status_code == 404
    assert client.post(CREATE, note_data()).status_code == 404
    assert StrategyNote.objects.count() == 1
    assert StrategyNoteRevision.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 200),
        ("mentor", 200),
        ("unverified_attorney", 404),
        ("partner", 404),
    ],
)
def test_notes_are_read_by_attorneys_mentors_and_staff(client, personas, note, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("library:strategy_notes"))
    assert response.status_code == status
    if status == 200:
        assert "You are the attorney of record." in response.content.decode()
    history = client.get(reverse("library:strategy_note_history", args=[note.pk]))
    assert history.status_code == status


def test_bad_note_form_is_explained_and_saves_nothing(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        CREATE,
        note_data(
            title_en="", title_es="", body_en="", body_es="", milestone_item=item("u_visa", 2).pk
        ),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Give the note a title in English or in Spanish." in html
    assert "Write the note in English or in Spanish." in html
    assert "Choose a milestone of this case type" in html
    assert not StrategyNote.objects.exists()


@pytest.fixture
def placed_with_plan(personas):
    case = personas.ready_case
    case_place(case=case, attorney=personas.attorney, actor=personas.coordinator)
    case.refresh_from_db()
    return case


@pytest.fixture
def notes_for_cases(personas, note):
    strategy_note_create(
        actor=personas.coordinator,
        case_type="defensive_asylum",
        milestone_item=item("defensive_asylum", 13),
        title_en="Your mentor and the hearing",
        body_en="Mentors generally will not be present at the final hearing.",
    )
    strategy_note_create(
        actor=personas.coordinator,
        case_type="u_visa",
        title_en="What the U visa is",
        body_en="An application filed with USCIS.",
    )


def test_notes_show_on_the_case_deadlines_page_of_the_attorney_of_record(
    client, personas, placed_with_plan, notes_for_cases
):
    client.force_login(personas.attorney)
    response = client.get(reverse("deadlines:case_deadlines", args=[placed_with_plan.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You are the attorney of record." in html
    assert "Mock hearing with the mentor" in html  # the milestone the note explains
    assert "Mentors generally will not be present at the final hearing." in html
    assert "An application filed with USCIS." not in html  # another case type's note


def test_case_page_hides_notes_from_partners(client, personas, placed_with_plan, notes_for_cases):
    client.force_login(personas.partner)
    response = client.get(reverse("deadlines:case_deadlines", args=[placed_with_plan.code]))
    assert response.status_code == 200
    assert "You are the attorney of record." not in response.content.decode()


def test_case_page_query_count_with_notes_is_bounded(
    client, personas, placed_with_plan, notes_for_cases, django_assert_max_num_queries
):
    client.force_login(personas.attorney)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("deadlines:case_deadlines", args=[placed_with_plan.code]))
    assert response.status_code == 200
