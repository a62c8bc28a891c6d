"""The pair hashes of the blind index: what a check of a person with two or more name parts
looks up, so that very common parts alone never bring in every party holding them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from amparo.conflicts.domain.names import index_tokens
from amparo.conflicts.models import PartyNameToken, PartyType
from amparo.conflicts.services import conflict_check_case, party_index_for_client
from amparo.conflicts.services import search as search_module
from amparo.conflicts.services.indexing import Hasher, pair_hash, token_rows

pytestmark = pytest.mark.django_db

pair_migration = importlib.import_module(
    "amparo.conflicts.migrations.0002_party_token_pairs_and_initials_index"
)


@pytest.fixture
def nothing_is_rare(monkeypatch):
    """As on a full-size program, where every part of these names is held by hundreds of
    parties: no candidate comes from a rare token, only from pairs and initials."""
    monkeypatch.setattr(search_module, "RARE_TOKEN_PARTIES", 0)


def _matched(hits):
    return {(h.matched_type, h.matched_id) for h in hits}


def test_pair_hash_is_symmetric_and_apart_from_token_hashes():
    hasher = Hasher()
    first, second = hasher("s:krls"), hasher("k:Juan")
    assert pair_hash(first, second) == pair_hash(second, first) == hasher.pair(second, first)
    rows = token_rows(
        party_type=PartyType.CLIENT,
        party_id=1,
        full_name="Juan Carlos Martínez",
        client_id=1,
        hasher=hasher,
    )
    singles = {hasher(token) for token in ("k:Juan", "s:krls", "s:mrtns")}
    assert {row.token_hash for row in rows} - singles == {
        pair_hash(a, b) for a in singles for b in singles if a < b
    }


def test_check_finds_variants_through_pairs_when_no_part_is_rare(make_case, nothing_is_rare):
    other = make_case(
        "Rosa Amelia",
        "Quintanilla Ayala",
        family_members=(("Mohammed", "Al Hassan"),),
        adverse=("José Luis Hernández García",),
    )
    party_index_for_client(client=other.client)
    member = other.client.family_members.get()
    adverse = other.client.adverse_parties.get()
    case = make_case(
        "Rosa",
        "Quintanilla",  # one given name and one surname of the four
        family_members=(("Muhammad", "Hassan"),),  # transliteration, particle dropped
        adverse=("Hernandes Garsia, Jose Luis",),  # sound-alike spellings, swapped order
    )
    hits = conflict_check_case(case=case, actor=None)
    assert _matched(hits) == {
        (PartyType.CLIENT, other.client_id),
        (PartyType.FAMILY_MEMBER, member.pk),
        (PartyType.ADVERSE_PARTY, adverse.pk),
    }


def test_check_finds_a_party_with_initials_sharing_one_part(make_case, nothing_is_rare):
    # "R. Quintanilla" shares only one indexed part, so no pair: the partial index on initials
    # brings it.
    other = make_case("Lucía", "Mendoza", adverse=("R. Quintanilla",))
    party_index_for_client(client=other.client)
    hits = conflict_check_case(case=make_case("Rosa", "Quintanilla"), actor=None)
    assert _matched(hits) == {(PartyType.ADVERSE_PARTY, other.client.adverse_parties.get().pk)}


def test_check_skips_parties_sharing_only_one_common_part(make_case, nothing_is_rare):
    for given, family in [("María", "López"), ("Ana", "Hernández Ruiz"), ("José", "Pérez")]:
        party_index_for_client(client=make_case(given, family).client)
    case = make_case("María José", "Hernández López")
    assert conflict_check_case(case=case, actor=None) == []
    event = case.events.filter(kind="conflict_checked").get()
    assert event.data["candidates_scored"] == 0


def test_migration_derives_the_pairs_of_an_existing_index(make_case):
    case = make_case("Rosa Amelia", "Quintanilla Ayala", adverse=("Ernesto de la Cruz",))
    party_index_for_client(client=case.client)
    expected = set(PartyNameToken.objects.values_list("party_type", "party_id", "token_hash"))
    hasher = Hasher()
    token_hashes = {
        hasher(token)
        for name in ("Rosa Amelia Quintanilla Ayala", "Ernesto de la Cruz")
        for token in index_tokens(name)
    }
    # An index written before migration 0002: the token hashes only.
    PartyNameToken.objects.exclude(token_hash__in=token_hashes).delete()
    assert PartyNameToken.objects.count() == len(token_hashes) < len(expected)
    pair_migration.add_pair_hashes(apps, None)
    assert set(PartyNameToken.objects.values_list("party_type", "party_id", "token_hash")) == (
        expected
    )
