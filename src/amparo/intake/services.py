"""Recording clients and the people around them. A-numbers get their blind index here."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from amparo.core.audit import audit_record
from amparo.core.crypto import a_number_index, format_a_number, normalize_a_number
from amparo.core.models import AuditEvent
from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening


def _a_number_fields(raw: str) -> tuple[str, str]:
    if not raw:
        return "", ""
    return format_a_number(normalize_a_number(raw)), a_number_index(raw)


@transaction.atomic
def client_create(
    *,
    actor: Any,
    given_names: str,
    family_names: str,
    country_of_nationality: str,
    a_number: str = "",
    date_of_birth: datetime.date | None = None,
    languages: list[str] | None = None,
    **details: Any,
) -> Client:
    client = client_build(
        actor=actor,
        given_names=given_names,
        family_names=family_names,
        country_of_nationality=country_of_nationality,
        a_number=a_number,
        date_of_birth=date_of_birth,
        languages=languages,
        **details,
    )
    client.save(force_insert=True)
    audit_record(actor=actor, action=AuditEvent.Action.CLIENT_CREATED, target=client)
    return client


def client_build(
    *,
    actor: Any,
    given_names: str,
    family_names: str,
    country_of_nationality: str,
    a_number: str = "",
    date_of_birth: datetime.date | None = None,
    languages: list[str] | None = None,
    **details: Any,
) -> Client:
    """The client `client_create` saves, not yet saved (the bulk import saves many at once and
    writes their CLIENT_CREATED audit entries itself)."""
    formatted, index = _a_number_fields(a_number)
    return Client(
        given_names=given_names.strip(),
        family_names=family_names.strip(),
        country_of_nationality=country_of_nationality,
        a_number=formatted,
        a_number_index=index,
        date_of_birth=date_of_birth,
        languages=languages or [],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **details,
    )


def family_member_add(
    *,
    client: Client,
    relationship: str,
    given_names: str,
    family_names: str,
    a_number: str = "",
    date_of_birth: datetime.date | None = None,
    **details: Any,
) -> FamilyMember:
    member = family_member_build(
        client=client,
        relationship=relationship,
        given_names=given_names,
        family_names=family_names,
        a_number=a_number,
        date_of_birth=date_of_birth,
        **details,
    )
    member.save(force_insert=True)
    return member


def family_member_build(
    *,
    client: Client,
    relationship: str,
    given_names: str,
    family_names: str,
    a_number: str = "",
    date_of_birth: datetime.date | None = None,
    **details: Any,
) -> FamilyMember:
    """The family member `family_member_add` saves, not yet saved."""
    formatted, index = _a_number_fields(a_number)
    return FamilyMember(
        client=client,
        relationship=relationship,
        given_names=given_names.strip(),
        family_names=family_names.strip(),
        a_number=formatted,
        a_number_index=index,
        date_of_birth=date_of_birth,
        **details,
    )


def adverse_party_add(*, client: Client, kind: str, name: str, **details: Any) -> AdverseParty:
    party = adverse_party_build(client=client, kind=kind, name=name, **details)
    party.save(force_insert=True)
    return party


def adverse_party_build(*, client: Client, kind: str, name: str, **details: Any) -> AdverseParty:
    """The adverse party `adverse_party_add` saves, not yet saved."""
    return AdverseParty(client=client, kind=kind, name=name.strip(), **details)


@transaction.atomic
def intake_case_record(
    *,
    actor: Any,
    client_data: dict[str, Any],
    case_data: dict[str, Any],
    family: list[dict[str, Any]],
    adverse_parties: list[dict[str, Any]],
    hearing: dict[str, Any] | None,
) -> Any:
    """Record a client, their people and their case in one transaction, then run the conflict
    check. Callers validate first (intake/forms.py); anything that slips through rolls back."""
    from amparo.cases.services import case_create
    from amparo.conflicts.services import conflict_check_case
    from amparo.deadlines.services import case_deadlines_recompute, hearing_add
    from amparo.people.models import Organization

    client = client_create(actor=actor, **client_data)
    for member in family:
        family_member_add(client=client, **member)
    for party in adverse_parties:
        adverse_party_add(client=client, **party)
    organization = actor.organization or Organization.objects.get(kind=Organization.Kind.OPERATOR)
    case = case_create(
        actor=actor,
        client=client,
        placing_organization=organization,
        languages=client.languages,
        **case_data,
    )
    Screening.objects.create(case=case)
    if hearing:
        hearing_add(case=case, actor=actor, **hearing)
    else:
        case_deadlines_recompute(case=case)
    conflict_check_case(case=case, actor=actor)
    return case


def screening_identifiers(*, case: Any) -> list[str]:
    """Name parts and A-numbers of everyone in the case: what a summary must not contain."""
    client = case.client
    people = [client.given_names, client.family_names]
    people += [f"{m.given_names} {m.family_names}" for m in client.family_members.all()]
    people += [p.name for p in client.adverse_parties.all()]
    identifiers = [part for name in people for part in name.split()]
    numbers = [client.a_number] + [m.a_number for m in client.family_members.all()]
    identifiers += ["".join(ch for ch in n if ch.isdigit()) for n in numbers if n]
    return identifiers


@transaction.atomic
def screening_decide(
    *,
    case: Any,
    actor: Any,
    answers: dict[str, dict[str, str]],
    merits_notes: str,
    decision: str,
    reason: str,
    summary_en: str,
    summary_es: str,
    on_public_urgent_page: bool = False,
) -> Screening:
    from amparo.cases.models import CaseEvent, Outcome, Stage
    from amparo.cases.placement import case_publish
    from amparo.cases.services import case_event_record
    from amparo.conflicts.services import conflict_check_case

    screening, _created = Screening.objects.get_or_create(case=case)
    screening.answers = json.dumps(answers)
    screening.merits_notes = merits_notes
    screening.decision = decision
    screening.reason = reason
    if decision:
        screening.decided_by = actor
        screening.decided_at = timezone.now()
    screening.save()
    case.summary_en = summary_en.strip()
    case.summary_es = summary_es.strip()
    case.on_public_urgent_page = on_public_urgent_page
    if case.stage == Stage.INTAKE:
        case.stage = Stage.SCREENING
    if decision in (Screening.Decision.REFER_OUT, Screening.Decision.DECLINE):
        case.stage = Stage.CLOSED
        case.outcome = Outcome.REFERRED_OUT if decision == "refer_out" else Outcome.DECLINED
        case.closed_at = timezone.now()
    # Only the fields screening decides: a facts edit committed meanwhile must not be undone.
    case.save(
        update_fields=[
            "summary_en",
            "summary_es",
            "on_public_urgent_page",
            "stage",
            "outcome",
            "closed_at",
            "updated_at",
        ]
    )
    if decision:
        case_event_record(
            case=case, kind=CaseEvent.Kind.SCREENED, actor=actor, data={"decision": decision}
        )
    if decision == Screening.Decision.READY and case.stage != Stage.READY:
        # Check again at publication: parties recorded since intake (or an import whose
        # background check has not run yet) must not reach the board unchecked.
        conflict_check_case(case=case, actor=actor)
        case_publish(case=case, actor=actor)
    return screening


CLIENT_EDITABLE = (
    "given_names",
    "family_names",
    "a_number",
    "date_of_birth",
    "country_of_nationality",
    "languages",
    "phone",
    "address",
    "do_not_contact_at_home",
)
CASE_EDITABLE = (
    "court",
    "detained",
    "detention_facility",
    "is_unaccompanied_child",
    "last_arrival",
    "supplement_b_signed",
)
# Changing any of these can create or remove a conflict of interest.
NAME_FIELDS = {"given_names", "family_names"}


class CaseChangedError(Exception):
    """The case's facts changed since the form was read (optimistic versioning): the edit was
    refused so that it does not silently overwrite someone else's correction."""

    def __init__(self, *, current_version: int) -> None:
        super().__init__(f"case changed: now at version {current_version}")
        self.current_version = current_version


def case_facts_changes(
    *, case: Any, client_data: dict[str, Any], case_data: dict[str, Any]
) -> dict[str, Any]:
    """The edit-form fields whose submitted value differs from the stored one, with the value
    as it would be stored (strings trimmed, the A-number formatted)."""
    client = case.client
    changes: dict[str, Any] = {}
    for field in CLIENT_EDITABLE:
        if field not in client_data:
            continue
        value = client_data[field]
        if field == "a_number":
            value = _a_number_fields(value)[0]
        elif isinstance(value, str):
            value = value.strip()
        if getattr(client, field) != value:
            changes[field] = value
    for field in CASE_EDITABLE:
        if field in case_data and getattr(case, field) != case_data[field]:
            changes[field] = case_data[field]
    return changes


@transaction.atomic
def intake_case_update(
    *,
    case: Any,
    actor: Any,
    client_data: dict[str, Any],
    case_data: dict[str, Any],
    family: list[dict[str, Any]],
    adverse_parties: list[dict[str, Any]],
    expected_version: int | None = None,
) -> list[str]:
    """Correct the client's and the case's facts and add people; returns the changed field names.

    `expected_version` is the case's `version` when the form was read: if someone else saved an
    edit since, CaseChangedError is raised and nothing is written. The case and client rows are
    locked and re-read first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialize writers), so of several edits made from one version exactly one is
    saved, and the comparison is made with the stored facts, never with the caller's copy. Each
    edit that changes something bumps the version. None skips the check (callers with no form).

    The timeline and the audit log record *which* fields changed, never their values. Deadlines
    are recomputed, a case on the board gets a fresh card, and the conflict check runs again
    when a name changed or a person was added."""
    from amparo.cases.models import Case, CaseEvent, Stage
    from amparo.cases.placement import case_board_refresh
    from amparo.cases.services import case_event_record
    from amparo.conflicts.services import conflict_check_case
    from amparo.deadlines.services import case_deadlines_recompute

    locked = (
        Case.objects.select_for_update(of=("self", "client"))
        .select_related("client")
        .get(pk=case.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise CaseChangedError(current_version=locked.version)
    client = locked.client
    changes = case_facts_changes(case=locked, client_data=client_data, case_data=case_data)
    changed = list(changes)
    client_fields = [field for field in changed if field in CLIENT_EDITABLE]
    case_fields = [field for field in changed if field in CASE_EDITABLE]
    for field in client_fields:
        setattr(client, field, changes[field])
    if "a_number" in changes:
        client.a_number_index = _a_number_fields(changes["a_number"])[1]
        client_fields.append("a_number_index")
    for field in case_fields:
        setattr(locked, field, changes[field])
    if "languages" in changed:
        locked.languages = client.languages
        case_fields.append("languages")
    if client_fields:
        client.save(update_fields=[*client_fields, "updated_at"])
    for member in family:
        family_member_add(client=client, **member)
    for party in adverse_parties:
        adverse_party_add(client=client, **party)
    if family:
        changed.append("family_members")
    if adverse_parties:
        changed.append("adverse_parties")
    if not changed:
        return changed
    locked.version += 1
    locked.save(update_fields=[*case_fields, "version", "updated_at"])
    # The caller's copy follows, so it can be used (or shown) after the call.
    for field in (*case_fields, "version", "updated_at"):
        setattr(case, field, getattr(locked, field))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CASE_UPDATED,
        target=locked,
        data={"case_code": locked.code, "fields": changed},
    )
    case_event_record(
        case=locked, kind=CaseEvent.Kind.EDITED, actor=actor, data={"fields": changed}
    )
    case_deadlines_recompute(case=locked)
    if NAME_FIELDS & set(changed) or family or adverse_parties:
        conflict_check_case(case=locked, actor=actor)
    if locked.stage == Stage.READY:
        case_board_refresh(case=locked)
    return changed
