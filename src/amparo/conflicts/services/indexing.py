"""The blind index of party names: each party's name as keyed hashes of its parts' blocking
tokens (conflicts/domain/names.py), written whenever a name is saved and rebuilt in bulk after a
change of the blind-index key (AMPARO_BLIND_INDEX_KEY) or of the normalisation.

Beside the hash of each token, a party's rows hold one *pair hash* per two of its token hashes
(pair_hash). Two multi-part names can only match when two of their parts agree
(names.could_match), so a check looks up the pairs of a person's tokens: the few thousand
parties holding both "María" and "Hernández" instead of the tens of thousands holding either.
A pair hash is computed from the two token hashes alone, so pairs can be derived from an existing
index (migration 0002) and exist for parties whose names were purged.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.db.models import Q

from amparo.conflicts.domain.names import declared_conflict_names, part_tokens, prepare_name
from amparo.conflicts.models import PartyNameToken, PartyType
from amparo.core.crypto import blind_index
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.people.models import AttorneyProfile

BLIND_INDEX_PURPOSE = "party_name"
PAIR_PURPOSE = "party_name_pair"
IN_CHUNK = 2000
BULK_BATCH = 5000
T = TypeVar("T")
PartyKey = tuple[str, int, int]  # (party_type, party_id, entry)


def chunks(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def pair_hash(first: str, second: str) -> str:
    """The keyed hash of two token hashes of one name, in either order (see the module
    docstring). Migration 0002 computes the same value; change both together."""
    low, high = sorted((first, second))
    return blind_index(f"{low} {high}", purpose=PAIR_PURPOSE)


class Hasher:
    """Keyed hashes of clear tokens and of pairs of token hashes, each computed once per
    service call."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], str] = {}

    def __call__(self, token: str) -> str:
        hashed = self._memo.get(token)
        if hashed is None:
            hashed = self._memo[token] = blind_index(token, purpose=BLIND_INDEX_PURPOSE)
        return hashed

    def pair(self, first: str, second: str) -> str:
        key = (first, second) if first <= second else (second, first)
        hashed = self._pairs.get(key)
        if hashed is None:
            hashed = self._pairs[key] = pair_hash(*key)
        return hashed

    def with_pairs(self, hashes: Iterable[str]) -> list[str]:
        """A name's token hashes followed by the pair hashes of every two of them: all the
        hashes its index rows hold."""
        singles = sorted(set(hashes))
        return singles + [self.pair(a, b) for a, b in itertools.combinations(singles, 2)]


def token_rows(
    *,
    party_type: str,
    party_id: int,
    full_name: str,
    client_id: int | None,
    entry: int = 0,
    hasher: Hasher,
) -> list[PartyNameToken]:
    prepared = prepare_name(full_name)
    tokens: set[str] = set().union(*part_tokens(prepared))
    hashes = hasher.with_pairs(hasher(token) for token in tokens)
    return [
        PartyNameToken(
            party_type=party_type,
            party_id=party_id,
            entry=entry,
            client_id=client_id,
            part_count=len(prepared.parts),
            initials=prepared.initials,
            token_hash=hashed,
        )
        for hashed in hashes
    ]


@transaction.atomic
def party_index(
    *, party_type: str, party_id: int, full_name: str, client_id: int | None = None
) -> int:
    """Replace one party's tokens in the blind index (call whenever the name is saved).
    Returns how many tokens were written."""
    PartyNameToken.objects.filter(party_type=party_type, party_id=party_id).delete()
    rows = token_rows(
        party_type=party_type,
        party_id=party_id,
        full_name=full_name,
        client_id=client_id,
        hasher=Hasher(),
    )
    PartyNameToken.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def party_index_for_client(*, client: Client) -> int:
    """Index a client, their family members and adverse parties (for intake to call after it
    records or edits any of them)."""
    return index_people(client_people(client), client_id=client.pk)


@transaction.atomic
def attorney_declared_conflicts_index(*, profile: AttorneyProfile) -> int:
    """Replace the tokens of an attorney's declared conflicts (one name per line)."""
    PartyNameToken.objects.filter(
        party_type=PartyType.DECLARED_CONFLICT, party_id=profile.pk
    ).delete()
    hasher = Hasher()
    rows: list[PartyNameToken] = []
    for entry, name in enumerate(declared_conflict_names(profile.declared_conflicts)):
        rows += token_rows(
            party_type=PartyType.DECLARED_CONFLICT,
            party_id=profile.pk,
            full_name=name,
            client_id=None,
            entry=entry,
            hasher=hasher,
        )
    PartyNameToken.objects.bulk_create(rows, batch_size=BULK_BATCH)
    return len(rows)


@transaction.atomic
def conflicts_reindex_all() -> dict[str, int]:
    """Rebuild the whole blind index: after rotating AMPARO_BLIND_INDEX_KEY, after a bulk load,
    or after a change to the normalisation. Returns the number of parties indexed by type.

    The tokens of parties whose names were purged under the retention policy
    (cases/retention.py) are kept as they are: their names cannot be hashed again. After a
    change of AMPARO_BLIND_INDEX_KEY they no longer match anything."""
    purged = (
        Q(
            party_type=PartyType.CLIENT,
            party_id__in=Client.objects.filter(given_names="", family_names="").values("id"),
        )
        | Q(
            party_type=PartyType.FAMILY_MEMBER,
            party_id__in=FamilyMember.objects.filter(given_names="", family_names="").values("id"),
        )
        | Q(
            party_type=PartyType.ADVERSE_PARTY,
            party_id__in=AdverseParty.objects.filter(name="").values("id"),
        )
    )
    PartyNameToken.objects.exclude(purged).delete()
    hasher = Hasher()
    counts: Counter[str] = Counter()
    pending: list[PartyNameToken] = []

    def add(rows: list[PartyNameToken], party_type: str) -> None:
        pending.extend(rows)
        counts[party_type] += 1
        if len(pending) >= BULK_BATCH:
            PartyNameToken.objects.bulk_create(pending, batch_size=BULK_BATCH)
            pending.clear()

    for client in Client.objects.only("id", "given_names", "family_names").iterator(2000):
        add(
            token_rows(
                party_type=PartyType.CLIENT,
                party_id=client.pk,
                full_name=client.full_name,
                client_id=client.pk,
                hasher=hasher,
            ),
            PartyType.CLIENT,
        )
    members = FamilyMember.objects.only("id", "client_id", "given_names", "family_names")
    for member in members.iterator(2000):
        add(
            token_rows(
                party_type=PartyType.FAMILY_MEMBER,
                party_id=member.pk,
                full_name=member.full_name,
                client_id=member.client_id,
                hasher=hasher,
            ),
            PartyType.FAMILY_MEMBER,
        )
    for adverse in AdverseParty.objects.only("id", "client_id", "name").iterator(2000):
        add(
            token_rows(
                party_type=PartyType.ADVERSE_PARTY,
                party_id=adverse.pk,
                full_name=adverse.name,
                client_id=adverse.client_id,
                hasher=hasher,
            ),
            PartyType.ADVERSE_PARTY,
        )
    profiles = AttorneyProfile.objects.exclude(declared_conflicts="").only(
        "id", "declared_conflicts"
    )
    for profile in profiles.iterator(2000):
        for entry, name in enumerate(declared_conflict_names(profile.declared_conflicts)):
            add(
                token_rows(
                    party_type=PartyType.DECLARED_CONFLICT,
                    party_id=profile.pk,
                    full_name=name,
                    client_id=None,
                    entry=entry,
                    hasher=hasher,
                ),
                PartyType.DECLARED_CONFLICT,
            )
    PartyNameToken.objects.bulk_create(pending, batch_size=BULK_BATCH)
    return dict(counts)


@dataclass(frozen=True)
class Person:
    party_type: str
    party_id: int
    label: str  # the role in English, never the name
    name: str


def client_people(client: Client) -> list[Person]:
    people = [Person(PartyType.CLIENT, client.pk, "Client", client.full_name)]
    members = FamilyMember.objects.filter(client_id=client.pk).order_by("pk")
    people += [
        Person(
            PartyType.FAMILY_MEMBER,
            member.pk,
            f"Family member ({member.relationship})",
            member.full_name,
        )
        for member in members.only("id", "relationship", "given_names", "family_names")
    ]
    adverse_parties = AdverseParty.objects.filter(client_id=client.pk).order_by("pk")
    people += [
        Person(PartyType.ADVERSE_PARTY, adverse.pk, f"Adverse party ({adverse.kind})", adverse.name)
        for adverse in adverse_parties.only("id", "kind", "name")
    ]
    return people


def index_people(people: list[Person], *, client_id: int) -> int:
    by_type: dict[str, list[int]] = defaultdict(list)
    for person in people:
        by_type[person.party_type].append(person.party_id)
    query = Q()
    for party_type, ids in by_type.items():
        query |= Q(party_type=party_type, party_id__in=ids)
    PartyNameToken.objects.filter(query).delete()
    hasher = Hasher()
    rows: list[PartyNameToken] = []
    for person in people:
        rows += token_rows(
            party_type=person.party_type,
            party_id=person.party_id,
            full_name=person.name,
            client_id=client_id,
            hasher=hasher,
        )
    PartyNameToken.objects.bulk_create(rows, batch_size=BULK_BATCH)
    return len(rows)
