"""Named personas shared by the suite: one per role, and an 'other' of each to prove isolation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase

from amparo.accounts.models import Role
from amparo.cases.models import Case, Stage
from tests.factories import (
    AttorneyProfileFactory,
    CaseFactory,
    OrganizationFactory,
    UserFactory,
)

SESSION_KEYS = "django.contrib.sessions.cache"


def empty_test_caches(*, keep_sessions: bool = False) -> None:
    """Empty every cache this run can reach without the database: its own keys in Redis (by
    its key prefix, so another run on the same Redis database keeps its keys), the files and
    memory of the local caches. The database cache needs no emptying: each test's transaction
    is rolled back. `keep_sessions`: the signed-in sessions (in Redis with the cache session
    engine) stay, for a test that undoes each request's writes but keeps its clients."""
    for alias, config in settings.CACHES.items():
        backend = config["BACKEND"]
        if backend.endswith("RedisCache"):
            if not config.get("KEY_PREFIX"):
                continue  # not the suite's own Redis cache: never empty someone else's keys
            client = caches[alias]._cache.get_client(write=True)  # type: ignore[attr-defined]
            keys = [
                key
                for key in client.scan_iter(match=f"{config['KEY_PREFIX']}:*", count=1000)
                if not (keep_sessions and SESSION_KEYS.encode() in key)
            ]
            if keys:
                client.delete(*keys)
        elif backend.endswith(("FileBasedCache", "LocMemCache")):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def empty_caches() -> Any:
    """Every test starts with empty caches: with Redis (AMPARO_TEST_REDIS_URL) nothing rolls a
    rate-limit counter or a lock back between tests."""
    empty_test_caches()
    yield
    empty_test_caches()


def enrol_totp(user: Any) -> None:
    """Record a TOTP authenticator as allauth.mfa does after enrolment."""
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


@dataclass
class Personas:
    coordinator: Any
    program_admin: Any
    attorney: Any
    other_attorney: Any
    unverified_attorney: Any
    mentor: Any
    other_mentor: Any
    partner: Any
    other_partner: Any
    placed_case: Case
    ready_case: Case
    intake_case: Case
    other_org_case: Case


@pytest.fixture
def personas(db: Any) -> Personas:
    operator = OrganizationFactory(name="Operator", kind="operator")
    partner_org = OrganizationFactory(name="Partner A")
    other_partner_org = OrganizationFactory(name="Partner B")
    coordinator = UserFactory(
        role=Role.COORDINATOR, organization=operator, email="coord@example.org"
    )
    program_admin = UserFactory(
        role=Role.PROGRAM_ADMIN, organization=operator, email="padmin@example.org"
    )
    attorney = AttorneyProfileFactory(
        user__email="att@example.org",
        verification_status="verified",
        verified_by=coordinator,
        verified_at=timezone.now(),
    ).user
    other_attorney = AttorneyProfileFactory(
        user__email="att2@example.org",
        verification_status="verified",
        verified_by=coordinator,
        verified_at=timezone.now(),
    ).user
    unverified_attorney = AttorneyProfileFactory(user__email="att3@example.org").user
    mentor = UserFactory(role=Role.MENTOR, email="mentor@example.org")
    other_mentor = UserFactory(role=Role.MENTOR, email="mentor2@example.org")
    partner = UserFactory(role=Role.PARTNER, organization=partner_org, email="partner@example.org")
    other_partner = UserFactory(
        role=Role.PARTNER, organization=other_partner_org, email="partner2@example.org"
    )
    for staff in (coordinator, program_admin, mentor, other_mentor, partner, other_partner):
        enrol_totp(staff)
    placed_case = CaseFactory(
        stage=Stage.PLACED,
        attorney_of_record=attorney,
        mentor=mentor,
        mentor_file_access=True,
        placing_organization=partner_org,
    )
    return Personas(
        coordinator=coordinator,
        program_admin=program_admin,
        attorney=attorney,
        other_attorney=other_attorney,
        unverified_attorney=unverified_attorney,
        mentor=mentor,
        other_mentor=other_mentor,
        partner=partner,
        other_partner=other_partner,
        placed_case=placed_case,
        ready_case=CaseFactory(stage=Stage.READY, placing_organization=partner_org),
        intake_case=CaseFactory(stage=Stage.INTAKE, placing_organization=partner_org),
        other_org_case=CaseFactory(stage=Stage.INTAKE, placing_organization=other_partner_org),
    )


# Hypothesis keeps the examples it found in the run's own var directory: `make test` runs the
# SQLite and PostgreSQL passes side by side, each with its own (AMPARO_VAR_DIR).
hypothesis_settings.register_profile(
    "amparo", database=DirectoryBasedExampleDatabase(str(settings.VAR_DIR / "hypothesis"))
)
hypothesis_settings.load_profile("amparo")


#: Test folders of the pure engines (no Django imports, no database, no cache): they give the same
#: answer on every database, so the PostgreSQL pass of `make test` leaves them to the SQLite pass.
DATABASE_AGNOSTIC = ("tests/domain/",)
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "client", "settings"}


def _deselect_database_agnostic(config: Any, items: list[Any]) -> None:
    """Drop the pure-engine tests from a PostgreSQL run (``AMPARO_TEST_ALL=1`` keeps them)."""
    if os.environ.get("AMPARO_TEST_ALL") == "1":
        return
    agnostic = [
        item
        for item in items
        if item.nodeid.startswith(DATABASE_AGNOSTIC)
        and not item.get_closest_marker("django_db")
        and not _DATABASE_FIXTURES.intersection(item.fixturenames)
    ]
    if agnostic:
        chosen = set(agnostic)
        config.hook.pytest_deselected(items=agnostic)
        items[:] = [item for item in items if item not in chosen]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests marked `postgres` need PostgreSQL's row locking and real concurrent transactions;
    on SQLite they are skipped with that reason (the PostgreSQL run of `make test` runs them)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        _deselect_database_agnostic(config, items)
        return
    reason = "needs PostgreSQL's locking: runs in make test's PostgreSQL pass (DATABASE_URL)"
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _english_by_default() -> Any:
    """Each test starts in English: a request in Spanish leaves Spanish active in the test's
    thread, which would make later tests depend on the order they run in."""
    from django.utils import translation

    with translation.override("en"):
        yield
