"""Finding the parties whose names likely match a person's: candidates from the blind index,
then decrypted and scored by the pure matcher.

How a check stays fast on 300,000 parties while names stay encrypted at rest: the person's parts
are hashed into the same blocking tokens the index holds; one grouped query per person returns
the parties sharing tokens with it, already cut down to those that could match
(names.could_match: two parts in common, or a rare one, or one-word names); only those are
decrypted and scored (names.match_prepared).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

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


# How many index rows hold a hash, counted no further than one past "rare": a count of the rows
# of "María" would read 40,000 index entries on 300,000 parties just to learn it is not rare.
_CAPPED_COUNT_SQL = (
    "SELECT {position}, (SELECT COUNT(*) FROM"
    " (SELECT 1 FROM {table} WHERE token_hash = %s LIMIT {cap}) AS held)"
)


def _token_frequencies(hashes: list[str]) -> dict[str, int]:
    """How many index rows hold each hash, up to RARE_TOKEN_PARTIES + 1 (hashes no row holds
    are left out)."""
    table = connection.ops.quote_name(PartyNameToken._meta.db_table)
    frequencies: dict[str, int] = {}
    for chunk in chunks(hashes, 200):
        sql = " UNION ALL ".join(
            _CAPPED_COUNT_SQL.format(position=i, table=table, cap=RARE_TOKEN_PARTIES + 1)
            for i in range(len(chunk))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            frequencies.update((chunk[int(i)], int(n)) for i, n in cursor.fetchall() if n)
    return frequencies


# One row per party sharing tokens with one person, grouped in the database. Each `partN` column
# says whether the party holds a token of the person's part N (a token hash of that part, or a
# pair hash with one); `rare` whether it holds a rare token (or a pair with one). Each branch
# reads the index rows of one hash and writes those flags as constants, so grouping the tens of
# thousands of rows of a very common name compares no hashes (per-row IN lists of hashes cost
# SQLite a third of the query). The outer WHERE is names.could_match's score bound for parties
# with nothing unindexed to add (no rare token, no initials):
#   shared / (shared + D * differ + E * extra) >= T, that is
#   shared * (1 - T) - T * D * (min(parts, party parts) - shared)
#                    - T * E * abs(parts - party parts) >= 0
# so that only parties that could match travel to Python. Plain SQL (CASE, ABS, MAX over a
# sub-query, UNION ALL) that SQLite and PostgreSQL both run; per-part MAX columns instead of
# SUM(DISTINCT)/COUNT(DISTINCT), which cost SQLite two more temporary B-trees.
_GROUPED_SQL = """
SELECT party_type, party_id, entry, rare, part_count, initials, {flags}
FROM (
    SELECT party_type, party_id, entry, MAX(rare) AS rare, MAX(part_count) AS part_count,
           MAX(initials) AS initials, {flag_aggregates}
    FROM ({branches}) AS shared_tokens
    GROUP BY party_type, party_id, entry
) AS shared_parties
{where}
"""
_BRANCH_SQL = """
SELECT party_type, party_id, entry, part_count, initials, {rare} AS rare, {flags}
FROM {table}
WHERE {condition} token_hash = %s AND (client_id IS NULL OR client_id <> %s)
"""
_SHARED_BOUND = """
WHERE ({shared} >= 2
       AND {shared} * {keep}
           - {differ} * (CASE WHEN {parts} < part_count THEN {parts} ELSE part_count END
                         - {shared})
           - {extra} * ABS({parts} - part_count) >= -0.000001)
   OR rare = 1 OR initials > 0
"""


@dataclass(frozen=True)
class _SharedRow:
    party: PartyKey
    mask: int
    has_rare: bool
    parts: int
    initials: int


def _shared_parts(
    *,
    case: Case,
    subject: PreparedName,
    part_of_hash: dict[str, int],
    rare_hashes: set[str],
    hasher: Hasher,
) -> list[_SharedRow]:
    """The parties sharing tokens with one person, each with the set of the person's parts it
    shares, cut down in the database to those that could match (see above).

    A person of two or more indexed parts and no initials needs two parts in common with a
    party, unless the party shares a rare token or has initials: the pair hashes find the
    former (a few thousand rows even for "María José Hernández López", where the tokens alone
    are 130,000 rows on 300,000 parties), the partial index on initials and the rare tokens the
    latter. Anyone else (one-word names, initials in the person's name) is looked up by token."""
    hashes = sorted(part_of_hash)
    parts = len(subject.parts)
    indexed_parts = len({*part_of_hash.values()})
    # The person's parts each hash stands for, and whether it is (or pairs with) a rare token.
    parts_of: dict[str, set[int]] = {hashed: {part_of_hash[hashed]} for hashed in hashes}
    rare_of: dict[str, bool] = {hashed: hashed in rare_hashes for hashed in hashes}
    # (condition on the row, hash) per branch.
    lookups: list[tuple[str, str]] = []
    if parts > 1 and not subject.initials and indexed_parts > 1:
        pairs: list[str] = []
        for first, second in itertools.combinations(hashes, 2):
            pair = hasher.pair(first, second)
            parts_of[pair] = parts_of[first] | parts_of[second]
            rare_of[pair] = rare_of[first] or rare_of[second]
            pairs.append(pair)
        lookups += [("", pair) for pair in sorted(pairs)]
        lookups += [("", hashed) for hashed in hashes if rare_of[hashed]]
        lookups += [("initials > 0 AND", hashed) for hashed in hashes]
    else:
        lookups += [("", hashed) for hashed in hashes]
    if parts == 1:
        where = "WHERE part_count = 1"  # one-word names only meet one-word names
    elif subject.initials:
        where = ""  # an initial may pair with any part: the bound needs the scorer
    else:
        where = _SHARED_BOUND
    part_numbers = sorted({*part_of_hash.values()})
    table = connection.ops.quote_name(PartyNameToken._meta.db_table)
    branches: list[str] = []
    params: list[str | int] = []
    for condition, hashed in lookups:
        # Only integers and placeholders are formatted in; the hashes are parameters.
        flags = ", ".join(f"{int(part in parts_of[hashed])} AS part{part}" for part in part_numbers)
        branches.append(
            _BRANCH_SQL.format(
                rare=int(rare_of[hashed]), flags=flags, table=table, condition=condition
            )
        )
        params += [hashed, case.client_id]
    flag_columns = [f"part{part}" for part in part_numbers]
    sql = _GROUPED_SQL.format(
        flags=", ".join(flag_columns),
        flag_aggregates=", ".join(f"MAX({column}) AS {column}" for column in flag_columns),
        branches=" UNION ALL ".join(branches),
        where=where.format(
            shared=f"({' + '.join(flag_columns)})",
            keep=1 - MATCH_THRESHOLD,
            differ=MATCH_THRESHOLD * DIFFER_WEIGHT,
            extra=MATCH_THRESHOLD * EXTRA_WEIGHT,
            parts=parts,
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        _SharedRow(
            party=(party_type, int(party_id), int(entry)),
            mask=sum(1 << part for part, flag in zip(part_numbers, flags, strict=True) if flag),
            has_rare=bool(has_rare),
            parts=int(part_count),
            initials=int(initials),
        )
        for party_type, party_id, entry, has_rare, part_count, initials, *flags in rows
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
            case=case,
            subject=subject,
            part_of_hash=present,
            rare_hashes=rare_hashes,
            hasher=hasher,
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
    # Common names repeat among the candidates (250 candidates of "María José Hernández López"
    # on 300,000 parties carry 25 distinct names): each distinct name is prepared, and scored
    # against each person, once per check. Both are pure functions of the texts.
    prepared_party: dict[str, PreparedName] = {}
    results: dict[tuple[int, str], NameMatch] = {}
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
        party_name = names[key][0]
        result = results.get((i, party_name))
        if result is None:
            if party_name not in prepared_party:
                prepared_party[party_name] = prepare_name(party_name)
            result = results[(i, party_name)] = match_prepared(
                prepared[i], prepared_party[party_name]
            )
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
