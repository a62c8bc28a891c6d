"""The coordinator's conflict page: access per role, running the check, resolving hits,
htmx fragments, Spanish, and a query-count guard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.cases.models import CaseEvent
from amparo.conflicts.models import ConflictHit, PartyNameToken
from amparo.conflicts.services import conflict_check_case
from amparo.core.models import AuditEvent


@pytest.fixture
def conflicted(personas, make_case):
    """A case whose adverse party is likely an earlier client: one open hit."""
    conflict_check_case(case=make_case("Rosa Amelia", "Quintanilla Ayala"), actor=None)
    case = make_case("Marta Lucía", "Ríos", adverse=("Rosa Quintanilla",))
    conflict_check_case(case=case, actor=None)
    return case


def url(case):
    return reverse("conflicts:case_conflicts", args=[case.code])


def _hit(case):
    return ConflictHit.objects.get(case=case)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("program_admin", 200),
        ("attorney", 404),
        ("other_attorney", 404),
        ("partner", 404),
        ("mentor", 404),
    ],
)
def test_case_conflicts_page_access(client, personas, conflicted, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(url(conflicted))
    assert response.status_code == status
    assert ("Rosa Quintanilla" in response.content.decode()) is (status == 200)


def test_case_conflicts_page_anonymous_is_sent_to_sign_in(client, conflicted):
    response = client.get(url(conflicted))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_case_conflicts_page_unknown_case_is_404(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("conflicts:case_conflicts", args=["NOPE-1"])).status_code == 404


def test_case_conflicts_page_shows_both_names_score_reason_and_case(client, personas, conflicted):
    client.force_login(personas.coordinator)
    html = client.get(url(conflicted)).content.decode()
    hit = _hit(conflicted)
    assert "Rosa Quintanilla" in html  # who was entered (this case's adverse party)
    assert "Rosa Amelia Quintanilla Ayala" in html  # the matched party
    assert f"{hit.score_percent}%" in html
    assert "Likely the same person" in html
    assert hit.matched_case.code in html
    assert "Adverse party (Perpetrator)" in html
    assert 'name="note"' in html and 'value="run"' in html


def test_case_conflicts_page_is_read_only_for_program_admins(client, personas, conflicted):
    client.force_login(personas.program_admin)
    html = client.get(url(conflicted)).content.decode()
    assert "Rosa Quintanilla" in html
    assert 'name="note"' not in html and 'value="run"' not in html
    hit = _hit(conflicted)
    response = client.post(
        url(conflicted),
        {"action": "resolve", "hit": hit.pk, "decision": "cleared", "note": "Not her."},
    )
    assert response.status_code == 404
    assert client.post(url(conflicted), {"action": "run"}).status_code == 404
    hit.refresh_from_db()
    assert hit.status == "open"


def test_case_conflicts_page_view_is_audited(client, personas, conflicted):
    client.force_login(personas.coordinator)
    client.get(url(conflicted))
    event = AuditEvent.objects.get(action=AuditEvent.Action.CLIENT_FILE_VIEWED)
    assert event.object_id == str(conflicted.pk)
    assert event.data["page"] == "conflict_hits"
    assert event.data["matched_case_codes"] == [_hit(conflicted).matched_case.code]


def test_run_check_from_the_page(client, personas, make_case):
    conflict_check_case(case=make_case("Rosa Amelia", "Quintanilla Ayala"), actor=None)
    case = make_case("Marta", "Ríos", adverse=("Amelia Ayala Quintanilla",))
    client.force_login(personas.coordinator)
    response = client.post(url(case), {"action": "run"}, follow=True)
    assert response.status_code == 200
    assert "1 possible match found" in response.content.decode()
    assert ConflictHit.objects.filter(case=case).count() == 1
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CONFLICT_CHECKED)
    assert event.actor == personas.coordinator


def test_resolve_hit_with_note(client, personas, conflicted):
    client.force_login(personas.coordinator)
    hit = _hit(conflicted)
    response = client.post(
        url(conflicted),
        {"action": "resolve", "hit": hit.pk, "decision": "cleared", "note": "Different DOB."},
    )
    assert response.status_code == 302
    hit.refresh_from_db()
    assert (hit.status, hit.note, hit.resolved_by) == (
        "cleared",
        "Different DOB.",
        personas.coordinator,
    )
    html = client.get(url(conflicted)).content.decode()
    assert "Different DOB." in html and "Cleared" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "cleared", "note": ""}, "This field is required."),
        ({"decision": "cleared", "note": "   "}, "This field is required."),
        ({"decision": "", "note": "Not her."}, "This field is required."),
        ({"decision": "maybe", "note": "Not her."}, "Select a valid choice."),
    ],
)
def test_resolve_hit_invalid_is_422_and_changes_nothing(
    client, personas, conflicted, data, message
):
    client.force_login(personas.coordinator)
    hit = _hit(conflicted)
    response = client.post(url(conflicted), {"action": "resolve", "hit": hit.pk, **data})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="hit-{hit.pk}-errors"' in html
    hit.refresh_from_db()
    assert hit.status == "open"


def test_resolve_hit_invalid_in_spanish(client, personas, conflicted):
    personas.coordinator.language = "es"
    personas.coordinator.save()
    client.force_login(personas.coordinator)
    hit = _hit(conflicted)
    response = client.post(
        url(conflicted), {"action": "resolve", "hit": hit.pk, "decision": "cleared", "note": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Este campo es obligatorio." in html
    assert 'lang="es"' in html
    assert "Probablemente la misma persona" in html  # the reason, in Spanish


def test_resolve_already_resolved_hit_is_422(client, personas, conflicted):
    client.force_login(personas.coordinator)
    hit = _hit(conflicted)
    data = {"action": "resolve", "hit": hit.pk, "decision": "confirmed", "note": "Same."}
    assert client.post(url(conflicted), data).status_code == 302
    response = client.post(url(conflicted), {**data, "decision": "cleared"})
    assert response.status_code == 422
    assert "already been resolved" in response.content.decode()


def test_resolve_hit_of_another_case_is_404(client, personas, conflicted, make_case):
    other = make_case("Pedro", "Páramo")
    client.force_login(personas.coordinator)
    response = client.post(
        url(other),
        {"action": "resolve", "hit": _hit(conflicted).pk, "decision": "cleared", "note": "x"},
    )
    assert response.status_code == 404
    assert _hit(conflicted).status == "open"


@pytest.mark.parametrize("hit", ["", "abc", "999999"])
def test_resolve_unknown_hit_is_404(client, personas, conflicted, hit):
    client.force_login(personas.coordinator)
    data = {"action": "resolve", "hit": hit, "decision": "cleared", "note": "x"}
    assert client.post(url(conflicted), data).status_code == 404


def test_unknown_action_is_400(client, personas, conflicted):
    client.force_login(personas.coordinator)
    assert client.post(url(conflicted), {"action": "explode"}).status_code == 400


def test_resolve_hit_with_htmx_returns_the_hit_fragment(client, personas, conflicted):
    client.force_login(personas.coordinator)
    hit = _hit(conflicted)
    headers = {"HX-Request": "true"}
    bad = client.post(
        url(conflicted),
        {"action": "resolve", "hit": hit.pk, "decision": "cleared", "note": ""},
        headers=headers,
    )
    assert bad.status_code == 422
    fragment = bad.content.decode()
    assert fragment.lstrip().startswith(f'<article id="hit-{hit.pk}"')
    assert "<html" not in fragment and "This field is required." in fragment
    good = client.post(
        url(conflicted),
        {"action": "resolve", "hit": hit.pk, "decision": "confirmed", "note": "Same person."},
        headers=headers,
    )
    assert good.status_code == 200
    fragment = good.content.decode()
    assert "<html" not in fragment and "Confirmed" in fragment and "Same person." in fragment


def test_case_conflicts_page_query_count_does_not_grow_with_hits(client, personas, make_case):
    def queries_for(n_hits: int) -> int:
        PartyNameToken.objects.all().delete()  # only this round's people are on record
        earlier = make_case("Rosa Amelia", f"Quintanilla Ayala {n_hits}")
        conflict_check_case(case=earlier, actor=None)
        names = ("Rosa Quintanilla", "Amelia Ayala Quintanilla", "Rosa Amelia Quintanilla")
        case = make_case(
            "Marta", "Ríos", adverse=names[:n_hits], family_members=(("Luis", "Ochoa"),)
        )
        assert len(conflict_check_case(case=case, actor=None)) == n_hits
        client.force_login(personas.coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(case)).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(3)


def test_every_answer_showing_the_names_again_is_audited_once(client, personas, conflicted):
    client.force_login(personas.coordinator)
    hit = _hit(conflicted)
    viewed = AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_FILE_VIEWED)
    bad = {"action": "resolve", "hit": hit.pk, "decision": "cleared", "note": ""}
    assert client.post(url(conflicted), bad).status_code == 422
    assert viewed.count() == 1
    assert client.post(url(conflicted), bad, headers={"HX-Request": "true"}).status_code == 422
    assert viewed.count() == 2
    good = {"action": "resolve", "hit": hit.pk, "decision": "confirmed", "note": "Same."}
    assert client.post(url(conflicted), good, headers={"HX-Request": "true"}).status_code == 200
    assert viewed.count() == 3
    event = viewed.latest("id")
    assert (event.actor, event.object_id, event.ip_address) == (
        personas.coordinator,
        str(conflicted.pk),
        "127.0.0.1",
    )
    assert event.data["case_code"] == conflicted.code
