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

from amparo.cases.models import Case, CaseCodeCounter, Hearing
from amparo.cases.placement import board_card_fill
from amparo.cases.services import case_code_next


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
    """Save new cases (codes already given) as bulk_create does, and give each its id: on
    PostgreSQL reserved first (records_insert_with_ids), on SQLite read back by the cases'
    unique codes after plain INSERTs (records_insert)."""
    database = router.db_for_write(Case)
    if connections[database].vendor == "postgresql":
        records_insert_with_ids(Case, cases)
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


def records_insert_with_ids(model: type[models.Model], records: Sequence[Any]) -> None:
    """bulk_create, giving each record its id. On PostgreSQL the ids are taken from the table's
    sequence first, in order (as the INSERT would take them), and the rows sent with a COPY
    (see records_insert)."""
    if not records:
        return
    database = router.db_for_write(model)
    connection = connections[database]
    if connection.vendor != "postgresql":
        model._base_manager.using(database).bulk_create(records)
        return
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(records)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for record, record_id in zip(records, ids, strict=True):
        record.pk = record_id
    _copy(connection, model, records, list(model._meta.concrete_fields))
    for record in records:
        record._state.adding = False
        record._state.db = database


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
        board_card_fill(
            case=case, hearings=case_hearings, next_deadline=next_deadline, today=today, now=now
        )


def records_insert(model: type[models.Model], records: Sequence[Any]) -> None:
    """INSERT new records whose ids nobody reads back (events, audit entries, deadlines...):
    what bulk_create writes. On PostgreSQL a COPY. Where the backend limits the parameters of a
    statement (SQLite: 999), bulk_create splits the records into statements of a few rows and compiles every value
    into SQL, which costs more than the insert itself: there the values are prepared as the ORM
    prepares them (auto_now_add, encryption, JSON) and sent in plain multi-row INSERTs. Like
    bulk_create: no signals, no save(); foreign keys must already hold the saved records' ids."""
    if not records:
        return
    database = router.db_for_write(model)
    connection = connections[database]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    if connection.vendor == "postgresql":
        _copy(connection, model, records, fields)
        return
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


def _copy(
    connection: Any, model: type[models.Model], records: Sequence[Any], fields: list[Any]
) -> None:
    """COPY the records' fields (values prepared as the ORM prepares them) into the table:
    bulk_create's INSERT ... UNNEST has every value quoted into the SQL text by psycopg's
    client-side binding, which costs more than the insert itself."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for record in records:
            copy.write_row(
                [
                    field.get_db_prep_save(field.pre_save(record, True), connection)
                    for field in fields
                ]
            )
