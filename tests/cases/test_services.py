from __future__ import annotations

import threading

import pytest
from django.db import connection

from amparo.cases.models import Case
from amparo.cases.services import case_code_next, case_create
from amparo.core.models import AuditEvent
from tests.factories import ClientFactory, OrganizationFactory


@pytest.mark.django_db
def test_case_create_gives_sequential_codes_and_audits():
    organization = OrganizationFactory()
    first = case_create(
        actor=None, client=ClientFactory(), case_type="u_visa", placing_organization=organization
    )
    second = case_create(
        actor=None, client=ClientFactory(), case_type="u_visa", placing_organization=organization
    )
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1
    assert AuditEvent.objects.filter(action="case.created").count() == 2


@pytest.mark.django_db
def test_case_code_next_starts_each_year_at_one():
    assert case_code_next(year=2031) == "AMP-31-0001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_case_create_concurrent_saves_never_share_a_code():
    organization = OrganizationFactory()
    clients = [ClientFactory() for _ in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(clients))

    def create(client):
        try:
            barrier.wait()
            case_create(
                actor=None, client=client, case_type="u_visa", placing_organization=organization
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = list(Case.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == len(clients)
