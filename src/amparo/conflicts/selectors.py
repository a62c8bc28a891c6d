"""Reads of conflict hits. Names are decrypted only for the coordinator's page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.conflicts.domain.names import declared_conflict_names
from amparo.conflicts.models import ConflictHit, PartyType
from amparo.core.policy import get_for_user_or_404
from amparo.intake.models import AdverseParty, Client, FamilyMember
from amparo.people.models import AttorneyProfile


def case_get_for_conflicts(*, viewer: Any, code: str) -> Case:
    return get_for_user_or_404(
        Case.objects.select_related("client"),
        user=viewer,
        permission="conflicts.view_hits",
        code=code,
    )


def conflict_open_hits_exist(*, case: Case, attorney: Any = None) -> bool:
    """Whether the case has a hit nobody has cleared or confirmed yet (the case cannot be placed
    while it has one). With `attorney`, conflicts declared by *other* attorneys do not count:
    they stop those attorneys, not this placement."""
    hits = ConflictHit.objects.filter(case=case, status=ConflictHit.Status.OPEN)
    if attorney is not None:
        hits = hits.exclude(
            Q(matched_type=PartyType.DECLARED_CONFLICT) & ~Q(matched_attorney_id=attorney.pk)
        )
    return hits.exists()


def conflict_hit_list_for_case(*, case: Case) -> QuerySet[ConflictHit]:
    """The case's hits, open ones first, then by score."""
    return (
        ConflictHit.objects.filter(case=case)
        .select_related("matched_case", "matched_attorney", "resolved_by")
        .annotate(
            open_first=SqlCase(
                When(status=ConflictHit.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-score", "id")
    )


@dataclass(frozen=True)
class HitRow:
    """A hit as the coordinator's page shows it (names decrypted here, never stored in clear)."""

    hit: ConflictHit
    subject_name: str
    subject_role: str
    matched_name: str
    matched_role: str
    why: str


def _role(party_type: str, obj: Any, attorney: Any = None) -> str:
    if party_type == PartyType.CLIENT:
        return _("Client")
    if party_type == PartyType.FAMILY_MEMBER:
        return _("Family member (%(relationship)s)") % {
            "relationship": obj.get_relationship_display()
        }
    if party_type == PartyType.ADVERSE_PARTY:
        return _("Adverse party (%(kind)s)") % {"kind": obj.get_kind_display()}
    name = (attorney.full_name or attorney.email) if attorney is not None else "—"
    return _("Conflict declared by attorney %(name)s") % {"name": name}


def _by_pk(model: Any, ids: Iterable[int], *fields: str) -> dict[int, Any]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {obj.pk: obj for obj in model.objects.filter(pk__in=wanted).only("id", *fields)}


def conflict_hit_rows_for_case(*, case: Case) -> list[HitRow]:
    """The case's hits with both names decrypted, in the active language. A bounded number of
    queries whatever the number of hits."""
    hits = list(conflict_hit_list_for_case(case=case))
    if not hits:
        return []
    ids: dict[str, set[int]] = {party_type: set() for party_type in PartyType.values}
    for hit in hits:
        ids[hit.subject_type].add(hit.subject_id)
        ids[hit.matched_type].add(hit.matched_id)
    name_fields = ("given_names", "family_names")
    objects: dict[str, dict[int, Any]] = {
        PartyType.CLIENT: _by_pk(Client, ids[PartyType.CLIENT], *name_fields),
        PartyType.FAMILY_MEMBER: _by_pk(
            FamilyMember, ids[PartyType.FAMILY_MEMBER], "relationship", *name_fields
        ),
        PartyType.ADVERSE_PARTY: _by_pk(AdverseParty, ids[PartyType.ADVERSE_PARTY], "kind", "name"),
        PartyType.DECLARED_CONFLICT: _by_pk(
            AttorneyProfile, ids[PartyType.DECLARED_CONFLICT], "declared_conflicts"
        ),
    }
    spanish = (get_language() or "").startswith("es")
    rows: list[HitRow] = []
    for hit in hits:
        subject = objects[hit.subject_type].get(hit.subject_id)
        matched = objects[hit.matched_type].get(hit.matched_id)
        rows.append(
            HitRow(
                hit=hit,
                subject_name=_name(hit.subject_type, subject, 0),
                subject_role=_role(hit.subject_type, subject) if subject else hit.subject_label,
                matched_name=_name(hit.matched_type, matched, hit.matched_entry),
                matched_role=_role(hit.matched_type, matched, hit.matched_attorney)
                if matched
                else hit.matched_label,
                why=hit.why_es if spanish else hit.why_en,
            )
        )
    return rows


def _name(party_type: str, obj: Any, entry: int) -> str:
    if obj is None:
        return _("(no longer on record)")
    if party_type == PartyType.ADVERSE_PARTY:
        return str(obj.name) or _("(personal data purged)")
    if party_type == PartyType.DECLARED_CONFLICT:
        names = declared_conflict_names(obj.declared_conflicts)
        return names[entry] if entry < len(names) else _("(no longer declared)")
    # An empty name: purged under the retention policy (cases/retention.py).
    return str(obj.full_name) or _("(personal data purged)")
