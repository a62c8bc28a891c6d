"""The background check of imported cases: every person indexed once, and two cases of the same
import that name the same person find each other."""

from __future__ import annotations

from collections import Counter

import pytest

from amparo.conflicts.models import PartyType
from amparo.conflicts.services import checks, indexing
from amparo.conflicts.tasks import conflict_check_cases

pytestmark = pytest.mark.django_db


def test_each_party_is_indexed_once_and_the_cases_find_each_other(make_case, monkeypatch):
    first = make_case("Rosa Amelia", "Quintanilla Ayala", adverse=("José Luis Hernández",))
    second = make_case(
        "Rosa Amelia", "Quintanilla Ayala", family_members=(("Mohammed", "Al Hassan"),)
    )
    indexed: Counter[tuple[str, int]] = Counter()
    index_people = indexing.index_people

    def counting(people, *, client_id):
        indexed.update((person.party_type, person.party_id) for person in people)
        return index_people(people, client_id=client_id)

    monkeypatch.setattr(indexing, "index_people", counting)
    monkeypatch.setattr(checks, "index_people", counting)

    assert conflict_check_cases.call_local([first.pk, second.pk], None) == 2

    member = second.client.family_members.get()
    adverse = first.client.adverse_parties.get()
    assert indexed == {
        (PartyType.CLIENT, first.client_id): 1,
        (PartyType.ADVERSE_PARTY, adverse.pk): 1,
        (PartyType.CLIENT, second.client_id): 1,
        (PartyType.FAMILY_MEMBER, member.pk): 1,
    }
    # The first case was checked before the second one's own check, yet finds its client.
    assert first.conflict_hits.filter(
        matched_type=PartyType.CLIENT, matched_id=second.client_id
    ).exists()
    assert second.conflict_hits.filter(
        matched_type=PartyType.CLIENT, matched_id=first.client_id
    ).exists()
