"""Cases with named people for the conflict-check tests (the suite factories all share one name,
so every test here sets the names it relies on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from amparo.cases.models import Case
from tests.factories import AdversePartyFactory, CaseFactory, ClientFactory, FamilyMemberFactory

MakeCase = Callable[..., Case]


@pytest.fixture
def make_case(db: Any) -> MakeCase:
    def make(
        given: str,
        family: str,
        *,
        family_members: tuple[tuple[str, str], ...] = (),
        adverse: tuple[str, ...] = (),
        **case_fields: Any,
    ) -> Case:
        client = ClientFactory(given_names=given, family_names=family)
        for member_given, member_family in family_members:
            FamilyMemberFactory(client=client, given_names=member_given, family_names=member_family)
        for name in adverse:
            AdversePartyFactory(client=client, name=name)
        return CaseFactory(client=client, **case_fields)

    return make
