"""Running a case's conflict check, resolving its hits, and checking an attorney against a case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases.models import Case, CaseEvent
from amparo.cases.services import case_event_record
from amparo.conflicts.domain.names import (
    NameMatch,
    declared_conflict_names,
    match_prepared,
    prepare_name,
)
from amparo.conflicts.models import ConflictHit, PartyType
from amparo.conflicts.services.indexing import client_people, index_people
from amparo.conflicts.services.search import find_matches
from amparo.core.audit import audit_record
from amparo.core.models import AuditEvent
from amparo.people.models import AttorneyProfile

# Audit action for a resolved hit (ids and the decision only, never the note).
AUDIT_HIT_RESOLVED = AuditEvent.Action.CONFLICT_HIT_RESOLVED
_HIT_FIELDS = [
    "subject_label",
    "matched_label",
    "matched_case_id",
    "matched_attorney_id",
    "score",
    "why_en",
    "why_es",
]


@transaction.atomic
def conflict_check_case(
    *, case: Case, actor: Any, people_indexed: bool = False
) -> list[ConflictHit]:
    """Check the case's client, the client's family members and adverse parties against every
    other party on record: other clients and their family members and adverse parties, and
    attorneys' declared conflicts (never the client's own people against each other).

    Indexes the case's people first, unless the caller just did (`people_indexed`: the import's
    background check indexes all its people before the first check). Re-running updates open
    hits, drops open hits that no longer match (a corrected name) and leaves resolved hits as
    they were. Records a CONFLICT_CHECKED case event with counts only. Returns the hits this run
    found, highest score first."""
    people = client_people(case.client)
    if not people_indexed:
        index_people(people, client_id=case.client_id)
    found, context = find_matches(case, people)
    existing = {
        (h.subject_type, h.subject_id, h.matched_type, h.matched_id, h.matched_entry): h
        for h in ConflictHit.objects.filter(case=case)
    }
    to_create: list[ConflictHit] = []
    to_update: list[ConflictHit] = []
    current: list[ConflictHit] = []
    seen: set[tuple[str, int, str, int, int]] = set()
    for item in found:
        party_type, party_id, entry = item.party
        _name, matched_label, client_id = context.names[item.party]
        pair = (item.person.party_type, item.person.party_id, party_type, party_id, entry)
        seen.add(pair)
        values: dict[str, Any] = {
            "subject_label": item.person.label,
            "matched_label": matched_label,
            "matched_case_id": context.cases.get(client_id) if client_id else None,
            "matched_attorney_id": context.attorneys.get(party_id)
            if party_type == PartyType.DECLARED_CONFLICT
            else None,
            "score": item.result.score,
            "why_en": item.result.why,
            "why_es": item.result.why_es,
        }
        hit = existing.get(pair)
        if hit is None:
            hit = ConflictHit(
                case=case,
                subject_type=item.person.party_type,
                subject_id=item.person.party_id,
                matched_type=party_type,
                matched_id=party_id,
                matched_entry=entry,
                **values,
            )
            to_create.append(hit)
        elif hit.is_open and any(getattr(hit, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(hit, field, value)
            to_update.append(hit)
        current.append(hit)
    ConflictHit.objects.bulk_create(to_create)
    if to_update:
        ConflictHit.objects.bulk_update(to_update, _HIT_FIELDS)
    vanished = [h.pk for pair, h in existing.items() if pair not in seen and h.is_open]
    ConflictHit.objects.filter(pk__in=vanished).delete()
    case_event_record(
        case=case,
        kind=CaseEvent.Kind.CONFLICT_CHECKED,
        actor=actor,
        data={
            "people_checked": len(people),
            "candidates_scored": context.candidates,
            "hits": len(current),
            "new_hits": len(to_create),
            "open_hits": sum(h.is_open for h in current),
        },
    )
    current.sort(key=lambda h: (-h.score, h.subject_type, h.subject_id, h.matched_id))
    return current


@transaction.atomic
def conflict_hit_resolve(*, hit: ConflictHit, actor: Any, decision: str, note: str) -> ConflictHit:
    """Clear (not the same person, or no conflict) or confirm a hit, with a required note."""
    if decision not in (ConflictHit.Status.CLEARED, ConflictHit.Status.CONFIRMED):
        raise ValidationError(_("Choose whether to clear or confirm the hit."), code="decision")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            _("Write a note saying why the hit is cleared or confirmed."), code="note_required"
        )
    locked = ConflictHit.objects.select_for_update().select_related("case").get(pk=hit.pk)
    if not locked.is_open:
        raise ValidationError(_("This hit has already been resolved."), code="resolved")
    locked.status = decision
    locked.resolved_by = actor
    locked.resolved_at = timezone.now()
    locked.note = note
    locked.save(update_fields=["status", "resolved_by", "resolved_at", "note"])
    case_event_record(
        case=locked.case,
        kind=CaseEvent.Kind.CONFLICT_RESOLVED,
        actor=actor,
        data={"hit_id": locked.pk, "decision": decision},
    )
    audit_record(
        actor=actor,
        action=AUDIT_HIT_RESOLVED,
        target=locked,
        data={"case_code": locked.case.code, "hit_id": locked.pk, "decision": decision},
    )
    return locked


def conflict_hits_record_view(
    *, case: Case, viewer: Any, request: HttpRequest | None = None
) -> None:
    """The hits page shows the names of the case's people and of the matched parties: a read
    of client files, written to the audit log like any other (8 CFR 208.6; 8 U.S.C. 1367)."""
    matched_cases = sorted(
        set(
            ConflictHit.objects.filter(case=case)
            .exclude(matched_case=None)
            .values_list("matched_case__code", flat=True)
        )
    )
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditEvent.Action.CLIENT_FILE_VIEWED,
            target=case,
            request=request,
            data={
                "client_id": case.client_id,
                "case_code": case.code,
                "page": "conflict_hits",
                "matched_case_codes": matched_cases,
            },
        )


# --- an attorney against a case --------------------------------------------------------------


@dataclass(frozen=True)
class AttorneyConflict:
    """One of the case's people likely named in the attorney's declared conflicts or firm name.
    Reads like a NameMatch (match, score, why, why_es)."""

    subject_type: str
    subject_id: int
    subject_label: str  # role in English, never the name
    source: str  # "declared_conflict" or "firm"
    entry: int  # line of the declared conflicts (0 for the firm)
    result: NameMatch

    @property
    def match(self) -> bool:
        return self.result.match

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def why(self) -> str:
        return self.result.why

    @property
    def why_es(self) -> str:
        return self.result.why_es


def conflict_check_attorney(*, attorney_user: Any, case: Case) -> list[AttorneyConflict]:
    """Compare the attorney's declared conflicts and firm name with the case's client, family
    members and adverse parties (for the placement flow, before the attorney sees party names).
    Reads only; returns the likely matches, highest score first."""
    profile = (
        AttorneyProfile.objects.select_related("firm")
        .only("id", "declared_conflicts", "firm__name")
        .filter(user_id=attorney_user.pk)
        .first()
    )
    if profile is None:
        return []
    names = [
        ("declared_conflict", entry, prepare_name(name))
        for entry, name in enumerate(declared_conflict_names(profile.declared_conflicts))
    ]
    if profile.firm is not None:
        names.append(("firm", 0, prepare_name(profile.firm.name)))
    conflicts: list[AttorneyConflict] = []
    for person in client_people(case.client):
        subject = prepare_name(person.name)
        for source, entry, declared in names:
            result = match_prepared(subject, declared)
            if result.match:
                conflicts.append(
                    AttorneyConflict(
                        subject_type=person.party_type,
                        subject_id=person.party_id,
                        subject_label=person.label,
                        source=source,
                        entry=entry,
                        result=result,
                    )
                )
    conflicts.sort(key=lambda c: (-c.score, c.subject_type, c.subject_id, c.source, c.entry))
    return conflicts
