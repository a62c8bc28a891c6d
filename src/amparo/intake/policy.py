import rules

from amparo.core.predicates import is_coordinator, two_factor_ok

rules.add_perm("intake.screen_case", is_coordinator & two_factor_ok)


@rules.predicate
def started_the_import(user: object, job: object) -> bool:
    return job is not None and getattr(job, "created_by_id", None) == getattr(user, "pk", None)


# Coordinators and partners import (cases.add_case); each sees only the imports they started.
rules.add_perm("intake.view_import_job", two_factor_ok & started_the_import)
