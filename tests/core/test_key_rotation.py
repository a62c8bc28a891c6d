"""Key rotation on a populated database loses nothing (issue: encryption and keys).

The program is filled by `manage.py demo_data`, case documents are uploaded, and the rows demo
data leaves out are added, so that every encrypted column holds values. Encrypted columns are
found by walking every model's fields for the field classes of amparo/core/fields.py: a new
encrypted field, or a new model with one, is covered without touching this file (and the test
says so when a model with encrypted fields has no row to prove it on).

Then a new key goes first in AMPARO_FIELD_KEYS, `rotate_keys` runs, the old keys are dropped,
and every value and every file must read back the same, re-encrypted under the new key alone,
while searches (blind indexes) find the same people as before.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse

from amparo.accounts.models import User
from amparo.cases.models import Case, Hearing, Stage
from amparo.conflicts.models import ConflictHit, PartyType
from amparo.conflicts.services import conflict_hit_resolve
from amparo.conflicts.services.indexing import Person
from amparo.conflicts.services.search import find_matches
from amparo.core import crypto
from amparo.core import fields as encrypted_field_module
from amparo.core.crypto import DecryptionError
from amparo.core.fields import encrypted_fields
from amparo.core.models import AuditEvent
from amparo.core.storage import MAGIC, EncryptedFileSystemStorage
from amparo.deadlines.feeds import calendar_feed_get_or_create
from amparo.deadlines.services import opposing_filing_add
from amparo.intake.import_jobs import case_import_job_start
from amparo.intake.models import AdverseParty, Client, FamilyMember, Screening
from amparo.intake.selectors import client_find_by_a_number
from amparo.intake.services import family_member_add
from amparo.mentoring.models import MentoringMeeting, Mentorship
from amparo.mentoring_work.models import MentorshipFeedback
from amparo.public.models import NewsletterSubscriber
from amparo.public.services import (
    subscriber_email_index,
    subscriber_get_for_unsubscribe,
    subscriber_unsubscribe_token,
)
from amparo.workspace import services as workspace_services
from amparo.workspace.models import HearingOutcome
from tests.factories import NewsletterSubscriberFactory, PartnerInquiryFactory

PDF = b"%PDF-1.4\n% Declaration of the respondent, page 1\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LEGACY_FILE = "legacy/written-before-encryption.txt"


# --- what is encrypted -------------------------------------------------------------------------


def encrypted_field_classes() -> tuple[type[models.Field], ...]:
    """Every model field class defined in amparo/core/fields.py (all of them encrypt)."""
    return tuple(
        value
        for value in vars(encrypted_field_module).values()
        if isinstance(value, type)
        and issubclass(value, models.Field)
        and value.__module__ == encrypted_field_module.__name__
    )


def encrypted_columns() -> dict[type[models.Model], list[models.Field]]:
    """{model: its encrypted fields} for every concrete model with one (proxies share a table)."""
    classes = encrypted_field_classes()
    found: dict[type[models.Model], list[models.Field]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, classes)]
        if fields:
            found[model] = fields
    return found


def _raw_rows(model: type[models.Model], columns: list[str]) -> list[tuple[Any, ...]]:
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    selected = ", ".join([pk, *(quote(c) for c in columns)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM {quote(model._meta.db_table)} ORDER BY {pk}")
        return cursor.fetchall()


def clear_values() -> dict[tuple[str, Any, str], Any]:
    """{(model, pk, field): the decrypted value} of every encrypted column of every row."""
    values: dict[tuple[str, Any, str], Any] = {}
    for model, fields in encrypted_columns().items():
        names = [f.name for f in fields]
        for pk, *row in model._base_manager.order_by("pk").values_list("pk", *names):
            for name, value in zip(names, row, strict=True):
                values[(model._meta.label, pk, name)] = value
    return values


def stored_tokens() -> dict[tuple[str, Any, str], str]:
    """{(model, pk, field): the token in the database} of every non-empty encrypted value."""
    tokens: dict[tuple[str, Any, str], str] = {}
    for model, fields in encrypted_columns().items():
        for pk, *row in _raw_rows(model, [f.column for f in fields]):
            for field, token in zip(fields, row, strict=True):
                if token:
                    tokens[(model._meta.label, pk, field.name)] = token
    return tokens


def other_columns() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, encrypted columns left out: what rotation must not touch."""
    encrypted = {
        (model._meta.db_table, f.column)
        for model, fields in encrypted_columns().items()
        for f in fields
    }
    quote = connection.ops.quote_name
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
                if (table, column.name) not in encrypted
            ]
            selected = ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT {selected} FROM {quote(table)}")
            snapshot[table] = sorted(cursor.fetchall(), key=repr)
    return snapshot


def stored_files() -> dict[str, tuple[bytes, bytes]]:
    """{name in the storage: (clear bytes as the program reads them, bytes on disk)}."""
    storage = default_storage
    root = Path(storage.location)
    files: dict[str, tuple[bytes, bytes]] = {}
    for path in storage.stored_files():
        name = str(Path(path).relative_to(root))
        with storage.open(name, "rb") as handle:
            files[name] = (handle.read(), Path(path).read_bytes())
    return files


def referenced_files() -> Iterator[tuple[str, str]]:
    """(model.field, stored name) of every FileField value of every row."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.FileField):
                for name in model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                ):
                    if name:
                        yield f"{model._meta.label}.{field.name}", name


def personal_data_in_clear() -> list[tuple[str, str]]:
    """(table, value) for each client's, family member's or adverse party's name, A-number,
    phone or address found in a column that is not encrypted (a JSON detail, a label, a log)."""
    secrets: set[str] = set()
    for person in [*Client.objects.all(), *FamilyMember.objects.all()]:
        secrets.add(person.full_name)
        if person.a_number:
            digits = crypto.normalize_a_number(person.a_number)
            secrets.update({person.a_number, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"})
        secrets.update(v for v in (person.phone, person.address) if len(v) >= 8)
    for party in AdverseParty.objects.all():
        secrets.update(v for v in (party.name, party.phone, party.address) if len(v) >= 8)
    found: list[tuple[str, str]] = []
    for table, rows in other_columns().items():
        cells = {cell for row in rows for cell in row if isinstance(cell, str) and len(cell) >= 8}
        text = "\n".join(cells)
        found += [(table, secret) for secret in sorted(secrets) if secret in text]
    return found


# --- what searches find ------------------------------------------------------------------------


def search_results() -> dict[str, Any]:
    """What the blind indexes answer: A-number lookups, conflict searches, newsletter addresses
    and calendar-feed tokens."""
    results: dict[str, Any] = {}
    for client in Client.objects.exclude(a_number="").order_by("pk"):
        results[f"a_number {client.pk}"] = sorted(
            client_find_by_a_number(a_number=client.a_number).values_list("pk", flat=True)
        )
    for member in FamilyMember.objects.exclude(a_number="").order_by("pk"):
        results[f"family a_number {member.pk}"] = sorted(
            FamilyMember.objects.filter(
                a_number_index=crypto.a_number_index(member.a_number)
            ).values_list("pk", flat=True)
        )
    # Conflict searches: each party's own name, from a case of another client, finds the party.
    cases = list(Case.objects.order_by("pk")[:2])
    probes = [
        (PartyType.CLIENT, client.pk, client.full_name, client.pk)
        for client in Client.objects.order_by("pk")
    ] + [
        (PartyType.ADVERSE_PARTY, party.pk, party.name, party.client_id)
        for party in AdverseParty.objects.order_by("pk")
    ]
    for party_type, party_id, name, client_id in probes:
        case = cases[0] if cases[0].client_id != client_id else cases[1]
        found, _context = find_matches(case, [Person(party_type, 0, "probe", name)])
        results[f"conflicts {party_type} {party_id}"] = sorted(
            (f.party, round(f.result.score, 6)) for f in found
        )
    for subscriber in NewsletterSubscriber.objects.order_by("pk"):
        results[f"subscriber {subscriber.pk}"] = [
            NewsletterSubscriber.objects.get(
                email_index=subscriber_email_index(subscriber.email)
            ).pk,
            subscriber_get_for_unsubscribe(token=subscriber_unsubscribe_token(subscriber)).pk,
        ]
    return results


# --- the populated program ---------------------------------------------------------------------


def _upload_documents(attorney: User, mentor: User) -> None:
    """Case documents in versions, with a note and a mentor's comment, through the service."""
    for case in Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED)[:2]:
        document = workspace_services.case_document_create(
            case=case,
            actor=attorney,
            title=f"Declaration of {case.client.full_name}",
            kind="draft",
            file=SimpleUploadedFile(f"{case.client.family_names}.pdf", PDF + case.code.encode()),
            note="First draft, from the interview with the interpreter.",
        )
        version = workspace_services.case_document_version_add(
            document=document,
            actor=attorney,
            file=SimpleUploadedFile("scan.png", PNG + case.code.encode()),
            note="The signed page, scanned.",
        )
        workspace_services.document_comment_add(
            version=version, author=mentor, body="Add the dates of the threats."
        )


def _add_rows_demo_data_leaves_out(coordinator: User, attorney: User) -> None:
    """One row, written as the program writes it, of each model with encrypted fields that the
    demo leaves empty."""
    placed = Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED).order_by("pk")
    # A withdrawal, approved: the request, the coordinator's note, the hand-off packet and the
    # placement's end reason.
    leaving = placed.last()
    assert leaving is not None
    request = workspace_services.withdrawal_request_create(
        case=leaving, attorney=attorney, reason="I am moving to another state."
    )
    workspace_services.withdrawal_request_decide(
        request=request, actor=coordinator, approve=True, note="Thank you; back on the board."
    )
    calendar_feed_get_or_create(user=attorney)
    family_member_add(
        client=Client.objects.order_by("pk").first(),
        relationship="spouse",
        given_names="Marta Inés",
        family_names="Solórzano",
        a_number="A-301-555-777",
        date_of_birth=dt.date(1988, 4, 9),
        address="12 Calle Falsa, San Salvador",
        phone="+503 5555 0101",
        notes="Stayed in El Salvador.",
    )
    unscreened = Case.objects.filter(screening__isnull=True).order_by("pk").first()
    assert unscreened is not None
    Screening.objects.create(
        case=unscreened,
        answers=json.dumps({"protected_ground": {"answer": "yes", "note": "Gang threats"}}),
        merits_notes="Strong nexus to a particular social group.",
    )
    hit = ConflictHit.objects.create(
        case=unscreened,
        subject_type=PartyType.CLIENT,
        subject_id=unscreened.client_id,
        subject_label="client",
        matched_type=PartyType.ADVERSE_PARTY,
        matched_id=AdverseParty.objects.order_by("pk").values_list("pk", flat=True)[0],
        score=0.91,
        why_en="same names",
        why_es="mismos nombres",
    )
    conflict_hit_resolve(
        hit=hit, actor=coordinator, decision="cleared", note="Different person: other birth date."
    )
    mentorship = Mentorship.objects.order_by("pk").first()
    assert mentorship is not None
    MentoringMeeting.objects.create(
        mentorship=mentorship,
        starts_at=dt.datetime(2026, 2, 2, 17, 0, tzinfo=dt.UTC),
        mode=MentoringMeeting.Mode.VIDEO,
        video_link="https://meet.example.org/amparo-mentoring",
        booked_by=mentorship.mentor,
        notes="Went through the declaration's timeline.",
    )
    MentorshipFeedback.objects.create(
        mentorship=mentorship,
        author=mentorship.mentee,
        side=MentorshipFeedback.Side.MENTEE,
        rating=5,
        comments="Very helpful on the client's credibility issues.",
    )
    hearing = Hearing.objects.filter(case__in=placed).order_by("pk").first()
    assert hearing is not None
    HearingOutcome.objects.create(
        hearing=hearing, result="held", recorded_by=attorney, note="The client testified well."
    )
    # A filing by DHS, as the attorney records it (it starts the 10-day response period).
    opposing_filing_add(
        case=hearing.case,
        actor=attorney,
        received_on=dt.date(2026, 2, 9),
        description="DHS pre-hearing brief contesting the client's credibility.",
    )
    # A case import waiting for the background worker (the file is kept encrypted until then).
    partner = User.objects.get(email="partner@demo.amparo.org")
    case_import_job_start(
        actor=partner,
        organization=partner.organization,
        content="client_given_names,client_family_names\nLucía,Ejemplo Ficticio\n".encode(),
        file_format="csv",
        rows=1,
    )
    NewsletterSubscriberFactory(email="reader.rotation@example.org")
    PartnerInquiryFactory(staff_note="Called back; they will send two cases.")


def _fill_empty_encrypted_columns() -> list[str]:
    """Give every encrypted column that is still empty a value on one row (so a field added
    later is proved without changing this file); returns the models that have no row at all."""
    without_rows: list[str] = []
    for model, fields in encrypted_columns().items():
        manager = model._base_manager
        first = manager.order_by("pk").first()
        if first is None:
            without_rows.append(model._meta.label)
            continue
        for field in fields:
            if manager.exclude(**{f"{field.name}__isnull": True}).exclude(**{field.name: ""}):
                continue
            if isinstance(field, encrypted_field_module.EncryptedDateField):
                value: Any = dt.date(1990, 1, 2)
            else:
                value = f"filled {model._meta.label}.{field.name}"
            manager.filter(pk=first.pk).update(**{field.name: value})
    return without_rows


def _write_legacy_clear_file() -> None:
    """An upload written before uploads were encrypted: rotation encrypts it on the way."""
    path = Path(default_storage.path(LEGACY_FILE))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Old scan written in clear.")


@pytest.fixture
def populated(db: Any, settings: Any) -> None:
    settings.DEBUG = True  # demo_data refuses to run otherwise
    call_command("demo_data", verbosity=0, stdout=io.StringIO())
    settings.DEBUG = False
    coordinator = User.objects.get(email="coordinator@demo.amparo.org")
    attorney = User.objects.get(email="attorney@demo.amparo.org")
    mentor = User.objects.get(email="mentor@demo.amparo.org")
    _upload_documents(attorney, mentor)
    _add_rows_demo_data_leaves_out(coordinator, attorney)
    without_rows = _fill_empty_encrypted_columns()
    assert not without_rows, (
        f"{without_rows} have encrypted fields but no row to prove rotation on: add one in "
        "_add_rows_demo_data_leaves_out (or to demo data)"
    )
    _write_legacy_clear_file()


@pytest.fixture
def use_keys(settings: Any) -> Iterator[Any]:
    """Set AMPARO_FIELD_KEYS. crypto._multi_fernet caches one MultiFernet per key tuple and
    crypto reads the setting on every call, so a new list takes effect at once; the cache is
    cleared anyway so no retired key survives in memory."""

    def use(keys: list[str]) -> None:
        settings.AMPARO_FIELD_KEYS = keys
        crypto._multi_fernet.cache_clear()

    yield use
    crypto._multi_fernet.cache_clear()


def _only_key_opens(key: str, token: bytes) -> bytes:
    return Fernet(key.encode()).decrypt(token)


# --- the tests ---------------------------------------------------------------------------------


def test_rotate_keys_rotates_exactly_the_fields_of_core_fields():
    """rotate_keys asks core.fields.encrypted_fields: it must know every class fields.py defines
    (a new encrypted field class would otherwise be left under the old key)."""
    for model, fields in encrypted_columns().items():
        assert set(encrypted_fields(model)) == set(fields), model._meta.label


def test_every_upload_goes_to_the_encrypted_storage_rotate_keys_walks():
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.FileField):
                assert field.storage is default_storage or isinstance(
                    field.storage, EncryptedFileSystemStorage
                ), f"{model._meta.label}.{field.name} stores files rotate_keys does not re-encrypt"
    assert isinstance(storages["default"], EncryptedFileSystemStorage)


def test_key_rotation_on_a_populated_database_loses_nothing(
    populated: None, settings: Any, use_keys: Any, client: Any
):
    old_keys = list(settings.AMPARO_FIELD_KEYS)
    new_key = Fernet.generate_key().decode()

    attorney = User.objects.get(email="attorney@demo.amparo.org")
    feed_url = reverse("deadlines:calendar_feed", args=[attorney.calendar_feed.token])
    assert client.get(feed_url).status_code == 200  # (it notes when it was last fetched)
    found = search_results()
    values = clear_values()
    tokens = stored_tokens()
    files = stored_files()
    untouched = other_columns()

    # Personal data lives only in encrypted columns, so rotation reaches all of it.
    assert personal_data_in_clear() == []
    # The database really is populated, in every encrypted column and with every kind of file.
    assert len(Client.objects.all()) >= 60 and len(tokens) > 500
    for model, fields in encrypted_columns().items():
        for field in fields:
            assert any(key[0] == model._meta.label and key[2] == field.name for key in tokens), (
                f"{model._meta.label}.{field.name} holds no value to rotate"
            )
    referenced = dict((name, where) for where, name in referenced_files())
    assert {where.rsplit(".", 1)[0] for where in referenced.values()} >= {
        "workspace.CaseDocumentVersion",
        "mentoring_work.Draft",
        "library.DocumentVersion",
        "trainings.Certificate",
    }
    assert set(referenced) <= set(files), "a FileField names a file the storage does not hold"
    assert LEGACY_FILE in files and not files[LEGACY_FILE][1].startswith(MAGIC)
    old_client = Client.objects.exclude(a_number="").order_by("pk").first()
    assert old_client is not None
    token_under_old_key = tokens[("intake.Client", old_client.pk, "a_number")]
    some_document = next(name for name in files if name.startswith("case-documents/"))
    file_under_old_key = files[some_document][1]

    # Rotate: the new key first, the old ones still there to read what is stored.
    use_keys([new_key, *old_keys])
    call_command("rotate_keys", stdout=io.StringIO())
    # Then the old keys go: only the new key is configured.
    use_keys([new_key])

    assert clear_values() == values
    rotated = stored_tokens()
    assert rotated.keys() == tokens.keys()
    for key, token in rotated.items():
        assert token != tokens[key], f"{key} was not re-encrypted"
        _only_key_opens(new_key, token.encode())  # under the new key alone
    for old_key in old_keys:
        with pytest.raises(InvalidToken):
            _only_key_opens(old_key, rotated[("intake.Client", old_client.pk, "a_number")].encode())
    rotated_files = stored_files()
    assert rotated_files.keys() == files.keys()
    for name, (clear, raw) in rotated_files.items():
        assert clear == files[name][0], f"{name} reads back differently"
        assert raw != files[name][1], f"{name} was not re-encrypted"
        assert raw.startswith(MAGIC)
        assert _only_key_opens(new_key, raw[len(MAGIC) :]) == clear
    # Nothing but the encrypted columns changed (one audit event was added): blind indexes,
    # party-name hashes, JSON details and every other column are as they were.
    after = other_columns()
    audit_table = AuditEvent._meta.db_table
    assert {t: rows for t, rows in after.items() if t != audit_table} == {
        t: rows for t, rows in untouched.items() if t != audit_table
    }
    assert len(after[audit_table]) == len(untouched[audit_table]) + 1
    # Searches through the blind indexes find the same people; the feed address still works.
    assert search_results() == found
    assert any(found[key] for key in found if key.startswith("conflicts"))
    assert client.get(feed_url).status_code == 200
    # Rotation was audited, with counts only.
    event = AuditEvent.objects.get(action=AuditEvent.Action.KEYS_ROTATED)
    assert event.data == {"values": len(tokens), "files": len(files)}

    # A value or a file encrypted only under a dropped key fails loudly, never as garbage.
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(token_under_old_key)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE intake_client SET a_number = %s WHERE id = %s",
            [token_under_old_key, old_client.pk],
        )
    with pytest.raises(DecryptionError):
        Client.objects.get(pk=old_client.pk)
    Path(default_storage.path(some_document)).write_bytes(file_under_old_key)
    with pytest.raises(DecryptionError):
        default_storage.open(some_document).read()
    # ... and stops a rotation before it writes anything of that batch.
    with pytest.raises(DecryptionError):
        call_command("rotate_keys", stdout=io.StringIO())
    assert AuditEvent.objects.filter(action=AuditEvent.Action.KEYS_ROTATED).count() == 1


def test_key_rotation_is_idempotent_and_audited_each_time(db: Any, settings: Any, use_keys: Any):
    """Running rotate_keys again under the same keys changes no clear value and is audited
    again; run under a new key after an interrupted rotation, it finishes the job."""
    from tests.core.test_crypto import _make_client

    client_pk = _make_client().pk
    name = default_storage.save("cases/note.txt", io.BytesIO(b"clear note"))
    values = clear_values()
    new_key = Fernet.generate_key().decode()
    use_keys([new_key, *settings.AMPARO_FIELD_KEYS])
    call_command("rotate_keys", stdout=io.StringIO())
    once = stored_tokens()
    call_command("rotate_keys", stdout=io.StringIO())
    use_keys([new_key])
    assert clear_values() == values
    assert stored_tokens().keys() == once.keys()
    assert Client.objects.get(pk=client_pk).a_number == "A-212-345-678"
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"clear note"
    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.KEYS_ROTATED).order_by("pk"))
    assert len(events) == 2
    assert events[0].data == events[1].data == {"values": len(once), "files": 1}
    assert events[0].actor is None
