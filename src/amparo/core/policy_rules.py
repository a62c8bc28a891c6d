import rules

from amparo.core.predicates import is_program_staff, two_factor_ok

rules.add_perm("core.view_audit_log", is_program_staff & two_factor_ok)
