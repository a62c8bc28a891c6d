"""Who may see and resolve conflict hits: the program's coordinators resolve them; program
administrators may read them. Hits name parties of other clients' files, so nobody else sees
them, not even the case's attorney or partner organization (they get the outcome, not the hits).
"""

from __future__ import annotations

import rules

from amparo.core.predicates import is_coordinator, is_program_staff, two_factor_ok

rules.add_perm("conflicts.view_hits", two_factor_ok & is_program_staff)
rules.add_perm("conflicts.resolve_hit", two_factor_ok & is_coordinator)
rules.add_perm("conflicts.run_check", two_factor_ok & is_coordinator)
