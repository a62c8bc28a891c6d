from typing import Any

from huey.contrib.djhuey import db_task

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.conflicts.services import conflict_check_case, party_index_for_client


@db_task()
def conflict_check_cases(case_ids: list[int], actor_id: int | None = None) -> int:
    """Check imported cases after their import committed (a big file would otherwise hold the
    upload for minutes). All the cases' people are indexed before the first check, so two rows of
    the same file that name the same person find each other; each person is indexed once."""
    actor: Any = User.objects.filter(pk=actor_id).first() if actor_id else None
    cases = list(Case.objects.filter(pk__in=case_ids).select_related("client").order_by("pk"))
    for case in cases:
        party_index_for_client(client=case.client)
    for case in cases:
        conflict_check_case(case=case, actor=actor, people_indexed=True)
    return len(cases)
