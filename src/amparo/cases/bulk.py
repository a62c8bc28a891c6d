"""Case writes for many new cases at once (the bulk import, intake/imports.py): the same outcome
as `case_code_next` called once per case and `case_board_refresh` run after each case's
deadlines, in a fixed number of queries instead of a few per case (the card facts are set
before the cases are inserted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models import F
from django.utils import timezone

from amparo.cases.domain.urgency import UrgencyFacts, age_band, urgency_score
from amparo.cases.models import Case, CaseCodeCounter, Hearing, Stage
from amparo.cases.placement import _age
from amparo.cases.services import case_code_next

_ROWS_PER_INSERT = 1000


def case_codes_reserve(*, year: int, count: int) -> list[str]:
    """`count` consecutive case codes, as `case_code_next` would give them one after the other.

    Call inside the transaction that saves the cases: the first code comes from
    `case_code_next` (which creates the year's counter if needed and locks its row), the rest
    are taken by moving the locked counter on in one update."""
    if count <= 0:
        return []
    first = case_code_next(year=year)
    prefix, _dash, number = first.rpartition("-")
    if count > 1:
        CaseCodeCounter.objects.filter(year=year).update(last_number=F("last_number") + count - 1)
    start = int(number)
    return [f"{prefix}-{n:04d}" for n in range(start, start + count)]


def cases_insert(cases: Sequence[Case]) -> None:
    """Save new cases (codes already given) as bulk_create does, and give each its id: where
    records_insert writes plain INSERTs, the ids are read back by the cases' unique codes."""
    database = router.db_for_write(Case)
    if not _limits_parameters(connections[database]):
        Case.objects.using(database).bulk_create(cases, batch_size=_ROWS_PER_INSERT)
        return
    records_insert(Case, cases)
    ids = dict(
        Case.objects.using(database)
        .filter(code__in=[case.code for case in cases])
        .values_list("code", "pk")
    )
    for case in cases:
        case.pk = ids[case.code]
        case._state.adding = False
        case._state.db = database


def cases_board_fill(
    *,
    cases: Sequence[Case],
    hearings: Sequence[list[Hearing]],
    next_deadlines: Sequence[dt.date | None],
    today: dt.date,
) -> None:
    """Set the card facts `case_board_refresh` would write on new cases not yet inserted, so the
    INSERT carries them (no UPDATE per case afterwards). `hearings[i]` holds `cases[i]`'s
    hearings (not saved either), the clients' family members are prefetched; `next_deadlines[i]` is `cases[i]`'s next open URGENT_RULES deadline
    (from today), which the caller knows from the deadlines it computed."""
    now = timezone.now()
    for case, case_hearings, next_deadline in zip(cases, hearings, next_deadlines, strict=True):
        client = case.client
        upcoming = [
            h
            for h in case_hearings
            if h.status == Hearing.Status.SCHEDULED and timezone.localdate(h.starts_at) >= today
        ]
        next_hearing = min((timezone.localdate(h.starts_at) for h in upcoming), default=None)
        children = [m for m in client.family_members.all() if m.relationship == "child"]
        client_age = _age(client.date_of_birth, today)
        # Not inserted yet: created_at is the insert's time, i.e. now.
        waiting_since = case.ready_at or case.created_at or now
        result = urgency_score(
            UrgencyFacts(
                days_to_next_hearing=(next_hearing - today).days if next_hearing else None,
                days_to_next_filing_deadline=(next_deadline - today).days
                if next_deadline
                else None,
                detained=case.detained,
                children_involved=bool(children) or (client_age is not None and client_age < 18),
                unaccompanied_child=case.is_unaccompanied_child,
                days_waiting=max(0, (now - waiting_since).days) if case.stage == Stage.READY else 0,
            )
        )
        case.urgency = result.score
        case.urgency_factors = [
            {"factor": f.factor, "points": f.points, "en": f.en, "es": f.es} for f in result.factors
        ]
        case.client_age_band = age_band(client_age)
        case.has_children = bool(children) or (client_age is not None and client_age < 18)
        codes = case.languages or client.languages or []
        case.board_languages = "".join(f",{code}" for code in codes) + "," if codes else ""
        case.next_hearing_on = next_hearing


def records_insert(model: type[models.Model], records: Sequence[Any]) -> None:
    """INSERT new records whose ids nobody reads back (events, audit entries, deadlines...):
    what bulk_create writes. Where the backend limits the parameters of a statement (SQLite:
    999), bulk_create splits the records into statements of a few rows and compiles every value
    into SQL, which costs more than the insert itself: there the values are prepared as the ORM
    prepares them (auto_now_add, encryption, JSON) and sent in plain multi-row INSERTs. Like
    bulk_create: no signals, no save(); foreign keys must already hold the saved records' ids."""
    if not records:
        return
    database = router.db_for_write(model)
    connection = connections[database]
    if not _limits_parameters(connection):
        # PostgreSQL: bulk_create sends each batch as one INSERT ... SELECT FROM UNNEST with an
        # array per column, already cheap to build.
        model._base_manager.using(database).bulk_create(records, batch_size=_ROWS_PER_INSERT)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # As many rows per statement as the backend takes parameters.
    batch = max(1, connection.ops.bulk_batch_size(fields, records))
    with connection.cursor() as cursor:
        for start in range(0, len(records), batch):
            chunk = records[start : start + batch]
            params = [
                field.get_db_prep_save(field.pre_save(record, True), connection)
                for record in chunk
                for field in fields
            ]
            # Table and column names come from the model; the values are bound parameters.
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
            cursor.execute(sql + ", ".join([row] * len(chunk)), params)


def _limits_parameters(connection: Any) -> bool:
    return connection.features.max_query_params is not None
