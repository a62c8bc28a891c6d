"""Free text that can hold a client's or a third party's personal data is encrypted at rest.

The fields a review found in clear (an attorney's declared conflicts, a screening's reason,
hearing notes, the other party's filings' descriptions, a mentoring draft's note and original
file name) now use the encrypted fields of amparo/core/fields.py: the column holds a Fernet
token, the program reads the clear value. Their migrations encrypt the values already stored
(and decrypt them when reversed), leaving alone a value that is a token already.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from amparo.cases.models import Hearing, OpposingFiling
from amparo.core import crypto
from amparo.core.fields import EncryptedCharField, EncryptedTextField, encrypted_fields
from amparo.deadlines.services import opposing_filing_add
from amparo.intake.models import Screening
from amparo.mentoring_work.models import Draft, PlanMilestone
from amparo.mentoring_work.services import draft_upload
from tests.factories import (
    AttorneyProfileFactory,
    HearingFactory,
    MentorProfileFactory,
    UserFactory,
)
from tests.mentoring_work.conftest import make_mentorship, pdf_upload

#: (model, field, the encrypted field class it must be) of every field the review listed.
LISTED: list[tuple[str, str, type[models.Field]]] = [
    ("people.AttorneyProfile", "declared_conflicts", EncryptedTextField),
    ("intake.Screening", "reason", EncryptedTextField),
    ("cases.Hearing", "notes", EncryptedTextField),
    ("cases.OpposingFiling", "description", EncryptedCharField),
    ("mentoring_work.Draft", "note", EncryptedTextField),
    ("mentoring_work.Draft", "original_name", EncryptedCharField),
]


def raw_value(model: type[models.Model], pk: Any, field_name: str) -> Any:
    """The column as the database stores it (no field conversion)."""
    quote = connection.ops.quote_name
    field = model._meta.get_field(field_name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def assert_encrypted(label: str, pk: Any, field_name: str, clear: str) -> None:
    model = apps.get_model(label)
    stored = raw_value(model, pk, field_name)
    assert stored != clear, f"{label}.{field_name} is stored in clear"
    assert clear not in stored
    assert crypto.decrypt_text(stored) == clear
    assert getattr(model._base_manager.get(pk=pk), field_name) == clear


def _mentorship_milestone(personas: Any) -> PlanMilestone:
    """An active mentorship on the placed case, with one milestone of its own (not from the plan
    templates, which a transactional test may find flushed)."""
    MentorProfileFactory(user=personas.mentor, hourly_rate=Decimal("120.00"))
    mentorship = make_mentorship(
        case=personas.placed_case, mentor=personas.mentor, mentee=personas.attorney
    )
    return PlanMilestone.objects.create(
        mentorship=mentorship, order=1, title_en="Declaration", title_es="Declaración"
    )


# --- every listed field is encrypted ---------------------------------------------------------


@pytest.mark.parametrize(("label", "field_name", "field_class"), LISTED)
def test_listed_field_uses_an_encrypted_field(label, field_name, field_class):
    model = apps.get_model(label)
    field = model._meta.get_field(field_name)
    assert type(field) is field_class
    assert field in encrypted_fields(model)  # so rotate_keys and the backup check see it


def test_listed_fields_are_stored_encrypted_as_the_program_writes_them(
    personas, django_capture_on_commit_callbacks
):
    conflicts = "Ernesto Malvado\nSeguridad Privada Tolteca S.A."
    profile = AttorneyProfileFactory(declared_conflicts=conflicts)
    reason = "Rosa Quintanilla has a lawyer already (Centro Legal)."
    screening = Screening.objects.create(case=personas.intake_case, reason=reason)
    notes = "Rosa will testify about the threats of March 2019; interpreter for Mam."
    hearing = HearingFactory(case=personas.placed_case, notes=notes)
    description = "DHS brief: Rosa Quintanilla's declaration is not credible"
    filing = opposing_filing_add(
        case=personas.placed_case,
        actor=personas.coordinator,
        received_on=dt.date(2026, 3, 2),
        description=description,
    )
    milestone = _mentorship_milestone(personas)
    note = "Rosa's chronology, with the dates she gave the asylum officer."
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_upload(
            milestone=milestone,
            actor=personas.attorney,
            file=pdf_upload("Declaración Rosa Quintanilla.pdf"),
            note=note,
        )

    assert_encrypted("people.AttorneyProfile", profile.pk, "declared_conflicts", conflicts)
    assert_encrypted("intake.Screening", screening.pk, "reason", reason)
    assert_encrypted("cases.Hearing", hearing.pk, "notes", notes)
    assert_encrypted("cases.OpposingFiling", filing.pk, "description", description)
    assert_encrypted("mentoring_work.Draft", draft.pk, "note", note)
    assert_encrypted(
        "mentoring_work.Draft", draft.pk, "original_name", "Declaración Rosa Quintanilla.pdf"
    )
    # Empty stays empty (the retention purge and the conflict index exclude empty values).
    empty = HearingFactory(case=personas.placed_case)
    assert raw_value(Hearing, empty.pk, "notes") == ""
    assert Hearing.objects.filter(case=personas.placed_case).exclude(notes="").get() == hearing


def test_encrypted_char_fields_keep_their_length_limit(personas):
    """The column is text, so the limit of the clear value is kept by a validator."""
    filing = OpposingFiling(case=personas.placed_case, received_on=dt.date(2026, 3, 2))
    filing.description = "x" * 200
    filing.full_clean()
    filing.description = "x" * 201
    with pytest.raises(ValidationError) as error:
        filing.full_clean()
    assert "description" in error.value.message_dict
    assert Draft._meta.get_field("original_name").validators[-1].limit_value == 255


# --- the migrations encrypt what is already stored -------------------------------------------


@dataclass
class Row:
    label: str
    pk: Any
    field: str
    clear: str


@dataclass
class Scenario:
    """One app's encryption migration: rows written now (`seed`, encrypted), and rows written
    in clear through the historical model of the state before the migration (`insert_old`)."""

    migration: tuple[str, str]
    seed: Callable[[Any], tuple[list[Row], dict[str, Any]]]
    insert_old: Callable[[Any, dict[str, Any]], list[Row]]


def _people_seed(personas: Any) -> tuple[list[Row], dict[str, Any]]:
    profile = AttorneyProfileFactory(declared_conflicts="Ernesto Malvado\nAcme Security LLC")
    rows = [
        Row(
            "people.AttorneyProfile",
            profile.pk,
            "declared_conflicts",
            "Ernesto Malvado\nAcme Security LLC",
        )
    ]
    return rows, {"user": UserFactory()}


def _people_insert(old_apps: Any, context: dict[str, Any]) -> list[Row]:
    profile = old_apps.get_model("people", "AttorneyProfile").objects.create(
        user_id=context["user"].pk, declared_conflicts="Rosa Quintanilla Ayala"
    )
    return [
        Row("people.AttorneyProfile", profile.pk, "declared_conflicts", "Rosa Quintanilla Ayala")
    ]


def _intake_seed(personas: Any) -> tuple[list[Row], dict[str, Any]]:
    screening = Screening.objects.create(case=personas.intake_case, reason="Has a lawyer already.")
    return [Row("intake.Screening", screening.pk, "reason", "Has a lawyer already.")], {
        "case": personas.ready_case
    }


def _intake_insert(old_apps: Any, context: dict[str, Any]) -> list[Row]:
    screening = old_apps.get_model("intake", "Screening").objects.create(
        case_id=context["case"].pk, decision="decline", reason="Rosa moved back to Guatemala."
    )
    return [Row("intake.Screening", screening.pk, "reason", "Rosa moved back to Guatemala.")]


def _cases_seed(personas: Any) -> tuple[list[Row], dict[str, Any]]:
    case = personas.placed_case
    hearing = HearingFactory(case=case, notes="Rosa testifies; Mam interpreter booked.")
    filing = OpposingFiling.objects.create(
        case=case, received_on=dt.date(2026, 3, 2), description="DHS pre-hearing brief"
    )
    HearingFactory(case=case)  # no notes: stays empty
    return [
        Row("cases.Hearing", hearing.pk, "notes", "Rosa testifies; Mam interpreter booked."),
        Row("cases.OpposingFiling", filing.pk, "description", "DHS pre-hearing brief"),
    ], {"case": case}


def _cases_insert(old_apps: Any, context: dict[str, Any]) -> list[Row]:
    hearing = old_apps.get_model("cases", "Hearing").objects.create(
        case_id=context["case"].pk,
        kind="individual",
        starts_at=timezone.now() + dt.timedelta(days=30),
        notes="Ernesto Malvado may attend.",
    )
    filing = old_apps.get_model("cases", "OpposingFiling").objects.create(
        case_id=context["case"].pk,
        received_on=dt.date(2026, 4, 1),
        description="Motion to pretermit Rosa Quintanilla's application",
    )
    return [
        Row("cases.Hearing", hearing.pk, "notes", "Ernesto Malvado may attend."),
        Row(
            "cases.OpposingFiling",
            filing.pk,
            "description",
            "Motion to pretermit Rosa Quintanilla's application",
        ),
    ]


def _mentoring_work_seed(personas: Any) -> tuple[list[Row], dict[str, Any]]:
    milestone = _mentorship_milestone(personas)
    draft = draft_upload(
        milestone=milestone,
        actor=personas.attorney,
        file=pdf_upload("Rosa Quintanilla declaration.pdf"),
        note="First pass at the chronology.",
    )
    return [
        Row("mentoring_work.Draft", draft.pk, "note", "First pass at the chronology."),
        Row("mentoring_work.Draft", draft.pk, "original_name", "Rosa Quintanilla declaration.pdf"),
    ], {"draft": draft}


def _mentoring_work_insert(old_apps: Any, context: dict[str, Any]) -> list[Row]:
    first = context["draft"]
    draft = old_apps.get_model("mentoring_work", "Draft").objects.create(
        milestone_id=first.milestone_id,
        number=2,
        file=first.file.name,
        original_name="Declaración de Rosa v2.pdf",
        file_type="pdf",
        size=first.size,
        sha256=first.sha256,
        note="",
        uploaded_by_id=first.uploaded_by_id,
    )
    return [Row("mentoring_work.Draft", draft.pk, "original_name", "Declaración de Rosa v2.pdf")]


SCENARIOS = {
    "people": Scenario(
        ("people", "0004_encrypt_attorney_declared_conflicts"), _people_seed, _people_insert
    ),
    "intake": Scenario(("intake", "0004_encrypt_screening_reason"), _intake_seed, _intake_insert),
    "cases": Scenario(
        ("cases", "0009_encrypt_hearing_notes_and_filing_description"), _cases_seed, _cases_insert
    ),
    "mentoring_work": Scenario(
        ("mentoring_work", "0003_encrypt_draft_note_and_original_name"),
        _mentoring_work_seed,
        _mentoring_work_insert,
    ),
}


def _previous(executor: MigrationExecutor, migration: tuple[str, str]) -> tuple[str, str]:
    parents = [
        parent.key
        for parent in executor.loader.graph.node_map[migration].parents
        if parent.key[0] == migration[0]
    ]
    assert len(parents) == 1, parents
    return parents[0]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied set changed
    return executor


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app", sorted(SCENARIOS))
def test_migration_encrypts_existing_values_and_reverses(app, personas):
    scenario = SCENARIOS[app]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    previous = _previous(executor, scenario.migration)
    seeded, context = scenario.seed(personas)
    try:
        # Backward: the values come back in clear, in a column of the old type.
        executor = _migrate([previous])
        for row in seeded:
            assert raw_value(apps.get_model(row.label), row.pk, row.field) == row.clear
        old_apps = executor.loader.project_state([previous]).apps
        # Rows written in clear before the migration, as the program wrote them then...
        inserted = scenario.insert_old(old_apps, context)
        # ... and a value a first, interrupted run had already encrypted (it must not be
        # encrypted twice).
        done = seeded[0]
        old_model = old_apps.get_model(done.label)
        old_model._base_manager.filter(pk=done.pk).update(
            **{done.field: crypto.encrypt_text(done.clear)}
        )

        # Forward: every value is a token that reads back as the clear text.
        _migrate(leaves)
        for row in [*seeded, *inserted]:
            assert_encrypted(row.label, row.pk, row.field, row.clear)
    finally:
        _migrate(leaves)
