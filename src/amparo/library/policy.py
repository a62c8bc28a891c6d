"""Who may use the sample-materials library and the strategy notes.

Approved volunteers (verified attorneys), mentors and program staff read and download; staff
(coordinators and program admins) upload and edit documents; coordinators keep the strategy
notes. Unverified attorneys and partner organizations' staff do not see the library: its pages
answer 404 to them, as any forbidden object does (core/policy.py). Nothing here is client data,
but two-factor enrolment is still asked of the roles that must have it, as everywhere else.
"""

from __future__ import annotations

import rules

from amparo.core.predicates import (
    is_coordinator,
    is_mentor,
    is_program_staff,
    is_verified_attorney,
    two_factor_ok,
)

# Who the library is for; the notifications of a new version go to these people only.
is_library_reader = is_program_staff | is_verified_attorney | is_mentor
can_read_library = two_factor_ok & is_library_reader

rules.add_perm("library.view_library", can_read_library)
rules.add_perm("library.download_document", can_read_library)
rules.add_perm("library.add_document", two_factor_ok & is_program_staff)
rules.add_perm("library.change_document", two_factor_ok & is_program_staff)
rules.add_perm("library.view_strategy_notes", can_read_library)
rules.add_perm("library.change_strategy_note", two_factor_ok & is_coordinator)
