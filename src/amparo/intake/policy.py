import rules

from amparo.core.predicates import is_coordinator, two_factor_ok

rules.add_perm("intake.screen_case", is_coordinator & two_factor_ok)
