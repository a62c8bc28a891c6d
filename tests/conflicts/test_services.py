"""Indexing party names in the blind index, checking cases, resolving hits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amparo.cases.models import CaseEvent
from amparo.conflicts.domain.names import match_names
from amparo.conflicts.models import ConflictHit, PartyNameToken, PartyType
from amparo.conflicts.selectors import conflict_hit_list_for_case, conflict_open_hits_exist
from amparo.conflicts.services import (
    AUDIT_HIT_RESOLVED,
    attorney_declared_conflicts_index,
    conflict_check_attorney,
    conflict_check_case,
    conflict_hit_resolve,
    conflicts_reindex_all,
    party_index,
    party_index_for_client,
)
from amparo.core.models import AuditEvent
from amparo.intake.models import AdverseParty, FamilyMember
from tests.factories import (
    AdversePartyFactory,
    AttorneyProfileFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

_NAMES = ("rosa", "amelia", "quintanilla", "ayala", "ernesto", "malvado", "malbado")
# Both spellings, compared case-sensitively: lower-casing base64 ciphertext could fake a hit.
CLEAR_NAMES = _NAMES + tuple(name.capitalize() for name in _NAMES)


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


def test_party_index_replaces_tokens_and_stores_only_hashes(make_case):
    case = make_case("Rosa Amelia", "Quintanilla Ayala")
    written = party_index(
        party_type=PartyType.CLIENT,
        party_id=case.client_id,
        full_name="Rosa Amelia Quintanilla Ayala",
        client_id=case.client_id,
    )
    tokens = PartyNameToken.objects.filter(party_type="client", party_id=case.client_id)
    # One blocking token per part, and one pair hash per two of them.
    assert tokens.count() == written == 4 + 6
    assert all(len(t.token_hash) == 64 for t in tokens)
    assert {t.part_count for t in tokens} == {4}
    raw = _raw_rows("conflicts_partynametoken")
    assert not any(name in raw for name in CLEAR_NAMES)
    # Re-indexing replaces instead of adding.
    party_index(
        party_type=PartyType.CLIENT,
        party_id=case.client_id,
        full_name="Rosa Quintanilla",
        client_id=case.client_id,
    )
    assert PartyNameToken.objects.filter(party_id=case.client_id).count() < written


def test_conflict_check_case_finds_hits_across_cases(make_case):
    earlier = make_case("Rosa Amelia", "Quintanilla Ayala")
    conflict_check_case(case=earlier, actor=None)
    later = make_case("Marta", "Ríos", adverse=("Rosa Quintanilla",))
    hits = conflict_check_case(case=later, actor=None)
    assert len(hits) == 1
    hit = hits[0]
    adverse = AdverseParty.objects.get(client=later.client)
    assert (hit.subject_type, hit.subject_id) == ("adverse_party", adverse.pk)
    assert (hit.matched_type, hit.matched_id) == ("client", earlier.client_id)
    assert hit.matched_case == earlier
    assert hit.subject_label == "Adverse party (perpetrator)"
    assert hit.matched_label == "Client"
    assert hit.status == "open" and 0.8 < hit.score <= 1
    assert hit.why_en.startswith("Likely the same person")
    assert hit.why_es.startswith("Probablemente")


def test_conflict_check_case_finds_family_members_of_other_clients(make_case):
    other = make_case("Lucía", "Mendoza", family_members=(("Wilmer", "Hernández Cruz"),))
    conflict_check_case(case=other, actor=None)
    case = make_case("Vilmer", "Hernandez")
    hits = conflict_check_case(case=case, actor=None)
    member = FamilyMember.objects.get(client=other.client)
    assert [(h.subject_type, h.matched_type, h.matched_id) for h in hits] == [
        ("client", "family_member", member.pk)
    ]
    assert hits[0].matched_label == "Family member (child)"


def test_conflict_check_case_finds_attorneys_declared_conflicts(make_case):
    profile = AttorneyProfileFactory(declared_conflicts="Acme Farms Inc.\nErnesto Malvado Ruiz\n")
    attorney_declared_conflicts_index(profile=profile)
    case = make_case("Marta", "Ríos", adverse=("Ernesto Malbado",))
    hits = conflict_check_case(case=case, actor=None)
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.matched_type, hit.matched_id, hit.matched_entry) == (
        "declared_conflict",
        profile.pk,
        1,
    )
    assert hit.matched_attorney == profile.user
    assert hit.matched_case is None


def test_conflict_check_case_ignores_the_clients_own_people(make_case):
    case = make_case(
        "Rosa Amelia",
        "Quintanilla Ayala",
        family_members=(("Rosa", "Quintanilla"),),
        adverse=("Amelia Ayala Quintanilla",),
    )
    assert conflict_check_case(case=case, actor=None) == []
    # ...also in another case of the same client.
    from tests.factories import CaseFactory

    second = CaseFactory(client=case.client)
    assert conflict_check_case(case=second, actor=None) == []


def test_conflict_check_case_leaves_different_people_alone(make_case):
    conflict_check_case(case=make_case("María", "García"), actor=None)
    conflict_check_case(case=make_case("María", "López García"), actor=None)
    assert conflict_check_case(case=make_case("José", "López"), actor=None) == []


def test_conflict_check_case_rerun_is_idempotent_and_records_counts_only(make_case):
    earlier = make_case("Rosa Amelia", "Quintanilla Ayala")
    conflict_check_case(case=earlier, actor=None)
    case = make_case("Marta", "Ríos", adverse=("Rosa Quintanilla", "Amelia Ayala Quintanilla"))
    first = conflict_check_case(case=case, actor=None)
    second = conflict_check_case(case=case, actor=None)
    assert len(first) == len(second) == 2
    assert {h.pk for h in first} == {h.pk for h in second}
    assert ConflictHit.objects.filter(case=case).count() == 2
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CONFLICT_CHECKED)
    assert events.count() == 2
    data = events.last().data
    assert data["hits"] == 2 and data["new_hits"] == 0 and data["people_checked"] == 3
    assert not any(name in repr(data) for name in CLEAR_NAMES)


def test_conflict_check_case_rerun_keeps_resolved_and_drops_corrected(make_case, personas):
    earlier = make_case("Rosa Amelia", "Quintanilla Ayala")
    conflict_check_case(case=earlier, actor=None)
    case = make_case("Marta", "Ríos", adverse=("Rosa Quintanilla", "Amelia Ayala Quintanilla"))
    first, second = sorted(conflict_check_case(case=case, actor=None), key=lambda h: h.subject_id)
    conflict_hit_resolve(
        hit=first, actor=personas.coordinator, decision="cleared", note="Different person."
    )
    AdverseParty.objects.filter(pk=second.subject_id).update(name="Pedro Páramo")
    conflict_check_case(case=case, actor=None)
    remaining = list(ConflictHit.objects.filter(case=case))
    assert [(h.pk, h.status) for h in remaining] == [(first.pk, "cleared")]


def test_conflict_hits_hold_no_clear_names(make_case, personas):
    earlier = make_case("Rosa Amelia", "Quintanilla Ayala")
    conflict_check_case(case=earlier, actor=None)
    case = make_case("Ernesto", "Malvado", adverse=("Rosa Quintanilla",))
    hits = conflict_check_case(case=case, actor=None)
    conflict_hit_resolve(
        hit=hits[0],
        actor=personas.coordinator,
        decision="confirmed",
        note="Rosa Quintanilla is the same woman: same date of birth.",
    )
    raw = _raw_rows("conflicts_conflicthit")
    assert not any(name in raw for name in CLEAR_NAMES)
    hits[0].refresh_from_db()
    assert hits[0].note.startswith("Rosa Quintanilla is the same woman")


def test_conflict_hit_resolve_records_decision_event_and_audit(make_case, personas):
    conflict_check_case(case=make_case("Rosa Amelia", "Quintanilla Ayala"), actor=None)
    case = make_case("Marta", "Ríos", adverse=("Rosa Quintanilla",))
    [hit] = conflict_check_case(case=case, actor=None)
    assert conflict_open_hits_exist(case=case)
    resolved = conflict_hit_resolve(
        hit=hit, actor=personas.coordinator, decision="cleared", note="  Different birth dates. "
    )
    assert resolved.status == "cleared"
    assert resolved.resolved_by == personas.coordinator and resolved.resolved_at
    assert resolved.note == "Different birth dates."
    assert not conflict_open_hits_exist(case=case)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CONFLICT_RESOLVED)
    assert event.data == {"hit_id": hit.pk, "decision": "cleared"}
    audit = AuditEvent.objects.get(action=AUDIT_HIT_RESOLVED)
    assert audit.actor == personas.coordinator
    assert audit.data["decision"] == "cleared" and "note" not in audit.data


@pytest.mark.parametrize(
    ("decision", "note", "code"),
    [
        ("cleared", "", "note_required"),
        ("cleared", "   ", "note_required"),
        ("maybe", "x", "decision"),
    ],
)
def test_conflict_hit_resolve_refuses_without_note_or_decision(
    make_case, personas, decision, note, code
):
    conflict_check_case(case=make_case("Rosa Amelia", "Quintanilla Ayala"), actor=None)
    case = make_case("Marta", "Ríos", adverse=("Rosa Quintanilla",))
    [hit] = conflict_check_case(case=case, actor=None)
    with pytest.raises(ValidationError) as error:
        conflict_hit_resolve(hit=hit, actor=personas.coordinator, decision=decision, note=note)
    assert error.value.code == code
    hit.refresh_from_db()
    assert hit.status == "open"
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.CONFLICT_RESOLVED).exists()


def test_conflict_hit_resolve_refuses_a_resolved_hit(make_case, personas):
    conflict_check_case(case=make_case("Rosa Amelia", "Quintanilla Ayala"), actor=None)
    case = make_case("Marta", "Ríos", adverse=("Rosa Quintanilla",))
    [hit] = conflict_check_case(case=case, actor=None)
    conflict_hit_resolve(hit=hit, actor=personas.coordinator, decision="confirmed", note="Same.")
    with pytest.raises(ValidationError):
        conflict_hit_resolve(hit=hit, actor=personas.coordinator, decision="cleared", note="No.")


def test_conflict_open_hits_exist_can_ignore_other_attorneys_declarations(make_case):
    declaring = AttorneyProfileFactory(declared_conflicts="Ernesto Malvado")
    attorney_declared_conflicts_index(profile=declaring)
    case = make_case("Marta", "Ríos", adverse=("Ernesto Malvado",))
    conflict_check_case(case=case, actor=None)
    other = UserFactory()
    assert conflict_open_hits_exist(case=case)
    assert conflict_open_hits_exist(case=case, attorney=declaring.user)
    assert not conflict_open_hits_exist(case=case, attorney=other)


def test_conflict_hit_list_for_case_puts_open_hits_first(make_case, personas):
    conflict_check_case(case=make_case("Rosa Amelia", "Quintanilla Ayala"), actor=None)
    case = make_case("Marta", "Ríos", adverse=("Rosa Amelia Quintanilla Ayala", "Rosa Quintanilla"))
    best, other = conflict_check_case(case=case, actor=None)
    assert best.score > other.score
    conflict_hit_resolve(hit=best, actor=personas.coordinator, decision="cleared", note="n")
    assert [h.pk for h in conflict_hit_list_for_case(case=case)] == [other.pk, best.pk]


def test_conflict_check_case_query_count_does_not_grow_with_candidates(make_case):
    def queries_for(n_matching: int) -> int:
        for i in range(n_matching):
            conflict_check_case(case=make_case("Rosa Amelia", f"Quintanilla Ayala {i}"), actor=None)
        case = make_case("Marta", "Ríos", adverse=("Rosa Amelia Quintanilla",))
        with CaptureQueriesContext(connection) as captured:
            hits = conflict_check_case(case=case, actor=None)
        assert len(hits) == n_matching
        ConflictHit.objects.all().delete()
        PartyNameToken.objects.all().delete()
        return len(captured)

    assert queries_for(2) == queries_for(9)


def test_conflict_check_case_drops_tokens_of_deleted_parties(make_case):
    other = make_case("Lucía", "Mendoza", adverse=("Ernesto Malvado",))
    conflict_check_case(case=other, actor=None)
    AdverseParty.objects.filter(client=other.client).delete()
    case = make_case("Ernesto", "Malvado")
    assert conflict_check_case(case=case, actor=None) == []
    assert not PartyNameToken.objects.filter(party_type="adverse_party").exists()


def test_conflict_check_case_catches_a_typo_next_to_a_rare_surname(make_case):
    conflict_check_case(case=make_case("Yuliana", "Zelaya Ochoa"), actor=None)
    # "Yulisna" shares no token with "Yuliana" (not even the consonant outline): only the rare
    # "Zelaya" brings the candidate, and the matcher sees the typing error.
    hits = conflict_check_case(case=make_case("Yulisna", "Zelaya"), actor=None)
    assert len(hits) == 1


def test_conflict_check_attorney_compares_declared_conflicts_and_firm(make_case):
    firm = OrganizationFactory(name="Ramírez & Ochoa LLP", kind="law_firm")
    profile = AttorneyProfileFactory(
        firm=firm, declared_conflicts="Ernesto Malvado\n\nRosa Amelia Quintanilla"
    )
    case = make_case(
        "Rosa Amelia",
        "Quintanilla Ayala",
        family_members=(("Luis", "Ramirez Ochoa"),),
        adverse=("Ernesto Malvado",),
    )
    conflicts = conflict_check_attorney(attorney_user=profile.user, case=case)
    found = {(c.subject_type, c.source, c.entry) for c in conflicts}
    assert found == {
        ("adverse_party", "declared_conflict", 0),
        ("client", "declared_conflict", 1),
        ("family_member", "firm", 0),
    }
    assert all(c.match and c.why and c.why_es for c in conflicts)
    assert conflicts == sorted(conflicts, key=lambda c: -c.score)
    assert conflict_check_attorney(attorney_user=UserFactory(), case=case) == []


def test_conflicts_reindex_all_rebuilds_the_index(make_case):
    case = make_case(
        "Rosa Amelia", "Quintanilla Ayala", family_members=(("Luis", "Ochoa"),), adverse=("X Y",)
    )
    AttorneyProfileFactory(declared_conflicts="Ernesto Malvado\nAcme")
    party_index_for_client(client=case.client)
    before = set(PartyNameToken.objects.values_list("party_type", "party_id", "token_hash"))
    PartyNameToken.objects.all().delete()
    counts = conflicts_reindex_all()
    after = set(PartyNameToken.objects.values_list("party_type", "party_id", "token_hash"))
    assert before <= after
    assert counts == {
        "client": 1,
        "family_member": 1,
        "adverse_party": 1,
        "declared_conflict": 2,
    }


def test_reindex_party_names_command_reports_counts(make_case, capsys):
    make_case("Rosa Amelia", "Quintanilla Ayala")
    AdversePartyFactory(name="Ernesto Malvado")
    call_command("reindex_party_names")
    out = capsys.readouterr().out
    assert "client: 2" in out and "adverse_party: 1" in out
    assert PartyNameToken.objects.filter(party_type="adverse_party").exists()


def test_conflict_check_case_drops_only_the_removed_declared_line(make_case):
    profile = AttorneyProfileFactory(declared_conflicts="Ernesto Malvado\nLucía Mendoza Rivas")
    attorney_declared_conflicts_index(profile=profile)
    profile.declared_conflicts = "Ernesto Malvado"  # saved without re-indexing
    profile.save()
    case = make_case("Marta", "Ríos", adverse=("Ernesto Malvado", "Lucía Mendoza Rivas"))
    hits = conflict_check_case(case=case, actor=None)
    assert [(h.matched_type, h.matched_entry) for h in hits] == [("declared_conflict", 0)]
    remaining = PartyNameToken.objects.filter(party_type="declared_conflict", party_id=profile.pk)
    assert set(remaining.values_list("entry", flat=True)) == {0}


def test_conflict_check_case_scores_each_person_against_a_repeated_name(make_case):
    # Three parties on record share one name; the check scores each distinct name once per
    # person, so every hit must still carry its own person's score and reason.
    earlier = [make_case("Rosa Amelia", "Quintanilla Ayala") for _ in range(3)]
    for case in earlier:
        conflict_check_case(case=case, actor=None)
    later = make_case("Rosa Amelia", "Quintanilla", adverse=("Rosa Amelia Quintanilla Ayala",))
    hits = conflict_check_case(case=later, actor=None)
    adverse = AdverseParty.objects.get(client=later.client)
    expected = {
        ("client", later.client_id): match_names(
            "Rosa Amelia Quintanilla", "Rosa Amelia Quintanilla Ayala"
        ),
        ("adverse_party", adverse.pk): match_names(
            "Rosa Amelia Quintanilla Ayala", "Rosa Amelia Quintanilla Ayala"
        ),
    }
    assert {(h.subject_type, h.subject_id, h.matched_id) for h in hits} == {
        (*subject, case.client_id) for subject in expected for case in earlier
    }
    for hit in hits:
        result = expected[(hit.subject_type, hit.subject_id)]
        assert (hit.score, hit.why_en, hit.why_es) == (result.score, result.why, result.why_es)
    assert len({h.score for h in hits}) == 2
