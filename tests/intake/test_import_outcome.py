"""The bulk save of an import writes exactly what saving its rows one by one through the intake
services writes: the same clients, people, cases, screenings, hearings, deadlines, flags, board
facts, case events, audit entries, conflict tokens and hits. The one-by-one path below is the
reference (it is how a case entered by hand is saved); the import must never drift from it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from amparo.cases.models import Case, CaseEvent, CaseType, Hearing, Stage
from amparo.cases.services import case_create, case_event_record
from amparo.conflicts.models import ConflictHit, PartyNameToken
from amparo.conflicts.tasks import conflict_check_cases
from amparo.core.crypto import format_a_number
from amparo.core.models import AuditEvent
from amparo.deadlines.models import CaseDeadline, CaseFlag, Milestone
from amparo.deadlines.services import case_deadlines_recompute, hearing_add
from amparo.intake.imports import case_import_save, case_import_validate
from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening
from amparo.intake.services import adverse_party_add, client_create, family_member_add
from tests.factories import AdversePartyFactory, CaseFactory, ClientFactory
from tests.intake.test_import import TODAY, case_row, csv_bytes, u_visa_row

# Every model an import writes to (directly or through its background conflict check).
MODELS: tuple[type[models.Model], ...] = (
    Client,
    FamilyMember,
    AdverseParty,
    Case,
    Screening,
    Hearing,
    CaseDeadline,
    CaseFlag,
    Milestone,
    CaseEvent,
    AuditEvent,
    PartyNameToken,
    ConflictHit,
)
FAMILY_MEMBER_ID = re.compile(r"(family:|Family member |El familiar )(\d+)")
PARTY_MODELS = {"client": Client, "family_member": FamilyMember, "adverse_party": AdverseParty}


def varied_rows() -> list[dict[str, str]]:
    """Rows that reach every branch of the save: hearings of both kinds, children, adverse
    parties, detained and unaccompanied clients, a case without a court, and names that match
    each other and a person already on record (conflict hits)."""
    soon = TODAY + dt.timedelta(days=12)
    while soon.weekday() >= 5:
        soon += dt.timedelta(days=1)
    return [
        case_row(),
        u_visa_row(adverse_party_name="Rosa Amelia Quintanilla Ayala"),
        case_row(
            client_given_names="Wilmer",
            client_family_names="Ejemplo Prueba",
            a_number="A-300-000-001",
            date_of_birth=(TODAY - dt.timedelta(days=365 * 16)).isoformat(),
            is_unaccompanied_child="yes",
            detained="yes",
            next_hearing_kind="master",
            next_hearing_at=f"{soon.isoformat()} 08:30",
            court_code="NYC",
            children="",
            adverse_party_name="Mara Salvatrucha",
        ),
        case_row(
            client_given_names="Yesenia",
            client_family_names="Muestra Pérez",
            a_number="",
            case_type="affirmative_asylum",
            court_code="",
            next_hearing_kind="",
            next_hearing_at="",
            last_arrival=(TODAY - dt.timedelta(days=400)).isoformat(),
            children="Kevin Muestra 2019-03-04",
        ),
        case_row(
            client_given_names="Dania",
            client_family_names="Inventado Cruz",
            a_number="A-300-000-002",
            date_of_birth="",
            languages="",
            phone="",
            court_code="SFR",
            last_arrival="",
            children="",
        ),
    ]


def reference_save(rows: list[Any], *, actor: Any, organization: Any, import_id: str) -> list[Case]:
    """Each row through the intake services, one at a time (the import's original save)."""
    cases = []
    for row in rows:
        client = client_create(
            actor=actor,
            given_names=row.given_names,
            family_names=row.family_names,
            country_of_nationality=row.country_of_nationality,
            a_number=format_a_number(row.a_number) if row.a_number else "",
            date_of_birth=row.date_of_birth,
            languages=row.languages,
            phone=row.phone,
        )
        for child in row.children:
            family_member_add(
                client=client,
                relationship=FamilyMember.Relationship.CHILD,
                given_names=child.given_names,
                family_names=child.family_names,
                date_of_birth=child.date_of_birth,
            )
        if row.adverse_party_name:
            kind = (
                AdverseParty.Kind.PERPETRATOR
                if row.case_type == CaseType.U_VISA
                else AdverseParty.Kind.PERSECUTOR
            )
            adverse_party_add(client=client, kind=kind, name=row.adverse_party_name)
        case = case_create(
            actor=actor,
            client=client,
            case_type=row.case_type,
            placing_organization=organization,
            stage=Stage.INTAKE,
            court=row.court,
            detained=row.detained,
            is_unaccompanied_child=row.is_unaccompanied_child,
            last_arrival=row.last_arrival,
            supplement_b_signed=row.supplement_b_signed,
            languages=row.languages,
        )
        Screening.objects.create(case=case)
        if row.hearing_at is not None:
            hearing_add(case=case, actor=actor, kind=row.hearing_kind, starts_at=row.hearing_at)
        else:
            case_deadlines_recompute(case=case)
        case_event_record(
            case=case,
            kind=CaseEvent.Kind.IMPORTED,
            actor=actor,
            data={"row": row.row, "import_id": import_id},
        )
        cases.append(case)
    return cases


class _Rollback(Exception):
    pass


def snapshot(baseline: dict[str, int]) -> dict[str, list[Any]]:
    """Every row written since `baseline` (the highest id of each model before), in id order,
    with the ids of new rows replaced by their position ('client#0') so that two runs compare.
    Timestamps set by the clock and the import's random id are left out."""
    new_rows = {
        model._meta.label_lower: list(
            model.objects.filter(pk__gt=baseline[model._meta.label_lower]).order_by("pk")
        )
        for model in MODELS
    }
    labels: dict[tuple[str, Any], str] = {}
    for label, rows in new_rows.items():
        for position, row in enumerate(rows):
            labels[(label, row.pk)] = f"{label}#{position}"
            labels[(label, str(row.pk))] = f"{label}#{position}"

    def name(label: str, pk: Any) -> Any:
        return labels.get((label, pk), pk)

    result: dict[str, list[Any]] = {}
    for label, rows in new_rows.items():
        described = []
        for row in rows:
            values: dict[str, Any] = {}
            for field in row._meta.concrete_fields:
                if field.primary_key or getattr(field, "auto_now", False):
                    continue
                if getattr(field, "auto_now_add", False):
                    continue
                value = getattr(row, field.attname)
                if field.is_relation and field.related_model is not None:
                    value = name(field.related_model._meta.label_lower, value)
                values[field.name] = value
            for key, value in list(values.items()):
                if isinstance(value, str):
                    # Deadlines and flags name a family member by id (rules/common.py).
                    values[key] = FAMILY_MEMBER_ID.sub(
                        lambda m: m[1] + name("intake.familymember", int(m[2])), value
                    )
            if label == "core.auditevent":
                values["object_id"] = name(values["object_type"], values["object_id"])
                if "hearing_added" in values["data"]:
                    hearing = name("cases.hearing", values["data"]["hearing_added"])
                    values["data"] = {**values["data"], "hearing_added": hearing}
            if label == "cases.caseevent" and "import_id" in values["data"]:
                values["data"] = {**values["data"], "import_id": "<import>"}
            for prefix in ("party", "subject", "matched"):
                kind = values.get(f"{prefix}_type")
                if kind in PARTY_MODELS:
                    model_label = PARTY_MODELS[kind]._meta.label_lower
                    values[f"{prefix}_id"] = name(model_label, values[f"{prefix}_id"])
            if "client_id" in values and label == "conflicts.partynametoken":
                values["client_id"] = name("intake.client", values["client_id"])
            described.append(values)
        if label in ("conflicts.partynametoken", "conflicts.conflicthit"):
            # Re-indexing deletes and rewrites tokens: their order is not part of the outcome.
            described.sort(key=repr)
        result[label] = described
    return result


def highest_ids() -> dict[str, int]:
    return {
        model._meta.label_lower: model.objects.aggregate(top=models.Max("pk"))["top"] or 0
        for model in MODELS
    }


@pytest.mark.django_db(transaction=False)
def test_import_save_writes_what_saving_each_row_through_the_services_writes(personas):
    # Already on record: a client whose name an imported adverse party shares.
    existing = CaseFactory(client=ClientFactory(given_names="Ernesto", family_names="Malvado"))
    AdversePartyFactory(client=existing.client, name="Persona Cualquiera")
    actor, organization = personas.partner, personas.partner.organization
    content = csv_bytes(varied_rows())
    rows = case_import_validate(content=content, filename="cases.csv").rows
    assert len(rows) == 5
    baseline = highest_ids()

    expected: dict[str, list[Any]] = {}
    try:
        with transaction.atomic():
            cases = reference_save(rows, actor=actor, organization=organization, import_id="x")
            conflict_check_cases.call_local([c.pk for c in cases], actor.pk)
            expected = snapshot(baseline)
            raise _Rollback
    except _Rollback:
        pass
    assert highest_ids() == baseline or connection.vendor == "postgresql"

    # The import's conflict check runs once the rows are committed (here: at the callback).
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        imported = case_import_save(
            actor=actor, organization=organization, content=content, filename="cases.csv"
        )
    actual = snapshot(baseline)

    assert len(imported) == 5
    assert [c.code for c in imported] == [row["code"] for row in expected["cases.case"]]
    # Sanity: the reference wrote something of every kind the comparison relies on.
    for label in ("cases.hearing", "deadlines.casedeadline", "deadlines.caseflag"):
        assert expected[label], label
    assert expected["conflicts.conflicthit"] and expected["conflicts.partynametoken"]
    for label in expected:
        assert actual[label] == expected[label], label


def _rows(count: int) -> bytes:
    return csv_bytes(
        [
            case_row(a_number=f"{310000000 + i}", client_given_names=f"Persona {i}")
            if i % 2
            else u_visa_row(a_number=f"{310000000 + i}", client_given_names=f"Persona {i}")
            for i in range(count)
        ]
    )


def test_import_save_queries_do_not_grow_with_rows(personas):
    actor, organization = personas.partner, personas.partner.organization

    def queries_for(count: int) -> tuple[list[str], list[str]]:
        content = _rows(count)
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            case_import_save(
                actor=actor, organization=organization, content=content, filename="c.csv"
            )
            transaction.set_rollback(True)
        statements = [query["sql"] for query in captured.captured_queries]
        inserts = [sql.split(" (")[0] for sql in statements if sql.startswith("INSERT")]
        return [sql for sql in statements if not sql.startswith("INSERT")], inserts

    few, few_inserts = queries_for(5)
    many, many_inserts = queries_for(50)
    assert len(many) == len(few), "\n".join(many)
    # One bulk INSERT per kind of record; SQLite's limit of 999 parameters per statement splits
    # the wide ones (cases: about 20 rows per statement). Row by row would be hundreds more.
    assert set(many_inserts) == set(few_inserts)
    assert len(many_inserts) <= len(few_inserts) + 6, many_inserts
