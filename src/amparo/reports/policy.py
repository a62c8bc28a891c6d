"""Who may open the program reports: coordinators and program admins (with 2FA). The reports
hold counts only, never a client's identity, but they describe the whole program."""

from __future__ import annotations

import rules

from amparo.core.predicates import is_attorney, is_mentor, is_program_staff, two_factor_ok

rules.add_perm("reports.view_dashboard", two_factor_ok & is_program_staff)
# A volunteer's own figures (their cases, hours and deadlines).
rules.add_perm("reports.view_my_figures", two_factor_ok & (is_attorney | is_mentor))
