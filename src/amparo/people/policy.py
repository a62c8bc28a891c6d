from __future__ import annotations

from typing import Any

import rules

from amparo.core.predicates import is_coordinator, is_program_staff, two_factor_ok
from amparo.people.models import AttorneyProfile


@rules.predicate
def is_own_profile(user: Any, profile: AttorneyProfile | None) -> bool:
    return profile is not None and profile.user_id == user.pk


rules.add_perm("people.view_attorney_profile", is_own_profile | (is_program_staff & two_factor_ok))
rules.add_perm("people.verify_attorney", is_coordinator & two_factor_ok)
rules.add_perm("people.change_attorney_profile", is_own_profile | (is_coordinator & two_factor_ok))
# Suspending a verified attorney is the coordinators' call, as verifying is.
rules.add_perm("people.suspend_attorney", is_coordinator & two_factor_ok)
