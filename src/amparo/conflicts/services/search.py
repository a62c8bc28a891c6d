"""Finding the parties whose names likely match a person's: candidates from the blind index,
then decrypted and scored by the pure matcher.

How a check stays fast on 300,000 parties while names stay encrypted at rest: the person's parts
are hashed into the same blocking tokens the index holds; one grouped query per person returns
the parties sharing tokens with it, already cut down to those that could match
(names.could_match: two parts in common, or a rare one, or one-word names); only those are
decrypted and scored (names.match_prepared).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from amparo.cases.models import Case
from amparo.conflicts.domain.names import (
    DIFFER_WEIGHT,
    EXTRA_WEIGHT,
    MATCH_THRESHOLD,
    NameMatch,
    PreparedName,
    could_match,
    declared_conflict_names,
    match_prepared,
    part_tokens,
    prepare_name,
)
from amparo.conflicts.models import PartyNameToken, PartyType
from amparo.conflicts.services.indexing import Hasher, PartyKey, Person, chunks
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.people.models import AttorneyProfile

# A token held by at most this many parties is "rare": with one rare part in common, a candidate
# is scored even if its other parts share no token (a typing error the outline does not absorb).
# Common parts (María, Hernández) need a second part in common, or every María would be
# decrypted.
RARE_TOKEN_PARTIES = 200


@dataclass
class Found:
    person: Person
    party: PartyKey
    result: NameMatch


def _candidate_names(keys: Iterable[PartyKey]) -> dict[PartyKey, tuple[str, str, int | None]]:
    """Decrypt the candidates' names: (name, English role, client id) per party key."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for party_type, party_id, _entry in keys:
        wanted[party_type].add(party_id)
    names: dict[PartyKey, tuple[str, str, int | None]] = {}
    for ids in chunks(sorted(wanted[PartyType.CLIENT])):
        for client in Client.objects.filter(pk__in=ids).only("id", "given_names", "family_names"):
            names[(PartyType.CLIENT, client.pk, 0)] = (client.full_name, "Client", client.pk)
    for ids in chunks(sorted(wanted[PartyType.FAMILY_MEMBER])):
        members = FamilyMember.objects.filter(pk__in=ids).only(
            "id", "client_id", "relationship", "given_names", "family_names"
        )
        for member in members:
            names[(PartyType.FAMILY_MEMBER, member.pk, 0)] = (
                member.full_name,
                f"Family member ({member.relationship})",
                member.client_id,
            )
    for ids in chunks(sorted(wanted[PartyType.ADVERSE_PARTY])):
        adverse_parties = AdverseParty.objects.filter(pk__in=ids).only(
            "id", "client_id", "kind", "name"
        )
        for adverse in adverse_parties:
            names[(PartyType.ADVERSE_PARTY, adverse.pk, 0)] = (
                adverse.name,
                f"Adverse party ({adverse.kind})",
                adverse.client_id,
            )
    for ids in chunks(sorted(wanted[PartyType.DECLARED_CONFLICT])):
        profiles = AttorneyProfile.objects.filter(pk__in=ids).only("id", "declared_conflicts")
        for profile in profiles:
            for entry, name in enumerate(declared_conflict_names(profile.declared_conflicts)):
                names[(PartyType.DECLARED_CONFLICT, profile.pk, entry)] = (
                    name,
                    "Declared conflict",
                    None,
                )
    return names


def _latest_case_by_client(client_ids: set[int]) -> dict[int, int]:
    latest: dict[int, int] = {}
    for ids in chunks(sorted(client_ids)):
        rows = (
            Case.objects.filter(client_id__in=ids)
            .order_by("client_id", "-created_at", "-pk")
            .values_list("client_id", "pk")
        )
        for client_id, case_id in rows:
            latest.setdefault(client_id, case_id)
    return latest


def _attorney_by_profile(profile_ids: set[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for ids in chunks(sorted(profile_ids)):
        found.update(AttorneyProfile.objects.filter(pk__in=ids).values_list("pk", "user_id"))
    return found


@dataclass
class FoundContext:
    names: dict[PartyKey, tuple[str, str, int | None]]  # name, English role, client id
    cases: dict[int, int]  # client id -> latest case id
    attorneys: dict[int, int]  # attorney profile id -> user id
    candidates: int


def _token_frequencies(hashes: list[str]) -> dict[str, int]:
    """How many index rows hold each hash (an index-only count, whatever the table size)."""
    frequencies: dict[str, int] = {}
    for chunk in chunks(hashes):
        frequencies.update(
            PartyNameToken.objects.filter(token_hash__in=chunk)
            .values("token_hash")
            .annotate(n=Count("id"))
            .values_list("token_hash", "n")
        )
    return frequencies


# One row per party sharing tokens with one person. `bit` is the person's part a token belongs
# to, as a power of two, so SUM(DISTINCT bit) is the set of shared parts and COUNT(DISTINCT bit)
# their number; each row's CASE is evaluated once, in the sub-query. The HAVING clause is
# names.could_match's score bound for parties with nothing unindexed to add (no rare token,
# no initials):  shared / (shared + D * differ + E * extra) >= T, that is
#   shared * (1 - T) - T * D * min(parts - shared, party parts - shared)
#                    - T * E * abs(parts - party parts) >= 0
# so that the rows of a very common part (María) never travel to Python. Plain SQL (CASE, ABS,
# aggregates over a sub-query) that SQLite and PostgreSQL both run; the ORM would repeat each
# CASE in every aggregate, which doubles the time on 300,000 parties.
_SHARED_PARTS_SQL = """
SELECT party_type, party_id, entry, SUM(DISTINCT bit), COUNT(DISTINCT bit), MAX(rare),
       MAX(part_count), MAX(initials)
FROM (
    SELECT party_type, party_id, entry, part_count, initials,
           CASE token_hash {bits} ELSE 0 END AS bit,
           CASE WHEN {rare} THEN 1 ELSE 0 END AS rare
    FROM {table}
    WHERE token_hash IN ({hashes}) AND (client_id IS NULL OR client_id <> %s)
) AS shared_tokens
GROUP BY party_type, party_id, entry
{having}
"""
_HAVING_BOUND = """
HAVING (COUNT(DISTINCT bit) >= 2
        AND COUNT(DISTINCT bit) * {keep}
            - {differ} * CASE WHEN {parts} < MAX(part_count)
                              THEN {parts} - COUNT(DISTINCT bit)
                              ELSE MAX(part_count) - COUNT(DISTINCT bit) END
            - {extra} * ABS({parts} - MAX(part_count)) >= -0.000001)
    OR MAX(rare) = 1 OR MAX(initials) > 0
"""


@dataclass(frozen=True)
class _SharedRow:
    party: PartyKey
    mask: int
    has_rare: bool
    parts: int
    initials: int


def _shared_parts(
    *, case: Case, subject: PreparedName, part_of_hash: dict[str, int], rare_hashes: set[str]
) -> list[_SharedRow]:
    """The parties sharing tokens with one person, grouped in the database (see above)."""
    hashes = sorted(part_of_hash)
    rare = sorted(rare_hashes & set(hashes))
    parts = len(subject.parts)
    if parts == 1:
        having = "HAVING MAX(part_count) = 1"
    elif subject.initials:
        having = ""
    else:
        having = _HAVING_BOUND.format(
            keep=1 - MATCH_THRESHOLD,
            differ=MATCH_THRESHOLD * DIFFER_WEIGHT,
            extra=MATCH_THRESHOLD * EXTRA_WEIGHT,
            parts=parts,
        )
    sql = _SHARED_PARTS_SQL.format(
        # Only integers and placeholders are formatted in; the hashes are parameters.
        bits=" ".join(f"WHEN %s THEN {1 << part_of_hash[h]}" for h in hashes),
        rare=f"token_hash IN ({', '.join(['%s'] * len(rare))})" if rare else "1 = 0",
        table=connection.ops.quote_name(PartyNameToken._meta.db_table),
        hashes=", ".join(["%s"] * len(hashes)),
        having=having,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hashes, *rare, *hashes, case.client_id])
        rows = cursor.fetchall()
    return [
        _SharedRow(
            party=(party_type, int(party_id), int(entry)),
            mask=int(mask),
            has_rare=bool(has_rare),
            parts=int(part_count),
            initials=int(initials),
        )
        for party_type, party_id, entry, mask, _shared, has_rare, part_count, initials in rows
    ]


def _purged_party_match(
    *, parts: int, party_parts: int, shared: int, shared_evidence: float
) -> NameMatch | None:
    """A possible match with a party whose name was purged (cases/retention.py), from the
    blind-index tokens they share alone: the name itself is gone, so the coordinator compares
    by hand. The score is names.could_match's bound with nothing unindexed assumed."""
    if not could_match(
        parts_a=parts, parts_b=party_parts, shared=shared, shared_evidence=shared_evidence
    ):
        return None
    pairs = min(shared, parts, party_parts)
    unpaired_a, unpaired_b = parts - pairs, party_parts - pairs
    score = pairs / (
        pairs
        + DIFFER_WEIGHT * min(unpaired_a, unpaired_b)
        + EXTRA_WEIGHT * abs(unpaired_a - unpaired_b)
    )
    return NameMatch(
        match=True,
        score=round(min(score, 1.0), 3),
        why=(
            f"{pairs} of the name's parts sound like those of a person of a closed case whose "
            "personal data was purged under the retention policy; only keyed hashes of the "
            "name are kept, so compare by hand."
        ),
        why_es=(
            f"{pairs} partes del nombre suenan como las de una persona de un caso cerrado cuyos "
            "datos personales se eliminaron según la política de conservación; solo se guardan "
            "hashes con clave del nombre, así que compárelo a mano."
        ),
        agreeing_parts=pairs,
    )


def find_matches(case: Case, people: list[Person]) -> tuple[list[Found], FoundContext]:
    """Candidates from the blind index (names.could_match on what the index knows), then
    decrypted and scored by names.match_prepared."""
    hasher = Hasher()
    prepared = [prepare_name(person.name) for person in people]
    part_of_hash: list[dict[str, int]] = []
    for name in prepared:
        mapping: dict[str, int] = {}
        for part, group in enumerate(part_tokens(name)):
            for token in sorted(group):
                mapping.setdefault(hasher(token), part)
        part_of_hash.append(mapping)
    frequencies = _token_frequencies(sorted({h for mapping in part_of_hash for h in mapping}))
    rare_hashes = {h for h, n in frequencies.items() if n <= RARE_TOKEN_PARTIES}
    candidates: list[tuple[int, PartyKey]] = []
    # What the index alone knows of each candidate (shared parts, their evidence, its parts):
    # all there is to go on for a party whose name was purged.
    index_evidence: dict[tuple[int, PartyKey], tuple[int, float, int]] = {}
    for i, (subject, mapping) in enumerate(zip(prepared, part_of_hash, strict=True)):
        present = {h: part for h, part in mapping.items() if h in frequencies}
        if not present:
            continue
        indexed = [part for part in subject.parts if not part.initial]
        for row in _shared_parts(
            case=case, subject=subject, part_of_hash=present, rare_hashes=rare_hashes
        ):
            shared = [k for k in range(len(indexed)) if row.mask >> k & 1]
            shared_evidence = sum(indexed[k].evidence for k in shared)
            if could_match(
                parts_a=len(subject.parts),
                parts_b=row.parts,
                shared=len(shared),
                shared_evidence=shared_evidence,
                unindexed_pairs=int(row.has_rare) + subject.initials + row.initials,
            ):
                candidates.append((i, row.party))
                index_evidence[(i, row.party)] = (len(shared), shared_evidence, row.parts)
    names = _candidate_names(key for _i, key in candidates)
    stale = {key for _i, key in candidates if key not in names}
    if stale:  # deleted (or a declared line removed) since it was indexed
        query = Q()
        for party_type, party_id, entry in stale:
            query |= Q(party_type=party_type, party_id=party_id, entry=entry)
        PartyNameToken.objects.filter(query).delete()
    prepared_party: dict[PartyKey, PreparedName] = {}
    found: list[Found] = []
    for i, key in sorted(candidates):
        if key not in names:
            continue
        if not names[key][0]:
            # Purged under the retention policy (cases/retention.py): only the index is left.
            shared_parts, evidence, party_parts = index_evidence[(i, key)]
            purged = _purged_party_match(
                parts=len(prepared[i].parts),
                party_parts=party_parts,
                shared=shared_parts,
                shared_evidence=evidence,
            )
            if purged is not None:
                found.append(Found(person=people[i], party=key, result=purged))
            continue
        if key not in prepared_party:
            prepared_party[key] = prepare_name(names[key][0])
        result = match_prepared(prepared[i], prepared_party[key])
        if result.match:
            found.append(Found(person=people[i], party=key, result=result))
    matched_clients = {names[f.party][2] for f in found}
    context = FoundContext(
        names=names,
        cases=_latest_case_by_client({c for c in matched_clients if c is not None}),
        attorneys=_attorney_by_profile(
            {f.party[1] for f in found if f.party[0] == PartyType.DECLARED_CONFLICT}
        ),
        candidates=len(candidates),
    )
    return found, context
